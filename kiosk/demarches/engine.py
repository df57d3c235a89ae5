"""One person filling one form: the pages, the answers, the errors, the summary.

A :class:`Session` is what the démarche screens hold during a visit. It is pure memory: the
answers are never written anywhere until :meth:`DemarchesService.submit
<kiosk.demarches.service.DemarchesService.submit>` puts them in the outbox, and
:meth:`Session.wipe` (called when the visit ends, by idle reset or « Accueil ») forgets them.
It holds its own parsed :class:`~kiosk.demarches.form.FormDefinition`: a newer version
synced meanwhile does not change what this person is filling in (they finish on the version
they started, which is the version the central API judges).

Screens keep the session in ``app.visit.drafts`` (e.g. ``drafts["demarche"]``): the visit's end
(idle reset, « Accueil », failsafe) then calls :meth:`Session.wipe` itself, whoever still holds
the object.

Texts come in the session's language (``language``, the visit's): the town's texts from the
form (French when it gave no English), the terminal's own sentences from the catalogs.
Everything here is synchronous and cheap (no I/O): the screens call it on the UI thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.demarches import words
from kiosk.demarches.form import FieldDef, FormDefinition, Localized, PageDef, Widget
from kiosk.demarches.validation import field_problem, form_errors, normalise, required_fields, shown_fields

__all__ = ["Contact", "FieldView", "Option", "PageView", "Session", "SummaryRow"]

#: How a session names a street or a place of a location answer: (kind, id) → name, or None.
NameLookup = Callable[[str, str], str | None]
#: The contact asked on the confirm screen is read like a form's phone field (French numbers).
CONTACT_PHONE = FieldDef("phone", Widget.PHONE, Localized("Téléphone", "Phone"))
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Option:
    """One answer of a ``choice`` field: the value sent, the label shown."""

    value: str
    label: str


@dataclass(frozen=True)
class FieldView:
    """One field as a screen draws it now, in the session's language."""

    name: str
    widget: Widget                   # which toolkit widget to use
    label: str
    help: str | None
    options: tuple[Option, ...]      # choice only, in the published order
    value: Any                       # the current answer as sent (str, bool, dict) or None
    display: str                     # the current answer in words ("" when unanswered)
    required: bool                   # the form requires it (now, with the answers so far)
    error: str | None                # shown under the field after a refused « Suivant »
    multiline: bool = False
    personal: bool = False
    max_length: int | None = None    # from the schema, for the keyboard's counter


