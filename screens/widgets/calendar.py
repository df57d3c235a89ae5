"""A month calendar for choosing a day: seven columns, Monday first, always.

A day with free times is a button with a dot under its number; a day without is greyed
out *and* has no dot and cannot be pressed, so the difference does not rely on colour;
the chosen day carries a check mark. Where every day may be chosen (the date of a birth),
``mark_free=False`` leaves the dots out: they would tell nothing. A ``Grid`` would drop columns on a narrow screen;
a calendar must keep its week lines, so this one sizes its cells itself.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from typing import Unpack

import pygame

from kiosk.formatting import format_day_month, format_month_year, format_weekday
from kiosk.i18n import N_, _
from kiosk.shell.ui import TEXT_SMALL, UiContext
from kiosk.speech.utterance import Part
from screens.widgets.base import Widget, WidgetOptions
from screens.widgets.button import Button
from screens.widgets.label import Label
from screens.widgets.spoken import FREE_TIMES, NO_FREE_TIME, SELECTED, UNAVAILABLE, texts, words

FREE_MARK = "●"
DAYS_WITH_FREE_TIMES = N_("Days with free times: {days}.")


class DayButton(Button):
    """A day of the calendar: drawn as its number, said as the date with whether it can be chosen
    (« jeudi 3 décembre, créneaux libres »): a number alone tells nothing without the grid."""

    def __init__(self, day: date, *, free: bool, mark_free: bool, selected: bool,
                 on_tap: Callable[[], object] | None) -> None:
        super().__init__(str(day.day), kind="key", subtitle=FREE_MARK if free and mark_free else None,
                         selected=selected, id=f"day-{day.isoformat()}", on_tap=on_tap)
        self.day, self.free, self.mark_free = day, free, mark_free
        self.enabled = free

    def spoken(self) -> list[Part]:
        said = texts(f"{format_weekday(self.day)} {format_day_month(self.day)}")
        if self.mark_free:
            said += words(FREE_TIMES if self.free else NO_FREE_TIME)
        elif not self.free:
            said += words(UNAVAILABLE)
        return said + words(SELECTED if self.selected else "")


class MonthCalendar(Widget):
    arrow_grid = True   # the keypad's up and down go a week back or on (kiosk.shell.focus)

    def __init__(self, month: date, free: Iterable[date], chosen: date | None, day_names: Sequence[str],
                 on_choose: Callable[[date], None], *, mark_free: bool = True, **kw: Unpack[WidgetOptions]) -> None:
        super().__init__(**kw)
        free = set(free)
        self.heads = [Label(name, size=TEXT_SMALL, bold=True, align="center", colour="muted") for name in day_names]
        self.cells: list[Widget | None] = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
            for day in week:
                if day.month != month.month:
                    self.cells.append(None)
                    continue
                is_free = day in free
                self.cells.append(DayButton(day, free=is_free, mark_free=mark_free, selected=day == chosen,
                                            on_tap=partial(on_choose, day) if is_free else None))
        for child in self.children():
            child.parent = self

    def children(self) -> Sequence[Widget]:
        return self.heads + [c for c in self.cells if c is not None]

    #: Read as a whole when the screen is read (the free days in one sentence, not 31 buttons);
    #: the keypad's focus still stops on each day.
    summarised = True

    def _days(self) -> list[DayButton]:
        return [c for c in self.cells if isinstance(c, DayButton)]

    def spoken(self) -> list[Part]:
        """Its free days by number (« Jours avec des créneaux libres : 3, 4, 10. »; the screen's
        heading says the month), or the month alone where any day may be chosen."""
        days = self._days()
        if not days:
            return []
        if not days[0].mark_free:
            return texts(format_month_year(days[0].day))
        free = [str(d.day.day) for d in days if d.free]
        if not free:
            return words(NO_FREE_TIME)
        return texts(_(DAYS_WITH_FREE_TIMES).format(days=", ".join(free)))

    def spoken_children(self) -> Sequence[Widget]:
        """The days: the column heads (« lun. ») are said with each day instead."""
        return self._days()

    def _cell(self, ui: UiContext, width: int) -> tuple[int, int, int]:
        gap = ui.px(8)
        cell_w = (width - 6 * gap) // 7
        buttons = [c for c in self.cells if c is not None]
        cell_h = max([ui.min_touch] + [b.measure(ui, cell_w) for b in buttons[:1]])
        return gap, cell_w, cell_h

    def measure(self, ui: UiContext, width: int) -> int:
        gap, cell_w, cell_h = self._cell(ui, width)
        head = max(h.measure(ui, cell_w) for h in self.heads)
        weeks = len(self.cells) // 7
        return head + gap + weeks * cell_h + (weeks - 1) * gap

    def min_width(self, ui: UiContext) -> int:
        return 7 * ui.min_touch + 6 * ui.px(8)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        gap, cell_w, cell_h = self._cell(ui, rect.width)
        head = max(h.measure(ui, cell_w) for h in self.heads)
        for i, label in enumerate(self.heads):
            label.backdrop = self.backdrop
            label.place(ui, pygame.Rect(rect.left + i * (cell_w + gap), rect.top, cell_w, head))
        top = rect.top + head + gap
        for i, cell in enumerate(self.cells):
            if cell is None:
                continue
            row, col = divmod(i, 7)
            cell.backdrop = self.backdrop
            cell.place(ui, pygame.Rect(rect.left + col * (cell_w + gap), top + row * (cell_h + gap), cell_w, cell_h))

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        for child in self.children():
            child.draw(surf, ui)
