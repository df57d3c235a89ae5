"""Issue 15's « done when », end to end: a person who cannot see the screen starts speech with the
keypad, books an appointment, follows a request and finds a place's opening hours with the keypad
and a headset alone, and hears their ticket read — no finger at all.

Everything is real: the app, its data layer and the reference server on loopback, the simulated
printer, espeak-ng rendering every utterance into the recording twin of the sound card. What is
asserted is what the person hears (the words handed to the engine, and that sound came of them).
"""

from __future__ import annotations

import pytest
from booking_town import NoFinger, to_person_step, tracking_code

from drivers.audio.espeak import EspeakSynthesizer
from drivers.audio.outputs import RecordingOutput
from kiosk.speech.keys import HOLD_TO_START_S
from kiosk.speech.speaker import make_speaker
from kiosk.speech.verbalise import spelled

pytestmark = [
    pytest.mark.reference_server,
    pytest.mark.skipif(not EspeakSynthesizer().is_usable(),
                       reason="espeak-ng is not installed (tools/bootstrap.sh installs it)"),
]

HEADSET = {"speech.enabled": True, "speech.output": "headset"}



def with_headset_speech(pilot) -> RecordingOutput:
    """The terminal's speaker, playing into the recording twin of its headset output."""
    app = pilot.app
    if app.speech is not None:
        app.speech.close()
    output = RecordingOutput()
    app.speech = make_speaker(app.config.speech, output=output)
    assert app.speech.player.wait_ready() and app.speech.silent_reason is None
    assert not app.speech_active             # offered, not on: nobody asked yet
    return output


def heard(pilot) -> str:
    """The last thing said, as the engine was given it."""
    speaker = pilot.app.speech
    assert speaker is not None and speaker.last is not None, "nothing was said"
    return speaker.words_for(speaker.last)


def start_by_holding_5(pilot, output: RecordingOutput) -> None:
    pilot.hold("activate", HOLD_TO_START_S + 0.5)
    assert pilot.app.speech_active, "holding 5 did not start speech"
    assert heard(pilot).startswith("Guidage vocal activé.")
    welcome = output.wait_for(pilot.app.speech.last_number, ended=True, timeout=20)
    assert welcome.ended == "finished" and welcome.samples
    pilot.settle()                              # the welcome heard whole: the screen is read next


def test_a_booking_heard_and_done_with_the_keypad_and_a_headset_alone(town, make_pilot):
    pilot = town.pilot(make_pilot, **HEADSET)
    pilot.wait_until(lambda: pilot.app.devices.can_print)
    output = with_headset_speech(pilot)
    NoFinger(pilot)
    start_by_holding_5(pilot, output)
    assert "Actions" in heard(pilot)           # the home screen read after the welcome

    pilot.focus_to("feature-booking")
    assert heard(pilot).startswith("Prendre rendez-vous") and "bouton" in heard(pilot)
    pilot.key("activate")
    to_person_step(pilot, by_keys=True, from_home=False)
    assert pilot.screen.name == "booking_person"
    for field, value in (("last_name", "Lefèvre"), ("first_name", "Ève")):
        pilot.activate(f"field-{field}")
        pilot.type(value, by_keys=True)
        assert heard(pilot).lower() == f"{value[-1]}."   # each key said back as it is typed
    pilot.focus_to("field-last_name")
    assert "Lefèvre" in heard(pilot)           # a headset: the typed name is said back
    pilot.key("repeat")
    assert "Lefèvre" in heard(pilot)
    pilot.activate("continue")
    assert pilot.screen.name == "booking_confirm"
    pilot.activate("confirm")
    pilot.wait_until(lambda: pilot.screen.name == "booking_done")
    reading = pilot.app.speech.last_number      # the done screen read as it came
    assert heard(pilot).startswith("Votre rendez-vous est pris.")
    pilot.wait_until(lambda: pilot.screen.print_state == "printed")
    assert "Pour l’entendre, choisissez le bouton Écouter le ticket." in heard(pilot)
    offer = pilot.app.speech.last_number
    assert output.wait_for(offer, ended=True).ended == "finished"
    assert output.take(reading).ended == "finished"   # the printer's news waited for the reading's end

    reference = pilot.widget("reference").text
    pilot.activate("hear-ticket")
    ticket = heard(pilot)
    assert ticket.startswith("Votre ticket.") and spelled(reference) in ticket
    take = output.wait_for(pilot.app.speech.last_number, heard=True)
    assert take.samples, "the ticket was not heard"

    pilot.key("volume_up")
    assert pilot.app.speech.volume == pilot.app.config.speech.volume + 10
    pilot.app.end_visit("test")                # the person walks away
    assert not pilot.app.speech_active and pilot.app.speech.volume == pilot.app.config.speech.volume
    assert pilot.app.speech.last is None       # nothing of theirs left to repeat



