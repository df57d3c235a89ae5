"""The screen reader: what speech says as screens change, the focus moves and things happen.

Contract of issue 15 (the seam between the keypad's focus, the spoken screens and starting
speech without sight). Each method is called by the part of the shell that sees the moment:

- the navigator's ``show_screen`` calls :meth:`screen_shown` (title, content in reading
  order, then what can be done);
- the keypad's focus navigator (``kiosk.shell.focus``) calls :meth:`focus_moved` with the
  widget that got the focus (each list item as the focus reaches it);
- a touch while speech is on goes through :meth:`touched` first: a first touch on a control
  speaks it (True: the touch is used up), a second touch on the same control activates it;
- a change a sighted person would notice (an error under a field, a toast, the idle warning,
  « Impression en cours… ») is announced through :meth:`announce`;
- the keypad's * , # , + and - keys call :meth:`repeat`, :meth:`help`, :meth:`volume`.

Everything here says nothing while speech is off (``app.speech_active`` False).

How a screen is read (:meth:`ScreenReader.screen_parts`): its title; then what it shows, in
reading order, text only; then « Actions : » and the names of what can be touched — a short
form, the controls' labels without their role, at most ``MAX_ACTIONS`` of them. Why not read each
control in place with « bouton »: a person who cannot see wants first what the screen says, then
the few things they can do, as names to go to; the focus says each control whole (label, role,
state) as it reaches it. A keyboard is named once (« clavier à l'écran »), not forty keys; the
header's clock and the footer (always the same four buttons, which « # » tells) are not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from kiosk.i18n import N_, _, ngettext
from kiosk.speech.personal import marked, personal_typed
from kiosk.speech.utterance import Part, Utterance
from kiosk.speech.welcome import keys_words
from screens.base import ScreenHost
from screens.widgets.button import Button
from screens.widgets.reading import in_reading_order, punctuated, read_tree, said
from screens.widgets.text_field import TextField
from screens.widgets.toast import Toast

if TYPE_CHECKING:
    from kiosk.speech.speaker import Speaker
    from screens.base import Screen
    from screens.widgets.base import Widget

#: Controls named after « Actions : » when a screen is read; a long list ends « and 12 more ».
MAX_ACTIONS = 8

ACTIONS = N_("Actions:")
MORE_ACTIONS = ("and {n} more", "and {n} more")
HELP_WHERE = N_("You are on: {title}.")
VOLUME = N_("Volume {level} percent.")


class SpeakingHost(ScreenHost, Protocol):
    """What the reader uses of the app: the screens' view of it, and the speaker."""

    @property
    def speech(self) -> Speaker | None: ...


