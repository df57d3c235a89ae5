"""Small form definitions of our own, for the engine's tests before and beside the seed's:
a valid one with a condition, one with a widget the terminal does not know, one whose schema
is not valid JSON Schema."""

from __future__ import annotations

import copy
from typing import Any

T = dict[str, Any]


def _t(fr: str, en: str | None = None) -> dict[str, str]:
    return {"fr": fr, "en": en} if en else {"fr": fr}


def pet_form(version: int = 1) -> T:
    """« Déclarer un chien » (made up): a choice, a condition (the breed's category shows a
    vaccination date), a personal name, a phone, a yes/no, a location."""
    return {
        "id": "declaration-chien", "version": version, "kind": "request", "profiles": ["street", "counter"],
        "title": _t("Déclarer un chien", "Register a dog"), "summary": _t("Chiens de catégorie 1 ou 2"),
        "icon": "pets",
        "before": {"who": _t("Le propriétaire", "The owner"), "cost": _t("Gratuit", "Free"),
                   "bring": [_t("Le carnet de vaccination", "The vaccination record")], "delay": _t("Une semaine")},
        "schema": {
            "type": "object",
            "properties": {
                "category": {"type": "string", "enum": ["none", "one", "two"]},
                "owner_name": {"type": "string", "minLength": 2, "maxLength": 40},
                "phone": {"type": "string", "pattern": "^(\\+33|0)[1-9][0-9]{8}$"},
                "muzzle": {"type": "boolean"},
                "where": {"type": "object", "required": ["kind"],
                          "properties": {"kind": {"enum": ["here", "street", "place"]}}},
            },
            "required": ["category", "owner_name", "muzzle"],
            "allOf": [{"if": {"properties": {"category": {"enum": ["one", "two"]}}, "required": ["category"]},
                       "then": {"properties": {"vaccinated_on": {"type": "string", "format": "date"}},
                                "required": ["vaccinated_on"]}}],
        },
        "ui": {
            "pages": [{"id": "dog", "title": _t("Le chien", "The dog"), "fields": ["category", "vaccinated_on"]},
                      {"id": "owner", "title": _t("Le propriétaire", "The owner"),
                       "fields": ["owner_name", "phone", "muzzle"]},
                      {"id": "where", "title": _t("Où vit-il ?"), "fields": ["where"]}],
            "fields": {
                "category": {"widget": "choice", "label": _t("Catégorie", "Category"),
                             "options": {"none": _t("Aucune", "None"), "one": _t("Catégorie 1", "Category 1"),
                                         "two": _t("Catégorie 2", "Category 2")}},
                "vaccinated_on": {"widget": "date", "label": _t("Date du vaccin", "Vaccination date")},
                "owner_name": {"widget": "text", "label": _t("Votre nom", "Your name"), "personal": True},
                "phone": {"widget": "phone", "label": _t("Téléphone", "Phone"), "personal": True},
                "muzzle": {"widget": "yes_no", "label": _t("Muselière ?", "Muzzle?")},
                "where": {"widget": "location", "label": _t("Lieu", "Place")},
            },
            "errors": {"owner_name": {"minLength": _t("Le nom doit avoir au moins 2 lettres.",
                                                      "The name needs at least 2 letters.")}},
        },
        "receipt": {"next": _t("La police municipale vous appellera.", "The municipal police will call you.")},
    }


def unsupported_widget_form() -> T:
    form = copy.deepcopy(pet_form())
    form["id"] = "formulaire-signature"
    form["ui"]["fields"]["owner_name"]["widget"] = "signature"
    return form


def invalid_schema_form() -> T:
    form = copy.deepcopy(pet_form())
    form["id"] = "formulaire-casse"
    form["schema"]["properties"]["owner_name"]["minLength"] = "two"
    return form


SEED_DIR = __import__("pathlib").Path(__file__).resolve().parents[2] / "kiosk" / "demo_api" / "forms"


def seed_form(form_id: str) -> T:
    """One of the reference server's seed forms, as published (a fresh copy)."""
    import json

    return json.loads((SEED_DIR / f"{form_id}.json").read_text(encoding="utf-8"))


def fill_civil_status(session, *, copy_kind: str = "without_parents", link: str = "other",
                      delivery: str = "town_hall", record: str = "birth") -> None:
    """Walk the civil-status form to its summary with plausible answers (asserting each page passes)."""
    session.set_answer("record_type", record)
    session.set_answer("copy_kind", copy_kind)
    assert session.next(), session.errors()
    session.set_answer("requester_link", link)
    assert session.next(), session.errors()
    session.set_answer("last_name", "Martin")
    session.set_answer("first_names", "Léa Marie")
    session.set_answer("event_date", "1990-04-12")
    session.set_answer("event_town", "Angers")
    assert session.next(), session.errors()
    if copy_kind in ("full", "with_parents"):
        session.set_answer("father_name", "Paul Martin")
        assert session.next(), session.errors()
    session.set_answer("delivery", delivery)
    if delivery == "post":
        session.set_answer("address", {"street": "12 rue des Vignes", "postcode": "49170", "city": "Saint-Clément"})
    assert session.next(), session.errors()
    assert session.at_summary


def fill_report(session, *, where=None, description: str = "Le lampadaire ne s'allume plus depuis lundi.",
                email: str | None = None, category: str = "lighting") -> None:
    """Walk the street-report form to its summary."""
    session.set_answer("category", category)
    assert session.next(), session.errors()
    if where is not None:
        session.set_answer("where", where)
    assert session.next(), session.errors()
    session.set_answer("description", description)
    assert session.next(), session.errors()
    if email:
        session.set_answer("email", email)
    assert session.next(), session.errors()
    assert session.at_summary
