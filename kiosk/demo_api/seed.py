"""Deterministic seed of the reference server: the same start day gives the same town.

Everything dated (slots, events, closures, tracking steps) is placed relative to the day
the database is created, so a demo started any day has 30 days of availability ahead,
one event already over and closures that matter. Only the Ed25519 keys are random (see
``signing.add_key``).
"""

from __future__ import annotations

import json
import random
import sqlite3
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from . import db, published_forms, signing
from . import seed_data as d
from .holidays import is_holiday

PARIS = ZoneInfo("Europe/Paris")
SLOT_DAYS = 30
SEED = 49170
STREET_SEED = 491702   # the streets' own draws: the places' and tracking's must not move


def local(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), PARIS)


SlotRow = tuple[str, str, str, str, int, int]   # id, agenda id, start, end, start timestamp, capacity


MAIRIE_CLOSED_AFTER = 12   # days after the seeding day: the Mairie's exceptional closure


def place_closures(today: date) -> dict[str, list[dict[str, str]]]:
    """The exceptional closures of the seeded places (dates relative to the seeding day)."""
    bridge = today + timedelta(days=MAIRIE_CLOSED_AFTER)
    return {"pl-mairie": [{"start": bridge.isoformat(), "end": bridge.isoformat(),
                           "reason": "Fermeture exceptionnelle : formation des agents"}],
            "pl-mediatheque": [{"start": (today + timedelta(days=3)).isoformat(),
                                "end": (today + timedelta(days=9)).isoformat(), "reason": "Inventaire annuel"}]}


def _closed_days(agenda_id: str, seeded_on: date) -> set[date]:
    """Days the place of the agenda's services is closed exceptionally: no slot there."""
    at = {str(s["place_id"]) for s in d.SERVICES if agenda_id in cast("list[str]", s["agenda_ids"])}
    out: set[date] = set()
    for place_id in at:
        for closure in place_closures(seeded_on).get(place_id, []):
            day, last = date.fromisoformat(closure["start"]), date.fromisoformat(closure["end"])
            while day <= last:
                out.add(day)
                day += timedelta(days=1)
    return out


def slot_rows(agenda: d.Agenda, first_day: date, days: int = SLOT_DAYS, *,
              seeded_on: date | None = None) -> Iterator[SlotRow]:
    """Slots of one agenda: its weekly pattern, minus French public holidays and, given the
    seeding day, minus its place's exceptional closures (the catalog says it is closed)."""
    agenda_id, _name, _counter, _letter, minutes, capacity, weekly = agenda
    closed = _closed_days(agenda_id, seeded_on) if seeded_on is not None else set()
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if is_holiday(day) or day in closed:
            continue
        for start_s, end_s in weekly.get(day.weekday(), []):
            start, stop = local(day, start_s), local(day, end_s)
            while start + timedelta(minutes=minutes) <= stop:
                end = start + timedelta(minutes=minutes)
                yield (f"{agenda_id}-{start:%Y%m%d%H%M}", agenda_id, start.isoformat(), end.isoformat(),
                       int(start.timestamp()), capacity)
                start = end


