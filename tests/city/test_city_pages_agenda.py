"""Practical pages as blocks (and unknown markup shown as text, logged once), the agenda of
the next days (past events hidden, bad ones skipped), and the « Informations du … » line."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from city_support import SEEDED_AT, seeded_cache

from kiosk import i18n
from kiosk.city import agenda
from kiosk.city.pages import Block, get_page, inline, list_pages, page_blocks
from kiosk.formatting import format_date_long, format_day_month, format_weekday
from offline_cache.catalog import record_success
from offline_cache.db import open_cache
from offline_cache.from_api import apply_catalog

pytestmark = pytest.mark.reference_server

NBSP = "\u00a0"


@pytest.fixture
def conn(tmp_path):
    c = open_cache(seeded_cache(tmp_path / "cache.sqlite3"))
    yield c
    c.close()


def plain(text):
    return text.replace(NBSP, " ").replace("\u202f", " ")


# -- pages -------------------------------------------------------------------------------------
def test_markdown_headings_paragraphs_lists():
    body = ("# Refaire ses papiers d'identité\n\nPrenez **rendez-vous** en mairie.\nLe délai est de *3 semaines*.\n\n"
            "## À apporter\n- la pré-demande [ANTS](https://ants.gouv.fr)\n- une photo\n  de moins de 6 mois\n"
            "* l'ancienne carte\n\n1. Pré-demande\n2. Rendez-vous\n\nVoir `service-public.fr` ![plan](plan.png)")
    blocks = page_blocks(body, "text/markdown", "pg-t")
    assert blocks == [
        Block("heading", "Refaire ses papiers d'identité", level=1),
        Block("paragraph", "Prenez rendez-vous en mairie. Le délai est de 3 semaines."),
        Block("heading", "À apporter", level=2),
        Block("list", items=("la pré-demande ANTS (https://ants.gouv.fr)", "une photo de moins de 6 mois",
                             "l'ancienne carte")),
        Block("list", items=("Pré-demande", "Rendez-vous"), ordered=True),
        Block("paragraph", "Voir service-public.fr plan"),
    ]


def test_inline_marks():
    assert inline("**Lundi** au _vendredi_ : [https://x.fr](https://x.fr)") == "Lundi au vendredi : https://x.fr"
    assert inline("2 * 3 * 4 et file_name_here") == "2 * 3 * 4 et file_name_here"    # not emphasis


def test_plain_text_is_one_paragraph_per_line():
    blocks = page_blocks("SAMU : 15\n\n  Pompiers :   18  \n", "text/plain", "pg-p")
    assert [b.text for b in blocks] == ["SAMU : 15", "Pompiers : 18"]
    assert page_blocks(None, None) == [] and page_blocks("", "text/markdown") == []


def test_unknown_markup_is_shown_as_text_and_logged_once(caplog):
    body = "{{Chères Clémentaises,}}\n\n[->art12] {Les travaux} avancent."
    with caplog.at_level(logging.WARNING, logger="kiosk.city.pages"):
        first = page_blocks(body, "text/x-spip", "pg-spip-test")
        again = page_blocks(body, "text/x-spip", "pg-spip-test")
        page_blocks("<p>Bonjour</p>", "text/html", "pg-html-test")
    assert first == again == [Block("paragraph", "{{Chères Clémentaises,}}"),
                              Block("paragraph", "[->art12] {Les travaux} avancent.")]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2 and "pg-spip-test" in messages[0] and "text/x-spip" in messages[0]


def test_seeded_pages(conn):
    pages = list_pages(conn)
    assert {p["id"] for p in pages} == {"pg-horaires", "pg-dechets", "pg-urgences", "pg-cimetiere", "pg-bulletin"}
    row, blocks = get_page(conn, "pg-horaires")
    assert row["title"] == "Horaires de la mairie"
    assert blocks[0] == Block("paragraph", "Lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h")
    _row, urgences = get_page(conn, "pg-urgences")
    assert [b.text for b in urgences][:2] == ["SAMU : 15", "Police / gendarmerie : 17"]
    _row, bulletin = get_page(conn, "pg-bulletin")                  # text/x-spip in the seed
    assert bulletin[0].text == "{{Chères Clémentaises, chers Clémentais,}}"
    assert get_page(conn, "pg-gone") is None


# -- agenda ------------------------------------------------------------------------------------
def test_upcoming_events_hide_past_ones(conn):
    events = agenda.upcoming(conn, SEEDED_AT, days=14)
    assert [e.id for e in events] == ["ev-conseil", "ev-conte", "ev-don-sang", "ev-atelier-numerique"]
    assert "ev-vide-grenier" not in {e.id for e in agenda.upcoming(conn, SEEDED_AT, days=60)}   # 10 days ago
    assert [e.id for e in agenda.upcoming(conn, SEEDED_AT, days=30)][-1] == "ev-ceremonie"
    conseil = events[0]
    assert conseil.place_name == "Mairie de Saint-Clément-des-Vignes" and conseil.start.hour == 20
    ceremony = agenda.upcoming(conn, SEEDED_AT, days=30)[-1]
    assert ceremony.place_id is None and ceremony.place_name is None


def test_event_going_on_is_shown_until_it_ends(conn):
    conseil = agenda.upcoming(conn, SEEDED_AT, days=14)[0]
    during = conseil.start + timedelta(minutes=30)
    assert agenda.upcoming(conn, during, days=1)[0].id == "ev-conseil"
    i18n.set_language("fr")
    assert plain(agenda.event_when(conseil, during)) == "En cours, jusqu'à 22 h".replace("'", "’")
    assert plain(agenda.event_when(conseil, conseil.start - timedelta(hours=2))) == "Aujourd’hui, 20 h – 22 h"
    assert plain(agenda.event_when(conseil, conseil.start - timedelta(days=1))) == "Demain, 20 h – 22 h"
    saturday = SEEDED_AT.date() + timedelta(days=4)                 # the council meets on the Saturday
    assert plain(agenda.event_when(conseil, SEEDED_AT)) == \
        f"{format_weekday(saturday, 'fr')} {format_day_month(saturday, 'fr')}, 20 h – 22 h"
    assert agenda.upcoming(conn, conseil.end, days=1) == []


def test_bad_events_are_skipped_and_logged_once(conn, caplog):
    conn.execute("INSERT INTO events (id, title, start, \"end\") VALUES ('ev-nostart', 'Sans date', NULL, NULL)")
    tomorrow = SEEDED_AT.date() + timedelta(days=1)                  # inside the 14 days looked at
    conn.execute("INSERT INTO events (id, title, start, \"end\") VALUES ('ev-backwards', 'À l''envers', ?, ?)",
                 (f"{tomorrow}T10:00:00Z", f"{tomorrow}T08:00:00Z"))
    conn.execute("INSERT INTO events (id, title, start, \"end\") VALUES ('ev-garbage', 'Illisible', ?, ?)",
                 (f"{tomorrow} vers 10 h", f"{tomorrow + timedelta(days=1)}T08:00:00Z"))
    with caplog.at_level(logging.WARNING, logger="kiosk.city.agenda"):
        ids = [e.id for e in agenda.upcoming(conn, SEEDED_AT, days=14)]
        agenda.upcoming(conn, SEEDED_AT, days=14)
    assert not {"ev-nostart", "ev-backwards", "ev-garbage"} & set(ids) and "ev-conseil" in ids
    assert len(caplog.records) == 3


# -- freshness ----------------------------------------------------------------------------------
def test_freshness_line(conn):
    stale = timedelta(hours=24)
    assert agenda.freshness_words(conn, SEEDED_AT + timedelta(hours=23), stale) is None
    i18n.set_language("fr")
    assert plain(agenda.freshness_words(conn, SEEDED_AT + timedelta(days=3), stale)) == \
        f"Informations du {format_date_long(SEEDED_AT.date(), 'fr')}"
    assert plain(agenda.freshness_words(conn, SEEDED_AT + timedelta(hours=5), timedelta(hours=2))) == \
        "Informations d’aujourd’hui à 9 h 30"
    i18n.set_language("en")
    try:
        assert plain(agenda.freshness_words(conn, SEEDED_AT + timedelta(days=3), stale)) == \
            f"Information as of {format_date_long(SEEDED_AT.date(), 'en')}"
    finally:
        i18n.set_language("fr")
    record_success(conn, "catalog", SEEDED_AT + timedelta(days=3))
    assert agenda.freshness_words(conn, SEEDED_AT + timedelta(days=3), stale) is None


def test_freshness_of_a_cache_never_synchronised(tmp_path):
    empty = open_cache(tmp_path / "empty.sqlite3")
    try:
        assert agenda.freshness_words(empty, SEEDED_AT, timedelta(hours=24)) == \
            "Informations pas encore mises à jour par la mairie"
        assert agenda.upcoming(empty, SEEDED_AT) == []
        apply_catalog(empty, {"cursor": "1", "full": True, "services": [], "places": [], "pages": [],
                              "events": [], "deleted": {}}, SEEDED_AT)
        assert agenda.freshness_words(empty, SEEDED_AT, timedelta(hours=24)) is None
    finally:
        empty.close()