class ScreenReader:
    def __init__(self, app: SpeakingHost) -> None:
        self.app = app
        self._explored: Widget | None = None   # the control a first touch spoke (explore by touch)

    # -- what is said ------------------------------------------------------------------------
    def screen_parts(self, screen: Screen) -> list[Part]:
        """What :meth:`screen_shown` says of ``screen`` (see the module's docstring)."""
        title = screen.title()
        parts = punctuated([Part(title)]) if title else []
        if not title and screen.header is not None:    # a home screen: whose terminal it is
            parts += punctuated(screen.header.town.spoken())
        modal = [o for o in screen.overlays if not isinstance(o, Toast)]
        if modal:   # a dialog: only its buttons answer, so it is all there is to say
            return parts + read_tree(modal[-1])
        controls: list[Widget] = []
        for root in (screen.content, screen.docked):
            if root is None:
                continue
            for widget in in_reading_order(root):
                if widget.id == "title" and title:
                    continue
                if widget.interactive:
                    if widget.enabled:
                        controls.append(widget)
                    if isinstance(widget, TextField) and widget.error:   # what is wrong, before what to do
                        parts += punctuated([Part(widget.caption), Part(widget.error)] if widget.caption
                                            else [Part(widget.error)])
                elif widget.summarised:
                    parts += punctuated(widget.spoken())
                    controls += [w for w in widget.walk() if isinstance(w, Button) and w.kind == "primary"]
                else:
                    parts += punctuated(widget.spoken())
        parts += self._actions(controls)
        for overlay in screen.overlays:   # a toast still shown
            parts += read_tree(overlay)
        return parts

    def _actions(self, controls: list[Widget]) -> list[Part]:
        names = [own[0] for own in (c.spoken() for c in controls) if own]
        if not names:
            return []
        shown = names[:MAX_ACTIONS]
        out = [Part(_(ACTIONS))]
        for index, name in enumerate(shown):
            out += [name, Part("," if index < len(shown) - 1 or len(names) > len(shown) else ".")]
        if len(names) > len(shown):
            rest = len(names) - len(shown)
            out += [Part(ngettext(*MORE_ACTIONS, rest).format(n=rest)), Part(".")]
        return out

    def utterance(self, parts: list[Part], language: str | None = None) -> Utterance:
        """``parts`` to say in the visit's language (or ``language``), what the person typed and
        the references in them made personal (:mod:`kiosk.speech.personal`)."""
        private = marked(parts, personal_typed(self.app.visit.fields))
        return Utterance(language or self.app.visit.settings.language, tuple(private))

    def _say(self, parts: list[Part], language: str | None = None, *, interrupt: bool = True) -> str | None:
        speaker = self.app.speech
        if speaker is None or not self.app.speech_active or not parts:
            return None
        return speaker.say(self.utterance(parts, language), interrupt=interrupt)

    # -- the contract ------------------------------------------------------------------------
    def screen_shown(self, screen: Screen) -> None:
        """A screen came on top (pushed, popped back to, rebuilt for a language change)."""
        self._explored = None
        if self.app.speech_active:
            self._say(self.screen_parts(screen))

    def focus_moved(self, widget: Widget | None, notice: str = "") -> None:
        """The keypad's focus moved to ``widget`` (None: nothing focusable on the screen).
        ``notice`` is said first, in the same utterance (« Retour en haut de l'écran » when the
        focus wrapped round): said apart, the control's name would cut it at once."""
        if widget is None or not self.app.speech_active:
            return
        if notice:
            self._say([Part(notice if notice.endswith(".") else notice + "."), *said(widget)])
            return
        language = widget.spoken_language if isinstance(widget, Button) else None
        self._say(said(widget), language)

    @property
    def explored(self) -> Widget | None:
        """The control the last touch only said (the next touch on it activates it)."""
        return self._explored

    def is_explored(self, widget: Widget) -> bool:
        """``widget`` is the control the last touch said, or the same control rebuilt since (the
        screen redrew under the finger: a print finished, the network came back)."""
        last = self._explored
        return last is widget or (last is not None and widget.id is not None and last.id == widget.id)

    def touched(self, widget: Widget) -> bool:
        """A finger lifted on ``widget`` while speech is on. True when the touch only spoke it
        (explore by touch), False when the app should activate it as usual: a first touch on a
        control says it; touching it again activates it (and again, for a key typed twice)."""
        if not self.app.speech_active or self.is_explored(widget):
            return False
        self._explored = widget
        self.focus_moved(widget)
        return True

    def announce(self, *parts: Part | str, interrupt: bool = True) -> None:
        """Something changed on the screen: say it now, cutting what was being said
        (``interrupt=False``: once it is finished, for news that must not cut a screen's reading)."""
        self._say([p if isinstance(p, Part) else Part(p) for p in parts], interrupt=interrupt)

    def repeat(self) -> None:
        """« * »: say the last thing again."""
        if self.app.speech_active and self.app.speech is not None:
            self.app.speech.repeat()

    def help(self) -> None:
        """« # »: say where the person is and which keys do what."""
        screen = self.app.nav.current
        title = screen.title() if screen is not None else ""
        parts = [Part(_(HELP_WHERE).format(title=title))] if title else []
        self._say([*parts, *(Part(words) for words in keys_words())])

    def volume(self, step: int) -> None:
        """« + » (step 1) or « - » (step -1): change the volume and say the new one."""
        speaker = self.app.speech
        if speaker is None or not self.app.speech_active:
            return
        level = speaker.volume_up() if step > 0 else speaker.volume_down()
        self._say([Part(_(VOLUME).format(level=level))])
