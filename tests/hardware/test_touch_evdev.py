"""The evdev touch decoder and transform: synthetic protocol B and single-touch streams.

Each test feeds ``evdev.InputEvent`` sequences, as the kernel would send them, and checks
the finger events the app would receive (panel-normalised, with their finger ids).
"""

from __future__ import annotations

import pytest
from evdev import AbsInfo
from evdev import ecodes as e
from support import ev, syn

from drivers.touch.decode import Finger, TouchDecoder
from drivers.touch.transform import Axes, Calibration
from kiosk.shell.display import Display

MT = Axes((0, 1000), (0, 2000), (0, 200), multitouch=True)
ST = Axes((0, 1000), (0, 2000))


def slot(n):
    return ev(e.EV_ABS, e.ABS_MT_SLOT, n)


def tid(n):
    return ev(e.EV_ABS, e.ABS_MT_TRACKING_ID, n)


def mx(v):
    return ev(e.EV_ABS, e.ABS_MT_POSITION_X, v)


def my(v):
    return ev(e.EV_ABS, e.ABS_MT_POSITION_Y, v)


def sx(v):
    return ev(e.EV_ABS, e.ABS_X, v)


def sy(v):
    return ev(e.EV_ABS, e.ABS_Y, v)


def btn(v):
    return ev(e.EV_KEY, e.BTN_TOUCH, v)


def kinds(fingers):
    return [(f.kind, f.finger_id) for f in fingers]


def test_protocol_b_two_fingers_keep_their_own_finger_ids():
    d = TouchDecoder(MT)
    out = d.feed_all([slot(0), tid(10), mx(250), my(500), ev(e.EV_ABS, e.ABS_MT_PRESSURE, 100),
                      btn(1), sx(250), sy(500), syn()])        # BTN_TOUCH/ABS_X emulation ignored
    assert out == [Finger("down", 10, 0.25, 0.25, pressure=0.5)]
    out = d.feed_all([mx(300), slot(1), tid(11), mx(750), my(1500), syn()])
    assert kinds(out) == [("move", 10), ("down", 11)]
    assert (out[0].x, out[0].y) == (0.3, 0.25) and out[0].dx == pytest.approx(0.05) and out[0].dy == 0
    assert (out[1].x, out[1].y) == (0.75, 0.75)
    out = d.feed_all([my(1600), slot(0), my(600), syn()])      # slot 1 still current for the first event
    assert kinds(out) == [("move", 10), ("move", 11)]
    assert out[0].y == pytest.approx(0.3) and out[1].y == pytest.approx(0.8)
    assert d.feed_all([slot(1), tid(-1), syn()]) == [Finger("up", 11, 0.75, 0.8, pressure=0.0)]
    out = d.feed_all([slot(0), mx(310), syn()])
    assert kinds(out) == [("move", 10)]
    assert kinds(d.feed_all([tid(-1), syn()])) == [("up", 10)]
    assert d.active == {}


def test_a_new_contact_reusing_a_slot_keeps_the_values_the_kernel_does_not_resend():
    d = TouchDecoder(MT)
    d.feed_all([tid(1), mx(100), my(200), syn(), tid(-1), syn()])
    out = d.feed_all([tid(2), my(400), syn()])                 # same X: not sent again
    assert out == [Finger("down", 2, 0.1, 0.2, pressure=1.0)]


def test_a_new_tracking_id_without_a_lift_ends_the_old_contact():
    d = TouchDecoder(MT)
    d.feed_all([tid(1), mx(100), my(200), syn()])
    out = d.feed_all([tid(2), mx(500), syn()])
    assert kinds(out) == [("up", 1), ("down", 2)]
    assert (out[0].x, out[1].x) == (0.1, 0.5)


def test_contacts_down_before_the_device_was_opened_are_ignored():
    d = TouchDecoder(MT, current_slot=3)
    assert d.feed_all([mx(100), syn(), tid(-1), syn()]) == []
    assert kinds(d.feed_all([tid(7), syn()])) == [("down", 7)]
    assert 3 in d.slots


