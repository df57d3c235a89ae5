"""Translated text for the screens, and the language the visitor chose.

msgids are the English source strings. Catalogs live in
``kiosk/locale/<lang>/LC_MESSAGES/kiosk.po`` and are compiled to ``.mo`` by
``python -m kiosk.i18n_catalogs`` (``make setup``). A language's catalog is read
on its first use: from the ``.mo`` when it is at least as new as the ``.po``,
otherwise (a fresh ``pip install``, a ``.po`` just edited) compiled in memory
with babel — nothing is written into the package at run time.

French output gets French typography (``kiosk.typography.typo_fr``), so
translators write plain spaces. A msgid missing from the catalog is shown as
is (English) and logged once: a visitor never sees a crash for a missing string.

Module-level state on purpose: only the UI thread translates.
"""

from __future__ import annotations

import gettext
import io
import logging
from pathlib import Path

from kiosk.typography import typo_fr

AVAILABLE = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# Each language named in itself, for the language switch (never translated).
_NATIVE_NAMES = {"fr": "Français", "en": "English"}

log = logging.getLogger("kiosk.i18n")

_language = DEFAULT_LANGUAGE
_locale_dir = LOCALE_DIR
_catalogs: dict[str, gettext.NullTranslations] = {}
_cache: dict[tuple[str, str], str] = {}  # (lang, msgid) -> final text
_typo_cache: dict[str, str] = {}  # French translation -> with typography (ngettext forms)
_warned: set[tuple[str, str]] = set()


class _Missing(gettext.NullTranslations):
    """Last fallback of every catalog: reached only for untranslated msgids."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def _report(self, msgid: str) -> None:
        if (self.lang, msgid) not in _warned:
            _warned.add((self.lang, msgid))
            log.warning("no %s translation for msgid %r; showing it untranslated", self.lang, msgid)

    def gettext(self, message: str) -> str:
        self._report(message)
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self._report(msgid1)
        return msgid1 if n == 1 else msgid2  # the English rule: msgids are English


def _normalize(code: str) -> str:
    base = code.replace("-", "_").split("_")[0].lower()
    if base not in AVAILABLE:
        raise ValueError(f"unsupported language {code!r} (available: {', '.join(AVAILABLE)})")
    return base


def _load(lang: str) -> gettext.NullTranslations:
    po = _locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    translations: gettext.NullTranslations
    try:
        try:
            fresh = mo.stat().st_mtime >= po.stat().st_mtime
        except FileNotFoundError:
            fresh = mo.exists()  # a .mo without its .po (stripped install) is all we have
        if fresh:
            with open(mo, "rb") as f:
                translations = gettext.GNUTranslations(f)
        elif po.exists():
            from kiosk.i18n_catalogs import compile_catalog  # imports babel

            log.info("%s is missing or older than %s: compiling it in memory", mo.name, po)
            translations = gettext.GNUTranslations(io.BytesIO(compile_catalog(po)))
        else:
            log.warning("no catalog for %r in %s: text stays in English", lang, _locale_dir)
            translations = gettext.NullTranslations()
    except Exception:  # a broken catalog must not take the terminal down
        log.exception("cannot load the %r catalog: text stays in English", lang)
        translations = gettext.NullTranslations()
    translations.add_fallback(_Missing(lang))
    return translations


def _catalog(lang: str) -> gettext.NullTranslations:
    translations = _catalogs.get(lang)
    if translations is None:
        translations = _catalogs[lang] = _load(lang)
    return translations


def set_language(code: str) -> None:
    """Switch the UI language (``"fr"``, ``"en"``; ``"fr_FR"``/``"en-GB"`` accepted).

    Cheap: the catalog is read on the first translation. Raises ValueError for
    a language we have no catalog for.
    """
    global _language
    _language = _normalize(code)


def current_language() -> str:
    return _language


def language_name(code: str) -> str:
    """The language's name in itself: ``"Français"``, ``"English"``."""
    return _NATIVE_NAMES[_normalize(code)]


def _(msgid: str) -> str:
    """``msgid`` in the current language (French typography applied)."""
    if not msgid:
        return msgid  # gettext("") would return the catalog's header
    key = (_language, msgid)
    text = _cache.get(key)
    if text is None:
        text = _catalog(_language).gettext(msgid)
        if _language == "fr" and (_language, msgid) not in _warned:
            text = typo_fr(text)
        _cache[key] = text
    return text


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the current language (French: 0 and 1 are singular).

    Returns the template; format ``n`` into it yourself:
    ``ngettext("{n} result", "{n} results", n).format(n=n)``.
    """
    text = _catalog(_language).ngettext(singular, plural, n)
    if _language == "fr" and (_language, singular) not in _warned:
        cached = _typo_cache.get(text)
        if cached is None:
            cached = _typo_cache[text] = typo_fr(text)
        text = cached
    return text


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction without translating it (module-level constants).

    Translate it where it is shown: ``_(TITLE)``.
    """
    return msgid


def reload_catalogs(locale_dir: Path | str | None = None) -> None:
    """Forget loaded catalogs and caches; read them again (from ``locale_dir`` if given).

    For tests, and for a technician who updated the catalogs without restarting.
    The current language is kept.
    """
    global _locale_dir
    _locale_dir = Path(locale_dir) if locale_dir is not None else LOCALE_DIR
    _catalogs.clear()
    _cache.clear()
    _typo_cache.clear()
    _warned.clear()


def gettext_in(language: str, msgid: str) -> str:
    """``msgid`` in ``language`` whatever the current one (French typography applied): for
    texts made for one visit, e.g. a form's validation messages in the visit's language."""
    lang = _normalize(language)
    if not msgid:
        return msgid
    if lang == _language:
        return _(msgid)
    text = _catalog(lang).gettext(msgid)
    return typo_fr(text) if lang == "fr" else text
