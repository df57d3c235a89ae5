"""Practical pages (« Numéros d'urgence », « Collecte des déchets »): the list, and one page
laid out as headings, paragraphs and lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.city.common import guide, unavailable, with_freshness
from screens.widgets import Column, Label
from screens.widgets.base import Widget
from screens.widgets.list_row import ListRow

if TYPE_CHECKING:
    from kiosk.city.pages import Block
    from screens.base import ScreenHost


def open_page(app: ScreenHost, page_id: str) -> Callable[[], None]:
    """What a practical page's row does when touched: open the page."""
    def push() -> None:
        app.nav.push(PageScreen(app, page_id))
    return push


class PagesScreen(Screen):
    name = "city_pages"

    def title(self) -> str:
        return _("Practical information")

    def compose(self) -> Widget:
        city = guide(self.app)
        if city is None:
            return unavailable()
        pages = city.pages()
        items: list[Widget] = [
            ListRow(p["title"], id=f"page-{i}", on_tap=open_page(self.app, p["id"]))
            for i, p in enumerate(pages)]
        if not items:
            items = [Label(_("No practical page is published yet."), id="pages-empty")]
        return Column(with_freshness(city, items), gap=16)


class PageScreen(Screen):
    name = "city_page"

    def __init__(self, app: ScreenHost, page_id: str) -> None:
        super().__init__(app)
        self.page_id = page_id
        self.page: tuple[dict[str, Any], list[Block]] | None = None

    def build(self) -> None:
        city = guide(self.app)
        self.page = city.page(self.page_id) if city else None
        super().build()

    def title(self) -> str:
        return self.page[0]["title"] if self.page else _("Practical information")

    def compose(self) -> Widget:
        if guide(self.app) is None:
            return unavailable()
        if self.page is None:
            return Label(_("This page is no longer published."), id="page-gone")
        _row, blocks = self.page
        items: list[Widget] = []
        for i, block in enumerate(blocks):
            if block.kind == "heading":
                items.append(Label(block.text, size=TEXT_BODY + (6 if block.level <= 1 else 0), bold=True,
                                   id=f"block-{i}"))
            elif block.kind == "list":
                marks = [f"{n}." for n in range(1, len(block.items) + 1)] if block.ordered else ["•"] * len(block.items)
                items.append(Column([Label(f"{m} {text}", id=f"block-{i}-{j}")
                                     for j, (m, text) in enumerate(zip(marks, block.items, strict=True))], gap=8))
            else:
                items.append(Label(block.text, id=f"block-{i}"))
        if not items:
            items = [Label(_("This page is empty."), size=TEXT_SMALL, colour="muted", id="page-empty")]
        return Column(items, gap=20)