def test_single_touch_down_move_up():
    d = TouchDecoder(ST)
    out = d.feed_all([btn(1), sx(100), sy(1000), syn()])
    assert out == [Finger("down", 0, 0.1, 0.5)]
    out = d.feed_all([sx(200), syn(), sy(1100), syn()])
    assert kinds(out) == [("move", 0), ("move", 0)]
    assert out[0].dx == pytest.approx(0.1) and out[1].dy == pytest.approx(0.05)
    out = d.feed_all([btn(0), syn()])
    assert out == [Finger("up", 0, 0.2, 0.55, pressure=0.0)]


def test_a_resistive_tap_with_no_motion_and_a_tap_inside_one_frame():
    d = TouchDecoder(ST)
    assert kinds(d.feed_all([btn(1), sx(400), sy(800), syn(), btn(0), syn()])) == [("down", 0), ("up", 0)]
    out = d.feed_all([btn(1), sx(600), btn(0), syn()])
    assert out == [Finger("down", 0, 0.6, 0.4), Finger("up", 0, 0.6, 0.4, pressure=0.0)]
    assert d.feed_all([sx(700), syn()]) == []                  # hovering / noise while not touching


@pytest.mark.parametrize("rotation, expected", [(0, (0.1, 0.2)), (90, (0.8, 0.1)), (180, (0.9, 0.8)),
                                                (270, (0.2, 0.9))])
def test_rotation_turns_the_touch_clockwise(rotation, expected):
    d = TouchDecoder(ST, Calibration.of(rotation))
    out = d.feed_all([btn(1), sx(100), sy(400), syn()])
    assert (out[0].x, out[0].y) == pytest.approx(expected)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_an_upright_sensor_needs_the_display_rotation(rotation):
    """A sensor reporting upright (logical) coordinates lands where the display shows that point."""
    d = Display((1920, 1080) if rotation in (90, 270) else (1080, 1920), rotation)
    d.physical = d.requested
    d.logical = (1080, 1920)
    axes = Axes((0, 1079), (0, 1919))
    for logical in [(0, 0), (1079, 1919), (300, 1500), (900, 100)]:
        dec = TouchDecoder(axes, Calibration.of(rotation))
        f = dec.feed_all([btn(1), sx(logical[0]), sy(logical[1]), syn()])[0]
        w, h = d.physical
        px, py = d.to_physical(*logical)
        assert abs(f.x * (w - 1) - px) < 0.51 and abs(f.y * (h - 1) - py) < 0.51
        assert d.to_logical(round(f.x * (w - 1)), round(f.y * (h - 1))) == logical


def test_calibration_matrix_in_libinput_convention():
    cal = Calibration.of(matrix=[1.1, 0, -0.05, 0, 0.9, 0.05])
    assert cal.apply(0.5, 0.5) == pytest.approx((0.5, 0.5))
    assert cal.apply(0.1, 0.2) == pytest.approx((0.06, 0.23))
    d = TouchDecoder(MT, cal)
    assert (lambda f: (f.x, f.y))(d.feed_all([tid(1), mx(100), my(400), syn()])[0]) == pytest.approx((0.06, 0.23))
    # The matrix applies after the rotation: a swap matrix on a 90° rotation.
    both = Calibration.of(90, [0, 1, 0, 1, 0, 0])
    assert both.apply(0.1, 0.2) == pytest.approx((0.1, 0.8))


def test_swap_and_invert_flags_come_before_the_rotation():
    assert Calibration.of(swap_xy=True).apply(0.1, 0.2) == pytest.approx((0.2, 0.1))
    assert Calibration.of(invert_x=True).apply(0.1, 0.2) == pytest.approx((0.9, 0.2))
    assert Calibration.of(invert_y=True).apply(0.1, 0.2) == pytest.approx((0.1, 0.8))
    assert Calibration.of(90, swap_xy=True, invert_x=True).apply(0.1, 0.2) == pytest.approx((0.9, 0.8))


