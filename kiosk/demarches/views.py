"""What the démarche screens are given to show: plain frozen values, in the visit's language.

Kept apart from the service that makes them so that the receipt (screen and paper) and the
filing code can use them without importing the service.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.demarches import words
from kiosk.demarches.form import FormDefinition

__all__ = ["BeforeView", "FormCard", "Receipt", "Street", "card_of", "pending_notice"]


@dataclass(frozen=True)
class BeforeView:
    """« Avant de commencer », in the visit's language (None / () where the town said nothing)."""

    who: str | None
    cost: str | None
    bring: tuple[str, ...]
    delay: str | None


@dataclass(frozen=True)
class FormCard:
    """One démarche this terminal offers, as its tile and « Avant de commencer » show it."""

    id: str
    version: int
    kind: str                 # "request" or "report"
    title: str
    summary: str | None
    icon: str | None          # a symbolic name; the screen maps it (unknown: its default icon)
    before: BeforeView
    in_french_only: bool      # an English visit, a form written in French only (say so once)


@dataclass(frozen=True)
class Street:
    """A street of the town's list, for the « where » of a report."""

    id: str
    name: str
    postcode: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Receipt:
    """How a filing ended, for the receipt screen and the printed receipt.

    ``status``: "received" (the town has it: ``tracking_code`` is its number), "pending" (in
    the outbox, no number yet: ``notice`` and ``follow_up`` say how it will come — by SMS or
    e-mail, or at the town hall's reception without a contact), "refused" (the town said no for
    good: ``message``), "error" (not even stored: ``message``)."""

    form_id: str
    title: str
    status: str
    tracking_code: str | None
    next_steps: str | None          # the form's « what happens next »
    qr_data: str | None             # the tracking address (or the bare code) for the QR code
    notice: str | None = None       # pending: « Votre numéro de suivi vous sera envoyé par SMS »…
    message: str | None = None      # refused / error: what happened and what to do
    follow_up: str | None = None    # pending: when the number comes, or where to ask for it

    @property
    def pending(self) -> bool:
        return self.status == "pending"

    @property
    def received(self) -> bool:
        return self.status == "received"


def card_of(form: FormDefinition, language: str) -> FormCard:
    """The tile and « Avant de commencer » of ``form`` in ``language``."""
    b = form.before
    before = BeforeView(b.who.text(language) if b.who else None, b.cost.text(language) if b.cost else None,
                        tuple(t.text(language) for t in b.bring), b.delay.text(language) if b.delay else None)
    return FormCard(form.id, form.version, form.kind, form.title.text(language),
                    form.summary.text(language) if form.summary else None, form.icon, before,
                    language == "en" and not form.has_english)


def pending_notice(language: str) -> str:
    """« Votre numéro de suivi vous sera envoyé par SMS/e-mail », in ``language``."""
    return words.say(language, words.PENDING_NOTICE)