def test_a_request_followed_by_ear_with_the_keypad_alone(town, make_pilot):
    code = tracking_code(town, "waiting_citizen")
    pilot = town.start(make_pilot, **HEADSET)
    pilot.wait_until(lambda: pilot.app.data.client is not None)
    output = with_headset_speech(pilot)
    NoFinger(pilot)
    start_by_holding_5(pilot, output)
    pilot.activate("feature-tracking")
    pilot.type(code, by_keys=True)
    pilot.activate("key-enter")
    pilot.wait_until(lambda: pilot.screen.name == "tracking_result")
    pilot.settle()
    result = heard(pilot)
    assert result.startswith(pilot.screen.title()) and "Message du service" in result


def test_a_places_opening_hours_by_ear_with_the_keypad_alone(make_pilot, tmp_path):
    from city_support import SEEDED_AT, seeded_cache

    from kiosk.clock import ManualClock

    pilot = make_pilot(clock=ManualClock(SEEDED_AT), overrides=HEADSET)
    pilot.app.city_cache = seeded_cache(tmp_path / "cache.sqlite3")
    output = with_headset_speech(pilot)
    NoFinger(pilot)
    start_by_holding_5(pilot, output)
    pilot.activate("feature-city")
    pilot.activate("city-near")
    pilot.activate("place-0")
    assert pilot.screen.name == "city_place"
    place = heard(pilot)
    assert "Horaires" in place and pilot.widget("place-state").text.split()[0] in place
    pilot.key("help")
    assert "La touche 5" in heard(pilot) or "5" in heard(pilot)


def test_a_code_typed_by_keys_is_not_said_back_but_each_key_is_confirmed(make_pilot):
    """A field shown as dots (the technician's code) is a masked entry (EN 301 549 5.1.3.8): the
    key reached is said, so the person can find it, but what was typed is said only « Saisi »."""
    pilot = make_pilot(overrides=HEADSET)
    output = with_headset_speech(pilot)
    start_by_holding_5(pilot, output)
    pilot.app.open_admin()
    pilot.settle()
    assert pilot.screen.name == "admin_pin"
    pilot.focus_to("key-7")
    assert heard(pilot) == "7."                 # where the focus is: said
    pilot.key("activate")
    assert pilot.widget("pin").value == "7"
    assert heard(pilot) == "Saisi"              # what was typed: not said back


def test_each_change_button_of_a_summary_says_what_it_changes(town, make_pilot):
    """Four « Modifier » look alike by ear: each says the row it stands in."""
    from booking_town import fill_person, to_person_step

    pilot = town.pilot(make_pilot, **HEADSET)
    to_person_step(pilot)
    fill_person(pilot)
    pilot.tap("continue")
    assert pilot.screen.name == "booking_confirm"
    with_headset_speech(pilot)
    pilot.app.guidance.record(True)
    pilot.app.reader.screen_shown(pilot.screen)
    assert "Actions : Modifier, Service, Modifier, Date et heure, Modifier, Nom" in heard(pilot)
    pilot.focus_to("edit-time")
    assert heard(pilot) == "Modifier, Date et heure, bouton."


def test_a_control_found_by_touch_is_where_the_keypad_goes_on_from(make_pilot):
    """Touch and keys mixed: a first touch says the control and moves the focus there, so 5
    activates what the finger found (and 6 goes on from it)."""
    pilot = make_pilot(overrides=HEADSET)
    output = with_headset_speech(pilot)
    start_by_holding_5(pilot, output)
    pilot.tap("feature-tracking")                # explore by touch: said, not opened
    assert pilot.screen.is_home and heard(pilot).startswith("Suivre ma demande")
    assert pilot.app.focus.widget is not None and pilot.app.focus.widget.id == "feature-tracking"
    pilot.key("right")
    assert pilot.app.focus.widget.id == "feature-demarches" and heard(pilot).startswith("Faire une démarche")
    pilot.key("left")
    pilot.key("activate")
    assert pilot.screen.name == "tracking"
