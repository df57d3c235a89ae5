"""Moving between screens with the footer, the language switch and results."""

from __future__ import annotations

from tests.conftest import LANDSCAPE


def test_home_shows_the_features_of_the_profile(make_pilot):
    demo = make_pilot()
    assert demo.screen.name == "home"
    assert demo.has("feature-toolkit")          # demo-only practice tile
    assert demo.widget("title").text == "Bienvenue"
    assert not demo.widget("home").enabled and not demo.widget("back").enabled


def test_home_tiles_keep_their_order(make_pilot):
    """The shell's list decides the order (it used to follow whichever screen module was imported
    first): booking, tracking, city information, then the demo's practice tile, in reading order."""
    demo = make_pilot()
    ids = ["feature-booking", "feature-tracking", "feature-city", "feature-toolkit"]
    spots = [(demo.widget(i).rect.top, demo.widget(i).rect.left) for i in ids]
    assert spots == sorted(spots)


def test_production_home_shows_only_real_features(make_pilot):
    prod = make_pilot(demo=False)
    assert not prod.has("feature-toolkit") and prod.has("feature-tracking")


def test_without_features_home_says_so_plainly(make_pilot, monkeypatch):
    monkeypatch.setattr("kiosk.shell.features.features_for", lambda profile, demo: [])   # a terminal with none enabled
    prod = make_pilot(demo=False)
    assert "Aucun service n’est encore disponible" in prod.text()
    assert "1 place de la Mairie" in prod.text()


def test_footer_back_home_help_and_accessibility(pilot):
    pilot.tap("feature-toolkit")
    assert pilot.screen.name == "toolkit"
    pilot.tap("help")
    assert pilot.screen.name == "help"
    pilot.tap("help")                       # already there: no second copy
    assert [s.name for s in pilot.app.nav.stack] == ["home", "toolkit", "help"]
    pilot.tap("back")
    assert pilot.screen.name == "toolkit"
    pilot.tap("accessibility")
    assert pilot.screen.name == "accessibility"
    pilot.tap("home")
    assert [s.name for s in pilot.app.nav.stack] == ["home"]


def test_going_home_with_typed_data_asks_then_erases(pilot):
    pilot.tap("feature-toolkit")
    pilot.type("Dupont")
    pilot.tap("home")
    assert pilot.has("dialog") and pilot.screen.name == "toolkit"
    pilot.tap("stay")
    assert not pilot.has("dialog")
    assert pilot.app.visit.fields["demo_name"] == "Dupont"
    pilot.tap("home")
    pilot.tap("confirm-home")
    assert pilot.screen.name == "home"
    assert pilot.app.visit.fields == {}


def test_the_leave_question_stays_through_a_rebuild_of_the_screen_under_it(pilot):
    """« Accueil » asked « Effacer ? » just as the ticket came out (a print result rebuilds the
    screen): the question is the shell's and stays until answered."""
    pilot.tap("feature-toolkit")
    pilot.type("Dupont")
    pilot.tap("home")
    pilot.screen.rebuild()
    pilot.settle()
    assert pilot.has("dialog") and pilot.has("confirm-home")
    pilot.tap("confirm-home")
    assert pilot.screen.name == "home" and pilot.app.visit.fields == {}


def test_language_switch_keeps_the_screen_and_what_was_typed(pilot):
    pilot.tap("feature-toolkit")
    pilot.tap("tab-keypad")
    pilot.type("0612")
    assert pilot.widget("title").text == "Essayer l’écran tactile"
    assert pilot.widget("language").label == "English"
    pilot.tap("language")
    assert pilot.screen.name == "toolkit"
    assert pilot.screen.mode == "keypad"
    assert pilot.widget("title").text == "Try the touch screen"
    assert pilot.widget("number").value == "0612"
    assert pilot.widget("language").label == "Français"
    assert "Home" in pilot.text() and "Accueil" not in pilot.text()
    pilot.tap("language")
    assert pilot.widget("title").text == "Essayer l’écran tactile"


def test_header_shows_town_date_time_and_network_state(pilot):
    from kiosk import events

    header = pilot.text()
    assert "Saint-Clément-des-Vignes" in header
    assert "mar. 1er déc. · 9\u00a0h\u00a030" in header
    assert not pilot.has("header-network")   # unknown until the sync worker says
    events.NetworkStatus(online=False).post()
    pilot.settle()
    assert pilot.widget("header-network").text == "Hors ligne"
    events.NetworkStatus(online=True).post()
    pilot.settle()
    assert pilot.widget("header-network").text == "En ligne"
    pilot.advance(60)
    assert "9\u00a0h\u00a031" in pilot.widget("header-clock").text


def test_accessibility_settings_apply_at_once_and_keep_the_screen(pilot):
    pilot.tap("accessibility")
    before = pilot.widget("title").rect.height
    pilot.tap("toggle-large_text")
    assert pilot.screen.name == "accessibility"
    assert pilot.app.ui.large_text
    assert pilot.widget("title").rect.height > before
    assert pilot.widget("toggle-large_text").selected
    assert "activé" in pilot.widget("toggle-large_text").label
    pilot.tap("toggle-high_contrast")
    assert pilot.app.ui.theme.name == "high_contrast"
    pilot.tap("toggle-high_contrast")
    assert pilot.app.ui.theme.name == "normal"


def test_out_of_service_event_blocks_and_back_in_service_returns_home(pilot):
    from kiosk import events

    pilot.tap("feature-toolkit")
    pilot.type("Martin")
    events.ServiceState(in_service=False, reason="no data yet").post()
    pilot.settle()
    assert pilot.screen.name == "out_of_service"
    assert not pilot.has("footer")
    assert pilot.app.visit.fields == {}
    pilot.advance(600, step=10)               # no idle warning on this screen
    assert pilot.screen.name == "out_of_service"
    events.ServiceState(in_service=True, reason="").post()
    pilot.settle()
    assert pilot.screen.name == "home"


def test_screens_return_results_to_who_opened_them(pilot):
    from screens.shell.help import HelpScreen

    results = []
    pilot.app.nav.push(HelpScreen(pilot.app), on_result=results.append)
    pilot.settle()
    pilot.screen.dismiss("seen")
    pilot.settle()
    assert results == ["seen"] and pilot.screen.name == "home"


def test_landscape_home_uses_three_columns_of_tiles(make_pilot):
    pilot = make_pilot(LANDSCAPE)
    assert pilot.app.display.logical == (1920, 1080)
    assert pilot.widget("feature-toolkit").rect.width < 1920 / 2


def test_a_screen_shown_again_has_the_current_time_and_network_state(pilot):
    from kiosk import events

    pilot.tap("help")
    pilot.advance(120)
    pilot.tap_at((540, 700))                    # keep the visit alive
    events.NetworkStatus(online=True).post()
    pilot.settle()
    pilot.tap("back")
    assert pilot.screen.name == "home"
    assert pilot.widget("header-clock").text.endswith("9\u00a0h\u00a032")
    assert pilot.widget("header-network").text == "En ligne"


def test_header_badges_stay_on_one_line(pilot):
    from kiosk import events

    events.NetworkStatus(online=True).post()
    pilot.settle()
    badge = pilot.widget("header-network")
    assert len(badge.text_items(pilot.app.ui)) == 1
