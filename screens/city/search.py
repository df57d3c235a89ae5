"""Search as you type, with the on-screen keyboard: places, services and practical pages.

Results follow every key (the search takes a few milliseconds, see ``kiosk bench``), grouped
by kind. What is typed stays on this screen only (a search is not personal data to keep,
and leaving it needs no confirmation); it survives a language switch, which rebuilds the
screen, and goes with the screen when the visit ends.

« Valider » puts the keyboard away: in portrait the docked keys leave only a strip above them
for the results, so a person who has typed and presses the key everyone presses at the end
sees the results take the whole height, from the first one. « Modifier la recherche » (or a
touch on the field) brings the keyboard back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.catalog_text import domain_name, service_text
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_BODY, TEXT_SMALL
from screens.base import Screen
from screens.city.common import category_title, guide, place_row, unavailable
from screens.city.place import open_place
from screens.widgets import AzertyKeyboard, Button, Column, Label, TextField
from screens.widgets.base import Widget
from screens.widgets.keyboard import BACKSPACE, ENTER
from screens.widgets.list_row import ListRow

if TYPE_CHECKING:
    from screens.base import ScreenHost

PLACES_SHOWN = 8
OTHERS_SHOWN = 5


class CitySearchScreen(Screen):
    name = "city_search"

    def __init__(self, app: ScreenHost) -> None:
        super().__init__(app)
        self.typed: dict[str, str] = {}
        self.results: Column | None = None
        self.typing = True          # False once « Valider » put the keyboard away

    def title(self) -> str:
        return _("Search")

    def compose(self) -> Widget:
        if guide(self.app) is None:
            return unavailable()
        self.field = TextField(self.typed, "query", caption=_("Name of a place, a service or a page"),
                               placeholder=_("For example: médiathèque, passeport"), max_length=60, id="query")
        self.results = Column(self._result_items(), gap=14, id="results")
        if not self.typing:
            self.field.on_tap = self._edit
            edit = Button(_("Change the search"), id="search-edit", on_tap=self._edit)
            return Column([self.field, edit, self.results], gap=28)
        self.field.focused = True
        typing = Column([self.field, AzertyKeyboard(self._type)], gap=20)
        if self.results_beside_keys():
            return typing      # the results go beside the keyboard (see ``dock``)
        return Column([typing, self.results], gap=28)

    def dock(self, content: Widget) -> Widget | None:
        if self.typing and self.results is not None and self.results_beside_keys():
            return self.dock_with_results(content, self.results)
        return super().dock(content)

    def _edit(self) -> None:
        self.typing = True
        self.rebuild()

    def _done(self) -> None:
        """« Valider »: the keyboard goes, the results (or the « nothing found » sentence) stay,
        shown from the top. With nothing typed, the keyboard stays: there is nothing to show."""
        if not self.typed.get("query", "").strip():
            self.field.set_error(_("Type a word to search for."))
            return
        self.typing = False
        self.rebuild()
        if self.content is not None:
            self.content.scroll_to(0)

    def _type(self, key: str) -> None:
        if key == BACKSPACE:
            self.field.backspace()
        elif key == ENTER:
            self._done()
            return
        elif not self.field.insert(key):
            self.field.set_error(_("The search is limited to 60 characters."))
            return
        self.field.set_error("")
        self._refresh()

    def _refresh(self) -> None:
        assert self.results is not None
        self.results.items = self._result_items()
        for child in self.results.items:
            child.parent = self.results
        self._adopt(self.results)
        self.request_layout()
        self.invalidate_all()

    def _result_items(self) -> list[Widget]:
        query = self.typed.get("query", "")
        if not query.strip():
            return [Label(_("Results appear as you type."), size=TEXT_SMALL, colour="muted", id="results-hint")]
        city = guide(self.app)
        assert city is not None     # this screen shows no results without the town's information
        found = city.search(query)
        if found.empty:
            return [Label(_("Nothing found for « {query} ». Check the spelling, or try another word.").format(
                query=query), id="results-none")]
        from screens.city.pages import open_page
        from screens.city.service import open_service

        app, now = self.app, city.now()
        items: list[Widget] = []
        if found.places:
            items.append(Label(_("Places"), size=TEXT_BODY, bold=True, id="results-places"))
            for i, row in enumerate(city.rows_for(found.places[:PLACES_SHOWN])):
                items.append(place_row(row, now, open_place(app, row.id), id=f"result-place-{i}"))
        if found.services:
            items.append(Label(_("Services"), size=TEXT_BODY, bold=True, id="results-services"))
            lang = app.visit.settings.language
            items += [ListRow(service_text(s, lang).name, [domain_name(s.get("domain") or "") or category_title("")],
                              id=f"result-service-{i}", on_tap=open_service(app, s["id"], open_place))
                      for i, s in enumerate(found.services[:OTHERS_SHOWN])]
        if found.pages:
            items.append(Label(_("Practical information"), size=TEXT_BODY, bold=True, id="results-pages"))
            items += [ListRow(p["title"], id=f"result-page-{i}", on_tap=open_page(app, p["id"]))
                      for i, p in enumerate(found.pages[:OTHERS_SHOWN])]
        return items
