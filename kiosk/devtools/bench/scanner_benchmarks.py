"""Scanner benchmarks: QR decoding of camera frames, and HID key decoding.

Frames are generated (:mod:`drivers.scanner.qr_samples`, fixed seeds) at the camera's
1280×720, so figures compare across runs: one with a check-in QR code in view (what
every frame costs while a person shows their code), one with none (what every frame
costs the rest of the day — the budget that matters for idle CPU). The HID figure is
10 000 key events (downs, ups, modifiers; EV_SYN and MSC_SCAN filtered as the reader
would get them) of real-looking AZERTY scans through the decoder; the device read
itself is not measured. The degraded-set figure gives the success rate per
degradation for zxing-cpp and zbar side by side (for information: no target).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from kiosk.devtools.bench import BenchmarkError, Session, benchmark, summarize

if TYPE_CHECKING:
    import numpy as np
    from evdev import InputEvent

    from drivers.scanner.decode import Decoder

FRAME_SIZE = (1280, 720)
HID_EVENTS = 10_000


def _decoder(name: str = "zxing") -> Decoder:
    from drivers.scanner.decode import DecoderUnavailable, make_decoder
    try:
        return make_decoder(name)
    except DecoderUnavailable as exc:
        raise BenchmarkError(str(exc)) from None


def _frames(session: Session) -> dict[str, np.ndarray]:
    from drivers.scanner.decode import to_gray
    from drivers.scanner.qr_samples import PAYLOADS, frame, qr_image

    return session.once("scanner_frames", lambda: {
        "code": to_gray(frame(qr_image(PAYLOADS[0]), size=FRAME_SIZE, seed=1)),
        "empty": to_gray(frame(None, size=FRAME_SIZE, seed=2)),
    })


def _time_decode(session: Session, which: str) -> dict[str, Any]:
    decoder = _decoder()
    gray = _frames(session)[which]
    found = decoder.decode(gray)                                    # warm-up, and a sanity check
    if (which == "code") != bool(found):
        raise BenchmarkError(f"the {which} frame decoded to {len(found)} codes")
    samples = []
    for _ in range(30 if session.quick else 200):
        t0 = time.perf_counter_ns()
        decoder.decode(gray)
        samples.append((time.perf_counter_ns() - t0) / 1e6)
    return summarize(samples, "ms")


@benchmark("scanner_qr_frame", "median ≤ 3 ms", title="scanner: QR decode, 1280×720 frame (zxing-cpp)",
           judged_on="median_ms", limit=3)
def scanner_qr_frame(session: Session) -> dict[str, Any]:
    """One QR code (a signed check-in URL, 6-pixel modules) in a textured 720p gray frame."""
    return _time_decode(session, "code")


@benchmark("scanner_qr_empty", "median ≤ 2 ms", title="scanner: empty 1280×720 frame (zxing-cpp)",
           judged_on="median_ms", limit=2)
def scanner_qr_empty(session: Session) -> dict[str, Any]:
    """The same frame without a code: the cost of every frame while nobody shows one."""
    return _time_decode(session, "empty")


@benchmark("scanner_hid_decode", "≤ 20 ms", title="scanner: HID decoding of 10 000 key events (fr)",
           judged_on="median_ms", limit=20)
def scanner_hid_decode(session: Session) -> dict[str, Any]:
    """Median of 5 runs (3 in quick mode) over the same 10 000 EV_KEY events, a fresh decoder each run."""
    from drivers.scanner.hid_decode import HidDecoder
    from drivers.scanner.keymap import keymap_table
    from drivers.scanner.recording import key_events

    table = keymap_table("fr")
    events: list[InputEvent] = []
    scan = "https://rdv.ville.fr/c/9F3K-22Q?é=ê\n"                 # shifted, AltGr, accented and dead keys
    while len(events) < HID_EVENTS:
        events += [e for e in key_events(table, scan, start=1000.0 + len(events)) if e.type == 1]
    events = events[:HID_EVENTS]
    runs, scans = [], 0
    for _ in range(3 if session.quick else 5):
        decoder = HidDecoder(table)
        t0 = time.perf_counter_ns()
        scans = len(decoder.feed_all(events))
        runs.append((time.perf_counter_ns() - t0) / 1e6)
    figures = summarize(runs, "ms")
    figures.update(events=HID_EVENTS, scans=scans)
    return figures


@benchmark("scanner_qr_degraded", "for information", title="scanner: degraded QR set, zxing-cpp vs zbar")
def scanner_qr_degraded(session: Session) -> dict[str, Any]:
    """Percent decoded per degradation (3 payloads × levels each, 640×480 frames): zxing-cpp in camera
    mode and in thorough mode (image files), and zbar if it is installed."""
    from drivers.scanner.decode import ZbarDecoder, make_decoder
    from drivers.scanner.qr_samples import success_rates

    decoders = {"zxing": _decoder("zxing"), "zxing_thorough": make_decoder("zxing", thorough=True)}
    if ZbarDecoder.is_usable():
        decoders["zbar"] = _decoder("zbar")
    rates = success_rates(decoders)
    figures: dict[str, Any] = {"frames": sum(row["zxing"][1] for row in rates.values())}
    for deg, row in rates.items():
        for name, (ok, n) in row.items():
            figures[f"{name}_{deg.replace(' ', '_')}_percent"] = round(100 * ok / n)
    return figures
