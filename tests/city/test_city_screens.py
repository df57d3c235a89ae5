"""The city screens driven like a passer-by would, on the real app headless, reading a cache
synchronised from the real reference server: home tile, categories, lists, a place, search
with the keyboard, events, pages, printing, language switch, and a terminal without data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from city_support import SEEDED_AT, seeded_cache
from support import settle_until

from kiosk.clock import ManualClock
from kiosk.devtools.screenshots import SHOT_TIME, STATES
from kiosk.formatting import format_date_long, format_date_short, format_datetime_long, format_day_month
from screens.widgets.icons import Icon

pytestmark = pytest.mark.reference_server

NBSP, NNBSP = "\u00a0", "\u202f"


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ").replace("’", "'")


@pytest.fixture
def city(make_pilot, tmp_path):
    def start(size=(1080, 1920), **kw):
        pilot = make_pilot(size, clock=ManualClock(SEEDED_AT), **kw)
        pilot.app.city_cache = seeded_cache(tmp_path / "cache.sqlite3")
        pilot.tap("feature-city")
        assert pilot.screen.name == "city"
        return pilot
    return start


def test_home_tile_is_on_street_totems_only(make_pilot):
    assert make_pilot().has("feature-city")
    assert not make_pilot(overrides={"terminal.profile": "counter"}).has("feature-city")


def test_without_a_cache_the_screen_says_so(make_pilot):
    pilot = make_pilot()
    pilot.tap("feature-city")
    assert pilot.has("unavailable") and "pas encore disponibles" in pilot.text()
    assert pilot.app.city_guide is None


def test_categories_then_a_list_then_a_place(city):
    pilot = city()
    text = plain(pilot.text())
    assert "Administration 2 lieux" in text and "Autres lieux 1 lieu" in text
    pilot.tap(text="Sport")
    assert pilot.screen.name == "city_list" and pilot.widget("title").text == "Sport"
    rows = [pilot.widget(f"place-{i}") for i in range(8)]
    assert not pilot.has("place-8")
    pool = next(r for r in rows if r.title == "Piscine intercommunale Layon-Loire")
    assert plain(pool.details[0]) == "Fermé · ouvre demain à 14 h" and pool.aside == ("↙", "1,5\u00a0km")
    pilot.tap(pool.id)
    assert pilot.screen.name == "city_place" and pilot.widget("title").text == pool.title
    assert plain(pilot.widget("place-state").text) == "Fermé · ouvre demain à 14 h"
    assert pilot.widget("day-0").highlight and plain(pilot.widget("day-0").left) == "Aujourd'hui"
    assert plain(pilot.widget("day-1").right) == "14 h – 18 h"          # Wednesday, winter hours
    pilot.tap("back")
    assert pilot.screen.name == "city_list"


def test_open_now_and_near_here(city):
    pilot = city()
    pilot.tap("city-open-now")
    assert pilot.widget("place-0").title == "Mairie de Saint-Clément-des-Vignes"
    assert pilot.widget("place-0").aside == ("ici",) and pilot.widget("place-0").aside_icon is Icon.HERE
    pilot.tap("back")
    pilot.tap("city-near")
    assert "800 m" in plain(pilot.widget("list-intro").text)
    pilot.tap("place-0")
    assert pilot.widget("place-direction").text == "Juste ici, à côté de cette borne"
    assert {"place-service-0", "place-phone", "place-wheelchair"} <= {w.id for w in pilot.widgets()}


def test_place_without_coordinates_or_readable_hours(city):
    pilot = city()
    pilot.tap(text="Patrimoine")
    row = pilot.widget("place-0")
    assert row.title == "Lavoir des Lavandières" and row.aside == ()
    pilot.tap("place-0")
    assert not pilot.has("place-direction")
    pilot.tap("back")
    pilot.tap("back")
    pilot.tap(text="Commerce")
    cave = next(w for w in pilot.widgets() if getattr(w, "title", "") == "Cave coopérative des Coteaux")
    assert plain(cave.details[0]) == "Horaires : se renseigner"
    pilot.tap(cave.id)
    assert pilot.has("week-unknown") and plain(pilot.widget("place-state").text) == "Horaires : se renseigner"


def test_exceptional_closure_on_the_place_screen(city):
    pilot = city()
    pilot.clock.set_now(SEEDED_AT + timedelta(days=3))                 # the Friday, 9 h 30
    pilot.tap(text="Culture")
    pilot.tap(text="Médiathèque Louise-Bodin")
    assert pilot.widget("place-state").text == "Fermé exceptionnellement"
    reopens = format_day_month(SEEDED_AT.date() + timedelta(days=10), "fr")         # the Friday after
    assert plain(pilot.widget("place-reopening").text) == f"Inventaire annuel · ouvre le {reopens} à 15 h"
    assert pilot.has("day-0-note") and not pilot.has("day-1-note")      # the reason is said once
    seeded_day = format_date_long(SEEDED_AT.date(), "fr")
    assert f"Informations du {seeded_day}" in plain(pilot.text())   # 3 days without an update


def test_search_as_you_type_with_the_keyboard(city):
    pilot = city()
    pilot.tap("city-search")
    assert pilot.has("results-hint")
    pilot.type("médiat")
    assert pilot.widget("result-place-0").title == "Médiathèque Louise-Bodin"
    for _ in range(6):
        pilot.tap("key-backspace")
    pilot.type("pasreport")                                           # one typo
    assert pilot.widget("result-service-0").title == "Passeport" and not pilot.has("result-place-0")
    pilot.tap("result-service-0")
    assert pilot.screen.name == "city_service" and "Photo d'identité de moins de 6 mois" in pilot.text()
    pilot.tap("service-place")
    assert pilot.widget("title").text == "Mairie de Saint-Clément-des-Vignes"


def test_search_without_result_and_with_fts_syntax(city):
    pilot = city()
    pilot.tap("city-search")
    pilot.type("zyx-'+/")
    assert pilot.has("results-none") and "zyx" in pilot.widget("results-none").text
    assert not pilot.app.errors


def test_search_text_survives_a_language_switch(city):
    pilot = city()
    pilot.tap("city-search")
    pilot.type("urgence")
    assert pilot.widget("results-pages").text == "Pages pratiques" or pilot.has("result-page-0")
    pilot.tap("language")
    assert pilot.widget("query").value == "urgence" and pilot.widget("results-pages").text == "Practical information"
    pilot.tap("result-page-0")
    assert pilot.widget("title").text == "Numéros d'urgence" and "SAMU : 15" in pilot.text()


def test_events_and_pages(city):
    pilot = city()
    pilot.tap("city-events")
    titles = [pilot.widget(f"event-{i}").title for i in range(4)]
    assert titles == ["Conseil municipal", "Heure du conte", "Collecte de sang",
                      "Atelier numérique : démarches en ligne"]
    assert not pilot.has("event-4")                                    # the past one is hidden, later ones too far
    pilot.tap("event-1")                                                # the event's own page, not its venue
    assert pilot.screen.name == "city_event" and pilot.widget("title").text == "Heure du conte"
    event = pilot.app.guide().event(pilot.screen.event_id)
    when = plain(pilot.widget("event-when").text)
    assert plain(format_date_long(event.start.date(), "fr")) in when and " de " in when and " à " in when
    assert pilot.has("event-description") and pilot.widget("event-place").title == "Médiathèque Louise-Bodin"
    pilot.tap("event-place")
    assert pilot.screen.name == "city_place" and pilot.widget("title").text == "Médiathèque Louise-Bodin"
    pilot.tap("back")
    assert pilot.screen.name == "city_event"
    pilot.tap("home")
    pilot.tap("feature-city")
    pilot.tap("city-pages")
    pilot.tap(text="Le mot du maire")                                   # text/x-spip: shown as text
    assert pilot.widget("block-0").text == "{{Chères Clémentaises, chers Clémentais,}}"
    pilot.tap("back")
    pilot.tap(text="Horaires de la mairie")
    assert plain(pilot.widget("block-0").text) == "Lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h"


def test_print_a_place(city):
    pilot = city()
    pilot.tap("city-near")
    pilot.tap("place-0")
    printer = pilot.app.devices.printer
    settle_until(pilot, lambda: pilot.app.devices.can_print and pilot.has("place-print"), 10.0, every=0.02)
    before = len(printer.backend.received)
    pilot.tap("place-print")
    settle_until(pilot, lambda: "Votre ticket est imprimé" in pilot.text(), 10.0, every=0.02)
    sent = bytes(printer.backend.received[before:])
    # the large title, broken after a hyphen
    assert b"Mairie de Saint-\nCl\xe9ment-des-Vignes" in sent and b"1 place de la Mairie" in sent
    assert b"openstreetmap.org/?mlat=47.407800&mlon=-0.760300" in sent
    assert "Aujourd’hui".encode("cp1252") in sent


def test_print_an_event(city):
    pilot = city()
    pilot.tap("city-events")
    pilot.tap("event-1")
    printer = pilot.app.devices.printer
    settle_until(pilot, lambda: pilot.app.devices.can_print and pilot.has("event-print"), 10.0, every=0.02)
    before = len(printer.backend.received)
    pilot.tap("event-print")
    settle_until(pilot, lambda: "Votre ticket est imprimé" in pilot.text(), 10.0, every=0.02)
    sent = bytes(printer.backend.received[before:])
    assert b"Heure du conte" in sent and "Médiathèque Louise-Bodin".encode("cp1252") in sent
    assert b"openstreetmap.org/?mlat=" in sent


def test_event_ticket_and_when_in_words(tmp_path):
    from conftest import REPO

    from kiosk import i18n
    from kiosk.city.agenda import event_when_long
    from kiosk.city.guide import CityGuide
    from kiosk.city.ticket import event_ticket
    from kiosk.config import load_config

    guide = CityGuide.open(seeded_cache(tmp_path / "cache.sqlite3"), load_config(REPO / "kiosk.toml"),
                           ManualClock(SEEDED_AT))
    try:
        event = next(e for e in guide.events() if e.title == "Heure du conte")
        assert guide.event(event.id) == event and guide.event("ev-unknown") is None
        day = plain(format_date_long(event.start.date(), "fr"))
        assert plain(event_when_long(event)).startswith(f"{day}, de ")
        text = plain(event_ticket(event, guide.place(event.place_id), SEEDED_AT, "X").plain_text())
        assert text.splitlines()[:2] == ["Heure du conte", plain(event_when_long(event))]
        assert "Médiathèque Louise-Bodin" in text and event.description.split()[0] in text
        assert "Imprimé le" in text
        gone = plain(event_ticket(event, None, SEEDED_AT, "X").plain_text())
        assert "openstreetmap" not in gone and "Médiathèque Louise-Bodin" in gone    # the name kept
        i18n.set_language("en")
        assert ", from " in event_when_long(event) and " to " in event_when_long(event)
    finally:
        i18n.set_language("fr")
        guide.close()


def test_services_of_a_place_open_the_service(city):
    pilot = city()
    pilot.tap("city-near")
    pilot.tap("place-0")
    row = pilot.widget("place-service-0")
    assert row.on_tap is not None
    title = row.title
    pilot.tap("place-service-0")
    assert pilot.screen.name == "city_service" and pilot.widget("title").text == title


def test_done_on_the_search_keyboard_puts_it_away_to_show_the_results(city):
    pilot = city()
    pilot.tap("city-search")
    pilot.tap("key-enter")                                               # nothing typed: says so, keys stay
    assert pilot.has("key-a") and pilot.widget("query").error
    pilot.type("mairie")
    first = pilot.widget("result-place-0")
    pilot.tap("key-enter")
    assert not pilot.has("key-a") and pilot.has("search-edit")
    view = pilot.screen.content.rect
    first = pilot.widget("result-place-0")
    assert view.top <= first.rect.top and first.rect.bottom <= view.bottom      # seen without scrolling
    pilot.tap("result-place-0")
    assert pilot.screen.name == "city_place"
    pilot.tap("back")
    assert not pilot.has("key-a")                                         # as it was left
    pilot.tap("search-edit")
    assert pilot.has("key-a") and pilot.widget("query").value == "mairie"
    pilot.tap("key-enter")
    pilot.tap("query")                                                     # touching the field brings them back
    assert pilot.has("key-a")


def test_no_print_button_without_a_printer(make_pilot, tmp_path):
    pilot = make_pilot(demo=False, overrides={"printer.type": "none"}, clock=ManualClock(SEEDED_AT))
    pilot.app.city_cache = seeded_cache(tmp_path / "cache.sqlite3")
    pilot.tap("feature-city")
    pilot.tap("city-near")
    pilot.tap("place-0")
    assert not pilot.has("place-print") and pilot.has("week-title")


def test_every_city_state_of_the_gallery_is_reachable(make_pilot):
    """At the gallery's own instant (SHOT_TIME), as ``kiosk screenshots`` renders them."""
    for screen, states in STATES.items():
        if not screen.startswith("city"):
            continue
        for name, reach in states.items():
            pilot = make_pilot(clock=ManualClock(SHOT_TIME))
            reach(pilot)
            assert pilot.screen.name == screen, (screen, name)


