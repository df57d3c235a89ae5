"""A fictional French town's places and slots, generated from a seed, for benchmarks and tests.

Realistic on purpose: place search speed depends on how words repeat ("rue", "école",
"Jean", "Saint-…"), and accents must be there for the accent-insensitive index to matter.
The same seed always gives the same data, so benchmark figures compare across runs.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

CATEGORIES = {
    "Mairie": ["Mairie annexe", "Hôtel de ville", "Mairie de quartier"],
    "Bibliothèque": ["Médiathèque", "Bibliothèque", "Ludothèque"],
    "École": ["École maternelle", "École élémentaire", "Groupe scolaire", "Collège"],
    "Petite enfance": ["Crèche", "Halte-garderie", "Relais petite enfance"],
    "Sport": ["Gymnase", "Piscine", "Stade", "Salle de sport", "Complexe sportif", "Skatepark"],
    "Culture": ["Conservatoire", "Théâtre", "Musée", "Salle des fêtes", "Cinéma municipal"],
    "Social": ["Centre social", "CCAS", "Maison des solidarités", "Épicerie solidaire"],
    "Santé": ["Centre de santé", "Centre de vaccination", "Maison médicale"],
    "Environnement": ["Déchèterie", "Parc", "Jardin partagé", "Square"],
    "Sécurité": ["Police municipale", "Caserne des pompiers"],
    "Services publics": ["France Services", "Bureau de poste", "Maison de l'emploi", "Point info jeunesse"],
}
PEOPLE = ["Jean Jaurès", "Victor Hugo", "Louise Michel", "Jules Ferry", "Marie Curie", "Jean Moulin",
          "Simone Veil", "Aimé Césaire", "Olympe de Gouges", "Émile Zola", "Georges Brassens", "Colette",
          "Pierre Mendès France", "Lucie Aubrac", "Joséphine Baker", "Albert Camus", "Gisèle Halimi",
          "Honoré de Balzac", "Jean de La Fontaine", "Antoine de Saint-Exupéry", "Germaine Tillion",
          "Édith Piaf", "Frédéric Mistral", "Paul Éluard", "George Sand", "Léon Blum", "Camille Claudel"]
PLACES = ["des Tilleuls", "du Marché", "de la Gare", "des Écoles", "du Château", "de l'Église", "des Lilas",
          "du Moulin", "de la République", "de la Liberté", "des Peupliers", "du Stade", "de la Fontaine",
          "des Acacias", "du Général-de-Gaulle", "de la Paix", "du 8-Mai-1945", "des Vignes", "de Bellevue"]
DISTRICTS = ["Centre", "Les Brotteaux", "Saint-Jean", "La Croix-Rousse", "Les Charmettes", "Bel-Air",
             "Le Tonkin", "Grandclément", "Cusset", "Les Buers", "Château-Gaillard", "Croix-Luizet"]
STREET_TYPES = ["rue", "avenue", "boulevard", "place", "allée", "impasse", "chemin", "cours", "quai"]
HOURS = ["Mo-Fr 08:30-12:00,13:30-17:00", "Mo-Fr 09:00-17:00; Sa 09:00-12:00", "Tu-Sa 10:00-18:00",
         "Mo-Su 07:00-21:00", "Mo,Tu,Th,Fr 08:30-12:00,13:30-17:30; We 08:30-12:00", "24/7"]
TOWN = ("69100", "Villeurbanne")


def _street(rng: random.Random) -> str:
    kind = rng.choice(STREET_TYPES)
    name = rng.choice(PEOPLE) if rng.random() < 0.6 else rng.choice(PLACES)
    if name in PEOPLE and rng.random() < 0.5:
        name = name.replace(" ", "-")
    return f"{kind} {name}"


def places(count: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``count`` places: name, category, address with postcode, coordinates, phone, hours."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        category = rng.choice(list(CATEGORIES))
        kind = rng.choice(CATEGORIES[category])
        r = rng.random()
        if r < 0.45:
            name = f"{kind} {rng.choice(PEOPLE)}"
        elif r < 0.8:
            name = f"{kind} {rng.choice(DISTRICTS)}"
        else:
            name = f"{kind} {rng.choice(PLACES)}"
        number = rng.randint(1, 180)
        suffix = rng.choice(["", "", "", " bis", " ter"])
        address = f"{number}{suffix} {_street(rng)}, {TOWN[0]} {TOWN[1]}"
        out.append({
            "id": f"pl-{i:05d}", "name": name, "category": category, "address": address,
            "lat": round(45.766 + rng.uniform(-0.03, 0.03), 6), "lon": round(4.879 + rng.uniform(-0.04, 0.04), 6),
            "phone": f"04 78 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "opening_hours": rng.choice(HOURS),
            "closures": [{"date": "2026-12-25", "reason": "Noël"}] if rng.random() < 0.2 else [],
            "wheelchair": rng.choice(["yes", "yes", "limited", "no"]),
            "updated": "2026-11-20T10:00:00Z",
        })
    return out


def agendas(count: int) -> list[dict[str, Any]]:
    return [{"id": f"ag-{i:03d}", "name": f"Guichet {i + 1}", "place_id": "pl-00000"} for i in range(count)]


def slots(count: int, agenda_count: int = 20, start: datetime | None = None) -> list[dict[str, Any]]:
    """``count`` quarter-hour slots spread over ``agenda_count`` agendas, working hours only."""
    start = start or datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    per_agenda = -(-count // agenda_count)
    out: list[dict[str, Any]] = []
    for a in range(agenda_count):
        t = start
        for _ in range(per_agenda):
            if len(out) == count:
                break
            end = t + timedelta(minutes=15)
            out.append({"id": f"sl-{a:03d}-{t:%Y%m%d%H%M}", "agenda_id": f"ag-{a:03d}",
                        "start": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "places_left": (len(out) * 7) % 4})
            t = end if end.hour < 16 else (end + timedelta(days=1)).replace(hour=7, minute=30)
    return out
