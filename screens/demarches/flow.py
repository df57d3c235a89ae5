"""Which démarche screen comes next once the engine has moved: a page, or the summary.

The pages and the summary open each other (« Continuer » on the last page, « Modifier » on the
summary); each is handed the function here that knows the way, instead of importing the
other, so the two modules stay independent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.demarches.page import DemarchePageScreen
from screens.demarches.summary import DemarcheSummaryScreen

if TYPE_CHECKING:
    from kiosk.demarches import Session
    from screens.base import ScreenHost


def open_page(app: ScreenHost, session: Session) -> None:
    """Show the engine's current page."""
    app.nav.push(DemarchePageScreen(app, session, lambda: moved(app, session)))


def edit_page(app: ScreenHost, session: Session, page_id: str) -> None:
    """« Modifier » on the summary: that page, then back to the summary."""
    session.edit(page_id)
    open_page(app, session)


def moved(app: ScreenHost, session: Session) -> None:
    """The engine accepted a page: the next one, or the summary (the one already open, after a
    « Modifier », closing the pages opened above it)."""
    if not session.at_summary:
        open_page(app, session)
        return
    stack = app.nav.stack
    summary = next((s for s in stack if isinstance(s, DemarcheSummaryScreen) and s.session is session), None)
    if summary is not None:
        app.nav.pop(stack[stack.index(summary) + 1])
    else:
        app.nav.push(DemarcheSummaryScreen(app, session, lambda page_id: edit_page(app, session, page_id)))
