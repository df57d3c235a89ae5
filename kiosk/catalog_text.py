"""The catalog's words in the visit language, and nothing false about it.

The town writes its catalog in French; it may add its own translation of a service's name and
description (the contract's ``translations``, ``{"en": {"name": …, "description": …}}``). A
screen shows the visit language's text when the town gives it, else the French text — never a
machine guess — and then says once, in the visit language, that this information is given in
French only (:data:`FRENCH_ONLY`). The domains are the contract's fixed list, so the kiosk
translates them itself (:func:`domain_name`).

Pure functions of a cache row (``offline_cache.places.services``: ``translations`` decoded) and
a language code: the screens call them with the visit's language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.i18n import N_, _

TOWN_LANGUAGE = "fr"

# Shown once per screen when a visit in another language sees some of the town's French text.
FRENCH_ONLY = N_("This information is given by the town in French only.")

# The contract's domains (kiosk.api.models.Domain), in the kiosk's own catalogs: msgids are English.
_DOMAINS = {
    "État civil": N_("Civil status"),
    "Citoyenneté": N_("Citizenship"),
    "Éducation": N_("Education"),
    "Urbanisme": N_("Town planning"),
    "Social-Solidarité": N_("Social support"),
    "Réglementation": N_("Permits and regulations"),
    "Emploi": N_("Employment"),
    "Réservation": N_("Room booking"),
}


@dataclass(frozen=True)
class ServiceText:
    name: str
    description: str
    french_only: bool   # some of it is the town's French although the visit is in another language


def translations(service: Mapping[str, Any]) -> dict[str, Any]:
    """The row's ``translations`` as a dict, whether decoded already, JSON text, or absent
    (a cache from before v10, a catalog from before translations): never raises."""
    raw = service.get("translations")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def service_text(service: Mapping[str, Any], lang: str) -> ServiceText:
    """Name and description in ``lang`` where the town gives them, else in French."""
    name, description = str(service.get("name") or ""), str(service.get("description") or "")
    if lang == TOWN_LANGUAGE:
        return ServiceText(name, description, False)
    given = translations(service).get(lang)
    given = given if isinstance(given, dict) else {}
    own_name, own_description = given.get("name"), given.get("description")
    french = not own_name or (bool(description) and not own_description)
    return ServiceText(own_name or name, own_description or description, french)


def domain_name(domain: str) -> str:
    """A domain in the current UI language; one the kiosk does not know yet is shown as sent."""
    msgid = _DOMAINS.get(domain)
    return _(msgid) if msgid else domain


def domain_known(domain: str) -> bool:
    """Whether :func:`domain_name` translates it (otherwise it is the town's French)."""
    return domain in _DOMAINS


def french_only_note() -> str:
    return _(FRENCH_ONLY)
