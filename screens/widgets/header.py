"""The band at the top of every screen, in the town's colour: its logo and name, the time, the
network state, the language switch.

The logo keeps its proportions (a shield is taller than wide, a banner wider than tall): it is
fitted into a box of the band's height and scaled once per size, smoothly, then only blitted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from kiosk.shell.ui import TEXT_SMALL, UiContext
from screens.widgets.base import Widget
from screens.widgets.button import Button
from screens.widgets.label import Label


@dataclass
class HeaderInfo:
    town: str
    time_text: str                 # « mardi 1er décembre · 9 h 30 »
    network: str | None            # "online" | "offline" | None (unknown: no badge)
    network_text: str
    demo_text: str | None          # a « Démonstration » badge in demo mode
    language_label: str | None     # label of the switch, None when one language only
    logo: pygame.Surface | None = None
    language_code: str | None = None   # the language the switch changes to ("en"): it is said in it


class Header(Widget):
    def __init__(self, info: HeaderInfo, on_language: Callable[[], None] | None) -> None:
        super().__init__(id="header")
        self.info = info
        self.town = Label(info.town, size=40, bold=True, colour="on_header", id="header-town")
        self.clock = Label(info.time_text, size=TEXT_SMALL, colour="on_header", id="header-clock")
        # The network badge always exists (hidden while the state is unknown) so that a change
        # updates it in place instead of rebuilding the screen under a finger.
        self.network = Label(info.network_text, size=TEXT_SMALL - 2, bold=True, padding=8, id="header-network")
        self._style_network(info.network)
        badges = [self.network]
        if info.demo_text:
            badges.append(Label(info.demo_text, size=TEXT_SMALL - 2, bold=True, padding=8,
                                colour="on_warn", bg="warn", id="header-demo"))
        self.badges = badges
        self._logo: tuple[tuple[int, int], pygame.Surface] | None = None   # (box, scaled logo)
        self.language = (Button(info.language_label, kind="secondary", icon=None, id="language",
                                on_tap=on_language) if info.language_label else None)
        if self.language is not None:
            self.language.spoken_language = info.language_code
        for child in self.children():
            child.parent = self

    def _style_network(self, state: str | None) -> None:
        self.network.visible = state is not None
        self.network.colour = "on_ok" if state == "online" else "on_warn"
        self.network.bg = "ok" if state == "online" else "warn"

    def set_network(self, state: str, text: str) -> None:
        self._style_network(state)
        self.network.text = text
        self.request_layout()

    def children(self) -> Sequence[Widget]:
        kids: list[Widget] = [self.town, self.clock, *(b for b in self.badges if b.visible)]
        if self.language:
            kids.append(self.language)
        return kids

    def spoken_children(self) -> Sequence[Widget]:
        """The town and the language switch: the clock and the network badge are for the eye
        (read on every screen they would delay what the person came for)."""
        return [self.town, *([self.language] if self.language else [])]

    def _button_width(self, ui: UiContext) -> int:
        return self.language.min_width(ui) if self.language else 0

    def _logo_box(self, ui: UiContext) -> tuple[int, int]:
        """The logo's size on screen: as tall as the band's content (96 px), at most 1.6 times as wide."""
        logo = self.info.logo
        if logo is None:
            return 0, 0
        w, h = logo.get_size()
        scale = min(ui.px(96) / h, ui.px(154) / w)
        return max(1, round(w * scale)), max(1, round(h * scale))

    def _logo_width(self, ui: UiContext, width: int) -> int:
        """Room the logo takes, or 0 when it would push the town's name onto a second line (large
        text on a portrait screen): the name says whose terminal it is, the logo only adorns it,
        and a taller band would take height from the controls below."""
        if self.info.logo is None:
            return 0
        room = self._logo_box(ui)[0] + ui.px(20)
        name = ui.fonts.width(self.town.text, ui.font_px(self.town.size), True)
        return room if name <= self._text_width(ui, width, with_logo=False) - room else 0

    def _scaled_logo(self, ui: UiContext) -> pygame.Surface | None:
        if self.info.logo is None:
            return None
        box = self._logo_box(ui)
        if self._logo is None or self._logo[0] != box:
            self._logo = (box, pygame.transform.smoothscale(self.info.logo, box))
        return self._logo[1]

    def _text_width(self, ui: UiContext, width: int, with_logo: bool = True) -> int:
        pad = ui.px(28)
        bw = self._button_width(ui)
        logo = self._logo_width(ui, width) if with_logo else 0
        return width - 2 * pad - logo - (bw + ui.px(24) if bw else 0)

    def _status_flow(self, ui: UiContext, width: int) -> tuple[list[tuple[Widget, pygame.Rect]], int]:
        """The clock then the badges on one line, wrapping when too narrow; rects are relative."""
        gap = ui.px(14)
        x = y = line_h = 0
        placed: list[tuple[Widget, pygame.Rect]] = []
        for item in [self.clock, *(b for b in self.badges if b.visible)]:
            if item is self.clock:
                # Room for a longer time (10 h 00) without waiting for a relayout.
                natural = ui.fonts.width(item.text, ui.font_px(item.size)) + ui.px(60)
            else:  # a badge stays on one line: « En ligne », not « En / ligne »
                natural = (ui.fonts.width(item.text, ui.font_px(item.size), item.bold)
                           + 2 * ui.px(item.padding) + ui.px(4))
            w = min(width, natural)
            h = item.measure(ui, w)
            if x and x + w > width:
                x, y, line_h = 0, y + line_h + ui.px(6), 0
            placed.append((item, pygame.Rect(x, y, w, h)))
            x += w + gap
            line_h = max(line_h, h)
        return placed, y + line_h

    def measure(self, ui: UiContext, width: int) -> int:
        tw = self._text_width(ui, width)
        text_h = self.town.measure(ui, tw) + ui.px(4) + self._status_flow(ui, tw)[1]
        button_h = self.language.measure(ui, self._button_width(ui)) if self.language else 0
        return max(text_h, button_h, ui.px(96)) + 2 * ui.px(20)

    def place(self, ui: UiContext, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        pad, vpad = ui.px(28), ui.px(20)
        left = rect.left + pad + self._logo_width(ui, rect.width)
        tw = self._text_width(ui, rect.width)
        y = rect.top + vpad
        self.town.backdrop = ui.theme.header_bg
        h = self.town.measure(ui, tw)
        self.town.place(ui, pygame.Rect(left, y, tw, h))
        y += h + ui.px(4)
        for item, r in self._status_flow(ui, tw)[0]:
            item.backdrop = ui.theme.header_bg
            item.place(ui, r.move(left, y))
        if self.language:
            bw = self._button_width(ui)
            bh = self.language.measure(ui, bw)
            self.language.backdrop = ui.theme.header_bg
            self.language.place(ui, pygame.Rect(rect.right - pad - bw, rect.centery - bh // 2, bw, bh))

    def min_width(self, ui: UiContext) -> int:
        return 0

    def draw(self, surf: pygame.Surface, ui: UiContext) -> None:
        surf.fill(ui.theme.header_bg, self.rect)
        if ui.theme.name == "high_contrast":
            pygame.draw.line(surf, ui.theme.border, self.rect.bottomleft, self.rect.bottomright, ui.px(3))
        logo = self._scaled_logo(ui) if self._logo_width(ui, self.rect.width) else None
        if logo is not None:
            surf.blit(logo, (self.rect.left + ui.px(28), self.rect.centery - logo.get_height() // 2))
        for child in self.children():
            child.draw(surf, ui)

    def set_time_text(self, text: str) -> None:
        self.clock.set_text(text)
