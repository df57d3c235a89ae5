"""« Écouter le ticket »: a printed ticket read aloud, on every screen that prints one (issue 15).

A person who cannot see the screen leaves with a paper they cannot read. While speech is on,
the screens that print offer a button that says the ticket — the same lines as the paper, in
the visit's language, personal values masked on a loudspeaker (:mod:`kiosk.speech.ticket_aloud`)
— and, when the ticket comes out, say that it can be heard. With speech off nothing here shows
or speaks: the screens look as they always did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.i18n import _
from kiosk.speech.ticket_aloud import ticket_parts
from screens.widgets import Button
from screens.widgets.icons import Icon

if TYPE_CHECKING:
    from kiosk.printing.document import Ticket
    from screens.base import ScreenHost


class TicketAloud:
    """A screen's ticket, heard: « Écouter le ticket » while speech is on, and the news when the
    ticket comes out. Once the person has asked to hear it, that news no longer offers what
    they just heard (it said « Pour l'entendre, choisissez… » right after the reading, which
    sounds like the reading failed): only that it is out and where to take it.

    ``ticket`` is asked again on each tap, so the words are the ticket's as it stands then."""

    def __init__(self, app: ScreenHost, ticket: Callable[[], Ticket | None]) -> None:
        self.app = app
        self.ticket = ticket
        self.asked = False     # « Écouter le ticket » was chosen on this screen

    def buttons(self) -> list[Button]:
        """« Écouter le ticket » while speech is on and the screen has a ticket; none otherwise."""
        if not self.app.speech_active or self.ticket() is None:
            return []
        return [Button(_("Hear the ticket"), icon=Icon.LISTEN, id="hear-ticket", on_tap=self.say)]

    def say(self) -> None:
        ticket = self.ticket()
        if ticket is not None:
            self.asked = True
            self.app.say(*ticket_parts(ticket, self.app.visit.settings.language))

    def offer(self, printed: str = "") -> None:
        """Right after « ticket imprimé »: say that it is out (``printed``: the screen's own line
        for it, which may say where to take it) and, unless it was already asked for, that it can
        be heard — as one utterance, after what is being said (the screen read as it came, or the
        ticket itself: the news must not cut either)."""
        if not self.app.speech_active:
            return
        out = printed or _("Your ticket is printed.")
        if self.asked:
            self.app.say(out, interrupt=False)
        else:
            self.app.say(out, _("To hear it, choose the button Hear the ticket."), interrupt=False)