def test_out_of_range_values_are_clamped_to_the_panel():
    d = TouchDecoder(MT, Calibration.of(matrix=[1.2, 0, 0, 0, 1, -0.2]))
    f = d.feed_all([tid(1), mx(-50), my(2600), syn()])[0]
    assert (f.x, f.y) == (0.0, 1.0)
    f = d.feed_all([mx(1200), my(100), syn()])[0]
    assert (f.x, f.y) == (1.0, 0.0) and f.dx == 1.0 and f.dy == -1.0
    assert TouchDecoder(MT).feed_all([tid(1), ev(e.EV_ABS, e.ABS_MT_PRESSURE, 999), syn()])[0].pressure == 1.0


def test_syn_dropped_drops_until_the_next_report_and_releases_the_fingers():
    d = TouchDecoder(MT)
    d.feed_all([tid(1), mx(100), my(200), syn(), slot(1), tid(2), mx(500), my(500), syn()])
    assert set(d.active) == {1, 2}
    out = d.feed_all([ev(e.EV_SYN, e.SYN_DROPPED, 0), slot(0), tid(-1), tid(3), mx(900)])
    assert out == []                                           # nothing while dropping
    out = d.feed(syn())                                        # the end of the drop
    assert out == [Finger("up", 1, 0.1, 0.1, pressure=0.0), Finger("up", 2, 0.5, 0.25, pressure=0.0)]
    assert d.active == {}
    assert d.feed_all([my(1000), syn(), tid(-1), syn()]) == []  # the contacts cut by the drop stay ignored
    out = d.feed_all([slot(0), tid(4), mx(300), my(300), syn()])
    assert out == [Finger("down", 4, 0.3, 0.15, pressure=1.0)]


def test_syn_dropped_on_a_single_touch_panel():
    d = TouchDecoder(ST)
    d.feed_all([btn(1), sx(100), sy(200), syn()])
    assert d.feed_all([ev(e.EV_SYN, e.SYN_DROPPED, 0), btn(0), btn(1), syn()]) == [
        Finger("up", 0, 0.1, 0.1, pressure=0.0)]
    assert d.feed_all([sx(300), syn(), btn(0), syn()]) == []
    assert kinds(d.feed_all([btn(1), syn()])) == [("down", 0)]


def test_axes_from_absinfo():
    def info(lo, hi):
        return AbsInfo(0, lo, hi, 0, 0, 0)

    mt = Axes.from_absinfo({e.ABS_X: info(0, 4095), e.ABS_Y: info(0, 4095), e.ABS_MT_SLOT: info(0, 9),
                            e.ABS_MT_POSITION_X: info(0, 1279), e.ABS_MT_POSITION_Y: info(0, 799),
                            e.ABS_MT_PRESSURE: info(0, 255)})
    assert mt == Axes((0, 1279), (0, 799), (0, 255), True)
    protocol_a = Axes.from_absinfo({e.ABS_X: info(200, 3900), e.ABS_Y: info(150, 3950),
                                    e.ABS_MT_POSITION_X: info(0, 4095), e.ABS_MT_POSITION_Y: info(0, 4095)})
    assert protocol_a == Axes((200, 3900), (150, 3950), None, False)
    with pytest.raises(ValueError):
        Axes.from_absinfo({e.ABS_WHEEL: info(0, 10)})
    with pytest.raises(ValueError):
        Calibration.of(45)
    with pytest.raises(ValueError):
        Calibration.of(matrix=[1, 0, 0, 0, 1])


def test_pressure_is_normalised_and_defaults_to_full():
    assert MT.pressure_of(50) == 0.25 and MT.pressure_of(None) == 1.0 and ST.pressure_of(10) == 1.0


@pytest.mark.parametrize("acts_at, rotation", [((1, 0), 270), ((1, 1), 180), ((0, 1), 90)])
def test_the_corner_rule_documented_in_kiosk_toml(acts_at, rotation):
    """kiosk.toml: touch the top-left corner; if it acts at the top-right use 270, bottom-right 180,
    bottom-left 90."""
    assert Calibration.of(rotation).apply(*acts_at) == (0.0, 0.0)
