"""Each field of a form page as the toolkit's widget for it, with its label, help and error.

The form says which widget (a closed list: ``kiosk.demarches.Widget``); this module picks
the toolkit's piece for each: tiles for a choice and for yes/no, the calendar for a date,
a field and the keyboard (or the keypad) for text, a phone number, an e-mail address or a
postcode, a street picker for a location, three fields for a postal address. What is typed
goes to the visit's fields (``typed_key``) and into the session when the page is left; a
touch on a tile or a day goes into the session at once.

An error stays under its field in plain words. Every field keeps a line for it from the
start, so an error appearing after « Continuer » moves nothing below it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from kiosk.clock import PARIS
from kiosk.demarches import Widget as Kind
from kiosk.demarches import words
from kiosk.formatting import format_month_year, weekday_names
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.demarches.common import typed_key
from screens.widgets import Button, Column, Label, Row, TextField
from screens.widgets.address_entry import AddressEntry
from screens.widgets.calendar import MonthCalendar
from screens.widgets.choice_tiles import ChoiceTiles, yes_no_tiles
from screens.widgets.search_picker import Match, SearchPicker
from screens.widgets.text_area import TextArea

if TYPE_CHECKING:
    from kiosk.demarches import DemarchesService, FieldView, PageView, Session
    from screens.base import ScreenHost
    from screens.widgets.base import Widget

#: Which keys a typed input takes: letters (AZERTY), symbols first (an e-mail address, a house
#: number), the phone keypad (with « + »), digits only (a postcode).
LETTERS, SYMBOLS, PHONE, DIGITS = "letters", "symbols", "phone", "digits"
TEXT_KINDS = {Kind.TEXT: LETTERS, Kind.EMAIL: SYMBOLS, Kind.PHONE: PHONE, Kind.POSTCODE: DIGITS}
DEFAULT_MAX = {Kind.TEXT: 100, Kind.EMAIL: 200, Kind.PHONE: 20, Kind.POSTCODE: 5}
LOCATION_KINDS = ("here", "street", "place")


@dataclass
class Input:
    """A field typed into: the screen sends it the keys of the keyboard (or keypad) it asks for."""

    key: str
    field: TextField
    keys: str


@dataclass
class PageState:
    """What the page screen keeps between rebuilds besides the answers: the month each calendar
    shows, how each location is given, the input in focus."""

    months: dict[str, date] = field(default_factory=dict)
    location_kind: dict[str, str] = field(default_factory=dict)
    focus: str | None = None
    matches_beside_keys: bool = False   # a wide screen: a search's matches go beside the keyboard
    focus_first_empty: bool = False     # a touch just showed new fields: type into the first empty one


class PageFields:
    """Builds the widgets of one page (``build``) and collects its typed inputs, in order."""

    def __init__(self, app: ScreenHost, session: Session, demarches: DemarchesService, state: PageState,
                 refresh: Callable[[], None]) -> None:
        self.app, self.session, self.demarches, self.state = app, session, demarches, state
        self.refresh = refresh            # the screen rebuilds after a touch that changes the page
        self.inputs: list[Input] = []
        self.pickers: dict[str, SearchPicker] = {}     # input key -> its street or place search
        self.language = session.language

    @property
    def store(self) -> dict[str, str]:
        return self.app.visit.fields

    # -- the page -------------------------------------------------------------------------------
    def build(self, views: tuple[FieldView, ...]) -> list[Widget]:
        self.inputs, self.pickers = [], {}
        blocks = [self._block(v) for v in views]
        if self.state.focus_first_empty:
            self.state.focus_first_empty = False
            empty = next((i for i in self.inputs if not i.field.value), None)
            if empty is not None:
                self.state.focus = empty.key
                empty.field.focused = True
        return blocks

    def _block(self, view: FieldView) -> Widget:
        head: list[Widget] = [Label(view.label, size=TEXT_BODY, bold=True, id=f"label-{view.name}")]
        if view.help:
            head.append(Label(view.help, size=TEXT_SMALL, colour="muted", id=f"help-{view.name}"))
        body = getattr(self, f"_{view.widget.value}")(view)
        parts = head + [body]
        if view.widget not in TEXT_KINDS:         # a text field keeps its own error line
            parts.append(Label(view.error or "", size=TEXT_SMALL, bold=True, colour="danger",
                               id=f"error-{view.name}"))
        return Column(parts, gap=10, id=f"field-{view.name}")

    def _typed(self, key: str, view: FieldView, keys: str, *, caption: str = "", area: bool = False,
               max_length: int | None = None, error: str | None = None, allowed: Callable[[str], bool] | None = None
               ) -> TextField:
        value = view.value
        if key == view.name and typed_key(key) not in self.store and isinstance(value, str):
            self.store[typed_key(key)] = value            # an answer kept by the session (« Modifier »)
        limit = max_length or view.max_length or DEFAULT_MAX.get(view.widget, 100)
        box = (TextArea(self.store, typed_key(key), lines=self._area_lines(), caption=caption, max_length=limit,
                        allowed=allowed, id=f"input-{key}", on_tap=partial(self._focus, key)) if area else
               TextField(self.store, typed_key(key), caption=caption, max_length=limit, allowed=allowed,
                         id=f"input-{key}", on_tap=partial(self._focus, key)))
        box.error = error if error is not None else (view.error or "")
        self.inputs.append(Input(key, box, keys))
        box.focused = key == self.state.focus
        return box

    def _focus(self, key: str) -> None:
        if self.state.focus != key:
            self.state.focus = key
            self.refresh()

    # -- one builder per widget of the contract ---------------------------------------------------
    def _text(self, view: FieldView) -> Widget:
        return self._typed(view.name, view, LETTERS, area=view.multiline)

    def _area_lines(self) -> int:
        """A text area's height: four lines, two where the keyboard leaves little height (landscape,
        low reach)."""
        width, height = self.app.display.logical
        return 2 if width > height or self.app.visit.settings.low_reach else 4

    def _email(self, view: FieldView) -> Widget:
        return self._typed(view.name, view, SYMBOLS)

    def _phone(self, view: FieldView) -> Widget:
        return self._typed(view.name, view, PHONE, allowed=lambda ch: ch.isdigit() or ch in "+ ")

    def _postcode(self, view: FieldView) -> Widget:
        return self._typed(view.name, view, DIGITS, allowed=str.isdigit)

    def _choice(self, view: FieldView) -> Widget:
        wide = self.app.display.logical[0] > self.app.display.logical[1]
        return ChoiceTiles([(o.value, o.label) for o in view.options], view.value,
                           partial(self._answer, view.name), id=f"choice-{view.name}", columns=3 if wide else 2)

    def _yes_no(self, view: FieldView) -> Widget:
        return yes_no_tiles(view.value if isinstance(view.value, bool) else None, partial(self._answer, view.name),
                            yes=_("Yes"), no=_("No"), id=f"choice-{view.name}")

    def _answer(self, name: str, value: Any) -> None:
        self.session.set_answer(name, value)
        self.state.focus_first_empty = self.state.focus is None
        self.refresh()

    def _date(self, view: FieldView) -> Widget:
        chosen = _as_date(view.value)
        today = self.app.clock.now().astimezone(PARIS).date()
        month = self.state.months.setdefault(view.name, (chosen or today).replace(day=1))
        days = [month + timedelta(days=i) for i in range(31) if (month + timedelta(days=i)).month == month.month]

        def step(months: int) -> Callable[[], None]:
            def go() -> None:
                total = month.year * 12 + month.month - 1 + months
                self.state.months[view.name] = date(total // 12, total % 12 + 1, 1)
                self.refresh()
            return go

        heading = Row([Button("‹", id=f"month-prev-{view.name}", on_tap=step(-1)),
                       Label(format_month_year(month, self.language), size=TEXT_BODY + 4, bold=True, align="center",
                             id=f"month-{view.name}"),
                       Button("›", id=f"month-next-{view.name}", on_tap=step(1))], gap=16, wrap=False)
        years = Row([Button(_("−10 years"), id=f"year-back10-{view.name}", on_tap=step(-120)),
                     Button(_("−1 year"), id=f"year-back-{view.name}", on_tap=step(-12)),
                     Button(_("+1 year"), id=f"year-next-{view.name}", on_tap=step(12))], gap=12)
        calendar = MonthCalendar(month, days, chosen, weekday_names(self.language),
                                 partial(self._answer_day, view.name), mark_free=False, id=f"calendar-{view.name}")
        parts: list[Widget] = [heading, years, calendar]
        if chosen is not None:
            parts.append(Label(_("Chosen day: {date}").format(date=self.session.display(view.name)), bold=True,
                               id=f"chosen-{view.name}"))
        return Column(parts, gap=16)

    def _answer_day(self, name: str, day: date) -> None:
        self.state.focus = None           # the keyboard goes: the calendar was what mattered
        self.session.set_answer(name, day)
        self.refresh()

    def _address(self, view: FieldView) -> Widget:
        captions = {"street": _("Number and street"), "postcode": _("Postcode"), "city": _("Town")}
        value = view.value if isinstance(view.value, Mapping) else {}
        for part in captions:
            key = typed_key(f"{view.name}.{part}")
            if key not in self.store and value.get(part):
                self.store[key] = str(value[part])
        focus = self.state.focus or ""
        entry = AddressEntry(self.store, typed_key(view.name), captions=captions,
                             focused=focus.removeprefix(f"{view.name}.") if focus.startswith(f"{view.name}.") else None,
                             errors={}, on_focus=lambda part: self._focus(f"{view.name}.{part}"),
                             id=f"address-{view.name}")
        for part, box in entry.fields.items():
            self.inputs.append(Input(f"{view.name}.{part}", box, DIGITS if part == "postcode" else LETTERS))
        return entry

    def _location(self, view: FieldView) -> Widget:
        value = view.value if isinstance(view.value, Mapping) else {}
        kind = self.state.location_kind.setdefault(view.name, str(value.get("kind") or "here"))
        offered = [k for k in LOCATION_KINDS if k != "place" or self.app.guide() is not None]
        labels = {"here": words.say(self.language, words.HERE), "street": _("In a street"),
                  "place": _("At a place of the town")}
        parts: list[Widget] = [ChoiceTiles([(k, labels[k]) for k in offered], kind,
                                           partial(self._location_kind, view.name), id=f"where-{view.name}",
                                           columns=len(offered) if self.app.display.logical[0] > 1500 else 1)]
        if kind == "here":
            address = self.demarches.here_address
            if address:
                parts.append(Label(_("Near: {address}").format(address=address), size=TEXT_SMALL, colour="muted",
                                   id=f"here-{view.name}"))
        elif kind == "street":
            if value.get("kind") == "street":
                parts.append(Label(_("Street: {street}").format(street=self.session.display(view.name)), bold=True,
                                   bg="surface", padding=16, id=f"chosen-{view.name}"))
            parts.append(self._picker(view, "street", _("Name of the street"), self._streets,
                                      _("Type a few letters of the street's name.")))
            number = self.store.get(typed_key(f"{view.name}.number")) or str(value.get("number") or "")
            if number:
                self.store[typed_key(f"{view.name}.number")] = number
            parts.append(self._typed(f"{view.name}.number", view, SYMBOLS, caption=_("Number (optional)"),
                                     max_length=20, error=""))
        else:
            if value.get("kind") == "place":
                parts.append(Label(_("Place: {place}").format(place=self.session.display(view.name)), bold=True,
                                   bg="surface", padding=16, id=f"chosen-{view.name}"))
            parts.append(self._picker(view, "place", _("Name of the place"), self._places,
                                      _("Type a few letters of the place's name.")))
        return Column(parts, gap=16)

    def _picker(self, view: FieldView, what: str, caption: str, search: Callable[[str], list[Match]],
                hint: str) -> Widget:
        key = f"{view.name}.{what}"
        picker = SearchPicker(self.store, typed_key(key), caption=caption, placeholder="", search=search,
                              on_pick=partial(self._picked, view.name, what), hint=hint,
                              none_found=_("Nothing found for « {typed} »."), shown=4, id=f"search-{view.name}",
                              matches_apart=self.state.matches_beside_keys and self.state.focus == key)
        self.pickers[key] = picker
        picker.field.on_tap = partial(self._focus, key)
        picker.field.focused = self.state.focus == key
        self.inputs.append(Input(key, picker.field, LETTERS))
        return picker

    def _location_kind(self, name: str, kind: str) -> None:
        self.state.location_kind[name] = kind
        current = self.session.answer(name)
        if kind == "here":
            self.session.set_answer(name, {"kind": "here"})
            self.state.focus = None
        elif not (isinstance(current, Mapping) and current.get("kind") == kind):
            self.session.set_answer(name, None)
            self.state.focus = f"{name}.{kind}"
        self.refresh()

    def _streets(self, typed: str) -> list[Match]:
        return [Match(s.id, s.name, s.postcode) for s in self.demarches.search_streets(typed, limit=4)]

    def _places(self, typed: str) -> list[Match]:
        city = self.app.guide()
        if city is None:
            return []
        return [Match(str(p["id"]), str(p.get("name") or ""), str(p.get("address") or ""))
                for p in city.search(typed, limit=4).places]

    def _picked(self, name: str, what: str, match: Match) -> None:
        if what == "street":
            answer = {"kind": "street", "street_id": match.key}
            number = self.store.get(typed_key(f"{name}.number"), "").strip()
            if number:
                answer["number"] = number
            self.state.focus = f"{name}.number"
        else:
            answer = {"kind": "place", "place_id": match.key}
            self.state.focus = None
        self.store[typed_key(f"{name}.{what}")] = ""
        self.session.set_answer(name, answer)
        self.refresh()

    # -- leaving the page -------------------------------------------------------------------------
    def commit(self, views: tuple[FieldView, ...]) -> None:
        """Put what was typed on this page into the session (before it judges the page)."""
        for view in views:
            if view.widget in TEXT_KINDS:
                self.session.set_answer(view.name, self.store.get(typed_key(view.name), ""))
            elif view.widget is Kind.ADDRESS:
                self.session.set_answer(view.name, AddressEntry.value(self.store, typed_key(view.name)))
            elif view.widget is Kind.LOCATION:
                current = self.session.answer(view.name)
                if isinstance(current, Mapping) and current.get("kind") == "street":
                    number = self.store.get(typed_key(f"{view.name}.number"), "").strip()
                    answer = {"kind": "street", "street_id": current["street_id"]}
                    self.session.set_answer(view.name, {**answer, "number": number} if number else answer)


def first_input(page: PageView) -> str | None:
    """The input the keys go to when a page opens: its first typed field (a location starts « ici »:
    nothing to type until a street is asked for)."""
    for view in page.fields:
        if view.widget in TEXT_KINDS:
            return view.name
        if view.widget is Kind.ADDRESS:
            return f"{view.name}.street"
    return None


def _as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
