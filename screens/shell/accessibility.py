"""Accessibility: voice guidance, large text, high contrast, low reach — for this visit only."""

from __future__ import annotations

from kiosk.i18n import _
from kiosk.shell.ui import TEXT_SMALL
from kiosk.speech.welcome import keys_summary
from screens.base import Screen
from screens.widgets import Button, Column, Label
from screens.widgets.base import Widget


class AccessibilityScreen(Screen):
    name = "accessibility"

    def title(self) -> str:
        return _("Accessibility")

    def _toggle(self, key: str, label: str, description: str, *, enabled: bool = True) -> Button:
        on = getattr(self.app.visit.settings, key)
        state = _("On") if on else _("Off")
        button = Button(_("{setting}: {state}").format(setting=label, state=state), subtitle=description,
                        selected=on, id=f"toggle-{key}",
                        on_tap=lambda: self.app.update_settings(**{key: not on}))
        button.enabled = enabled
        return button

    def _speech_items(self) -> list[Widget]:
        """« Guidage vocal » and the keys, on a terminal that offers speech. Switching it on says the
        welcome (the same as holding 5); off, speech stops for the rest of the visit."""
        app = self.app
        if not app.speech_offered:
            return []
        on = app.speech_active
        button = Button(_("{setting}: {state}").format(setting=_("Voice guidance"), state=_("On") if on else _("Off")),
                        subtitle=_("The screens read aloud, in the headset or the loudspeaker. "
                                   "Hold key 5 of the keypad to start it from any screen."),
                        selected=on, id="toggle-speech",
                        on_tap=lambda: app.stop_guidance("screen") if on else app.start_guidance("screen"))
        return [button, Label(keys_summary(), size=TEXT_SMALL, colour="muted", id="speech-keys")]

    def compose(self) -> Widget:
        app = self.app
        low_reach_ok = app.low_reach_available
        items = [
            Label(_("These settings last until the end of your visit."), size=TEXT_SMALL, colour="muted", id="note"),
            *self._speech_items(),
            self._toggle("large_text", _("Large text"), _("Bigger letters on every screen.")),
            self._toggle("high_contrast", _("High contrast"), _("Light text on a black background.")),
            self._toggle("low_reach", _("Buttons within reach"),
                         _("All buttons in the lower part of the screen, for a seated person.")
                         if low_reach_ok else _("Not needed on this screen: all buttons are already within reach."),
                         enabled=low_reach_ok),
        ]
        return Column(items, gap=24)
