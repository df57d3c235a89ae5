"""City information for passers-by: places and whether they are open, search, events, practical pages.

Screens talk to :class:`kiosk.city.guide.CityGuide` only; it reads the offline cache (the
screens import no SQLite). Modules:

* :mod:`kiosk.city.hours` — opening state from OSM ``opening_hours`` (opening-hours-py),
  French public holidays, exceptional closures, the week day by day;
* :mod:`kiosk.city.wording` — states, days, directions in words (« Fermé · ouvre lundi à 8 h 30 »);
* :mod:`kiosk.city.geo` — distance and direction from the terminal;
* :mod:`kiosk.city.listing` — categories, a category by distance, open now, near here, a place;
* :mod:`kiosk.city.search` — search as you type across places, services and pages, one typo forgiven;
* :mod:`kiosk.city.pages` — the catalog's structured text as headings, paragraphs and lists;
* :mod:`kiosk.city.agenda` — events of the next days, and « Informations du <date> » when stale.
"""