def places(rng: random.Random, today: date) -> list[dict[str, Any]]:
    lat0, lon0 = d.CENTER

    def jitter() -> tuple[float, float]:
        return round(lat0 + rng.uniform(-0.018, 0.018), 6), round(lon0 + rng.uniform(-0.026, 0.026), 6)

    def address(street: str) -> dict[str, str]:
        return {"street": street, "postcode": d.POSTCODE, "city": d.TOWN}

    out: list[dict[str, Any]] = []
    lat: float | None
    lon: float | None
    for pid, name, category, street, hours, phone, wheelchair in d.FIXED_PLACES:
        lat, lon = d.CENTER if pid == "pl-mairie" else jitter()
        out.append({"id": pid, "name": name, "category": category, "address": address(street),
                    "latitude": lat, "longitude": lon, "phone": phone, "opening_hours": hours,
                    "closures": [], "wheelchair": wheelchair})
    for place in out:
        place["closures"] = place_closures(today).get(place["id"], [])
    for odd in d.ODD_PLACES:
        lat, lon = (None, None) if odd.get("coords", "absent") is None else jitter()
        out.append({"id": odd["id"], "name": odd["name"], "category": odd["category"],
                    "address": address(odd["street"]), "latitude": lat, "longitude": lon, "phone": None,
                    "opening_hours": odd["opening_hours"], "closures": [], "wheelchair": "unknown"})
    n = 0
    names = {p["name"] for p in out}
    for category, template, hour_choices, count in d.GENERATED_KINDS:
        # shops get distinct family names (two « Boulangerie Bodin » would confuse a search)
        surnames = rng.sample(d.SURNAMES, count) if count <= len(d.SURNAMES) else [""] * count
        for i in range(count):
            n += 1
            street = rng.choice(d.STREETS)
            name = template.format(surname=surnames[i], street=street)
            suffix = 2
            while name in names:  # a second bus stop in the same street: « … » 2
                name = template.format(surname=surnames[i], street=street) + f" {suffix}"
                suffix += 1
            names.add(name)
            lat, lon = jitter()
            has_phone = category in ("Commerce", "Santé") and "Défibrillateur" not in template
            out.append({
                "id": f"pl-{n:04d}", "name": name, "category": category,
                "address": address(f"{rng.randint(1, 60)} {street}" if has_phone else street),
                "latitude": lat, "longitude": lon,
                "phone": (f"02 41 {rng.randint(30, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                          if has_phone else None),
                "opening_hours": rng.choice(hour_choices), "closures": [],
                "wheelchair": rng.choice(["yes", "yes", "limited", "no", "unknown"])})
    return out


def pages(now: datetime) -> list[dict[str, Any]]:
    stamp = now.replace(microsecond=0).isoformat()
    return [
        {"id": "pg-horaires", "title": "Horaires de la mairie", "format": "text/markdown", "updated_at": stamp,
         "body": "**Lundi au vendredi** : 8 h 30 – 12 h et 13 h 30 – 17 h\n\n**Samedi** : 9 h – 12 h\n\n"
                 "Fermée les jours fériés."},
        {"id": "pg-dechets", "title": "Collecte des déchets", "format": "text/markdown", "updated_at": stamp,
         "body": "Ordures ménagères : **mardi matin**. Tri sélectif (sacs jaunes) : **jeudi des semaines paires**.\n\n"
                 "Sortez vos bacs la veille au soir."},
        {"id": "pg-urgences", "title": "Numéros d'urgence", "format": "text/plain", "updated_at": stamp,
         "body": "SAMU : 15\nPolice / gendarmerie : 17\nPompiers : 18\nNuméro d'urgence européen : 112\n"
                 "Pharmacie de garde : 32 37"},
        {"id": "pg-cimetiere", "title": "Cimetière : concessions", "format": "text/plain", "updated_at": stamp,
         "body": "Les concessions se demandent à l'accueil de la mairie. Durées : 15, 30 ou 50 ans."},
        {"id": "pg-bulletin", "title": "Le mot du maire", "format": "text/x-spip", "updated_at": stamp,
         "body": "{{Chères Clémentaises, chers Clémentais,}}\n\n[->art12] {Les travaux de la place} avancent."},
    ]


def events(today: date) -> list[dict[str, Any]]:
    def ev(eid: str, title: str, desc: str, day_offset: int, start: str, end: str, place: str | None,
           category: str) -> dict[str, Any]:
        day = today + timedelta(days=day_offset)
        return {"id": eid, "title": title, "description": desc, "start": local(day, start).isoformat(),
                "end": local(day, end).isoformat(), "place_id": place, "category": category}

    return [
        ev("ev-vide-grenier", "Vide-grenier du comité des fêtes", "Exposants dès 6 h, buvette sur place.",
           -10, "08:00", "18:00", "pl-marche", "Animation"),  # already over
        ev("ev-conseil", "Conseil municipal", "Séance publique ; ordre du jour affiché en mairie.",
           4, "20:00", "22:00", "pl-mairie", "Vie municipale"),
        ev("ev-conte", "Heure du conte", "Pour les 3-6 ans, entrée libre.", 6, "10:30", "11:30",
           "pl-mediatheque", "Culture"),
        ev("ev-don-sang", "Collecte de sang", "Avec l'Établissement français du sang. Venez avec une pièce d'identité.",
           9, "15:30", "19:30", "pl-salle-fetes", "Solidarité"),
        ev("ev-producteurs", "Marché des producteurs", "Vins du Layon, fromages et légumes de saison.",
           16, "16:00", "20:00", "pl-marche", "Animation"),
        ev("ev-atelier-numerique", "Atelier numérique : démarches en ligne", "Apprendre à utiliser FranceConnect.",
           11, "14:00", "16:00", "pl-maison-services", "Numérique"),
        ev("ev-ceremonie", "Cérémonie commémorative", "Rassemblement devant le monument aux morts.",
           20, "11:00", "12:00", None, "Vie municipale"),
    ]


TRACKING_TYPES = {
    "Demande d'acte de naissance": ["Demande reçue", "Recherche de l'acte", "Acte envoyé"],
    "Permis de construire": ["Dossier déposé", "Dossier complet", "Consultation des services", "Instruction",
                             "Décision"],
    "Déclaration préalable de travaux": ["Dossier déposé", "Instruction", "Décision"],
    "Inscription scolaire": ["Demande reçue", "Affectation de l'école", "Inscription confirmée"],
    "Demande de logement social": ["Demande enregistrée", "Passage en commission", "Proposition de logement"],
    "Occupation du domaine public": ["Demande reçue", "Avis des services techniques", "Arrêté signé"],
    "Signalement voirie": ["Signalement reçu", "Intervention programmée", "Intervention réalisée"],
}
MESSAGES = {
    "Permis de construire": "Merci de fournir la notice décrivant le terrain et le projet (PC4).",
    "Déclaration préalable de travaux": "Merci de déposer le plan de masse coté (DP2) en mairie ou sur le portail.",
    "Inscription scolaire": "Merci d'apporter le certificat de radiation de l'ancienne école.",
    "Demande de logement social": "Merci de mettre à jour votre avis d'imposition sur le portail.",
}


REFUSAL_STEP = "Demande refusée"
REFUSALS = {
    "Permis de construire": "Votre demande ne respecte pas le plan local d'urbanisme ; un courrier vous a été envoyé.",
    "Déclaration préalable de travaux":
        "Votre demande ne respecte pas le plan local d'urbanisme ; un courrier vous a été envoyé.",
}


def tracking(rng: random.Random, now: datetime, count: int = 60) -> list[dict[str, Any]]:
    """Requests that agree with themselves, as the contract's TrackedRequest says: the
    current step is the first step not done (the last one once the request is closed); a
    refused request lists the steps that happened, then the refusal, and nothing it refused.
    The generator's draws stay the same (the demo's numbers and their statuses must not move):
    where a refusal stopped comes from the number itself."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    types = list(TRACKING_TYPES)
    while len(out) < count:
        code = "".join(rng.choice(letters) for _ in range(4)) + f"-{rng.randint(0, 9999):04d}"
        if code in seen:
            continue
        seen.add(code)
        kind = types[len(out) % len(types)]
        labels = TRACKING_TYPES[kind]
        outcome = rng.choice(["in_progress", "in_progress", "waiting_citizen", "completed", "rejected"])
        if outcome == "waiting_citizen" and kind not in MESSAGES:
            outcome = "in_progress"
        done = len(labels) if outcome in ("completed", "rejected") else rng.randint(1, len(labels) - 1)
        start = now - timedelta(days=rng.randint(5, 90))
        if outcome == "rejected":      # stopped after 1 to len-1 steps, then refused
            done = 1 + int(code[-4:]) % (len(labels) - 1)
            labels = [*labels[:done], REFUSAL_STEP]
            done += 1
        steps = [{"label": lab, "date": (start + timedelta(days=7 * i)).date().isoformat() if i < done else None,
                  "done": i < done} for i, lab in enumerate(labels)]
        current = labels[done] if done < len(labels) else labels[-1]
        message = MESSAGES[kind] if outcome == "waiting_citizen" else (
            REFUSALS.get(kind, "Votre demande n'a pas pu être acceptée ; un courrier vous en donne la raison.")
            if outcome == "rejected" else None)
        updated = start + timedelta(days=7 * (done - 1), hours=rng.randint(8, 17) - start.hour)
        out.append({"tracking_code": code, "request_type": kind, "status": outcome, "current_step": current,
                    "steps": steps, "message": message,
                    "updated_at": updated.astimezone(PARIS).replace(microsecond=0).isoformat()})
    return out


def street_id(name: str) -> str:
    """``rue Jeanne-d'Arc`` → ``st-rue-jeanne-d-arc``: stable, ASCII, in the contract's id pattern."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "st-" + "-".join("".join(c if c.isalnum() else " " for c in ascii_name).split())


def streets() -> list[dict[str, Any]]:
    """The town's streets, each with a point about its middle (drawn around the town centre)."""
    rng = random.Random(STREET_SEED)
    lat0, lon0 = d.CENTER
    return [{"id": street_id(name), "name": name[0].upper() + name[1:], "postcode": d.POSTCODE,
             "latitude": round(lat0 + rng.uniform(-0.015, 0.015), 6),
             "longitude": round(lon0 + rng.uniform(-0.022, 0.022), 6)}
            for name in d.TOWN_STREETS]


def add_demarches(conn: sqlite3.Connection, now: datetime) -> int:
    """Publish the seed's forms and the street list in a database seeded before démarches existed
    (or a new one); a town that published or withdrew forms, or edited its streets, keeps its own."""
    added = 0
    with db.write(conn):
        if conn.execute("SELECT 1 FROM catalog WHERE kind='form' LIMIT 1").fetchone() is None:
            for form in published_forms.seed_forms():
                published_forms.publish(conn, form, now, keep_version=True)
                added += 1
        if conn.execute("SELECT 1 FROM catalog WHERE kind='street' LIMIT 1").fetchone() is None:
            for street in streets():
                db.put_catalog(conn, "street", street)
                added += 1
    return added


def extend_slots(conn: sqlite3.Connection, now: datetime) -> int:
    """Publish the days that entered the 30-day horizon since the last start, as the
    town's back office would (a demo database reused for weeks keeps availability).
    New slots get new versions, so terminals receive them in their next delta."""
    today = now.astimezone(PARIS).date()
    added = 0
    with db.write(conn):
        for agenda in d.AGENDAS:
            last = conn.execute("SELECT max(start_ts) FROM slots WHERE agenda_id=?", (agenda[0],)).fetchone()[0]
            first = (today if last is None
                     else max(today, datetime.fromtimestamp(last, PARIS).date() + timedelta(days=1)))
            days = (today + timedelta(days=SLOT_DAYS) - first).days
            rows = list(slot_rows(agenda, first, days))
            for row in rows:
                conn.execute("INSERT INTO slots(id, agenda_id, start, end, start_ts, capacity, version) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", (*row, db.bump(conn, "slot_version")))
            added += len(rows)
            if rows:
                conn.execute("UPDATE agendas SET version=? WHERE id=?", (db.current(conn, "slot_version"), agenda[0]))
    return added


def add_walk_ins(conn: sqlite3.Connection) -> int:
    """Give the seeded services their walk-in data in a database seeded before it existed (a
    demo database reused across versions); a service edited since keeps what it has."""
    added = 0
    with db.write(conn):
        for service in d.SERVICES:
            row = conn.execute("SELECT body FROM catalog WHERE kind='service' AND id=? AND deleted=0",
                               (service["id"],)).fetchone()
            if "walk_in" in service and row is not None and "walk_in" not in json.loads(row["body"]):
                db.put_catalog(conn, "service", {**json.loads(row["body"]), "walk_in": service["walk_in"]})
                added += 1
    return added


def seed(conn: sqlite3.Connection, now: datetime) -> None:
    """Fill an empty database (one transaction)."""
    today = now.astimezone(PARIS).date()
    rng = random.Random(SEED)
    with db.write(conn):
        for agenda in d.AGENDAS:
            conn.execute("INSERT INTO agendas(id, name, counter, letter) VALUES (?, ?, ?, ?)", agenda[:4])
            for row in slot_rows(agenda, today, seeded_on=today):
                conn.execute("INSERT INTO slots(id, agenda_id, start, end, start_ts, capacity, version) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", (*row, db.bump(conn, "slot_version")))
            version = db.current(conn, "slot_version")
            conn.execute("UPDATE agendas SET version=? WHERE id=?", (version, agenda[0]))
        for kind, items in (("service", d.SERVICES), ("place", places(rng, today)), ("page", pages(now)),
                            ("event", events(today))):
            for item in items:
                db.put_catalog(conn, kind, item)
        for item in tracking(rng, now):
            conn.execute("INSERT INTO tracking VALUES (?, ?)", (item["tracking_code"], json.dumps(item)))
        year = now.astimezone(UTC).year
        signing.add_key(conn, f"scv-{year - 1}-01", now - timedelta(days=400), 365,
                        revoked_at=now - timedelta(days=40))
        signing.add_key(conn, f"scv-{year}-01", now - timedelta(days=1), 365)
        conn.execute("INSERT INTO meta VALUES ('seeded_at', ?)", (now.isoformat(),))
    add_demarches(conn, now)
