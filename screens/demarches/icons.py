"""The icons of the démarche tiles, in one place: a form names a symbolic icon (the contract's
``icon``), the terminal draws its own (:class:`~screens.widgets.icons.Icon`); an unknown name
gets the default, so a town may publish any name without breaking a tile."""

from __future__ import annotations

from screens.widgets.icons import Icon

FEATURE = Icon.DEMARCHE          # the home tile « Faire une démarche »
DEFAULT = Icon.DEMARCHE
BY_NAME = {
    "article": Icon.RECORD,      # a document asked for (a civil-status record)
    "description": Icon.RECORD,
    "report": Icon.REPORT,       # something wrong in the street
    "report_problem": Icon.REPORT,
    "warning": Icon.REPORT,
}


def icon_for(name: str | None) -> Icon:
    """The icon for a form's symbolic icon name (``DEFAULT`` when unknown or absent)."""
    return BY_NAME.get(name or "", DEFAULT)
