"""Camera decoding of phone screens at the counter: cost per frame and share read, old vs new passes.

Frames come from :mod:`kiosk.devtools.phone_qr_set` (our check-in tokens on a phone screen as a
1280×720 counter camera sees it, fixed seeds). Each cost benchmark times the same frame with
the plain decode alone (``old_…`` figures: what the camera did before the rescue passes) and
with the camera's pass list (:data:`drivers.scanner.rescue.CAMERA_PASSES`; the main figures),
in turns within one run, so the two compare on the same machine and load:

- empty: the counter with nobody in front — what nearly every frame of the day costs;
- blank phone: a phone held up showing no code — its screen's texture opens the passes, so
  this is the most any frame without a code costs;
- easy: a phone photo the plain decode reads;
- hard: a moiré frame only the last pass reads;
- unreadable: a code under a strong reflection that no pass reads — the most any frame costs.

The set benchmark decodes the whole set both ways and gives the share read per degradation.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kiosk.devtools.bench import BenchmarkError, Session, benchmark, summarize

if TYPE_CHECKING:
    import numpy as np

    from drivers.scanner.decode import Decoder

#: (kind, level, token) in :data:`kiosk.devtools.phone_qr_set.KINDS` of the hard frames.
HARD = ("moiré", 0, 0)
UNREADABLE = ("glare", 3, 0)


def _decoders(session: Session) -> dict[str, Decoder]:
    from drivers.scanner.decode import DecoderUnavailable, make_decoder
    from drivers.scanner.rescue import CAMERA_PASSES

    def make() -> dict[str, Decoder]:
        try:
            return {"old": make_decoder("zxing", rescue=()), "new": make_decoder("zxing", rescue=CAMERA_PASSES)}
        except DecoderUnavailable as exc:
            raise BenchmarkError(str(exc)) from None
    return session.once("camera_decoders", make)


def _frame(session: Session, which: str) -> tuple[np.ndarray, str | None]:
    """The frame, and the text it holds (None: no code)."""
    from kiosk.devtools import phone_qr_set as ps

    def make() -> tuple[np.ndarray, str | None]:
        if which in ("empty", "blank phone"):
            return next(f for what, f in ps.empty_frames(2) if what == {"empty": "counter"}.get(which, which)), None
        if which == "easy":
            text = ps.checkin_tokens(1)[0]
            return ps.photograph(text, ps.base_shot(0), 0), text
        _label, text, frame = ps.set_frame(*(HARD if which == "hard" else UNREADABLE))
        return frame, text
    return session.once(f"camera_frame_{which}", make)


def _time(decoders: dict[str, Decoder], gray: np.ndarray, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per decode for each decoder, taken in turns (in alternating order) so that a
    change of load during the run weighs on both lists alike."""
    samples: dict[str, list[float]] = {name: [] for name in decoders}
    order = list(decoders.items())
    for _ in range(rounds):
        order.reverse()
        for name, decoder in order:
            t0 = time.perf_counter_ns()
            decoder.decode(gray)
            samples[name].append((time.perf_counter_ns() - t0) / 1e6)
    return samples


def _compare(session: Session, which: str, expect: Sequence[bool]) -> dict[str, Any]:
    """New passes (main figures) and plain decode (``old_``) on one frame; ``expect``: (old reads, new reads)."""
    decoders = _decoders(session)
    gray, text = _frame(session, which)
    for (name, dec), reads in zip(decoders.items(), expect, strict=True):
        got = dec.decode(gray)                                         # warm-up, and a sanity check
        if (text in got) != reads or (text is None and got):
            raise BenchmarkError(f"the {which} frame decoded to {len(got)} codes with the {name} passes")
    samples = _time(decoders, gray, 10 if session.quick else 200)
    figures = summarize(samples["new"], "ms")
    figures.update(summarize(samples["old"], "ms", prefix="old_"))
    figures["read_by"] = decoders["new"].last_pass or "nothing"
    return figures


@benchmark("camera_decode_empty", "median ≤ 3 ms", title="camera: counter without code, 1280×720",
           judged_on="median_ms", limit=3)
def camera_decode_empty(session: Session) -> dict[str, Any]:
    return _compare(session, "empty", (False, False))


@benchmark("camera_decode_blank_phone", "p99 ≤ 60 ms", title="camera: phone showing no code",
           judged_on="p99_ms", limit=60)
def camera_decode_blank_phone(session: Session) -> dict[str, Any]:
    return _compare(session, "blank phone", (False, False))


@benchmark("camera_decode_easy", "median ≤ 3 ms", title="camera: phone code read at once",
           judged_on="median_ms", limit=3)
def camera_decode_easy(session: Session) -> dict[str, Any]:
    return _compare(session, "easy", (True, True))


@benchmark("camera_decode_hard", "p99 ≤ 60 ms", title="camera: moiré code read by the last pass",
           judged_on="p99_ms", limit=60)
def camera_decode_hard(session: Session) -> dict[str, Any]:
    return _compare(session, "hard", (False, True))


@benchmark("camera_decode_unreadable", "p99 ≤ 60 ms", title="camera: code under glare, every pass fails",
           judged_on="p99_ms", limit=60)
def camera_decode_unreadable(session: Session) -> dict[str, Any]:
    return _compare(session, "unreadable", (False, False))


@benchmark("camera_phone_set", "for information", title="camera: phone-screen set, share read old → new")
def camera_phone_set(session: Session) -> dict[str, Any]:
    """Percent read per degradation, plain decode (old) and with the passes (new); quick mode: the
    second level of each degradation, one token (11 frames: a check that it runs, not a measure)."""
    from kiosk.devtools.phone_qr_set import KINDS, degraded_set, set_frame

    decoders = _decoders(session)
    counts: dict[str, list[int]] = {}
    frames = ((kind, *set_frame(kind, 1, 0)) for kind in KINDS) if session.quick else degraded_set()
    for kind, _level, text, gray in frames:
        row = counts.setdefault(kind, [0, 0, 0])
        row[0] += text in decoders["old"].decode(gray)
        row[1] += text in decoders["new"].decode(gray)
        row[2] += 1
    figures: dict[str, Any] = {"frames": sum(r[2] for r in counts.values()),
                               "old_read": sum(r[0] for r in counts.values()),
                               "new_read": sum(r[1] for r in counts.values())}
    for kind, (old, new, n) in counts.items():
        key = kind.replace(" ", "_").replace("é", "e")
        figures[f"{key}_old_percent"] = round(100 * old / n)
        figures[f"{key}_new_percent"] = round(100 * new / n)
    return figures
