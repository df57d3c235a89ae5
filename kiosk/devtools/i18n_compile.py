"""The developers' side of translation: ``python -m kiosk.devtools.i18n_compile [--extract]``.

With ``--extract`` (``make po``), scan the source packages for ``_()``, ``N_()`` and
``ngettext()`` and merge what they find into every ``.po``; then, as without options,
compile the catalogs whose ``.mo`` is missing or older, with :mod:`kiosk.i18n_catalogs`
(the shipped part, which the terminal uses too).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from babel.messages.catalog import Catalog, Message

from kiosk.i18n_catalogs import (
    DOMAIN,
    LOCALE_DIR,
    CatalogError,
    compile_all,
    compile_catalog,
    is_stale,
    languages,
    po_path,
    read_catalog,
)

__all__ = ["CatalogError", "compile_all", "compile_catalog", "extract_messages", "is_stale", "languages",
           "missing_translations", "po_path", "read_catalog", "update_catalogs"]
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
