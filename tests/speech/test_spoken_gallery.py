"""Every state of the screenshot gallery, read as speech would read it: something is said, the
screen's title first when it has one, and no widget that shows text says nothing of it.

Text only (what the reader hands the speaker, masked as on a loudspeaker): the sound of a few
screens is checked in ``test_spoken_screens``; here the point is that no screen, whoever wrote it,
is silent or starts with anything but its title.
"""

from __future__ import annotations

import pytest

from kiosk.clock import ManualClock
from kiosk.devtools.screenshots import OVERRIDES, SHOT_TIME, STATES, data_for
from kiosk.speech.utterance import spoken_text


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize("screen", list(STATES))
def test_every_state_of_the_gallery_is_read_title_first_and_no_text_goes_unsaid(make_pilot, screen) -> None:
    for state, reach in STATES[screen].items():
        pilot = make_pilot(clock=ManualClock(SHOT_TIME), data=(lambda config: data_for(screen)),
                           overrides=OVERRIDES.get(screen, {}))
        reach(pilot)
        pilot.settle()
        pilot.take_errors()        # the failsafe's own state raises on purpose
        shown = pilot.screen
        assert shown is not None
        reader = pilot.app.reader
        words = spoken_text(reader.utterance(reader.screen_parts(shown)), private_allowed=False)
        assert words.strip(), f"{screen}-{state}: nothing is said"
        title = shown.title()
        if title:
            assert words.startswith(_plain(title)), f"{screen}-{state}: {words[:120]!r}"
        silent = [w for w in shown.widgets()
                  if w.visible and not w.children() and w.visible_text().strip() and not w.spoken()]
        assert not silent, f"{screen}-{state}: shows text but says nothing: {silent!r}"
        pilot.app.stop()
