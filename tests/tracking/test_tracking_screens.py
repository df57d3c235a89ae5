"""« Suivre ma demande » through the real app, a real data layer and the reference server:
keypad and QR paths, every bad input, unknown and offline answers, the throttle, the
60-second wipe, printing the status slip, and no number in the logs."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime

import booking_town
import pytest
from booking_town import said

from drivers.printer.render import TicketRenderer
from kiosk import events
from kiosk.booking.tickets import tracking_slip
from kiosk.demo_api.testing import ManualClock as ServerClock
from kiosk.demo_api.testing import running_server
from kiosk.logs import redact

pytestmark = pytest.mark.reference_server


class Town(booking_town.Town):
    def codes(self, status: str) -> list[str]:
        conn = sqlite3.connect(self.db_path)
        try:
            rows = conn.execute("SELECT code, body FROM tracking ORDER BY code").fetchall()
        finally:
            conn.close()
        return [code for code, body in rows if json.loads(body)["status"] == status]

    def pilot(self, make_pilot, size=(1080, 1920), **overrides):
        """The app on « Suivre ma demande », as soon as it has a client (no need to wait for a sync)."""
        pilot = self.start(make_pilot, size, **overrides)
        pilot.wait_until(lambda: pilot.app.data.client is not None)
        pilot.tap("feature-tracking")
        return pilot


@pytest.fixture
def town(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    server_clock = ServerClock(booking_town.START)
    with running_server(db_path, server_clock) as base:
        yield Town(tmp_path, base, db_path, server_clock)


def search(pilot, typed: str) -> None:
    pilot.type(typed)
    pilot.tap("key-enter")
    pilot.wait_until(lambda: getattr(pilot.screen, "pending", None) is None)


def test_keypad_path_shows_the_request_and_its_message(town, make_pilot, caplog):
    caplog.set_level(logging.DEBUG)
    code = town.codes("waiting_citizen")[0]
    pilot = town.pilot(make_pilot)
    pilot.type(code[:4].lower())
    assert pilot.widget("code-keypad").layer == "digits"       # the keypad follows the format
    assert pilot.app.visit.fields["tracking_code"] == code[:4]
    pilot.type(code[5:])
    assert pilot.app.visit.fields["tracking_code"] == code     # grouped as printed
    pilot.tap("key-enter")
    pilot.wait_until(lambda: pilot.screen.name == "tracking_result")
    text = pilot.text()
    assert "Message du service" in text and "Merci de" in text
    assert "Étape actuelle" in text and "Information du" in text
    assert pilot.widget("step-0").state == "done"
    # Never logged by the kiosk; what libraries log (urllib3's URLs) is masked by the log filter.
    ours = [r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("kiosk", "screens", "drivers")
            and not r.name.startswith("kiosk.demo_api")]   # the reference server stands for another machine
    assert ours and not any(code in m or code.replace("-", "") in m for m in ours)
    assert any(code in r.getMessage() for r in caplog.records)          # urllib3 at debug level…
    assert not any(code in redact(r.getMessage()) for r in caplog.records)   # …masked on the way out


def test_scanning_the_receipt_qr_code_with_the_portal_address(town, make_pilot):
    code = town.codes("completed")[0]
    pilot = town.pilot(make_pilot)
    events.ScanRead(text=f"https://demarches.ville.fr/suivi/{code.lower()}", source="hid").post()
    pilot.wait_until(lambda: pilot.screen.name == "tracking_result")
    assert "Demande terminée" in pilot.text()


@pytest.mark.parametrize("typed, words", [
    ("", "Tapez le numéro inscrit"),
    ("ABC", "trop court"),
    ("ABCD123", "trop court"),
])
def test_bad_typed_numbers_get_a_plain_message(town, make_pilot, typed, words):
    pilot = town.pilot(make_pilot)
    if typed:
        pilot.type(typed)
    pilot.tap("key-enter")
    assert pilot.screen.name == "tracking" and words in pilot.widget("code").error


def test_a_ninth_character_is_refused_with_a_message(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.type("ABCD1234")
    pilot.tap("key-5")
    assert pilot.app.visit.fields["tracking_code"] == "ABCD-1234"
    assert "trop long" in pilot.widget("code").error
    pilot.tap("key-backspace")
    assert pilot.app.visit.fields["tracking_code"] == "ABCD-123" and not pilot.widget("code").error


@pytest.mark.parametrize("scanned, words", [
    ("https://www.service-public.fr/particuliers/vosdroits/F1234", "pas celui d’un récépissé"),
    ("eyJhbGciOiJFZERTQSJ9.eyJiIjoiYmstMSJ9.c2ln", "pas celui d’un récépissé"),
    ("ABCD-12", "pas celui d’un récépissé"),
])
def test_a_qr_code_that_is_not_a_receipt(town, make_pilot, scanned, words):
    pilot = town.pilot(make_pilot)
    events.ScanRead(text=scanned, source="camera").post()
    pilot.settle()
    assert pilot.screen.name == "tracking" and words in pilot.widget("code").error


def test_unknown_number(town, make_pilot):
    pilot = town.pilot(make_pilot)
    search(pilot, "ZZZZ0000")
    assert "Aucune demande ne porte ce numéro" in pilot.widget("code").error


def test_offline_answer_says_its_date_and_offline_unknown(town, make_pilot):
    code = town.codes("in_progress")[0]
    pilot = town.pilot(make_pilot)
    search(pilot, code)
    pilot.tap("another")
    assert pilot.screen.name == "tracking" and pilot.app.visit.fields["tracking_code"] == ""
    pilot.app.data.client.base_url = "http://127.0.0.1:9/"      # the network goes down
    search(pilot, code)
    assert pilot.screen.name == "tracking_result"
    assert "Hors connexion : information du" in said(pilot)
    pilot.tap("another")
    search(pilot, town.codes("in_progress")[1])
    assert "hors connexion" in pilot.widget("code").error


def test_too_many_unknown_numbers_pause_the_terminal(town, make_pilot):
    pilot = town.pilot(make_pilot, **{"tracking.max_unknown": 3, "tracking.cooldown_s": 120,
                                      "tracking.wipe_after_s": 300})
    for i in range(3):
        while pilot.app.visit.fields.get("tracking_code"):
            pilot.tap("key-backspace")
        search(pilot, f"ZZZZ000{i}")
    assert "Aucune demande" in pilot.widget("code").error       # the third unknown is still answered
    while pilot.app.visit.fields.get("tracking_code"):
        pilot.tap("key-backspace")
    search(pilot, town.codes("completed")[0])                    # then even a good number waits
    assert pilot.has("cooldown") and "2 minutes" in said(pilot)
    assert not pilot.has("code-keypad")
    pilot.advance(61, step=5)
    assert "1 minute." in said(pilot)
    pilot.tap("continue")                                        # the general idle warning came first
    pilot.tap("home")                                            # leaving does not lift the pause
    pilot.tap("feature-tracking")
    assert pilot.has("cooldown")
    pilot.advance(60, step=5)
    assert pilot.has("code-keypad") and not pilot.has("cooldown")


def test_the_screens_wipe_themselves_after_60_seconds(town, make_pilot):
    code = town.codes("in_progress")[0]
    pilot = town.pilot(make_pilot)
    search(pilot, code)
    assert pilot.screen.name == "tracking_result"
    pilot.advance(45)                                   # warned before the 60-second limit
    assert pilot.has("idle-dialog")
    pilot.advance(16)
    assert pilot.screen.is_home and "tracking_code" not in pilot.app.visit.fields


def test_finish_ends_the_visit(town, make_pilot):
    pilot = town.pilot(make_pilot)
    search(pilot, town.codes("rejected")[0])
    assert "Demande refusée" in pilot.text()
    pilot.tap("finish")
    assert pilot.screen.is_home and not pilot.app.visit.fields


def test_printing_the_status_slip(town, make_pilot):
    code = town.codes("waiting_citizen")[0]
    pilot = town.pilot(make_pilot)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    search(pilot, code)
    pilot.settle()
    pilot.tap("print")
    job = pilot.screen.printing.job
    pilot.wait_until(lambda: "imprimée" in pilot.text())
    assert job is not None
    receipts = pilot.app.devices.printer.backend.receipts
    assert receipts, "the simulated printer drew nothing"


def test_status_slip_bytes(town, make_pilot):
    from kiosk.api.models import TrackedRequest

    request = TrackedRequest.model_validate({
        "tracking_code": "KXPT-4821", "request_type": "Déclaration préalable de travaux", "status": "waiting_citizen",
        "current_step": "Instruction", "message": "Merci de déposer le plan de masse.",
        "steps": [{"label": "Dossier déposé", "date": "2026-10-01", "done": True},
                  {"label": "Instruction", "date": None, "done": False}],
        "updated_at": "2026-11-20T15:42:00+01:00"})
    slip = tracking_slip(request, town="Saint-Clément-des-Vignes", portal_url="https://demarches.ville.fr/suivi/",
                         info_at=request.updated_at, online=False,
                         printed_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC), language="fr")
    data = TicketRenderer("TM-T88V", "native").render(slip)
    assert b"\x1bt\x10" in data                                    # CP1252 selected
    assert "Numéro".encode("cp1252") in data and b"KXPT-4821" in data
    assert "Déclaration préalable de travaux".encode("cp1252") in data
    assert "(hors connexion)".encode("cp1252") in data and "20 novembre 2026".encode("cp1252") in data
    assert b"https://demarches.ville.fr/suivi/KXPT-4821" in data   # the QR's content (native command)
    assert b"\x1d(k" in data and len(data) < 1500
    assert "plan de masse".encode("cp1252") not in data            # a slip, not the whole file


def test_out_of_paper_hides_print_and_says_why_then_offers_it_again(town, make_pilot):
    pilot = town.pilot(make_pilot)
    printer = pilot.app.devices.printer
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    search(pilot, town.codes("in_progress")[0])
    assert pilot.has("print") and not pilot.has("no-print")
    printer.backend.paper = "out"
    printer.poll_now()
    pilot.wait_until(lambda: pilot.has("no-print"))
    assert not pilot.has("print") and "papier" in pilot.widget("no-print").text
    printer.backend.paper = "ok"
    printer.poll_now()
    pilot.wait_until(lambda: pilot.has("print"))
    assert not pilot.has("no-print")


def _timeline(pilot) -> list[tuple[str, str]]:
    """The timeline as the person reads it: (step, state) top to bottom."""
    return [(row.title.text, row.state) for row in pilot.widget("timeline").items]


@pytest.mark.parametrize("code", ["NQJQ-6571", "LUQY-3744"])
def test_the_current_step_is_the_one_the_timeline_marks_in_progress(town, make_pilot, code):
    """Issue 14, defect 7: « Étape actuelle : Instruction » above a timeline where Instruction
    was « Faite » and Décision « Étape en cours »."""
    pilot = town.pilot(make_pilot)
    search(pilot, code)
    rows = _timeline(pilot)
    current = [label for label, state in rows if state == "current"]
    assert len(current) == 1, rows
    assert said(pilot).count("Étape actuelle") == 1
    assert pilot.widget("current-step").text.replace("\xa0", " ") == f"Étape actuelle : {current[0]}"
    states = [state for _, state in rows]
    assert states == sorted(states, key=["done", "current", "todo"].index), rows   # done, then current, then to come


def test_a_refused_request_shows_only_the_steps_that_happened(town, make_pilot):
    """Issue 14, defect 7: BCRH-3118 said « Demande refusée — dernière étape : Demande refusée »,
    marked every step done (« Intervention réalisée » too) and offered to answer a refusal."""
    pilot = town.pilot(make_pilot)
    search(pilot, "BCRH-3118")
    text = said(pilot)
    rows = _timeline(pilot)
    assert all(state == "done" for _, state in rows), rows
    assert rows[-1][0] == "Demande refusée"                       # where it stopped, last
    assert "Intervention réalisée" not in text                   # never happened
    assert "dernière étape" not in text and text.count("Demande refusée") == 2   # status line, last step
    assert pilot.has("message") and not pilot.has("message-where")
    assert "répondre" not in text


def test_only_a_request_waiting_for_the_citizen_says_where_to_answer(town, make_pilot):
    pilot = town.pilot(make_pilot)
    search(pilot, "NQJQ-6571")
    assert pilot.has("message-where") and "répondre" in said(pilot)


def test_the_slip_says_the_same_step_as_the_screen():
    """The printed slip follows the same reading of the steps as the screen."""
    from kiosk.api.models import TrackedRequest

    request = TrackedRequest.model_validate({
        "tracking_code": "KXPT-4821", "request_type": "Signalement voirie", "status": "rejected",
        "current_step": "Demande refusée", "message": "Un courrier vous a été envoyé.",
        "steps": [{"label": "Signalement reçu", "date": "2026-10-01", "done": True},
                  {"label": "Demande refusée", "date": "2026-10-08", "done": True},
                  {"label": "Intervention réalisée", "date": None, "done": False}],
        "updated_at": "2026-11-20T15:42:00+01:00"})
    slip = tracking_slip(request, town="Saint-Clément-des-Vignes", portal_url="https://demarches.ville.fr/suivi/",
                         info_at=request.updated_at, online=True,
                         printed_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC), language="fr")
    data = TicketRenderer("TM-T88V", "native").render(slip)
    assert "Étape actuelle".encode("cp1252") not in data            # a refused request has none
    assert "Demande refusée".encode("cp1252") in data
