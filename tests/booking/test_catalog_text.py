"""The catalog's words in the visit language (kiosk.catalog_text): the town's text where it gives
it, French otherwise, and ``french_only`` true exactly when something shown is French."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kiosk.api.models import Service
from kiosk.catalog_text import domain_name, service_text
from kiosk.i18n import set_language

BASE = {"id": "s", "name": "Passeport", "domain": "État civil", "description": "Demande de passeport.",
        "documents": [], "duration_minutes": 20, "agenda_ids": [], "place_id": None}


@pytest.mark.parametrize(("translations", "expected"), [
    ({"en": {"name": "Passport", "description": "Passport application."}},
     ("Passport", "Passport application.", False)),
    ({"en": {"name": "Passport"}}, ("Passport", "Demande de passeport.", True)),        # half translated
    ({"en": {"description": "Passport application."}}, ("Passeport", "Passport application.", True)),
    ({"de": {"name": "Reisepass"}}, ("Passeport", "Demande de passeport.", True)),      # another language
    ({}, ("Passeport", "Demande de passeport.", True)),
    ('{"en": {"name": "Passport", "description": "x"}}', ("Passport", "x", False)),    # JSON text, as cached
    ("not json", ("Passeport", "Demande de passeport.", True)),                          # damaged: French
])
def test_english_text_or_french_saying_so(translations, expected):
    text = service_text({**BASE, "translations": translations}, "en")
    assert (text.name, text.description, text.french_only) == expected
    assert service_text({**BASE, "translations": translations}, "fr").name == "Passeport"


def test_contract_translations_are_optional_and_checked():
    assert Service.model_validate(BASE).translations == {}                  # catalogs from before
    assert Service.model_validate({**BASE, "translations": {"en": {"name": "Passport"}}}).translations[
        "en"].description is None
    with pytest.raises(ValidationError):
        Service.model_validate({**BASE, "translations": {"english": {"name": "Passport"}}})
    with pytest.raises(ValidationError):
        Service.model_validate({**BASE, "translations": {"en": {"name": ""}}})


def test_domains_in_the_ui_language():
    set_language("en")
    assert domain_name("État civil") == "Civil status" and domain_name("Astrologie") == "Astrologie"
    set_language("fr")
    assert domain_name("État civil") == "État civil" and domain_name("Réglementation") == "Réglementation"