@dataclass(frozen=True)
class PageView:
    """The current page: « Étape ``number`` sur ``count`` », its title and its shown fields."""

    id: str
    title: str
    number: int                      # 1-based among the pages shown for the answers so far
    count: int
    fields: tuple[FieldView, ...]

    @property
    def has_errors(self) -> bool:
        return any(f.error for f in self.fields)


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary: a question and its answer, and the page « Modifier » opens."""

    page_id: str
    page_title: str
    field: str
    label: str
    display: str


@dataclass(frozen=True)
class Contact:
    """How the town can reach the person (required when filed offline; optional online)."""

    phone: str | None = None
    email: str | None = None

    def __bool__(self) -> bool:
        return bool(self.phone or self.email)

    def as_json(self) -> dict[str, str] | None:
        out = {k: v for k, v in (("phone", self.phone), ("email", self.email)) if v}
        return out or None


def _date_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class Session:
    """The engine of one visit's form (see the module's docstring).

    Navigation: :attr:`page` is the current page until :meth:`next` leaves the last one; then
    :attr:`at_summary` is true and :meth:`summary` gives the rows; :meth:`edit` goes back to a
    page from the summary, and the next :meth:`next` that finds every page valid comes back to it.
    """

    def __init__(self, form: FormDefinition, language: str, *, names: NameLookup | None = None) -> None:
        self.form = form                      # pinned: this visit's version
        self.language = language              # "fr" or "en": the visit's; screens may change it
        self._names = names or (lambda kind, ident: None)
        self._answers: dict[str, Any] = {}
        self._errors: dict[str, str] = {}     # shown after a refused next(), cleared on a new answer
        self._contact = Contact()
        self._page_id: str | None = None
        self._at_summary = False
        self._editing = False
        for name, f in form.fields.items():   # a location starts « here » (the terminal's [location])
            if f.widget is Widget.LOCATION:
                self._answers[name] = {"kind": "here"}
        self._page_id = self._shown_pages()[0].id if self._shown_pages() else None

    # -- what is shown ------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.form.title.text(self.language)

    @property
    def in_french_only(self) -> bool:
        """An English visit reading a form the town wrote in French only (say so once)."""
        return self.language == "en" and not self.form.has_english

    def _shown(self) -> set[str]:
        return shown_fields(self.form, self._answers)

    def _shown_pages(self, shown: set[str] | None = None) -> list[PageDef]:
        shown = self._shown() if shown is None else shown
        return [p for p in self.form.pages if any(n in shown for n in p.fields)]

    def answers(self) -> dict[str, Any]:
        """The answers of the shown fields, as sent (a copy: hidden fields' answers left out)."""
        shown = self._shown()
        return {k: v for k, v in self._answers.items() if k in shown and v is not None}

    @property
    def at_summary(self) -> bool:
        return self._at_summary

    @property
    def page(self) -> PageView:
        """The current page (the last one while :attr:`at_summary`)."""
        shown = self._shown()
        pages = self._shown_pages(shown)
        index = next((i for i, p in enumerate(pages) if p.id == self._page_id), 0)
        page = pages[index]
        names = [n for n in page.fields if n in shown]
        required = required_fields(self.form, self._answers)
        return PageView(page.id, page.title.text(self.language), index + 1, len(pages),
                        tuple(self._view(n, n in required) for n in names))

    def _view(self, name: str, required: bool) -> FieldView:
        f = self.form.fields[name]
        schema = self._property_schema(name)
        max_length = schema.get("maxLength") if isinstance(schema.get("maxLength"), int) else None
        return FieldView(name, f.widget, f.label.text(self.language), f.help.text(self.language) if f.help else None,
                         tuple(Option(v, t.text(self.language)) for v, t in f.options), self._answers.get(name),
                         self.display(name), required, self._errors.get(name), f.multiline, f.personal, max_length)

    def _property_schema(self, name: str) -> Mapping[str, Any]:
        found = (self.form.schema.get("properties") or {}).get(name)
        if isinstance(found, Mapping):
            return found
        for item in self.form.schema.get("allOf") or ():
            then = item.get("then") if isinstance(item, Mapping) else None
            if isinstance(then, Mapping) and isinstance((then.get("properties") or {}).get(name), Mapping):
                return dict(then["properties"][name])
        return {}

    def display(self, name: str) -> str:
        """The answer to ``name`` in words, in the session's language ("" when unanswered)."""
        value = self._answers.get(name)
        f = self.form.fields.get(name)
        if value is None or value == "" or f is None:
            return ""
        if f.widget is Widget.CHOICE:
            return next((t.text(self.language) for v, t in f.options if v == value), str(value))
        if f.widget is Widget.YES_NO:
            return words.say(self.language, words.YES if value else words.NO)
        if f.widget is Widget.DATE:
            from kiosk.formatting import format_date_long

            try:
                return format_date_long(date.fromisoformat(str(value)), self.language)
            except ValueError:
                return str(value)
        if f.widget is Widget.LOCATION and isinstance(value, Mapping):
            return self._location_words(value)
        if f.widget is Widget.ADDRESS and isinstance(value, Mapping):
            town = " ".join(str(value[k]) for k in ("postcode", "city") if value.get(k))
            return ", ".join(part for part in (str(value.get("street") or ""), town) if part)
        return str(value)

    def _location_words(self, value: Mapping[str, Any]) -> str:
        kind = value.get("kind")
        if kind == "street":
            street = self._names("street", str(value.get("street_id"))) or str(value.get("street_id"))
            number = str(value.get("number") or "").strip()
            return words.say(self.language, words.NUMBER_IN_STREET, number=number, street=street) if number \
                else street
        if kind == "place":
            return self._names("place", str(value.get("place_id"))) or str(value.get("place_id"))
        return words.say(self.language, words.HERE)

    # -- answering ------------------------------------------------------------------------------
    def set_answer(self, name: str, value: Any) -> None:
        """Keep ``value`` for field ``name`` (None or "" clears it). A ``date`` becomes its ISO
        text; strings are trimmed (phone numbers lose their spaces). ``KeyError`` for a field the
        form does not have (a screen's bug). Its error, if one was shown, goes away."""
        f: FieldDef = self.form.fields[name]
        value = normalise(f, _date_value(value))
        if value is None or value == "":
            self._answers.pop(name, None)
        else:
            self._answers[name] = value
        self._errors.pop(name, None)

    def answer(self, name: str) -> Any:
        return self._answers.get(name)

    def errors(self) -> dict[str, str]:
        """The errors shown now (field → sentence), after the last refused :meth:`next`."""
        return dict(self._errors)

    # -- moving ---------------------------------------------------------------------------------
    def _page_errors(self, page: PageDef, problems: Mapping[str, tuple[str, str]] | None = None,
                     shown: set[str] | None = None) -> dict[str, str]:
        shown = self._shown() if shown is None else shown
        problems = form_errors(self.form, self.answers(), self.language) if problems is None else problems
        return {n: problems[n][1] for n in page.fields if n in shown and n in problems}

    def next(self) -> bool:
        """Check the current page: with errors, stay (each under its field, see
        :attr:`PageView.fields`) and return False; else go to the next shown page, or to the
        summary after the last one (or back to it after a « Modifier ») and return True."""
        pages = self._shown_pages()
        current = next((p for p in pages if p.id == self._page_id), pages[0])
        errors = self._page_errors(current)
        if errors:
            self._errors = errors
            return False
        self._errors = {}
        if self._editing and self.first_page_with_errors() is None:
            self._at_summary, self._editing = True, False
            return True
        ids = [p.id for p in pages]
        index = ids.index(current.id)
        if index + 1 < len(pages):
            self._page_id = pages[index + 1].id
        else:
            self._at_summary, self._editing = True, False
        return True

    def back(self) -> bool:
        """One page back (from the summary: the last page). False on the first page: the screen
        leaves the form (to « Avant de commencer »); the answers stay until :meth:`wipe`."""
        self._errors = {}
        pages = self._shown_pages()
        if self._at_summary:
            self._at_summary = False
            self._page_id = pages[-1].id
            return True
        ids = [p.id for p in pages]
        index = ids.index(self._page_id) if self._page_id in ids else 0
        if index == 0:
            return False
        self._page_id = ids[index - 1]
        return True

    def edit(self, page_id: str) -> None:
        """« Modifier » on the summary: open ``page_id``; once it is valid, :meth:`next` comes
        back to the summary (if no other page needs something)."""
        if page_id not in [p.id for p in self._shown_pages()]:
            raise KeyError(page_id)
        self._page_id, self._at_summary, self._editing, self._errors = page_id, False, True, {}

    def first_page_with_errors(self) -> str | None:
        """The first shown page whose answers the form refuses, or None when all can be sent."""
        shown = self._shown()
        problems = form_errors(self.form, self.answers(), self.language)
        for page in self._shown_pages(shown):
            if self._page_errors(page, problems, shown):
                return page.id
        return None

    def summary(self) -> list[SummaryRow]:
        """Every answered shown field, page by page, with the page « Modifier » opens."""
        shown = self._shown()
        rows = []
        for page in self._shown_pages(shown):
            for name in page.fields:
                if name in shown and self.display(name):
                    rows.append(SummaryRow(page.id, page.title.text(self.language), name,
                                           self.form.fields[name].label.text(self.language), self.display(name)))
        return rows

    # -- before confirming ------------------------------------------------------------------------
    @property
    def contact(self) -> Contact:
        """The contact given on the confirm screen, else the form's own phone/e-mail answers."""
        if self._contact:
            return self._contact
        answers = self.answers()
        phone = next((answers[n] for n, f in self.form.fields.items() if f.widget is Widget.PHONE and n in answers),
                     None)
        email = next((answers[n] for n, f in self.form.fields.items() if f.widget is Widget.EMAIL and n in answers),
                     None)
        return Contact(phone, email)

    def needs_contact(self, offline: bool) -> bool:
        """True when the request would be filed offline without a way to send its number: the
        screen asks for a phone or an e-mail (:meth:`set_contact`) before confirming."""
        return offline and not self.contact

    def contact_reason(self) -> str:
        """Why a contact is asked, in the session's language."""
        return words.say(self.language, words.CONTACT_NEEDED)

    def set_contact(self, phone: str | None = None, email: str | None = None) -> dict[str, str]:
        """Keep the contact typed on the confirm screen; returns the problems ("phone"/"email" →
        sentence), and keeps nothing when there is one."""
        phone = normalise(CONTACT_PHONE, phone or "") or None
        email = (email or "").strip() or None
        problems: dict[str, str] = {}
        phone_problem = field_problem(CONTACT_PHONE, phone, self.language)
        if phone_problem:
            problems["phone"] = phone_problem
        if email is not None and not EMAIL.match(email):
            problems["email"] = words.say(self.language, words.FORMAT_EMAIL)
        if not problems:
            self._contact = Contact(phone, email)
        return problems

    # -- the end of the visit -------------------------------------------------------------------
    def wipe(self) -> None:
        """Forget every answer and the contact (end of visit, idle reset, after the receipt)."""
        self._answers.clear()
        self._errors.clear()
        self._contact = Contact()
        self._at_summary = self._editing = False
        pages = self._shown_pages()
        self._page_id = pages[0].id if pages else None

    @property
    def wiped(self) -> bool:
        return not self._answers and not self._contact
