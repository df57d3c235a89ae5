"""A date, a time, a phone number, an e-mail address, « 1 an » and a hyphenated word are never
broken across lines: on screen (the real fonts at every width a widget may get) and on the
printed ticket (python-escpos's output at the paper's width)."""

from __future__ import annotations

from datetime import datetime

import pygame
import pytest

from drivers.printer.render import TicketRenderer
from kiosk import i18n
from kiosk.booking.tickets import booking_ticket
from kiosk.clock import PARIS
from kiosk.demo_api import seed_data
from kiosk.line_breaks import break_lines, keep_together
from kiosk.shell.fonts import FontBook
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL, TEXT_TITLE
from screens.widgets.text import wrap

NBSP = "\u00a0"

# What the walkthrough saw broken, in the sentences the kiosk shows them in.
SENTENCES = {
    "Prochain jour libre : vendredi 4 décembre 2026 à 17 h 30.": ("vendredi 4 décembre 2026", "17 h 30"),
    "Une question ? Appelez la mairie au 06 12 34 56 78 ou au +33 2 41 39 52 10.":
        ("06 12 34 56 78", "+33 2 41 39 52 10"),
    "Vous recevrez une confirmation par SMS ou par e-mail à marie-therese.dupre@exemple.fr.":
        ("e-mail", "marie-therese.dupre@exemple.fr"),
    "Votre rendez-vous du mardi 1er décembre est confirmé ; présentez-vous 10 min avant.":
        ("rendez-vous", "mardi 1er décembre", "présentez-vous", "10 min"),
    "Justificatif de domicile de moins de 1 an, timbre fiscal de 86 € : 12 345 demandes.":
        ("1 an", "86 €", "12 345"),
    "Your appointment on Thursday 3 December 2026 at 9:30 am, December 2026.":
        ("Thursday 3 December 2026", "9:30 am", "December 2026"),
}


@pytest.fixture(scope="module")
def fonts():
    pygame.font.init()
    return FontBook()


def _run_of(text: str, span: str) -> str:
    """The unbreakable run ``span`` is in: with its punctuation (« 10. ») and what is glued to it."""
    guarded = keep_together(text)
    start = text.index(span)
    left = guarded.rfind(" ", 0, start) + 1
    right = guarded.find(" ", start + len(span))
    return text[left:None if right < 0 else right]


def _broken(lines: list[str], span: str) -> bool:
    """True when ``span`` (which is in the text once) is on no single line."""
    same = [line.replace(NBSP, " ") for line in lines]
    return not any(span in line for line in same)


@pytest.mark.parametrize("size", [TEXT_SMALL, TEXT_BODY, round(TEXT_BODY * 1.4), TEXT_TITLE])
def test_on_screen_a_line_never_breaks_inside_a_date_time_phone_address_or_word(fonts, size):
    for text, spans in SENTENCES.items():
        for width in range(120, 1100, 9):
            lines = wrap(text, fonts, size, width)
            assert all(fonts.width(line, size) <= width for line in lines), (text, width)
            assert "".join(lines).replace(" ", "") == text.replace(" ", "")   # nothing lost, nothing added
            for span in spans:
                if fonts.width(_run_of(text, span), size) <= width:
                    assert not _broken(lines, span), f"{span!r} broken at {width} px, {size} px: {lines}"


def test_a_run_wider_than_the_line_breaks_at_its_least_harmful_place(fonts):
    # a date on a narrow button: between its words, not inside one
    lines = wrap("vendredi 4 décembre 2026", fonts, 50, fonts.width("4 décembre", 50) + 4)
    assert [line.strip() for line in lines] == ["vendredi", "4 décembre", "2026"]
    # that first piece finishes the line it follows (a long double-width title on the ticket)
    assert break_lines("Mairie de Saint-Clément-des-Vignes", lambda row: len(row) <= 21) == [
        "Mairie de Saint-", "Clément-des-Vignes"]
    # an e-mail address: before the @ or after a dot; a long hyphenated name: after a hyphen
    assert wrap("marie-therese.dupre@exemple.fr", fonts, 36, 320) == ["marie-therese.dupre", "@exemple.fr"]
    assert wrap("Saint-Clément-des-Vignes", fonts, 40, 250)[0].endswith("-")
    # a word wider than the line, as the last resort, by character: nothing ever overflows
    long = wrap("Anticonstitutionnellement", fonts, 40, 120)
    assert len(long) > 2 and all(fonts.width(line, 40) <= 120 for line in long)


def test_keep_together_changes_only_spaces_and_the_lines_are_the_text_as_given():
    text = "Le 4 décembre à 9 h 30, appelez le 06 12 34 56 78."
    guarded = keep_together(text)
    assert len(guarded) == len(text)
    assert guarded == f"Le 4{NBSP}décembre à 9{NBSP}h{NBSP}30, appelez le 06{NBSP}12{NBSP}34{NBSP}56{NBSP}78."
    lines = break_lines(text, lambda line: len(line) <= 12)
    assert all(" " not in line or line in text for line in lines)   # slices: ordinary spaces kept
    assert "\u00a0" not in "".join(lines)


def test_the_printed_ticket_keeps_1_an_and_dates_on_one_row():
    service = next(s for s in seed_data.SERVICES
                   if any("1 an" in doc["label"] for doc in s["documents"]))
    start = datetime(2026, 12, 4, 9, 30, tzinfo=PARIS)
    i18n.set_language("fr")
    ticket = booking_ticket(town="Saint-Clément-des-Vignes", service=service,
                            place={"name": "Mairie", "address": "1 place de la Mairie"}, start=start,
                            reference="RDV-K7QM-4P", token=None, confirmed=True,
                            printed_at=datetime(2026, 12, 1, 10, 0, tzinfo=PARIS), language="fr",
                            town_phone="02 41 39 52 10")
    text = ticket.plain_text().replace(NBSP, " ").replace("\u202f", " ")
    for profile in ("TM-T88V", "TM-T20II"):                      # 42 and 48 columns
        data = TicketRenderer(profile, "native").render(ticket).replace(b"\xa0", b" ")
        for span in ("1 an", "vendredi 4 décembre 2026", "9 h 30", "02 41 39 52 10", "rendez-vous"):
            assert span in text
            assert data.count(span.encode("cp1252")) == text.count(span), (profile, span)
