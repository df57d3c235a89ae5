"""The camera scanner with a file-fed frame source: decoding, frame-rate cap, deduplication, failures."""

from __future__ import annotations

import time

import pytest
from support import Posted, wait_for

from drivers.scanner.camera import CameraScanner, Deduplicator, FileFrameSource, FrameSourceError, PygameCameraSource
from drivers.scanner.qr_samples import PAYLOADS, frame, qr_image
from kiosk import events


@pytest.fixture
def frames(tmp_path):
    paths = []
    for i, text in enumerate([PAYLOADS[0], PAYLOADS[0], None, PAYLOADS[1], PAYLOADS[0]]):
        path = tmp_path / f"f{i}.png"
        frame(qr_image(text) if text else None, seed=i).save(path)
        paths.append(path)
    return paths


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_process_decodes_and_deduplicates(frames):
    posted, clock = Posted(), Clock()
    cam = CameraScanner(FileFrameSource(frames), post=posted, clock=clock, repeat_after_s=3)
    got = []
    for _ in frames:
        got.append(cam.process(cam.source.read()))
        clock.now += 0.5
    assert got == [[PAYLOADS[0]], [], [], [PAYLOADS[1]], []]    # same code still in view: no second scan
    assert posted.of(events.SCAN_READ) == [{"text": PAYLOADS[0], "source": "camera"},
                                      {"text": PAYLOADS[1], "source": "camera"}]
    assert cam.latest_frame is not None and cam.frames_decoded == 5


def test_dedup_window_restarts_while_the_code_stays_in_view():
    clock = Clock()
    d = Deduplicator(3.0, clock)
    seen = []
    for t in (0, 2, 4, 6, 10):          # held continuously, then shown again after a 4 s gap
        clock.now = t
        seen.append(d.is_new("X"))
    assert seen == [True, False, False, False, True]


def test_thread_posts_with_a_frame_rate_cap(frames):
    posted = Posted()
    cam = CameraScanner(FileFrameSource(frames, loop=True), post=posted, max_fps=20, repeat_after_s=60)
    t0 = time.monotonic()
    cam.start()
    try:
        assert wait_for(lambda: cam.frames_decoded >= 6, timeout=3)
        elapsed = time.monotonic() - t0
    finally:
        cam.stop()
    assert elapsed >= 5 / 20 * 0.9                     # 6 frames at ≤ 20 fps need ≥ 0.25 s
    assert [e["text"] for e in posted.of(events.SCAN_READ)] == [PAYLOADS[0], PAYLOADS[1]]
    assert posted.of(events.DEVICE_STATE)[0]["state"] == "ready"


def test_unreadable_frame_reports_the_camera_and_retries(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not an image")
    posted = Posted()
    cam = CameraScanner(FileFrameSource([bad], loop=True), post=posted, retry_interval=0.01).start()
    try:
        assert wait_for(lambda: posted.of(events.DEVICE_STATE))
    finally:
        cam.stop()
    state = posted.of(events.DEVICE_STATE)[0]
    assert state["device"] == "camera" and state["state"] == "disconnected" and "broken.png" in state["detail"]
    assert len(posted.of(events.DEVICE_STATE)) == 1        # not one event per retry


def test_missing_v4l2_camera_is_a_clear_error():
    with pytest.raises(FrameSourceError, match="cannot open camera /dev/video99"):
        PygameCameraSource("/dev/video99").read()


def test_zbar_decoder_by_name(frames):
    from drivers.scanner.decode import ZbarDecoder
    if not ZbarDecoder.is_usable():
        pytest.skip("zbar not installed")
    cam = CameraScanner(FileFrameSource(frames), decoder="zbar", post=Posted())
    assert cam.process(cam.source.read()) == [PAYLOADS[0]]


def test_preview_surface_is_a_mirrored_scaled_copy():
    import numpy as np

    from drivers.scanner.camera import preview_surface
    gray = np.zeros((48, 64), np.uint8)
    gray[:, :8] = 255                                          # a white band on the left of the frame
    surf = preview_surface(gray, (32, 24))
    assert surf.get_size() == (32, 24)
    assert surf.get_at((31, 12))[0] > 200 and surf.get_at((0, 12))[0] < 50   # shown on the right
