"""Hand-written content of the fictional town Saint-Clément-des-Vignes (Maine-et-Loire).

Kept apart from ``seed.py`` (which turns it into rows) so the wording can be reviewed by
someone who knows how a French town hall speaks, without reading code.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

TOWN = "Saint-Clément-des-Vignes"
POSTCODE = "49170"
CENTER = (47.4078, -0.7603)
MAIRIE_PHONE = "02 41 39 52 10"

DAY_HOURS = [("08:30", "12:00"), ("13:30", "17:00")]
# id, name, counter shown on the queue ticket, ticket letter, slot minutes, capacity,
# weekly pattern {weekday (0 = Monday): [(start, end), ...]}
Agenda = tuple[str, str, str, str, int, int, dict[int, list[tuple[str, str]]]]
# Every slot lies inside the opening hours of the place its services are at (FIXED_PLACES: the
# Mairie closes at 17 h on weekdays), and none falls on that place's exceptional closure.
AGENDAS: list[Agenda] = [
    ("ag-etat-civil-1", "État civil — guichet 1", "Guichet 1 — État civil", "A", 20, 1,
     {0: DAY_HOURS, 1: DAY_HOURS, 2: DAY_HOURS, 3: DAY_HOURS, 4: DAY_HOURS, 5: [("09:00", "12:00")]}),
    ("ag-etat-civil-2", "Titres d'identité — guichet 2", "Guichet 2 — Titres d'identité", "B", 30, 1,
     {1: [("09:00", "12:00"), ("14:00", "17:00")], 3: [("09:00", "12:00"), ("14:00", "17:00")]}),
    ("ag-urbanisme", "Service urbanisme", "Bureau 4 — Urbanisme", "U", 45, 1,
     {0: [("14:00", "17:00")], 2: [("09:00", "12:00"), ("14:00", "17:00")]}),
    ("ag-ccas", "CCAS — accueil social", "Bureau 2 — CCAS", "S", 30, 1,
     {0: [("09:00", "12:00")], 1: [("09:00", "12:00")], 3: [("09:00", "12:00"), ("14:00", "16:30")]}),
    ("ag-scolaire", "Affaires scolaires", "Guichet 3 — Éducation", "E", 20, 1,
     {2: [("08:30", "12:00"), ("13:30", "17:00")], 5: [("09:00", "11:40")]}),
    ("ag-emploi", "Point emploi", "Salle du Point emploi", "P", 60, 3, {3: [("09:00", "12:00")]}),
    ("ag-salles", "Vie associative — salles", "Accueil — Vie associative", "R", 30, 1,
     {2: [("10:00", "12:00")], 5: [("09:00", "12:00")]}),
]


def _docs(*labels: str) -> list[dict[str, Any]]:
    return [{"label": label, "note": None} for label in labels]


# A service with ``walk_in`` also hands out numbers without appointment (its own letter, distinct
# from the agendas' letters above); the others (CNI, passport…) receive on appointment only.
# ``translations``: the town's English for a service; « Débit de boissons temporaire » has none on
# purpose (a town rarely translates everything): the kiosk shows it in French, saying so.
SERVICES = [
    {"id": "svc-cni", "name": "Carte nationale d'identité", "domain": "État civil",
     "description": "Première demande ou renouvellement. Faites d'abord la pré-demande en ligne sur le site de l'ANTS.",
     "documents": _docs("Numéro de pré-demande ANTS", "Photo d'identité de moins de 6 mois",
                        "Justificatif de domicile de moins de 1 an", "Ancienne carte d'identité"),
     "duration_minutes": 20, "agenda_ids": ["ag-etat-civil-1", "ag-etat-civil-2"], "place_id": "pl-mairie"},
    {"id": "svc-passeport", "name": "Passeport", "domain": "État civil",
     "description": "Demande de passeport biométrique, adulte ou mineur (en présence du mineur).",
     "documents": _docs("Numéro de pré-demande ANTS", "Photo d'identité de moins de 6 mois",
                        "Timbre fiscal (86 € pour un adulte)", "Justificatif de domicile de moins de 1 an"),
     "duration_minutes": 30, "agenda_ids": ["ag-etat-civil-2", "ag-etat-civil-1"], "place_id": "pl-mairie"},
    {"id": "svc-mariage", "name": "Dossier de mariage ou de PACS", "domain": "État civil",
     "description": "Dépôt du dossier au moins un mois avant la date souhaitée, en présence des deux futurs époux.",
     "documents": _docs("Copie intégrale d'acte de naissance de moins de 3 mois", "Pièce d'identité de chacun",
                        "Justificatif de domicile", "Liste des témoins"),
     "duration_minutes": 40, "agenda_ids": ["ag-etat-civil-1"], "place_id": "pl-mairie"},
    {"id": "svc-listes-electorales", "name": "Inscription sur les listes électorales", "domain": "Citoyenneté",
     "description": "Inscription ou changement d'adresse pour voter à Saint-Clément-des-Vignes.",
     "documents": _docs("Pièce d'identité en cours de validité", "Justificatif de domicile de moins de 3 mois"),
     "duration_minutes": 15, "agenda_ids": ["ag-etat-civil-1"], "place_id": "pl-mairie",
     "walk_in": {"prefix": "C", "hours": "Mo-Fr 08:30-11:45,13:30-16:30; Sa 09:00-11:30; PH off",
                 "daily_capacity": 40, "waiting_area": "Salle d'attente, rez-de-chaussée"}},
    {"id": "svc-recensement", "name": "Recensement citoyen (16 ans)", "domain": "Citoyenneté",
     "description": "Obligatoire dans les trois mois suivant le 16e anniversaire ; l'attestation est remise sur place.",
     "documents": _docs("Pièce d'identité du jeune", "Livret de famille"),
     "duration_minutes": 15, "agenda_ids": ["ag-etat-civil-1"], "place_id": "pl-mairie"},
    {"id": "svc-inscription-scolaire", "name": "Inscription scolaire et périscolaire", "domain": "Éducation",
     "description": "Première inscription à l'école publique, cantine et accueil périscolaire.",
     "documents": _docs("Livret de famille", "Carnet de santé (vaccinations)", "Justificatif de domicile",
                        "Certificat de radiation en cas de changement d'école"),
     "duration_minutes": 20, "agenda_ids": ["ag-scolaire"], "place_id": "pl-mairie"},
    {"id": "svc-urbanisme", "name": "Rendez-vous urbanisme (permis, déclaration préalable)", "domain": "Urbanisme",
     "description": "Conseil avant dépôt d'un permis de construire ou d'une déclaration préalable de travaux.",
     "documents": _docs("Plan de situation", "Plan de masse", "Photos du terrain", "Esquisse du projet"),
     "duration_minutes": 45, "agenda_ids": ["ag-urbanisme"], "place_id": "pl-mairie",
     "walk_in": {"prefix": "T", "hours": "Mo 14:00-16:45; We 09:00-11:30,14:00-16:45; PH off",
                 "daily_capacity": 12, "waiting_area": "Couloir du 1er étage, devant le bureau 4"}},
    {"id": "svc-ccas", "name": "Aide sociale et accompagnement (CCAS)", "domain": "Social-Solidarité",
     "description": "Aides facultatives, domiciliation, dossier APA, téléassistance, aide alimentaire.",
     "documents": _docs("Pièce d'identité", "Dernier avis d'imposition",
                        "Justificatifs de ressources des 3 derniers mois"),
     "duration_minutes": 30, "agenda_ids": ["ag-ccas"], "place_id": "pl-ccas",
     "walk_in": {"prefix": "M", "hours": "Mo,Tu,Th 09:00-11:30; PH off", "daily_capacity": 20,
                 "waiting_area": "Hall du CCAS, 3 rue du Prieuré"}},
    {"id": "svc-debit-boissons", "name": "Débit de boissons temporaire, occupation du domaine public",
     "domain": "Réglementation",
     "description": "Buvette d'association, terrasse, échafaudage ou benne sur la voie publique.",
     "documents": _docs("Statuts de l'association ou Kbis", "Plan d'implantation", "Attestation d'assurance"),
     "duration_minutes": 20, "agenda_ids": ["ag-etat-civil-1"], "place_id": "pl-mairie"},
    {"id": "svc-emploi", "name": "Point emploi : CV et candidatures", "domain": "Emploi",
     "description": "Atelier en petit groupe avec la conseillère : CV, lettre, inscription à France Travail.",
     "documents": _docs("CV si vous en avez un", "Identifiant France Travail"),
     "duration_minutes": 60, "agenda_ids": ["ag-emploi"], "place_id": "pl-maison-services"},
    {"id": "svc-salle", "name": "Réservation d'une salle municipale", "domain": "Réservation",
     "description": "Salle des fêtes, salle du Chai ou salle associative : visite et signature de la convention.",
     "documents": _docs("Attestation d'assurance responsabilité civile", "Chèque de caution"),
     "duration_minutes": 30, "agenda_ids": ["ag-salles"], "place_id": "pl-mairie"},
]

# The town's English for its services (« Débit de boissons temporaire » has none: see above).
ENGLISH = {
    "svc-cni": ("National identity card",
        "First application or renewal. Fill in the pre-application on the ANTS website first."),
    "svc-passeport": ("Passport",
        "Biometric passport application, adult or minor (the minor must be present)."),
    "svc-mariage": ("Marriage or civil partnership (PACS) file",
        "Hand in the file at least one month before the wished date, both future spouses present."),
    "svc-listes-electorales": ("Registering on the electoral rolls",
        "Register, or change your address, to vote in Saint-Clément-des-Vignes."),
    "svc-recensement": ("Citizen census (age 16)",
        "Compulsory within three months after the 16th birthday; the certificate is handed over on the spot."),
    "svc-inscription-scolaire": ("School and after-school registration",
        "First registration at the state school, canteen and after-school care."),
    "svc-urbanisme": ("Town planning appointment (permits, prior declaration)",
        "Advice before applying for a building permit or a prior declaration of works."),
    "svc-ccas": ("Social aid and support (CCAS)",
        "Optional aid, postal address, APA file, remote assistance, food aid."),
    "svc-emploi": ("Job desk: CV and applications",
        "Small-group workshop with the adviser: CV, letter, registering with France Travail."),
    "svc-salle": ("Booking a town hall room",
        "Festival hall, Chai room or association room: visit and signing of the agreement."),
}
for _service in SERVICES:
    if _service["id"] in ENGLISH:
        _name, _description = ENGLISH[str(_service["id"])]
        _service["translations"] = {"en": {"name": _name, "description": _description}}

STREETS = [
    "rue Nationale", "rue des Vignes", "rue du Prieuré", "place de l'Église", "rue Saint-Clément",
    "avenue de la Loire", "rue des Tonneliers", "chemin des Coteaux", "rue du Pressoir", "rue Pasteur",
    "rue Victor-Hugo", "allée des Tilleuls", "rue de la Gare", "impasse du Moulin", "rue des Écoles",
    "boulevard du Layon", "rue Jeanne-d'Arc", "route d'Angers", "rue du Stade", "place du Marché",
    "rue de la Croix-Blanche", "rue des Chênes", "chemin de la Fontaine", "rue du 8-Mai-1945",
    "rue Jules-Ferry", "rue de Chalonnes", "rue des Lavandières", "square des Anciens-Combattants",
]
# The town's street list in the catalog (reports, postal addresses): the streets above (whose list
# must not change: the generated places draw from it) and two more.
TOWN_STREETS = [*STREETS, "place de la Mairie", "rue du Château-d'Eau"]
SURNAMES = ["Martin", "Bernard", "Moreau", "Guérin", "Chevalier", "Bodin", "Rousseau", "Ménard",
            "Gaudin", "Boisseau", "Couëtoux", "Rabouin", "Hamon", "Bertin", "Lebreton", "Péan"]

FIXED_PLACES = [  # id, name, category, street, opening_hours, phone, wheelchair
    ("pl-mairie", "Mairie de Saint-Clément-des-Vignes", "Administration", "1 place de la Mairie",
     "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off", MAIRIE_PHONE, "yes"),
    ("pl-ccas", "CCAS — Centre communal d'action sociale", "Social", "3 rue du Prieuré",
     "Mo,Tu 09:00-12:00; Th 09:00-12:00,14:00-16:30; PH off", "02 41 39 52 14", "yes"),
    ("pl-maison-services", "Maison France Services", "Administration", "12 rue de la Gare",
     "Mo-Fr 09:00-12:30,13:30-17:30; PH off", "02 41 39 52 30", "yes"),
    ("pl-mediatheque", "Médiathèque Louise-Bodin", "Culture", "5 place de l'Église",
     "Tu 15:00-18:30; We 10:00-12:30,14:00-18:30; Fr 15:00-18:30; Sa 10:00-17:00", "02 41 39 52 40", "yes"),
    ("pl-ecole-vignes", "École publique des Vignes", "Éducation", "8 rue des Écoles",
     "Mo,Tu,Th,Fr 08:20-16:30", "02 41 39 60 11", "limited"),
    ("pl-ecole-prieure", "École Sainte-Marie du Prieuré", "Éducation", "21 rue du Prieuré",
     "Mo,Tu,Th,Fr 08:30-16:45", "02 41 39 60 25", "no"),
    ("pl-salle-fetes", "Salle des fêtes du Chai", "Loisirs", "2 rue du Pressoir", None, None, "yes"),
    ("pl-complexe-sportif", "Complexe sportif des Coteaux", "Sport", "chemin des Coteaux",
     "Mo-Fr 17:00-22:00; Sa 09:00-19:00; Su 09:00-12:30", "02 41 39 61 70", "yes"),
    ("pl-piscine", "Piscine intercommunale Layon-Loire", "Sport", "boulevard du Layon",
     "Jun-Aug: Mo-Su 10:00-19:30; Sep-May: We 14:00-18:00; Sa,Su 10:00-12:30,14:00-18:00", "02 41 39 61 90", "yes"),
    ("pl-poste", "La Poste — agence communale", "Services", "4 place du Marché",
     "Tu-Fr 09:00-12:00; Sa 09:00-11:30", "36 31", "limited"),
    ("pl-dechetterie", "Déchèterie des Brosses", "Environnement", "route d'Angers",
     "Mo,We,Fr,Sa 09:00-12:00,14:00-18:00", "02 41 39 70 00", "unknown"),
    ("pl-eglise", "Église Saint-Clément", "Culte", "place de l'Église", "Mo-Su 09:00-18:00", None, "limited"),
    ("pl-marche", "Marché du vendredi", "Commerce", "place du Marché", "Fr 08:00-13:00", None, "yes"),
    ("pl-gendarmerie", "Gendarmerie (brigade de proximité)", "Sécurité", "28 route d'Angers",
     "Mo-Sa 08:00-12:00,14:00-18:00; Su,PH 09:00-12:00,15:00-18:00", "17", "yes"),
]

class OddPlace(TypedDict):
    id: str
    name: str
    category: str
    street: str
    opening_hours: str | None
    coords: NotRequired[None]   # present (None) for a place without coordinates


# Places with deliberate defects the kiosk must survive.
ODD_PLACES: list[OddPlace] = [
    {"id": "pl-lavoir", "name": "Lavoir des Lavandières", "category": "Patrimoine",
     "street": "rue des Lavandières", "opening_hours": "24/7", "coords": None},          # no coordinates
    {"id": "pl-cave-cooperative", "name": "Cave coopérative des Coteaux", "category": "Commerce",
     "street": "17 chemin des Coteaux", "opening_hours": "le matin sauf jours de vendanges"},  # unparsable
    {"id": "pl-ancien-presbytere", "name": "Ancien presbytère", "category": "",         # empty category
     "street": "6 rue du Prieuré", "opening_hours": None},
]

GENERATED_KINDS = [  # category, name template, opening-hours choices, weight
    ("Commerce", "Boulangerie {surname}", ["Tu-Sa 07:00-13:00,15:30-19:30; Su 07:30-12:30"], 6),
    ("Commerce", "Épicerie {surname}", ["Mo-Sa 08:30-12:30,15:00-19:00"], 4),
    ("Commerce", "Domaine viticole {surname}",
     ["Mo-Sa 09:00-12:00,14:00-18:30", 'Mo-Sa 10:00-12:00 "sur rendez-vous"'], 10),
    ("Santé", "Pharmacie {surname}", ["Mo-Fr 09:00-12:30,14:00-19:30; Sa 09:00-12:30"], 3),
    ("Santé", "Cabinet médical {surname}", ["Mo-Fr 08:30-19:00; Sa 08:30-12:00"], 4),
    ("Santé", "Défibrillateur — {street}", ["24/7"], 12),
    ("Transport", "Arrêt de bus « {street} »", ["24/7"], 30),
    ("Transport", "Parking {street}", ["24/7", "Mo-Sa 07:00-20:00"], 14),
    ("Transport", "Borne de recharge — {street}", ["24/7"], 10),
    ("Environnement", "Point d'apport volontaire — {street}", ["Mo-Sa 07:00-21:00", "24/7"], 40),
    ("Loisirs", "Aire de jeux — {street}", ["Apr-Sep: 08:00-21:00; Oct-Mar: 08:00-18:00"], 12),
    ("Services", "Toilettes publiques — {street}", ["Mo-Su 07:00-20:00"], 8),
    ("Services", "Boîte aux lettres — {street}", ["24/7"], 20),
    ("Sport", "Terrain multisport — {street}", ["Mo-Su 09:00-21:00"], 6),
    ("Culture", "Boîte à livres — {street}", ["24/7"], 8),
]


# Numbers the seed always produces (the generator is seeded), shown on the demo's tracking
# screen so that someone trying the demo has receipts to type; a test keeps them true.
DEMO_TRACKING_CODES = {"NQJQ-6571": "waiting_citizen", "LUQY-3744": "in_progress", "BJPD-3312": "completed",
                       "BCRH-3118": "rejected"}
