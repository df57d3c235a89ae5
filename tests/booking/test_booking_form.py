"""« Qui vient ? »: every rule with good and bad values, then the same rules on screen."""

from __future__ import annotations

import pytest
from booking_town import said, to_person_step

from kiosk.booking import form as booking_form
from kiosk.booking.form import check, name_problem, normalise_email, normalise_phone

pytestmark = pytest.mark.reference_server


@pytest.mark.parametrize("name", ["N'Diaye", "Lefèvre-Müller", "Ève", "De La Fontaine", "O’Brien", "Çelik",
                                  "Łukasz", "A", "x" * 50, "  Dupont  "])
def test_good_names(name):
    assert name_problem(name, "last_name") is None


@pytest.mark.parametrize("name, problem", [
    ("", "last_name_empty"), ("   ", "last_name_empty"),
    ("Dupont2", "name_characters"), ("R2-D2", "name_characters"), ("Dupont 😀", "name_characters"),
    ("Jean.Paul", "name_characters"), ("'-'", "name_characters"), ("Иван", "name_characters"),
    ("x" * 51, "name_too_long"),
])
def test_bad_names(name, problem):
    assert name_problem(name, "last_name") == problem


def test_spaces_are_squeezed_and_accents_kept():
    assert booking_form.clean_name("  Jean   Pierre ") == "Jean Pierre"
    assert booking_form.clean_name("E\u0300ve") == "Ève"            # decomposed accents composed


@pytest.mark.parametrize("typed, expected", [
    ("0612345678", "+33612345678"), ("06 12 34 56 78", "+33612345678"), ("06.12.34.56.78", "+33612345678"),
    ("+33 6 12 34 56 78", "+33612345678"), ("+33612345678", "+33612345678"), ("0033 6 12 34 56 78", "+33612345678"),
    ("+33 (0)6", None), ("+33 06 12 34 56 78", "+33612345678"), ("02 41 39 52 10", "+33241395210"),
    ("061234567", None), ("06123456789", None), ("00 12 34 56 78", None), ("+44 20 7946 0958", None),
    ("appelez-moi", None), ("", None),
])
def test_phone_numbers(typed, expected):
    assert normalise_phone(typed) == expected


def test_phone_is_shown_grouped():
    assert booking_form.display_phone("+33612345678") == "06 12 34 56 78"


@pytest.mark.parametrize("typed, expected", [
    ("marie.dupont@exemple.fr", "marie.dupont@exemple.fr"), ("Marie@Exemple.FR", "Marie@exemple.fr"),
    (" a_b+c@sous.domaine.org ", "a_b+c@sous.domaine.org"),
    ("marie", None), ("marie@", None), ("@exemple.fr", None), ("marie@exemple", None), ("marie@exemple.f", None),
    ("ma rie@exemple.fr", None), ("marie@@exemple.fr", None), ("marie@exemple..fr", None), ("marie@.fr", None),
    ("a@b." + "c" * 200, None),
])
def test_email_addresses(typed, expected):
    assert normalise_email(typed) == expected


def test_contact_is_optional_online_and_required_offline():
    person = {"last_name": "Lefèvre", "first_name": "Ève"}
    assert check(person, contact_required=False).ok
    offline = check(person, contact_required=True)
    assert not offline.ok and offline.problems == {"phone": "contact_needed"}
    assert check({**person, "email": "eve@exemple.fr"}, contact_required=True).person["email"] == "eve@exemple.fr"


def test_every_problem_at_once_with_its_message():
    checked = check({"last_name": "", "first_name": "J3an", "phone": "12", "email": "x@"}, contact_required=False)
    assert checked.problems == {"last_name": "last_name_empty", "first_name": "name_characters",
                                "phone": "phone_shape", "email": "email_shape"}
    assert checked.message("phone").startswith("Ce n")     # French by default, plain words
    assert checked.message("last_name") == "Tapez votre nom."


# -- on screen, through the real app ------------------------------------------------------------

def test_errors_show_under_their_fields_and_nothing_typed_is_lost(town, make_pilot):
    pilot = town.pilot(make_pilot)
    to_person_step(pilot)
    pilot.type("Dupont2")
    pilot.tap("field-phone")
    pilot.type("0612")
    pilot.tap("continue")
    assert pilot.screen.name == "booking_person"
    assert "que des lettres" in pilot.widget("field-last_name").error
    assert "Tapez votre prénom" in pilot.widget("field-first_name").error
    assert "pas un numéro de téléphone français" in said(pilot)
    assert pilot.app.visit.fields["booking_last_name"] == "Dupont2"      # kept, to be corrected
    pilot.tap("accessibility")                                             # a detour keeps it all too
    pilot.tap("back")
    assert pilot.app.visit.fields["booking_phone"] == "0612"


def test_a_51st_character_is_refused_with_a_message(town, make_pilot):
    pilot = town.pilot(make_pilot)
    to_person_step(pilot)
    pilot.type("a" * 50)
    pilot.tap("key-a")
    assert len(pilot.app.visit.fields["booking_last_name"]) == 50
    assert "au plus 50 caractères" in pilot.widget("field-last_name").error


def test_enter_moves_to_the_next_field_and_the_phone_is_typed_on_a_numeric_keypad(town, make_pilot):
    from screens.widgets.keypad import NumericKeypad

    pilot = town.pilot(make_pilot)
    to_person_step(pilot)
    pilot.type("Lefèvre")
    pilot.tap("key-enter")
    pilot.type("Ève")
    pilot.tap("key-enter")
    assert isinstance(pilot.widget("keypad"), NumericKeypad) and pilot.screen.find("keyboard") is None
    assert pilot.widget("key-1").rect.height >= pilot.widget("key-enter").rect.height >= 80
    pilot.type("+33 6 12 34 56 78")
    pilot.tap("continue")
    assert pilot.screen.name == "booking_confirm" and "06 12 34 56 78" in said(pilot)
    assert pilot.screen.person == {"last_name": "Lefèvre", "first_name": "Ève", "phone": "+33612345678"}


@pytest.mark.parametrize("typed, shown", [
    ("marie-thérèse dupré-lefèvre", "Marie-Thérèse Dupré-Lefèvre"),
    ("MARIE-THÉRÈSE DUPRÉ-LEFÈVRE", "Marie-Thérèse Dupré-Lefèvre"),
    ("charles de gaulle", "Charles de Gaulle"),
    ("jean de la fontaine", "Jean de la Fontaine"),
    ("anne d'ornano", "Anne d'Ornano"),
    ("anne d’ornano", "Anne d’Ornano"),
    ("pierre du  bellay", "Pierre du Bellay"),
    ("yann le goff", "Yann le Goff"),
    ("le goff", "Le Goff"),                 # the first word of a name keeps its capital
    ("d'artagnan", "D'Artagnan"),
    ("o'neil", "O'Neil"),
    ("McBride", "McBride"),                 # a deliberate mix of cases stays as typed
    ("ève", "Ève"),
    ("", ""),
])
def test_names_are_shown_the_french_way(typed, shown):
    assert booking_form.display_name(typed) == shown


def test_the_person_is_sent_as_typed_and_shown_capitalised():
    checked = check({"last_name": "dupré-lefèvre", "first_name": "marie-thérèse", "phone": "0612345678"},
                         contact_required=False)
    assert checked.person["last_name"] == "dupré-lefèvre" and checked.person["first_name"] == "marie-thérèse"
    assert booking_form.person_name(checked.person) == "Marie-Thérèse Dupré-Lefèvre"
