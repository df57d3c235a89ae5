"""The translation catalogs as the terminal reads them: ``.po`` compiled to ``.mo``.

Shipped code, not a developer tool: ``tools/bootstrap.sh`` compiles the catalogs at set-up
(``python -m kiosk.i18n_catalogs``), and :mod:`kiosk.i18n` compiles a missing or stale
``.mo`` in memory (a fresh ``pip install``, a ``.po`` just edited). Extracting strings from
the source into the ``.po`` files is the developers' part: :mod:`kiosk.devtools.i18n_compile`.

babel is imported inside the functions: ``kiosk.i18n`` imports this module only when a
``.mo`` is stale, and it must stay cheap otherwise.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from babel.messages.catalog import Catalog

DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


class CatalogError(Exception):
    """A .po file that cannot be compiled, or a translation that would break the UI."""


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return Path(locale_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Languages that have a catalog, sorted."""
    return sorted(p.parent.parent.name for p in Path(locale_dir).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


# babel's parser silently garbles a string missing its closing quote: check each line first.
_PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*')


def read_catalog(path: Path) -> Catalog:
    """Parse a .po file strictly; any syntax error raises CatalogError naming the file and line."""
    from babel.messages.pofile import PoFileError, read_po

    lang = Path(path).parent.parent.name
    try:
        data = Path(path).read_bytes()
        for lineno, line in enumerate(data.decode("utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#") and not _PO_LINE.fullmatch(stripped):
                raise CatalogError(f"{path}:{lineno}: malformed line: {stripped}")
        return read_po(io.BytesIO(data), locale=lang, domain=DOMAIN, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: {exc}") from exc


_BRACE_FIELD = re.compile(r"(?<!\{)\{([^{}!:]*)[^{}]*\}(?!\})")


def _check(catalog: Catalog, path: Path) -> None:
    """Refuse translations that would crash or garble the screen at run time.

    babel checks ``%`` placeholders and the number of plural forms; we add
    ``str.format`` fields: a msgstr may drop a ``{field}`` but not invent one
    (``KeyError`` when the screen formats it).
    """
    problems = [
        f"msgid {message.id!r}: {error}" for message, errors in catalog.check() for error in errors
    ]
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strs = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        allowed = {f for s in ids for f in _BRACE_FIELD.findall(s)}
        for s in strs:
            unknown = set(_BRACE_FIELD.findall(s)) - allowed
            if unknown:
                names = ", ".join("{" + u + "}" for u in sorted(unknown))
                problems.append(f"msgid {ids[0]!r}: msgstr uses {names}, not in msgid")
    if problems:
        raise CatalogError(f"{path}:\n  " + "\n  ".join(problems))


def compile_catalog(path: Path) -> bytes:
    """The .mo bytes for one .po file (untranslated and fuzzy entries left out)."""
    from babel.messages.mofile import write_mo

    catalog = read_catalog(path)
    _check(catalog, path)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def is_stale(po: Path) -> bool:
    """True when the .mo next to ``po`` is missing or older than it."""
    mo = Path(po).with_suffix(".mo")
    try:
        return mo.stat().st_mtime < Path(po).stat().st_mtime
    except FileNotFoundError:
        return True


def compile_all(locale_dir: Path = LOCALE_DIR, force: bool = False) -> list[str]:
    """Compile stale catalogs; returns the languages compiled.

    Every stale catalog is compiled and checked before any is written, so
    one broken .po leaves all .mo files as they were.
    """
    todo = [(lang, po_path(lang, locale_dir)) for lang in languages(locale_dir)]
    todo = [(lang, po) for lang, po in todo if force or is_stale(po)]
    compiled = [(lang, po, compile_catalog(po)) for lang, po in todo]
    for _lang, po, data in compiled:
        mo = po.with_suffix(".mo")
        tmp = mo.with_name(mo.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, mo)  # a running kiosk never reads half a file
    return [lang for lang, _po, _data in compiled]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kiosk.i18n_catalogs",
                                     description="Compile the translation catalogs (.po -> .mo) when they changed.")
    parser.add_argument("--force", action="store_true", help="compile even up-to-date catalogs")
    args = parser.parse_args(argv)
    try:
        compiled = compile_all(LOCALE_DIR, force=args.force)
    except CatalogError as exc:
        print(f"i18n: broken catalog, nothing compiled: {exc}", file=sys.stderr)
        return 1
    print(f"i18n: compiled {', '.join(compiled)}" if compiled else "i18n: catalogs up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
