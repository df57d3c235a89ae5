"""Issue 14, defect 12: in English the catalog's services are in the town's English where it gives
it, else in French with one note saying so; a catalog from before translations still syncs."""

from __future__ import annotations

import pytest
from booking_town import START, said
from fault_servers import FaultProxy

from kiosk.api.client import ApiClient
from kiosk.catalog_text import service_text
from kiosk.demo_api import seed_data
from kiosk.sync.pull import Puller, PullReport
from offline_cache.db import open_cache
from offline_cache.places import services

pytestmark = pytest.mark.reference_server

NOTE = "This information is given by the town in French only."


def _english(town, make_pilot, size=(1080, 1920)):
    return town.pilot(make_pilot, size, **{"languages.default": "en"})


def _open_domain(pilot, label: str) -> None:
    grid = pilot.widget("domains")
    index = next(i for i, tile in enumerate(grid.items) if tile.label == label)
    pilot.tap(f"domain-{index}")


def test_english_visit_shows_the_towns_english_service_names(town, make_pilot):
    pilot = _english(town, make_pilot)
    pilot.tap("feature-booking")
    domains = [tile.label for tile in pilot.widget("domains").items]
    assert "Civil status" in domains and "État civil" not in domains      # the kiosk's own words
    assert not pilot.has("french-only")                                    # every domain is translated
    _open_domain(pilot, "Civil status")
    assert pilot.widget("domain-title").visible_text() == "Civil status"
    names = [tile.label for tile in pilot.widget("services").items]
    assert names == ["Marriage or civil partnership (PACS) file", "National identity card", "Passport"]
    assert not pilot.has("french-only")                                    # all three are the town's English
    pilot.tap("service-svc-cni")
    assert pilot.widget("service-name").visible_text() == "National identity card"
    assert "pre-application on the ANTS website" in said(pilot)
    # the documents to bring are the town's French only: the screen says so, once
    assert said(pilot).count(NOTE) == 1 and "Numéro de pré-demande ANTS" in said(pilot)
    assert pilot.widget("documents").find("french-only") is not None     # beside them, not the English text


def test_a_service_without_english_is_shown_in_french_with_the_note_once(town, make_pilot):
    untranslated = next(s for s in seed_data.SERVICES if "translations" not in s)
    pilot = _english(town, make_pilot)
    pilot.tap("feature-booking")
    _open_domain(pilot, "Permits and regulations")
    assert [tile.label for tile in pilot.widget("services").items] == [untranslated["name"]]
    assert said(pilot).count(NOTE) == 1
    # searching in English finds translated services by their English name
    pilot.tap("all-domains")
    pilot.tap("search")
    pilot.type("identity")
    assert [tile.label for tile in pilot.widget("services").items] == ["National identity card"]
    assert not pilot.has("french-only")


def test_the_same_screens_in_french_show_no_note(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.tap("feature-city")
    assert not pilot.has("french-only")
    pilot.tap("home")
    pilot.tap("feature-booking")
    _open_domain(pilot, "Réglementation")
    assert not pilot.has("french-only") and NOTE not in said(pilot)
    pilot.tap("all-domains")
    _open_domain(pilot, "État civil")
    assert "Carte nationale d'identité" in [tile.label for tile in pilot.widget("services").items]


def test_city_service_page_in_english_landscape(town, make_pilot):
    pilot = _english(town, make_pilot, (1920, 1080))
    pilot.tap("feature-city")
    # the places' categories are the town's French words (the contract has no translation for them)
    assert pilot.has("french-only") and said(pilot).count(NOTE) == 1
    pilot.tap("city-search")
    pilot.type("passport")
    row = pilot.widget("result-service-0")
    assert "Passport" in row.visible_text() and "Civil status" in row.visible_text()
    pilot.tap("result-service-0")
    assert pilot.screen.title() == "Passport"
    assert "Biometric passport application" in said(pilot)
    assert said(pilot).count(NOTE) == 1          # its documents are in French
    assert said(pilot).index(NOTE) > said(pilot).index("What to bring")


def test_a_catalog_from_before_translations_still_syncs(town, tmp_path):
    """A central API that does not know ``translations`` yet: its catalog loads, and the services
    are shown in French (saying so in English), never with an invented translation."""
    proxy = FaultProxy(town.base)
    try:
        client = ApiClient(proxy.url, credentials_path=town.run_dir / "credentials.json")

        def old(catalog: dict) -> dict:
            services_ = [{k: v for k, v in s.items() if k != "translations"} for s in catalog["services"]]
            return {**catalog, "services": services_}

        proxy.queue(("rewrite", old))
        conn = open_cache(tmp_path / "cache.sqlite3")
        report = PullReport()
        Puller().catalog(conn, client, START, report)
        assert report.changed == ["catalog"] and not report.failed
        found = {s["id"]: s for s in services(conn)}
        assert len(found) == len(seed_data.SERVICES)
        assert all(s["translations"] == {} for s in found.values())
        text = service_text(found["svc-cni"], "en")
        assert (text.name, text.french_only) == ("Carte nationale d'identité", True)
        assert service_text(found["svc-cni"], "fr").french_only is False
        conn.close()
    finally:
        proxy.stop()


def test_the_catalog_keeps_the_towns_translations(town, tmp_path):
    client = ApiClient(town.base, credentials_path=town.run_dir / "credentials.json")
    conn = open_cache(tmp_path / "cache.sqlite3")
    Puller().catalog(conn, client, START, PullReport())
    found = {s["id"]: s for s in services(conn)}
    assert found["svc-passeport"]["translations"]["en"]["name"] == "Passport"
    assert found["svc-debit-boissons"]["translations"] == {}
    text = service_text(found["svc-passeport"], "en")
    assert (text.name, text.french_only) == ("Passport", False)
    conn.close()
