"""Hidden admin entry: five taps in the corner within 3 s, a PIN, a lockout."""

from __future__ import annotations

CORNER = (30, 30)


def _corner_taps(pilot, n, every_s=0.3):
    for _ in range(n):
        pilot.tap_at(CORNER)
        pilot.advance(every_s)


def test_five_quick_corner_taps_open_the_pin_keypad(pilot):
    _corner_taps(pilot, 4)
    assert pilot.screen.name == "home"
    _corner_taps(pilot, 1)
    assert pilot.screen.name == "admin_pin"
    assert pilot.widget("pin").masked


def test_slow_or_off_corner_taps_do_nothing(pilot):
    _corner_taps(pilot, 6, every_s=0.8)        # 5 taps span 3.2 s
    assert pilot.screen.name == "home"
    for _ in range(5):
        pilot.tap_at((300, 30))                 # not the corner
    assert pilot.screen.name == "home"


def test_right_pin_opens_the_admin_screen_with_the_terminal_facts(pilot):
    _corner_taps(pilot, 5)
    pilot.type("1234")
    assert pilot.widget("pin").visible_text().startswith("Code technicien ••••")
    pilot.tap("key-enter")
    assert pilot.screen.name == "admin"
    text = pilot.text()
    for fact in ("0.1.0", "demo-totem-01", "borne de rue", "kiosk.toml", "1080×1920"):
        assert fact in text
    # no data layer here: no central API is used, so none is named (not the configured, unused one)
    assert "API centrale\u00a0: aucune dans ce mode" in text and "8765" not in text
    assert "admin_pin" not in pilot.app.visit.fields


def test_five_wrong_pins_lock_the_keypad_for_five_minutes(pilot):
    _corner_taps(pilot, 5)
    for left in (4, 3, 2, 1):
        pilot.type("9999")
        pilot.tap("key-enter")
        assert f"Il reste {left} essai" in pilot.widget("pin-status").text
    pilot.type("9999")
    pilot.tap("key-enter")
    assert "Trop d’essais. Réessayez dans 5 minutes." in pilot.text()
    assert not pilot.widget("key-1").enabled and not pilot.widget("key-enter").enabled
    pilot.tap("key-1")                          # disabled: nothing typed
    assert pilot.widget("pin").value == ""
    # The right PIN does not help while locked.
    assert pilot.app.pin_guard.try_pin("1234") == "locked"
    # Leaving (here: the idle reset) and coming back does not lift the lock.
    pilot.advance(240, step=5)
    assert pilot.screen.name == "home" and pilot.app.idle.dimmed
    pilot.tap_at((540, 300))                     # wakes the dimmed screen, nothing else
    _corner_taps(pilot, 5)
    assert "Réessayez dans 1 minute." in pilot.text()
    assert not pilot.widget("key-1").enabled
    pilot.advance(40, step=5)
    pilot.tap_at((540, 300))                     # stay active
    pilot.advance(20, step=5)
    assert pilot.widget("key-1").enabled
    assert pilot.widget("pin-status").text == ""
    pilot.type("1234")
    pilot.tap("key-enter")
    assert pilot.screen.name == "admin"


def test_quit_to_maintenance_asks_then_stops_the_loop(pilot):
    _corner_taps(pilot, 5)
    pilot.type("1234")
    pilot.tap("key-enter")
    pilot.app.running = True
    pilot.tap("quit")
    pilot.tap("cancel")
    assert pilot.app.running
    pilot.tap("quit")
    pilot.tap("confirm-quit")
    assert not pilot.app.running and pilot.app.exit_code == 0


def test_technician_can_put_the_terminal_out_of_service_and_back(pilot):
    _corner_taps(pilot, 5)
    pilot.type("1234")
    pilot.tap("key-enter")
    pilot.tap("toggle-service")
    assert pilot.screen.name == "out_of_service"
    _corner_taps(pilot, 5)                      # the corner still works out of service
    pilot.type("1234")
    pilot.tap("key-enter")
    assert "Remettre en service" in pilot.widget("toggle-service").label
    pilot.tap("toggle-service")
    assert pilot.screen.name == "home"
