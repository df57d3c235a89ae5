"""Answers of the contract's shape for the sync-round tests: a sound catalog, slot lists and key set,
each with one time that can be set to anything (the extreme ones a fuzzer found)."""

from __future__ import annotations

import base64
import random
from datetime import timedelta
from typing import get_args

from timebase import test_now

from kiosk.api import models

START = test_now()
EXTREME = "0001-01-01T00:00:00+14:00"   # valid ISO 8601 and valid for the models, but before year 1 in UTC
DOMAINS = list(get_args(models.Domain))


def _key(kid: str, not_before: str | None = None) -> dict:
    return {"kid": kid, "alg": "EdDSA", "crv": "Ed25519",
            "public_key": base64.urlsafe_b64encode(random.Random(kid).randbytes(32)).decode().rstrip("="),
            "not_before": not_before or (START - timedelta(days=30)).isoformat(),
            "not_after": (START + timedelta(days=300)).isoformat()}


def _keys(not_before: str | None = None, revoked_at: str | None = None) -> dict:
    return {"keys": [_key("k-2026", not_before)],
            "revoked_keys": [{"kid": "k-2019", "revoked_at": revoked_at or START.isoformat()}],
            "revoked_tokens": [{"jti": "tok-1", "revoked_at": START.isoformat()}]}


def _catalog(event_start: str | None = None) -> dict:
    return {"cursor": "c1", "full": True,
            "services": [{"id": "svc-cni", "name": "Carte d'identité", "domain": DOMAINS[0], "description": "",
                          "documents": [], "duration_minutes": 15, "agenda_ids": ["ag-1", "ag-2"], "place_id": None}],
            "places": [],
            "pages": [],
            "events": [{"id": "ev-1", "title": "Marché", "description": "", "place_id": None, "category": "fête",
                        "start": event_start or (START + timedelta(days=2)).isoformat(),
                        "end": (START + timedelta(days=2, hours=3)).isoformat()}],
            "deleted": {"services": [], "places": [], "pages": [], "events": []}}


def _slots(agenda: str, start: str | None = None) -> dict:
    first = (START + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    return {"agenda_id": agenda, "cursor": "s1", "full": True, "deleted": [],
            "slots": [{"id": f"{agenda}-s1", "start": start or first.isoformat(),
                       "end": (first + timedelta(minutes=15)).isoformat(), "places_left": 1}]}


GOOD = {"v1/catalog": _catalog(), "v1/agendas/ag-1/": _slots("ag-1"), "v1/agendas/ag-2/": _slots("ag-2"),
        "v1/keys": _keys()}
