"""Frames without a code: nothing read, nothing raised, and the rescue passes stay out of the way.

Nearly every frame a counter camera takes holds no code, so what matters there is that the
passes are not tried at all where the frame has no texture of modules (a bare counter, a dark
room), and that no frame — noise, blank, tiny, odd — makes the decoder raise.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from drivers.scanner import rescue
from drivers.scanner.decode import DECODERS, Decoder, make_decoder
from kiosk.devtools import phone_qr_set as ps


def counted(decoder: Decoder) -> list[str]:
    """Make the decoder's passes record their names when they run (they still do their work)."""
    calls: list[str] = []

    def wrap(step: rescue.Pass) -> rescue.Pass:
        def prepare(gray: np.ndarray) -> np.ndarray:
            calls.append(step.name)
            return step.prepare(gray)
        return rescue.Pass(step.name, prepare, step.binarizer)
    decoder.rescue = tuple(wrap(s) for s in decoder.rescue)
    return calls


@pytest.fixture(scope="module")
def empties():
    return list(ps.empty_frames(4))


@pytest.mark.parametrize("decoder_name", ["zxing", "zbar"])
def test_frames_without_a_code_read_nothing(empties, decoder_name):
    if not DECODERS[decoder_name].is_usable():
        pytest.skip(f"{decoder_name} not installed")
    decoder = make_decoder(decoder_name)
    for what, gray in empties:
        assert decoder.decode(gray) == [], what
        assert decoder.last_pass is None


def test_a_bare_counter_or_a_dark_frame_does_not_pay_for_the_passes(empties):
    decoder = make_decoder("zxing")
    calls = counted(decoder)
    for what, gray in empties:
        if what in ("counter", "dark"):
            assert rescue.code_area(gray) is None, what
            decoder.decode(gray)
    assert calls == []


def test_a_phone_held_up_opens_the_passes_on_its_screen_only(empties):
    """A lit screen has the texture of its pixels: worth a try, but only there, not on the whole frame."""
    decoder = make_decoder("zxing")
    calls = counted(decoder)
    gray = dict(empties)["blank phone"]
    rows, cols = rescue.code_area(gray) or (slice(0, 0), slice(0, 0))
    assert 0 < (rows.stop - rows.start) * (cols.stop - cols.start) < gray.size / 2
    assert decoder.decode(gray) == [] and calls == list(rescue.CAMERA_PASSES)


def test_the_passes_stop_at_the_first_that_reads():
    decoder = make_decoder("zxing")
    calls = counted(decoder)
    _label, text, gray = ps.set_frame("dim screen", 1, 0)       # read by the first pass
    assert decoder.decode(gray) == [text] and calls == ["threshold"]
    calls.clear()
    _label, text, gray = ps.set_frame("defocus", 0, 0)          # read by the third
    assert decoder.decode(gray) == [text] and calls == ["threshold", "threshold-raw", "sharpen"]


@pytest.mark.parametrize("gray", [
    np.zeros((720, 1280), np.uint8), np.full((720, 1280), 255, np.uint8), np.zeros((0, 0), np.uint8),
    np.zeros((1, 1), np.uint8), np.zeros((5, 4000), np.uint8), np.zeros((720, 1280, 3), np.uint8),
    np.random.default_rng(1).random((300, 200)) * 255,                      # floats, not bytes
    np.asfortranarray(np.random.default_rng(2).integers(0, 256, (480, 640), dtype=np.uint8)),
    np.random.default_rng(3).integers(0, 256, (720, 1280), dtype=np.uint8)[::3, ::2],   # a strided view
], ids=["black", "white", "empty", "one-pixel", "a-line", "colour", "float", "fortran", "strided"])
def test_odd_frames_read_nothing_and_never_raise(gray):
    decoder = make_decoder("zxing")
    assert decoder.decode(gray) == []


@settings(max_examples=40, deadline=None, derandomize=True)
@given(arrays(np.uint8, st.tuples(st.integers(0, 80), st.integers(0, 80))))
def test_any_small_frame_never_raises(gray):
    assert make_decoder("zxing").decode(gray) == []


def test_unknown_pass_names_are_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown decode pass 'blur'.*threshold"):
        make_decoder("zxing", rescue=("threshold", "blur"))
