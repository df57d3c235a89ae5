"""Icons named by what they mean, drawn from one real icon font, crisp at any size.

Screens used to pick stray Unicode symbols (✉ for « Imprimer », ⌂ for both « Ma ville » and
« Accueil »): they depended on which font had the character, looked like a wireframe, and
one symbol ended up meaning two things. Here each ``Icon`` names a meaning, and each meaning
has its own glyph in Google's Material Icons font (Apache 2.0), which Debian ships as
``fonts-material-design-icons-iconfont`` (``tools/bootstrap.sh`` installs it). A screen says
``Icon.PRINT``, never a codepoint; a new meaning is a new member here (``tests/shell/test_icons.py``
checks every codepoint against the package's list and that no two meanings share a glyph).

An icon font is vector: the glyph is rasterised at the pixel size asked for, so a tile's
96 px icon is as sharp as a button's 36 px one. Without the font (a machine set up by hand),
the app logs one clear error and draws no icon — never a tofu box — and every label still says
what the button does.
"""

from __future__ import annotations

import logging
from enum import Enum
from functools import lru_cache
from pathlib import Path

import pygame
import pygame.freetype

from kiosk.shell.theme import RGB

log = logging.getLogger(__name__)

ICON_FONT = Path("/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf")
ICON_PACKAGE = "fonts-material-design-icons-iconfont"
# Distinct (icon, size, colour) renders kept: a screen shows a few dozen; two themes, two text sizes.
RENDERS_KEPT = 256


class Icon(Enum):
    """A meaning → (the Material Icons name, its codepoint). One meaning per glyph."""

    material: str
    codepoint: int

    def __init__(self, material: str, codepoint: int) -> None:
        self.material = material
        self.codepoint = codepoint

    @property
    def glyph(self) -> str:
        return chr(self.codepoint)

    # -- moving around and the footer --------------------------------------------------------
    HOME = ("home", 0xE88A)
    BACK = ("arrow_back", 0xE5C4)
    NEXT = ("arrow_forward", 0xE5C8)
    HELP = ("help", 0xE887)
    ACCESSIBILITY = ("accessibility_new", 0xE92C)     # the accessibility settings
    LANGUAGE = ("translate", 0xE8E2)
    ALL = ("apps", 0xE5C3)                            # back to the whole list (« Tous les services »)
    # -- actions ----------------------------------------------------------------------------
    PRINT = ("print", 0xE8AD)
    LISTEN = ("volume_up", 0xE050)                    # hear something read aloud (a ticket)
    SEARCH = ("search", 0xE8B6)
    CLOSE = ("close", 0xE5CD)
    CHECK = ("check", 0xE5CA)                         # a toggle that is on
    ERASE = ("backspace", 0xE14A)
    SHIFT = ("keyboard_capslock", 0xE318)
    TOUCH = ("touch_app", 0xE913)
    # -- the home's features ----------------------------------------------------------------
    CALENDAR = ("event_available", 0xE614)            # book an appointment
    CANCEL_APPOINTMENT = ("event_busy", 0xE615)
    SCAN_QR = ("qr_code_scanner", 0xF206)             # I have an appointment: show its QR code
    TICKET = ("confirmation_number", 0xE638)          # take a queue number
    TRACK = ("manage_search", 0xF02F)                 # follow a request by its number
    TOWN = ("location_city", 0xE7F1)                  # my town: places, hours, what's on
    # -- the town's information -------------------------------------------------------------
    HOURS = ("schedule", 0xE8B5)                      # opening hours, open now, closed
    NEAR = ("near_me", 0xE569)
    HERE = ("my_location", 0xE55C)
    EVENTS = ("celebration", 0xEA65)                  # what's on
    INFO = ("info", 0xE88E)                           # practical information
    PLACE = ("place", 0xE55F)                         # a place of no known category
    WHEELCHAIR = ("accessible", 0xE914)               # step-free access of a place
    PHONE = ("phone", 0xE0CD)
    # -- categories of places ---------------------------------------------------------------
    TOWN_HALL = ("account_balance", 0xE84F)
    LIBRARY = ("local_library", 0xE54B)
    SCHOOL = ("school", 0xE80C)
    CHILDHOOD = ("child_care", 0xEB41)
    SPORT = ("sports_soccer", 0xEA2F)
    CULTURE = ("theater_comedy", 0xEA66)
    LEISURE = ("attractions", 0xEA52)
    SOLIDARITY = ("volunteer_activism", 0xEA70)
    HEALTH = ("local_hospital", 0xE548)
    NATURE = ("park", 0xEA63)
    WASTE = ("recycling", 0xE760)
    SAFETY = ("local_police", 0xEF56)
    PUBLIC_SERVICES = ("miscellaneous_services", 0xF10C)
    TRANSPORT = ("directions_bus", 0xE530)
    SHOP = ("storefront", 0xEA12)
    HERITAGE = ("museum", 0xEA36)
    WORSHIP = ("church", 0xEAAE)                      # the usual French signage pictogram for a place of worship
    # -- démarches (screens/demarches/icons.py maps a form's symbolic icon to one of these) ----
    DEMARCHE = ("edit_note", 0xE745)                  # make a request: a form to fill in
    RECORD = ("article", 0xEF42)                      # a document asked for (a civil-status record)
    REPORT = ("report_problem", 0xE8B2)               # something wrong in the street


@lru_cache(maxsize=1)
def _font() -> pygame.freetype.Font | None:
    """The icon font, opened once; None (said once, loudly) when it is not installed."""
    if not ICON_FONT.is_file():
        log.error("icon font missing (%s): screens show no icons until Debian's %s is installed "
                  "(sudo apt-get install %s, or tools/bootstrap.sh)", ICON_FONT, ICON_PACKAGE, ICON_PACKAGE)
        return None
    if not pygame.freetype.get_init():
        pygame.freetype.init()
    try:
        font = pygame.freetype.Font(str(ICON_FONT), 24)
    except (OSError, pygame.error) as exc:
        log.error("icon font %s unreadable (%s): screens show no icons", ICON_FONT, exc)
        return None
    font.antialiased = True
    font.pad = False
    return font


def icons_available() -> bool:
    return _font() is not None


@lru_cache(maxsize=RENDERS_KEPT)
def render_icon(icon: Icon, px: int, colour: RGB) -> pygame.Surface | None:
    """``icon`` as a ``px`` × ``px`` transparent square in ``colour``; None without the font.

    Material glyphs are designed on a square em: the glyph's box is placed where the font
    puts it in that em, so icons of one size line up with each other, whatever their shape.
    """
    font = _font()
    if font is None or px <= 0:
        return None
    square = pygame.Surface((px, px), pygame.SRCALPHA)
    ink, box = font.render(icon.glyph, fgcolor=tuple(colour), size=px)
    ascender = font.get_sized_ascender(px)
    # box.x is the bearing from the pen; box.y the glyph's top above the baseline.
    square.blit(ink, (box.x, ascender - box.y))
    return square


def draw_icon(surf: pygame.Surface, icon: Icon, px: int, colour: RGB, center: tuple[int, int]) -> pygame.Rect:
    """Draw ``icon`` centred on ``center``; returns the square it covers (empty without the font)."""
    square = render_icon(icon, px, tuple(colour))
    rect = pygame.Rect(0, 0, px, px)
    rect.center = center
    if square is None:
        return pygame.Rect(rect.center, (0, 0))
    surf.blit(square, rect.topleft)
    return rect
