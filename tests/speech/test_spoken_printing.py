"""The ticket's printing said as it happens, through the real app, data layer, simulated printer
and reference server: « imprimé » when the printer is done, why not when it cannot, « imprimé »
again after « Réessayer ». The screen's own reading says « Impression de votre ticket… » first."""

from __future__ import annotations

import pytest
from booking_town import fill_person, to_person_step
from spoken_support import last_words, speak_on

pytestmark = pytest.mark.reference_server


def confirm_with_speech(pilot):
    pilot.tap("continue")
    speaker, _ = speak_on(pilot)
    pilot.tap("confirm")                  # explore by touch: said
    assert pilot.screen.name == "booking_confirm"
    pilot.tap("confirm")                  # activated
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    return speaker


def test_the_printed_ticket_is_said_when_the_printer_is_done(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    to_person_step(pilot)
    fill_person(pilot)
    speaker = confirm_with_speech(pilot)
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert last_words(speaker) == ("Votre ticket est imprimé. Prenez-le sous l’écran. "
                                   "Pour l’entendre, choisissez le bouton Écouter le ticket.")


def test_a_ticket_that_cannot_be_printed_is_said_then_the_retry_printed(town, make_pilot):
    pilot = town.pilot(make_pilot)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    pilot.app.devices.printer.backend.paper = "out"
    to_person_step(pilot)
    fill_person(pilot)
    speaker = confirm_with_speech(pilot)
    pilot.wait_until(lambda: pilot.screen._cannot_print() and pilot.screen.print_state != "printing")
    status = pilot.widget("print-status").text
    assert last_words(speaker).startswith(" ".join(status.replace("\u202f", " ").replace("\xa0", " ").split())[:40])
    pilot.app.devices.printer.backend.paper = "ok"
    pilot.app.devices.printer.poll_now()
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    pilot.tap("print")
    pilot.tap("print")
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert last_words(speaker) == ("Votre ticket est imprimé. Prenez-le sous l’écran. "
                                   "Pour l’entendre, choisissez le bouton Écouter le ticket.")
