"""What speech says of the screens (issue 15), in French and English: each main screen read title
first, then its content, then « Actions : »; a dialog, an error and a toast said when they appear;
what the person typed and their references masked on a loudspeaker and said into a headset;
explore by touch; help, volume, repeat; and a few of them heard through the real espeak-ng.

Speech is turned on by the test itself (a speaker on the recording twin, ``active``): starting it
without sight is another part of the issue. What was said is read back from the speaker (the
words it handed to the engine for its last utterance).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from spoken_support import last_words, plain, speak_on

from drivers.audio.espeak import EspeakSynthesizer
from kiosk.clock import ManualClock
from kiosk.config import SpeechConfig
from kiosk.devtools.screenshots import OVERRIDES, SHOT_TIME, STATES, data_for
from kiosk.devtools.screenshots import _to_toolkit as to_toolkit
from screens.widgets.text_field import TextField

pytestmark = pytest.mark.skipif(not EspeakSynthesizer().is_usable(),
                                reason="espeak-ng is not installed (tools/bootstrap.sh installs it)")

ACTIONS = {"fr": "Actions :", "en": "Actions:"}
MASKED = {"fr": "information masquée", "en": "hidden information"}


@pytest.fixture
def gallery(make_pilot) -> Callable[..., Any]:
    """A pilot brought to a state of the screenshot gallery (its fixed day, its seeded town)."""
    def reach(screen: str, state: str, lang: str = "fr") -> Any:
        pilot = make_pilot(clock=ManualClock(SHOT_TIME), data=(lambda config: data_for(screen)),
                           overrides={"languages.default": lang, **OVERRIDES.get(screen, {})})
        STATES[screen][state](pilot)
        pilot.settle()
        return pilot
    return reach


def read_now(pilot: Any, **speech: Any) -> str:
    """Speech turned on, the screen read as when it comes on top; the words said."""
    speaker, _ = speak_on(pilot, **speech)
    pilot.app.reader.screen_shown(pilot.screen)
    return last_words(speaker)


def in_order(words: str, *pieces: str) -> None:
    """Each piece is said, in this order."""
    at = 0
    for piece in pieces:
        found = words.find(piece, at)
        assert found >= 0, f"{piece!r} not said after position {at} in: {words}"
        at = found + len(piece)


# -- screens read: title, content, actions -----------------------------------------------------
MAIN_SCREENS = {
    ("home", "default"): {
        "fr": ("Bienvenue.", "Saint-Clément-des-Vignes.", "Touchez une case pour commencer.",
               "Actions : Prendre rendez-vous, Suivre ma demande", "Ma ville"),
        "en": ("Welcome.", "Saint-Clément-des-Vignes.", "Touch a tile to start.",
               "Actions: Book an appointment, Follow my request", "My town")},
    ("booking", "domains"): {
        "fr": ("Prendre rendez-vous.", "Quel service de la mairie souhaitez-vous voir ?", "Actions : Rechercher",
               "État civil", "et 2 autres."),
        "en": ("Book an appointment.", "Which department do you want to see?", "Actions: Search", "Civil status",
               "and 2 more.")},
    ("booking_day", "default"): {
        "fr": ("Choisir un jour.", "décembre 2026.", "Jours avec des créneaux libres : 1, 2, 3",
               "Jour choisi : mardi 1er décembre 2026.", "Actions : suivant, Jour suivant disponible"),
        "en": ("Choose a day.", "December 2026.", "Days with free times: 1, 2, 3",
               "Chosen day: Tuesday 1 December 2026.", "Actions: next, Next available day")},
    ("booking_time", "default"): {
        "fr": ("Choisir un horaire.", "mardi 1er décembre 2026.", "Matin.", "Actions : 9 heures 50, 10 heures,"),
        "en": ("Choose a time.", "Tuesday 1 December 2026.", "Morning.", "Actions: 9 50 a m, 10 a m,")},
    ("booking_person", "typed"): {
        "fr": ("Qui vient ?", "effacés de cette borne", "pavé numérique.", "Actions : Nom, Prénom,",
               "Continuer."),
        "en": ("Who is coming?", "erased from this terminal", "numeric keypad.", "Actions: Last name, First name,",
               "Continue.")},
    ("booking_confirm", "default"): {
        "fr": ("Vérifiez et confirmez.", "Date et heure. mardi 1er décembre 2026 à 9 heures 50.",
               "Nom. information masquée.", "Actions : Modifier", "Confirmer."),
        "en": ("Check and confirm.", "Date and time. Tuesday 1 December 2026 at 9 50 a m.",
               "Name. hidden information.", "Actions: Change", "Confirm.")},
    ("booking_done", "printed"): {
        "fr": ("Votre rendez-vous est pris.", "Référence. information masquée.", "code QR.",
               "Votre ticket est imprimé.", "Actions : Terminer."),
        "en": ("Your appointment is booked.", "Reference. hidden information.", "QR code.",
               "Your ticket is printed.", "Actions: Finish.")},
    ("tracking", "typed"): {
        "fr": ("Suivre ma demande.", "Tapez le numéro inscrit sur votre récépissé",
               "clavier de lettres et de chiffres.", "Actions : Numéro de demande, Rechercher."),
        "en": ("Follow my request.", "Type the number written on your receipt",
               "keypad of letters and digits.", "Actions: Request number, Search.")},
    ("tracking_result", "completed"): {
        "fr": ("Votre demande.", "Permis de construire.", "Numéro information masquée", "Dossier déposé.",
               "Faite le mardi 1er septembre 2026.", "Actions : Imprimer, Autre numéro, Terminer."),
        "en": ("Your request.", "Permis de construire.", "Number hidden information", "Dossier déposé.",
               "Done on Tuesday 1 September 2026.", "Actions: Print, Another number, Finish.")},
    ("city_place", "default"): {
        "fr": ("Mairie de Saint-Clément-des-Vignes.", "Administration.", "Téléphone : 0 2, 41, 39, 52, 10.",
               "Aujourd’hui: 8 heures 30 – 12 heures", "Actions : Carte nationale d'identité"),
        "en": ("Mairie de Saint-Clément-des-Vignes.", "Administration.", "Telephone: 0 2, 41, 39, 52, 10.",
               "Today: 8 30 a m – 12 p m", "Actions: National identity card")},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("screen", "state"), list(MAIN_SCREENS))
def test_a_main_screen_is_read_title_first_then_its_content_then_what_can_be_done(gallery, screen, state,
                                                                                   lang) -> None:
    pilot = gallery(screen, state, lang)
    words = read_now(pilot)
    title = pilot.screen.title()
    if title:
        assert words.startswith(plain(title)), words
    in_order(words, *MAIN_SCREENS[(screen, state)][lang])
    assert words.count(ACTIONS[lang]) == 1
    footer = {"fr": "Accessibilité", "en": "Accessibility"}[lang]
    assert footer not in words   # the footer's four buttons are the help key's to tell


# -- said as it happens ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_dialog_is_read_when_it_opens_title_message_then_its_buttons(make_pilot, lang) -> None:
    pilot = make_pilot(overrides={"languages.default": lang})
    to_toolkit(pilot, "dialog")
    speaker, _ = speak_on(pilot)
    pilot.tap("open-dialog")           # explore by touch: said, not yet opened
    assert not pilot.has("dialog")
    pilot.tap("open-dialog")
    assert pilot.has("dialog")
    expected = {"fr": "Une question. Aimez-vous cette borne ? Non, bouton. Oui, bouton.",
                "en": "A question. Do you like this terminal? No, button. Yes, button."}[lang]
    assert last_words(speaker) == expected
    pilot.app.reader.screen_shown(pilot.screen)     # the screen read again while it is open: the dialog only
    assert last_words(speaker).endswith(expected) and ACTIONS[lang] not in last_words(speaker)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_error_under_a_field_is_said_when_it_appears_with_the_field_it_is_about(make_pilot, lang) -> None:
    pilot = make_pilot(overrides={"languages.default": lang})
    to_toolkit(pilot, "keypad")
    pilot.type("123456789012")
    speaker, _ = speak_on(pilot)
    field = pilot.widget("number")
    assert isinstance(field, TextField) and not field.error
    pilot.tap("key-1")
    assert last_words(speaker) == "1."        # the key, said under the finger
    pilot.tap("key-1")                         # typed: one digit too many
    assert field.error
    assert last_words(speaker) == plain(f"{field.caption}, {field.error}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_toast_is_said_when_it_shows(make_pilot, lang) -> None:
    pilot = make_pilot(overrides={"languages.default": lang})
    to_toolkit(pilot, "list")
    speaker, _ = speak_on(pilot)
    pilot.tap("item-2")
    pilot.tap("item-2")
    toast = pilot.widget("toast")
    assert last_words(speaker) == plain(toast.text if toast.text.endswith(".") else toast.text + ".")


# -- private values --------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_typed_name_and_phone_are_masked_on_a_loudspeaker_and_said_into_a_headset(gallery, lang) -> None:
    pilot = gallery("booking_person", "typed", lang)
    name, phone = (pilot.widget(f"field-{n}") for n in ("last_name", "phone"))
    speaker, _ = speak_on(pilot)
    pilot.app.reader.focus_moved(name)
    assert last_words(speaker) == f"{name.caption}, {'champ' if lang == 'fr' else 'field'}, {MASKED[lang]}."
    pilot.app.reader.focus_moved(phone)
    assert "06" not in last_words(speaker) and "12" not in last_words(speaker)
    speaker.headset_plugged = True      # "loudspeaker" only: a headset plugged changes nothing
    pilot.app.reader.focus_moved(name)
    assert "Lefèvre" not in last_words(speaker)

    speaker, _ = speak_on(pilot, output="both", plugged=True)
    pilot.app.reader.focus_moved(name)
    assert last_words(speaker) == f"{name.caption}, {'champ' if lang == 'fr' else 'field'}, Lefèvre-Müller."
    pilot.app.reader.focus_moved(phone)
    assert last_words(speaker).endswith("0 6, 12, 34, 56, 78.")


def test_a_reference_on_screen_is_masked_on_a_loudspeaker_and_spelled_into_a_headset(gallery) -> None:
    pilot = gallery("booking_done", "printed")
    reference = pilot.widget("reference").visible_text() if pilot.has("reference") else None
    loud = read_now(pilot)
    assert "Référence. information masquée." in loud
    assert "Ève" not in loud and "Lefèvre" not in loud
    private = read_now(pilot, output="headset")
    assert "information masquée" not in private and "Lefèvre-Müller" in private
    said = private.split("Référence. ", 1)[1].split(".", 1)[0]
    assert all(len(letter) == 1 for group in said.split(", ") for letter in group.split(" ")), said
    if reference:
        assert said.replace(", ", "-").replace(" ", "") in reference


# -- explore by touch, the keys' answers ------------------------------------------------------------
def test_a_first_touch_says_the_control_and_a_second_touch_activates_it(pilot) -> None:
    speaker, _ = speak_on(pilot)
    pilot.tap("feature-booking")
    assert pilot.screen.is_home
    tile = pilot.widget("feature-booking")
    assert last_words(speaker) == plain(f"{tile.label}, {tile.subtitle}, bouton.")
    pilot.tap("feature-tracking")              # another control: said, not opened
    assert pilot.screen.is_home and last_words(speaker).startswith("Suivre ma demande")
    pilot.tap("feature-booking")
    assert pilot.screen.is_home
    pilot.tap("feature-booking")
    assert not pilot.screen.is_home
    assert last_words(speaker).startswith("Prendre rendez-vous.")   # the new screen, read as it comes


def test_without_speech_a_touch_activates_at_once(pilot) -> None:
    pilot.tap("feature-booking")
    assert not pilot.screen.is_home


def test_help_says_where_one_is_and_what_each_key_does(pilot) -> None:
    speaker, _ = speak_on(pilot)
    pilot.tap("feature-booking")
    pilot.tap("feature-booking")
    pilot.app.reader.help()
    in_order(last_words(speaker), "Vous êtes sur : Prendre rendez-vous.", "2, 4, 6 et 8", "5, ou Entrée, active",
             "0 revient en arrière", "Étoile répète", "Dièse", "barre oblique", "Plus et moins règlent le volume",
             "touchez une fois pour entendre")


def test_volume_keys_change_the_volume_within_bounds_and_say_it(pilot) -> None:
    speaker, _ = speak_on(pilot)
    start = speaker.volume
    pilot.app.reader.volume(1)
    assert speaker.volume == start + 10 and last_words(speaker) == f"Volume {start + 10} pour cent."
    for _ in range(20):
        pilot.app.reader.volume(-1)
    assert speaker.volume == 10 and last_words(speaker) == "Volume 10 pour cent."


def test_repeat_says_the_last_thing_again(pilot) -> None:
    speaker, _ = speak_on(pilot)
    pilot.app.reader.screen_shown(pilot.screen)
    said, number = last_words(speaker), speaker.last_number
    pilot.app.reader.repeat()
    assert speaker.last_number == number + 1 and last_words(speaker) == said


def test_switching_language_reads_the_screen_again_in_the_new_language(pilot) -> None:
    speaker, _ = speak_on(pilot)
    switch = pilot.widget("language")
    pilot.app.reader.focus_moved(switch)
    assert speaker.last is not None and speaker.last.language == "en"   # « English » in English
    assert last_words(speaker) == "English, button."
    pilot.tap("language")
    pilot.tap("language")
    assert speaker.last.language == "en"
    assert last_words(speaker).startswith("Welcome.") and "Actions: Book an appointment" in last_words(speaker)


def test_nothing_is_said_while_speech_is_off(pilot) -> None:
    speaker, _ = speak_on(pilot)
    pilot.app.guidance.record(False)
    pilot.app.reader.screen_shown(pilot.screen)
    pilot.app.reader.help()
    pilot.app.reader.volume(1)
    assert speaker.last is None and speaker.volume == SpeechConfig().volume


# -- heard through espeak-ng ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_screen_read_is_heard_whole_through_espeak_ng(gallery, lang) -> None:
    pilot = gallery("booking_day", "default", lang)
    speaker, recording = speak_on(pilot)
    pilot.app.reader.screen_shown(pilot.screen)
    words = last_words(speaker)
    take = recording.wait_for(speaker.last_number, ended=True, timeout=30)
    assert take.ended == "finished" and not take.truncated
    # about 160 words a minute: the seconds heard match the words said, give or take a third
    expected = len(words.split()) / 160 * 60
    assert expected * 0.5 < take.seconds < expected * 1.6, (take.seconds, expected, words)


def test_a_new_screen_cuts_what_was_being_said(pilot) -> None:
    speaker, recording = speak_on(pilot, pace=2.0)
    pilot.app.reader.screen_shown(pilot.screen)
    first = speaker.last_number
    recording.wait_for(first, heard=True)
    pilot.tap("feature-booking")
    pilot.tap("feature-booking")
    assert recording.wait_for(first, ended=True).ended == "cut"
    take = recording.wait_for(speaker.last_number, heard=True)
    assert take.samples
