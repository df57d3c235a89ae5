"""One page of a démarche: « Étape 2 sur 5 », its questions, « Retour » and « Continuer ».

The engine (:class:`kiosk.demarches.Session`) decides everything about the form — which pages
and fields are shown for the answers so far, what is wrong and in which words — and this
screen draws its current page with the toolkit's widgets (:mod:`screens.demarches.fields`).
« Continuer » puts what was typed into the session and asks for the next page; refused, each
problem shows under its field and the page stays as it is. A page is a screen of its own:
« Retour » (the footer's or the page's) closes it and the engine steps back with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.demarches import words
from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL
from screens.base import lift_key_panel
from screens.demarches.common import DemarcheStep, service
from screens.demarches.fields import DIGITS, PHONE, SYMBOLS, PageFields, PageState, first_input
from screens.widgets import AzertyKeyboard, Button, Column, Label, NumericKeypad, Row, ScrollView, Spacer
from screens.widgets.base import Widget
from screens.widgets.containers import Dock
from screens.widgets.keyboard import BACKSPACE, ENTER

if TYPE_CHECKING:
    from kiosk.demarches import PageView, Session
    from screens.base import ScreenHost


class DemarchePageScreen(DemarcheStep):
    name = "demarche_page"

    def __init__(self, app: ScreenHost, session: Session, moved: Callable[[], None]) -> None:
        super().__init__(app, session)
        self.form = session
        self.moved = moved            # the engine accepted this page: show what comes next (flow.moved)
        # The engine's page, read once per build: working it out judges the answers (JSON Schema).
        self.view: PageView = session.page
        self.page_id = self.view.id
        self.state = PageState(focus=first_input(self.view))
        demarches = service(app)
        assert demarches is not None     # a page opens from « Commencer », which needs the service
        self.fields = PageFields(app, session, demarches, self.state, self._changed)
        self.shown_before = False
        self._keys_shown = False
        self.view_language = self.language
        self.built_once = False       # the first build uses the page read when the screen was made

    def _changed(self) -> None:
        """A touch changed the page (an answer, a street picked, the field in focus): build it again
        now, and say so — the next frame lays it out afresh, as after any change of a screen."""
        self.rebuild()
        self.request_layout()

    def _page(self) -> PageView:
        return self.view

    def build(self) -> None:
        if self.built_once:           # a rebuild: an answer, or the language, may have changed
            relabel = self.view_language != self.language and self.view.has_errors
            self.form.language = self.language
            if relabel and self.form.page.id == self.page_id and self.form.next():
                self.form.edit(self.page_id)    # errors judged again in the new language; already put
            self.view = self.form.page          # right meanwhile: stay on this page all the same
        self.view_language = self.language
        self.built_once = True
        super().build()

    def title(self) -> str:
        return self._page().title

    def compose(self) -> Widget:
        self.form.language = self.language
        self.state.matches_beside_keys = self.results_beside_keys()
        page = self._page()
        step = Label(_("Step {n} of {count} · {title}").format(n=page.number, count=page.count,
                                                                title=self.form.title),
                     size=TEXT_SMALL, colour="muted", id="step")
        blocks = self.fields.build(page.fields)
        parts: list[Widget] = [step]
        if self.form.in_french_only:
            parts.append(Label(_("This form exists in French only."), size=TEXT_SMALL, colour="muted",
                               id="french-only"))
        parts += blocks
        keys = self._keys()
        self._keys_shown = keys is not None
        if keys is not None:
            parts.append(keys)
        if self.state.focus in self.fields.pickers and not self.state.matches_beside_keys:
            # Room below the search, so that it can be scrolled to the top with its matches under it.
            parts.append(Spacer(self.app.display.logical[1] // 3, id="search-room"))
        self.go = Button(_("Continue"), kind="primary", id="continue", on_tap=self._continue)
        parts.append(Row([Button(_("Back"), id="page-back", on_tap=lambda: self.app.nav.pop(self)), self.go], gap=20))
        return Column(parts, gap=28)

    def main_action(self, content: Widget) -> Widget | None:
        """With keys on screen, « Continuer » alone stays with them (« Retour » is in the footer too):
        two buttons would make their row too tall to leave the field typed into in sight."""
        if self._keys_shown and self.go.parent is not None and isinstance(self.go.parent, Row):
            self.go.parent.items.remove(self.go)
            self.go.parent = None
            return self.go
        return super().main_action(content)

    def dock(self, content: Widget) -> Widget | None:
        """A street or place being searched on a wide screen: its matches beside the keys (under them
        they would be out of sight), with « Retour » / « Continuer » below the matches."""
        picker = self.fields.pickers.get(self.state.focus or "")
        if picker is None or not self.state.matches_beside_keys:
            return super().dock(content)
        action = self.main_action(content)
        side: list[Widget] = [ScrollView(picker.matches, flex=1, id="results-view")]
        if action is not None:
            side.append(action)
        return Dock(lift_key_panel(content), Column(side, gap=16), fill=True)

    def reveal_focus(self) -> None:
        """A search being typed: its field at the top of the view, the matches under it in sight."""
        picker = self.fields.pickers.get(self.state.focus or "")
        view = self.content
        if picker is None or view is None or self.state.matches_beside_keys or picker.rect.height == 0:
            super().reveal_focus()
            return
        view.scroll_to(view.offset + picker.rect.top - view.rect.top - 12)

    # -- typing ---------------------------------------------------------------------------------
    def _keys(self) -> Widget | None:
        focused = next((i for i in self.fields.inputs if i.key == self.state.focus), None)
        if focused is None:
            return None
        focused.field.focused = True
        if focused.keys in (PHONE, DIGITS):
            return NumericKeypad(self._key, plus=focused.keys == PHONE, enter_label=_("Next"))
        return AzertyKeyboard(self._key, symbols=focused.keys == SYMBOLS)

    def _key(self, key: str) -> None:
        inputs = self.fields.inputs
        index = next((i for i, x in enumerate(inputs) if x.key == self.state.focus), None)
        if index is None:
            return
        field = inputs[index].field
        if key == ENTER:
            if index + 1 < len(inputs):
                self.state.focus = inputs[index + 1].key
                self.rebuild()
            else:
                self._continue()
            return
        if key == BACKSPACE:
            field.backspace()
        elif not field.insert(key):
            field.set_error(words.say(self.language, words.MAX_LENGTH, n=field.max_length)
                            if len(field.value) + len(key) > field.max_length else _("This key cannot be used here."))
            return
        field.set_error("")

    # -- moving ---------------------------------------------------------------------------------
    def _continue(self) -> None:
        self.fields.commit(self._page().fields)
        if not self.form.next():
            self._show_first_problem()
            return
        self.moved()

    def _show_first_problem(self) -> None:
        """Refused: the keys go to the first field to correct if it is typed into (the screen keeps
        it in view above them); else the keys go and the first problem is scrolled into view."""
        self.view = self.form.page       # with the errors the engine just found
        first = next((f for f in self.view.fields if f.error), None)
        own = [i for i in self.fields.inputs if first is not None
               and (i.key == first.name or i.key.startswith(first.name + "."))]
        target = next((i for i in own if not i.field.value), own[0] if own else None)
        self.state.focus = target.key if target is not None else None
        self.rebuild()
        if self.state.focus is None and first is not None and self.content is not None:
            found = self.find(f"field-{first.name}")
            if found is not None:
                self.content.scroll_to(self.content.offset + found.rect.top - self.content.rect.top - 24)

    def on_show(self) -> None:
        super().on_show()
        if not self.shown_before:     # just opened: the engine is on this page
            self.shown_before = True
            return
        # Shown again (« Retour » from the page after it, or from the summary): the engine's current
        # page must be this one. After a « Retour » from the summary it is not: reopen it as an edit.
        if self.form.at_summary or self.form.page.id != self.page_id:
            try:
                self.form.edit(self.page_id)
            except KeyError:          # an answer changed since hid this page: show the engine's own
                self.page_id = self.form.page.id
        self.rebuild()                # the answers may have changed meanwhile

    def left(self) -> None:
        if not self.form.at_summary and self.form.page.id == self.page_id:
            self.form.back()
