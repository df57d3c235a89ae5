"""The catalog sync and the town's forms, against the reference server: a definition this terminal
cannot show (a widget from a newer release, a broken schema) is stored as unavailable with one log
line naming the form and the reason, the rest of the catalog arrives whole, and the form comes back
when the town publishes a version the terminal can show."""

from __future__ import annotations

import copy
import logging

import pytest
from dem_town import town_at
from demarche_fixtures import seed_form

from kiosk.demo_api import admin, db
from offline_cache.db import open_cache
from offline_cache.forms import stored_forms

pytestmark = pytest.mark.reference_server


@pytest.fixture
def town(tmp_path):
    yield from town_at(tmp_path)


def publish_raw(town, form) -> None:
    """Put a definition in the catalog as a central system of another make might (the reference
    server's own publishing refuses what a terminal cannot show)."""
    conn = db.connect(town.db_path)
    try:
        with db.write(conn):
            db.put_catalog(conn, "form", form)
    finally:
        conn.close()


def test_the_first_sync_brings_the_seed_forms_and_streets(town):
    conn = open_cache(town.cache)
    try:
        assert [(f.id, f.version, f.available) for f in stored_forms(conn)] == [
            ("acte-etat-civil", 1, True), ("signalement-voirie", 1, True)]
        assert conn.execute("SELECT count(*) FROM streets").fetchone()[0] == 30
    finally:
        conn.close()
    assert [c.id for c in town.services().demarches.offered("fr")] == ["acte-etat-civil", "signalement-voirie"]


def test_an_unshowable_definition_is_unavailable_with_one_log_line_and_the_rest_arrives(town, caplog):
    caplog.set_level(logging.INFO)
    signature = copy.deepcopy(seed_form("signalement-voirie"))
    signature.update(id="signalement-photo", version=1)
    signature["ui"]["fields"]["description"]["widget"] = "photo"
    broken = copy.deepcopy(seed_form("acte-etat-civil"))
    broken.update(id="acte-casse", version=1)
    broken["schema"]["properties"]["last_name"]["maxLength"] = -1
    publish_raw(town, signature)
    publish_raw(town, broken)
    admin.put_catalog_item(town.db_path, "page", {"id": "pg-demarches", "title": "Démarches en ligne",
                                                  "format": "text", "body": "…",
                                                  "updated_at": town.server_clock.now.isoformat()})
    report = town.sync()
    assert "catalog" in report.pull.changed
    town.sync()
    lines = [r.getMessage() for r in caplog.records if "unavailable" in r.getMessage()]
    assert lines == ["form acte-casse version 1 is unavailable on this terminal: its schema is invalid "
                     "(-1 is less than the minimum of 0)",
                     "form signalement-photo version 1 is unavailable on this terminal: "
                     "field 'description' has the unsupported widget 'photo'"]
    conn = open_cache(town.cache)
    try:
        assert conn.execute("SELECT title FROM pages WHERE id = 'pg-demarches'").fetchone()[0] == "Démarches en ligne"
        available = {f.id: f.available for f in stored_forms(conn)}
    finally:
        conn.close()
    assert available == {"acte-casse": False, "acte-etat-civil": True, "signalement-photo": False,
                         "signalement-voirie": True}
    demarches = town.services().demarches
    assert [c.id for c in demarches.offered("fr")] == ["acte-etat-civil", "signalement-voirie"]
    fixed = copy.deepcopy(signature)
    fixed["version"] = 2
    fixed["ui"]["fields"]["description"]["widget"] = "text"
    publish_raw(town, fixed)
    town.sync()
    assert "signalement-photo" in [c.id for c in demarches.offered("fr")]


def test_a_withdrawn_form_leaves_the_terminal(town):
    admin.withdraw_form(town.db_path, "acte-etat-civil")
    town.sync()
    assert [c.id for c in town.services().demarches.offered("fr")] == ["signalement-voirie"]
