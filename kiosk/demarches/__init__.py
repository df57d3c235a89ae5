"""« Faire une démarche »: forms the town publishes, filled in at the terminal, each ending with a
tracking number.

The parts, from the cache up:

* :mod:`.form` — a published definition (JSON Schema 2020-12 + a UI layer) parsed and checked:
  :class:`FormDefinition`, or :class:`FormUnavailable` with the reason (never half-shown);
* :mod:`.validation` — which fields are shown for the answers so far (``allOf``/``if``/``then``)
  and the errors per field, with the ``jsonschema`` package;
* :mod:`.engine` — :class:`Session`, one visit's form: pages, answers (in memory only), errors
  in the visit's language, summary with « Modifier », contact when filed offline, wipe;
* :mod:`.service` — :class:`DemarchesService`, what screens call (``app.services.demarches``):
  the forms offered here, start, street search, submit, receipt, printed receipt;
* :mod:`.filing` / :mod:`.receipt` — the outbox action and the receipt (screen and paper).
"""

from kiosk.demarches.engine import Contact, FieldView, Option, PageView, Session, SummaryRow
from kiosk.demarches.form import FormDefinition, FormUnavailable, Localized, Widget, parse_form
from kiosk.demarches.service import DemarchesService
from kiosk.demarches.views import BeforeView, FormCard, Receipt, Street

__all__ = ["BeforeView", "Contact", "DemarchesService", "FieldView", "FormCard", "FormDefinition",
           "FormUnavailable", "Localized", "Option", "PageView", "Receipt", "Session", "Street", "SummaryRow",
           "Widget", "parse_form"]
