"""One visit's form: conditional fields appear and disappear with the answers, one page at a time
with « Étape n sur N », errors in plain words under their field (the town's own sentence first),
back and « Modifier », the contact asked before filing offline, and everything forgotten at the end."""

from __future__ import annotations

from datetime import date

import pytest
from demarche_fixtures import fill_report, pet_form, seed_form

from kiosk.demarches import Session, Widget, parse_form

PET = parse_form(pet_form())
REPORT = parse_form(seed_form("signalement-voirie"))


def test_a_conditional_field_appears_and_disappears_with_the_answer_it_depends_on():
    session = Session(PET, "fr")
    assert [f.name for f in session.page.fields] == ["category"]
    session.set_answer("category", "two")
    assert [f.name for f in session.page.fields] == ["category", "vaccinated_on"]
    vaccine = session.page.fields[1]
    assert (vaccine.widget, vaccine.label, vaccine.required) == (Widget.DATE, "Date du vaccin", True)
    session.set_answer("vaccinated_on", date(2026, 3, 2))
    assert session.answers()["vaccinated_on"] == "2026-03-02"
    session.set_answer("category", "none")
    assert [f.name for f in session.page.fields] == ["category"]
    assert "vaccinated_on" not in session.answers()      # a hidden field's answer is never sent


@pytest.mark.parametrize(("language", "texts"), [
    ("fr", {"category": "Répondez à cette question, s’il vous plaît.",
            "vaccinated_on": "Indiquez une date valide."}),
    ("en", {"category": "Please answer this question.", "vaccinated_on": "Please enter a valid date."}),
])
def test_generic_messages_in_the_visit_language(language, texts):
    session = Session(PET, language)
    assert not session.next()
    assert session.errors() == {"category": texts["category"]}
    assert session.page.fields[0].error == texts["category"]
    session.set_answer("category", "one")
    assert session.errors() == {}                          # a new answer clears its error
    session.set_answer("vaccinated_on", "2026-02-30")      # no such day
    assert not session.next()
    assert session.errors() == {"vaccinated_on": texts["vaccinated_on"]}


def test_the_towns_sentence_wins_over_the_generic_one():
    session = Session(PET, "en")
    session.set_answer("category", "none")
    assert session.next() and session.page.id == "owner"
    session.set_answer("owner_name", "X")
    session.set_answer("phone", "06 12")
    session.set_answer("muzzle", False)
    assert not session.next()
    assert session.errors() == {"owner_name": "The name needs at least 2 letters.",
                                "phone": "Please enter a French phone number of 10 digits, such as 06 12 34 56 78."}


def test_report_messages_length_and_where():
    session = Session(REPORT, "fr")
    session.set_answer("category", "roads")
    assert session.next()
    assert session.page.fields[0].display == "Ici, près de cette borne"     # « ici » by default
    session.set_answer("where", None)
    assert not session.next() and session.errors() == {"where": "Indiquez où se trouve le problème."}
    session.set_answer("where", {"kind": "here"})
    assert session.next() and session.page.number == 3 and session.page.count == 4
    session.set_answer("description", "Trou")
    assert not session.next()
    assert session.errors()["description"].startswith("Décrivez le problème en quelques mots")
    assert session.page.fields[0].max_length == 500 and session.page.fields[0].widget is Widget.TEXT
    session.set_answer("description", "x" * 501)
    assert not session.next() and session.errors()["description"] == "500 caractères au plus."
    session.set_answer("description", "Un trou dans la chaussée devant l'école.")
    assert session.next() and session.page.id == "contact"
    session.set_answer("email", "pas-une-adresse")
    assert not session.next() and session.errors()["email"] == "Cette réponse n’a pas la forme attendue."
    session.set_answer("email", "lea.martin@exemple.fr")
    assert session.next() and session.at_summary


def test_back_and_edit():
    session = Session(REPORT, "en")
    assert not session.back()                       # first page: the screen goes to « Before you start »
    fill_report(session)
    assert session.back() and session.page.id == "contact"
    assert session.next() and session.at_summary
    session.edit("description")
    session.set_answer("description", "The street light is out since Monday evening.")
    assert session.next() and session.at_summary    # « Modifier » comes back to the summary
    assert [r.page_id for r in session.summary()] == ["category", "where", "description"]
    with pytest.raises(KeyError):
        session.edit("no-such-page")


def test_contact_is_required_offline_only_and_checked():
    session = Session(REPORT, "fr")
    fill_report(session)
    assert not session.needs_contact(offline=False)
    assert session.needs_contact(offline=True)
    assert "hors ligne" in session.contact_reason()
    problems = session.set_contact(phone="12")
    assert list(problems) == ["phone"] and problems["phone"].startswith("Indiquez un numéro de téléphone français")
    assert session.needs_contact(offline=True)
    assert session.set_contact(phone="06 12 34 56 78") == {}
    assert not session.needs_contact(offline=True) and session.contact.phone == "0612345678"


def test_a_contact_typed_in_the_form_counts():
    session = Session(REPORT, "fr")
    fill_report(session, email="lea.martin@exemple.fr")
    assert not session.needs_contact(offline=True)
    assert session.contact.as_json() == {"email": "lea.martin@exemple.fr"}


def test_wipe_forgets_every_answer_and_the_contact():
    session = Session(REPORT, "fr")
    fill_report(session, email="lea.martin@exemple.fr")
    session.set_contact(phone="0612345678")
    session.wipe()
    assert session.answers() == {} and session.wiped and not session.contact
    assert not session.at_summary and session.page.number == 1
    assert "lea.martin" not in repr(vars(session))
