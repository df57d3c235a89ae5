"""Build the translation catalogs: ``python -m kiosk.devtools.i18n_compile [--extract]``.

Without options, compile each ``kiosk/locale/<lang>/LC_MESSAGES/kiosk.po`` whose
``.mo`` is missing or older (``tools/bootstrap.sh`` runs this so the app starts
without babel). With ``--extract``, first scan the source packages for ``_()``,
``N_()`` and ``ngettext()`` and merge what they find into every ``.po``.

babel is imported inside the functions: ``kiosk.i18n`` imports this module to
compile in memory when a ``.mo`` is stale, and must stay cheap otherwise.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from babel.messages.catalog import Catalog, Message

DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
REPO_ROOT = LOCALE_DIR.parent.parent
# The packages whose strings end up on screen or in tickets (not tests, not tools).
SOURCE_PACKAGES = ("kiosk", "screens", "drivers", "offline_cache", "provisioning")
# Function name -> which positional arguments are msgids (1-based), as babel wants it.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# "# TRANSLATORS: ..." just above a call becomes a note for translators in the .po.
COMMENT_TAGS = ("TRANSLATORS:",)

_HEADER_COMMENT = """\
# {language} translations for Kiosk.
# Updated by `make po` (python -m kiosk.devtools.i18n_compile --extract); edit msgstr only.
#"""


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


def extract_messages(root: Path = REPO_ROOT) -> Catalog:
    """Every translatable string in the source packages, as a template catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(domain=DOMAIN, project="Kiosk", charset="utf-8", fuzzy=False)
    for package in SOURCE_PACKAGES:
        pkg_dir = Path(root) / package
        if not pkg_dir.is_dir():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            pkg_dir,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        ):
            template.add(
                message,
                None,
                [(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def _is_translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return bool(strings) and all(strings)


def update_catalogs(root: Path = REPO_ROOT, locale_dir: Path = LOCALE_DIR) -> dict[str, list[str]]:
    """Merge the source's msgids into every .po; returns the obsolete msgids per language.

    New msgids get an empty msgstr (``en``: msgstr = msgid, since msgids are
    English). Existing translations are kept, nothing is marked fuzzy (no
    guessing from similar msgids), obsolete entries are dropped. A file is
    rewritten only when its content changes, so its .mo stays fresh otherwise.
    """
    import copy

    from babel.messages.pofile import write_po

    template = extract_messages(root)
    obsolete: dict[str, list[str]] = {}
    for lang in languages(locale_dir):
        path = po_path(lang, locale_dir)
        catalog = read_catalog(path)
        were_fuzzy = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.fuzzy}
        # update() inserts the template's Message objects themselves: give each catalog its own.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_creation_date=False)
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key not in were_fuzzy:
                message.flags.discard("fuzzy")
            if lang == "en" and not _is_translated(message):
                message.string = message.id
        obsolete[lang] = [k if isinstance(k, str) else k[0] for k in catalog.obsolete]
        buf = io.BytesIO()
        write_po(buf, catalog, ignore_obsolete=True, include_lineno=False, width=0)
        if buf.getvalue() != path.read_bytes():
            path.write_bytes(buf.getvalue())
    return obsolete


def missing_translations(
    lang: str, root: Path = REPO_ROOT, locale_dir: Path = LOCALE_DIR
) -> list[str]:
    """msgids used in the source that ``lang``'s catalog does not translate.

    Empty, partially empty (plural) and fuzzy msgstr count as missing, since
    the compiled catalog leaves them out. Plural entries are named by their
    singular msgid.
    """
    catalog = read_catalog(po_path(lang, locale_dir))
    missing = []
    for message in extract_messages(root):
        if not message.id:
            continue
        if not _is_translated(catalog.get(message.id, message.context)):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m kiosk.devtools.i18n_compile",
        description="Compile the translation catalogs (.po -> .mo) when they changed.",
    )
    parser.add_argument(
        "--extract",
        action="store_true",
        help="first extract the strings from the source and merge them into every .po",
    )
    parser.add_argument("--force", action="store_true", help="compile even up-to-date catalogs")
    parser.add_argument(
        "--root",
        type=Path,
        default=REPO_ROOT,
        help="source tree holding the packages and kiosk/locale (default: this checkout)",
    )
    args = parser.parse_args(argv)
    root, locale_dir = args.root, args.root / "kiosk" / "locale"
    if not languages(locale_dir):
        print(f"i18n: no catalogs found under {locale_dir}", file=sys.stderr)
        return 1
    try:
        if args.extract:
            for lang, ids in update_catalogs(root, locale_dir).items():
                for msgid in ids:
                    print(f"i18n: {lang}: dropped obsolete msgid {msgid!r}")
            for lang in languages(locale_dir):
                todo = missing_translations(lang, root, locale_dir)
                if todo:
                    path = po_path(lang, locale_dir)
                    print(f"i18n: {lang}: {len(todo)} msgid(s) to translate in {path}")
        compiled = compile_all(locale_dir, force=args.force)
    except CatalogError as exc:
        print(f"i18n: broken catalog, nothing compiled: {exc}", file=sys.stderr)
        return 1
    print(f"i18n: compiled {', '.join(compiled)}" if compiled else "i18n: catalogs up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
