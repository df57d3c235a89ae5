"""The admin screen's sync section lists the last actions the central API refused, as the
sync worker reports them (structured, without personal data), and lays them out cleanly."""

from __future__ import annotations

from support import open_admin

from kiosk import events
from kiosk.devtools.layout_check import check_app

REFUSALS = [
    {"kind": "booking", "at": "2026-12-01T08:05:00Z", "status": 409, "error": "slot_unavailable",
     "message": "Ce créneau n'est plus disponible."},
    {"kind": "checkin", "at": "2026-11-30T16:40:00Z", "status": 404, "error": "not_found",
     "message": "Aucun rendez-vous ne correspond à cette référence."},
]


def test_refusals_appear_when_the_worker_reports_them(pilot):
    open_admin(pilot)
    assert not pilot.has("sync-refusals")
    events.SyncStatus(last_success=None, outbox_depth=0, failed=2, clock_skew_s=None,
                      clock_skew_flagged=False, online=True, revoked=False, refusals=REFUSALS).post()
    pilot.settle()
    assert pilot.widget("sync-refusal-0").text.startswith("Refusées par l")
    first, second = pilot.widget("sync-refusal-1").text, pilot.widget("sync-refusal-2").text
    assert first.startswith("01/12 9") and "05 · réservation · 409 slot_unavailable" in first   # 08:05 UTC
    assert "plus disponible" in first
    assert "30/11" in second and "arrivée" in second and "404 not_found" in second
    assert check_app(pilot.app) == []


def test_refusal_lines_in_english_and_large_text(make_pilot):
    pilot = make_pilot(overrides={"languages.default": "en", "accessibility.large_text": True})
    open_admin(pilot)
    events.SyncStatus(last_success=None, outbox_depth=0, failed=2, clock_skew_s=None,
                      clock_skew_flagged=False, online=True, revoked=False, refusals=REFUSALS).post()
    pilot.settle()
    assert "booking" in pilot.widget("sync-refusal-1").text and "check-in" in pilot.widget("sync-refusal-2").text
    assert check_app(pilot.app) == []
