"""The terminal's own sentences for a form: generic validation messages per JSON Schema keyword,
and the words of values the town does not write (yes/no, « ici »). A form's ``ui.errors`` wins
over these (see :mod:`kiosk.demarches.validation`).

Marked with ``N_`` (English msgids, French in ``kiosk/locale``); translated with
:func:`kiosk.i18n.gettext_in` into the *visit's* language, which a session carries.
"""

from __future__ import annotations

from kiosk.i18n import N_, gettext_in

REQUIRED = N_("Please answer this question.")
ENUM = N_("Please choose one of the answers offered.")
MAX_LENGTH = N_("This is too long: {n} characters at most.")
MIN_LENGTH = N_("This is too short: {n} characters at least.")
PATTERN = N_("This answer does not have the expected form.")
FORMAT_DATE = N_("Please enter a valid date.")
FORMAT_EMAIL = N_("Please enter a valid e-mail address, such as name@example.fr.")
FORMAT_OTHER = N_("This answer does not have the expected form.")
PHONE = N_("Please enter a French phone number of 10 digits, such as 06 12 34 56 78.")
POSTCODE = N_("Please enter a postcode of 5 digits, such as 49000.")
ADDRESS = N_("Please check the address: street, postcode (5 digits) and town.")
INVALID = N_("This answer is not valid. Please check it.")
CONTACT_NEEDED = N_("The terminal is offline: give a phone number or an e-mail address so that we can send you "
                    "your tracking number.")
YES = N_("Yes")
NO = N_("No")
HERE = N_("Here, near this terminal")
NUMBER_IN_STREET = N_("{number} {street}")
PENDING_NOTICE = N_("Your tracking number will be sent to you by SMS or e-mail.")
# A démarche waiting in the outbox has no number yet: the town assigns it when the request arrives
# (the contract takes no number from a terminal). The receipt says how the person will get it.
PENDING_BY_SMS = N_("Your tracking number will be sent to you by SMS.")
PENDING_BY_EMAIL = N_("Your tracking number will be sent to you by e-mail.")
PENDING_SENT_THEN = N_("Your request will reach the town hall as soon as the network is back; the number "
                       "will be sent to you then.")
PENDING_NO_NUMBER = N_("Your request has no tracking number yet.")
PENDING_ASK_RECEPTION = N_("It will reach the town hall as soon as the network is back. To get its number, ask "
                           "at the town hall's reception, giving the day and time of your request and what it "
                           "is about.")


def say(language: str, msgid: str, **values: object) -> str:
    """``msgid`` in ``language``, with ``values`` put in."""
    text = gettext_in(language, msgid)
    return text.format(**values) if values else text
