"""What the démarche screens share: the service, the visit's typed text, and the wipe.

A :class:`~kiosk.demarches.Session` holds the answers in memory only. Every step screen that
knows the session holds it; when the last of them leaves the stack — the receipt replaced
them, « Accueil », the idle reset, or « Retour » all the way out — the session is wiped and
the text typed for it (kept in ``visit.fields`` under ``TYPED_PREFIX`` so that a rebuild or a
« Retour » keeps it) is erased. The visit's own wipe erases the fields too: this also
clears the answers held in the session itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n import _
from screens.base import Screen
from screens.widgets import Column, Label

if TYPE_CHECKING:
    from kiosk.demarches import DemarchesService, Session
    from screens.base import ScreenHost

DRAFT = "demarche"              # visit.drafts key: the session being filled in
TYPED_PREFIX = "demarche."      # visit.fields keys: what is typed on the pages


def service(app: ScreenHost) -> DemarchesService | None:
    """The démarches service, or None without a data layer (the list then says « unavailable »)."""
    return app.services.demarches if app.services is not None else None


def is_offline(app: ScreenHost) -> bool:
    """Whether a filing now would wait in the outbox: the sync worker says the network is down,
    or the service cannot reach the town (the number is then sent later: a contact is needed)."""
    found = service(app)
    return app.network == "offline" or (found is not None and found.is_offline)


def typed_key(name: str) -> str:
    return TYPED_PREFIX + name


def forget_typed(app: ScreenHost) -> None:
    """Erase the text typed on the pages (overwritten first: a live widget may hold the dict)."""
    fields = app.visit.fields
    for key in [k for k in fields if k.startswith(TYPED_PREFIX)]:
        fields[key] = ""
        del fields[key]


def unavailable(reason: str) -> Column:
    """Why no démarche can be made here, in plain words, and what to do instead."""
    return Column([
        Label(reason, bold=True, id="unavailable"),
        Label(_("You can make it at the town hall reception, or on the town's website."), colour="muted",
              id="unavailable-more"),
    ], gap=20)


class DemarcheStep(Screen):
    """A step of one démarche: it knows the session and takes part in wiping it."""

    def __init__(self, app: ScreenHost, session: Session | None = None) -> None:
        super().__init__(app)
        self.session = session

    @property
    def language(self) -> str:
        return self.app.visit.settings.language

    def on_show(self) -> None:
        if self.session is not None:
            self.session.language = self.language      # the visit may have switched language

    def on_hide(self) -> None:
        if self not in self.app.nav.stack:
            self.left()
            if self.session is not None and not any(getattr(s, "session", None) is self.session
                                                    for s in self.app.nav.stack):
                self.session.wipe()
                forget_typed(self.app)
                if self.app.visit.drafts.get(DRAFT) is self.session:
                    del self.app.visit.drafts[DRAFT]

    def left(self) -> None:
        """This step was closed (« Retour », or the end of the visit): keep the engine in step."""