def test_a_damaged_cache_is_reported_and_the_kiosk_goes_on(make_pilot, tmp_path, caplog):
    damaged = tmp_path / "cache.sqlite3"
    damaged.write_bytes(b"this is not a SQLite database" * 100)
    pilot = make_pilot()
    pilot.app.city_cache = damaged
    pilot.tap("feature-city")
    assert pilot.has("unavailable") and pilot.app.city_guide is None
    assert any("city information unavailable" in r.getMessage() and "damaged" in r.getMessage()
               for r in caplog.records)
    pilot.tap("home")
    assert pilot.screen.name == "home"


def test_place_ticket_in_both_languages(tmp_path):
    from conftest import REPO

    from kiosk import i18n
    from kiosk.city.guide import CityGuide
    from kiosk.city.ticket import map_link, place_ticket
    from kiosk.config import load_config

    assert map_link(47.4078, -0.7603) == ("https://www.openstreetmap.org/?mlat=47.407800&mlon=-0.760300"
                                         "#map=18/47.407800/-0.760300")
    guide = CityGuide.open(seeded_cache(tmp_path / "cache.sqlite3"), load_config(REPO / "kiosk.toml"),
                           ManualClock(SEEDED_AT))
    try:
        media = guide.place("pl-mediatheque")
        text = plain(place_ticket(media, SEEDED_AT, "Saint-Clément-des-Vignes").plain_text())
        assert text.splitlines()[:3] == ["Médiathèque Louise-Bodin",
                                         "5 place de l'Église, 49170 Saint-Clément-des-Vignes",
                                         "Téléphone : 02 41 39 52 40"]
        friday = plain(format_date_short(SEEDED_AT.date() + timedelta(days=3), "fr"))
        assert "Aujourd'hui : 15 h – 18 h 30" in text
        assert f"{friday} : Fermé exceptionnellement (Inventaire annuel)" in text
        assert map_link(media.latitude, media.longitude) in text
        printed = plain(format_datetime_long(SEEDED_AT, "fr"))
        assert f"Imprimé le {printed} — Saint-Clément-des-Vignes" in text
        i18n.set_language("en")
        english = plain(place_ticket(media, SEEDED_AT, "Saint-Clément-des-Vignes").plain_text())
        assert "Today: 3:00 pm – 6:30 pm" in english and "Telephone: 02 41 39 52 40" in english
        lavoir = plain(place_ticket(guide.place("pl-lavoir"), SEEDED_AT, "X").plain_text())
        assert "openstreetmap" not in lavoir                                   # no coordinates, no map
        assert "Opening hours" not in lavoir and "Open all day" in lavoir    # 24/7
    finally:
        i18n.set_language("fr")
        guide.close()


def test_kiosk_run_demo_shows_the_town_it_synchronised(make_pilot):
    """`kiosk run --demo`: the embedded reference server, enrolment, a real sync, then « Ma ville »."""
    from kiosk.data_layer import DataLayer

    pilot = make_pilot(data=DataLayer.demo)
    settle_until(pilot, lambda: pilot.app.sync_status.get("last_success") is not None, 60, every=0.02)
    pilot.tap("feature-city")
    assert "Administration 2 lieux" in plain(pilot.text())
    pilot.tap(text="Administration")
    pilot.tap("place-0")
    assert pilot.widget("title").text == "Mairie de Saint-Clément-des-Vignes"
    run_dir = pilot.app.data.run_dir
    pilot.app.stop()
    assert pilot.app.city_guide is None and not run_dir.exists()
