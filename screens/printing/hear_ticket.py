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


def hear_ticket_buttons(app: ScreenHost, ticket: Callable[[], Ticket | None]) -> list[Button]:
    """« Écouter le ticket » while speech is on and the screen has a ticket; none otherwise.
    ``ticket`` is asked again on the tap, so the words are the ticket's as it stands then."""
    if not app.speech_active or ticket() is None:
        return []
    return [Button(_("Hear the ticket"), icon=Icon.LISTEN, id="hear-ticket", on_tap=lambda: say_ticket(app, ticket()))]


def say_ticket(app: ScreenHost, ticket: Ticket | None) -> None:
    if ticket is not None:
        app.say(*ticket_parts(ticket, app.visit.settings.language))


def offer_ticket(app: ScreenHost, printed: str = "") -> None:
    """Right after « ticket imprimé »: say that it is out (``printed``: the screen's own line for
    it, which may say where to take it) and that it can be heard, as one utterance."""
    if app.speech_active:
        # after what is being said (the screen read as it came): the news must not cut it
        app.say(printed or _("Your ticket is printed."), _("To hear it, choose the button Hear the ticket."),
                interrupt=False)
