"""Translations: real .po/.mo files in temporary copies, plus the repository's own catalogs."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk import i18n
from kiosk.devtools import i18n_compile as ic
from kiosk.i18n import N_, _, ngettext

NBSP, NNBSP = "\u00a0", "\u202f"
REPO = Path(__file__).resolve().parents[2]

FR_ENTRIES = r'''
msgid "Home"
msgstr "Accueil"

msgid "Appointment: {when}"
msgstr "Rendez-vous : {when}"

msgid "Are you sure?"
msgstr "Voulez-vous l'annuler ?"

msgid "{n} appointment"
msgid_plural "{n} appointments"
msgstr[0] "{n} rendez-vous trouvé !"
msgstr[1] "{n} rendez-vous trouvés !"
'''

EN_ENTRIES = r'''
msgid "Home"
msgstr "Home"

msgid "Appointment: {when}"
msgstr "Appointment: {when}"

msgid "Are you sure?"
msgstr "Are you sure?"

msgid "{n} appointment"
msgid_plural "{n} appointments"
msgstr[0] "{n} appointment"
msgstr[1] "{n} appointments"
'''


@pytest.fixture(autouse=True)
def fresh_state():
    i18n.reload_catalogs()
    i18n.set_language("fr")
    yield
    i18n.reload_catalogs()
    i18n.set_language("fr")


def make_locale(root: Path, fr: str = FR_ENTRIES, en: str = EN_ENTRIES) -> Path:
    """A copy of the repository's catalogs (real headers) with test entries appended."""
    locale = root / "kiosk" / "locale"
    for lang, entries in (("fr", fr), ("en", en)):
        po = ic.po_path(lang, locale)
        po.parent.mkdir(parents=True)
        header = ic.po_path(lang).read_text(encoding="utf-8").split("\n\n")[0]
        po.write_text(header + "\n" + entries, encoding="utf-8")
    return locale


@pytest.fixture
def locale(tmp_path) -> Path:
    locale = make_locale(tmp_path)
    assert ic.compile_all(locale) == ["en", "fr"]
    i18n.reload_catalogs(locale)
    return locale


def set_mtime(path: Path, when: float) -> None:
    os.utime(path, (when, when))


# --- run-time API -------------------------------------------------------------------------


def test_french_is_the_default_language(locale):
    assert i18n.current_language() == "fr"
    assert _("Home") == "Accueil"


def test_switching_language_at_run_time(locale):
    assert _("Home") == "Accueil"
    i18n.set_language("en")
    assert i18n.current_language() == "en"
    assert _("Home") == "Home"
    i18n.set_language("fr")
    assert _("Home") == "Accueil"
    i18n.set_language("en-GB")
    assert i18n.current_language() == "en"


def test_unknown_language_is_refused_and_keeps_the_current_one(locale):
    with pytest.raises(ValueError, match="de"):
        i18n.set_language("de")
    assert i18n.current_language() == "fr"


def test_french_output_gets_french_typography(locale):
    assert _("Appointment: {when}") == f"Rendez-vous{NBSP}: {{when}}"
    assert _("Are you sure?") == f"Voulez-vous l\u2019annuler{NNBSP}?"
    i18n.set_language("en")
    assert _("Appointment: {when}") == "Appointment: {when}"


def test_ngettext_french_treats_zero_and_one_as_singular(locale):
    assert ngettext("{n} appointment", "{n} appointments", 0) == f"{{n}} rendez-vous trouvé{NNBSP}!"
    assert ngettext("{n} appointment", "{n} appointments", 1) == f"{{n}} rendez-vous trouvé{NNBSP}!"
    assert ngettext("{n} appointment", "{n} appointments", 2) == f"{{n}} rendez-vous trouvés{NNBSP}!"


def test_ngettext_english_treats_zero_as_plural(locale):
    i18n.set_language("en")
    assert ngettext("{n} appointment", "{n} appointments", 0) == "{n} appointments"
    assert ngettext("{n} appointment", "{n} appointments", 1) == "{n} appointment"
    assert ngettext("{n} appointment", "{n} appointments", 7).format(n=7) == "7 appointments"


def test_missing_translation_returns_msgid_and_warns_once(locale, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.i18n")
    assert _("Not translated: yet") == "Not translated: yet"  # as is, no French spacing
    assert _("Not translated: yet") == "Not translated: yet"
    warnings = [r for r in caplog.records if r.name == "kiosk.i18n"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "Not translated: yet" in warnings[0].getMessage()


def test_missing_plural_uses_the_english_rule_and_warns_once(locale, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.i18n")
    assert ngettext("{n} ticket", "{n} tickets", 1) == "{n} ticket"
    assert ngettext("{n} ticket", "{n} tickets", 0) == "{n} tickets"
    assert len([r for r in caplog.records if r.name == "kiosk.i18n"]) == 1


def test_empty_msgid_is_not_the_catalog_header(locale):
    assert _("") == ""


def test_n_marks_without_translating(locale):
    TITLE = N_("Home")
    assert TITLE == "Home"
    assert _(TITLE) == "Accueil"


def test_language_names_are_in_their_own_language():
    assert i18n.language_name("fr") == "Français"
    assert i18n.language_name("en") == "English"
    assert i18n.language_name("fr_FR") == "Français"
    with pytest.raises(ValueError):
        i18n.language_name("xx")
    assert set(i18n.AVAILABLE) == {"fr", "en"}


def test_catalogs_are_loaded_lazily(locale):
    assert i18n._catalogs == {}
    i18n.set_language("en")
    assert i18n._catalogs == {}  # choosing a language reads nothing
    i18n.set_language("fr")
    _("Home")
    assert set(i18n._catalogs) == {"fr"}


# --- .mo / .po freshness ------------------------------------------------------------------


def test_missing_mo_is_compiled_in_memory_without_writing(locale):
    for mo in locale.glob("*/LC_MESSAGES/kiosk.mo"):
        mo.unlink()
    before = sorted(p.name for p in locale.rglob("*"))
    i18n.reload_catalogs(locale)
    assert _("Home") == "Accueil"
    assert ngettext("{n} appointment", "{n} appointments", 3).startswith("{n} rendez-vous trouvés")
    i18n.set_language("en")
    assert _("Are you sure?") == "Are you sure?"
    assert sorted(p.name for p in locale.rglob("*")) == before


def test_mo_older_than_po_is_ignored(locale):
    po = ic.po_path("fr", locale)
    po.write_text(po.read_text(encoding="utf-8").replace('"Accueil"', '"Page d\'accueil"'), encoding="utf-8")
    mo = po.with_suffix(".mo")
    set_mtime(mo, po.stat().st_mtime - 60)
    i18n.reload_catalogs(locale)
    assert _("Home") == "Page d\u2019accueil"
    # and a fresh .mo is trusted as is: it wins over the .po
    set_mtime(mo, po.stat().st_mtime + 60)
    i18n.reload_catalogs(locale)
    assert _("Home") == "Accueil"


def test_broken_catalog_at_run_time_falls_back_to_msgid(tmp_path, caplog):
    locale = make_locale(tmp_path, fr='msgid "Home"\nmsgstr "Accueil\n')  # unterminated string
    i18n.reload_catalogs(locale)
    with caplog.at_level(logging.WARNING, logger="kiosk.i18n"):
        assert _("Home") == "Home"
    assert any(r.levelno == logging.ERROR for r in caplog.records)
    i18n.set_language("en")
    assert _("Home") == "Home"


def test_fresh_mo_path_does_not_import_babel(locale):
    code = textwrap.dedent(
        f"""
        import sys
        from kiosk import i18n
        i18n.reload_catalogs({str(locale)!r})
        assert i18n._("Home") == "Accueil", i18n._("Home")
        i18n.set_language("en")
        assert i18n._("Home") == "Home"
        print(sorted(m for m in sys.modules if m == "babel" or m.startswith("babel.")))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- compiling and extracting -------------------------------------------------------------


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.devtools.i18n_compile", *args], cwd=cwd, capture_output=True, text=True
    )


def test_cli_compiles_only_stale_catalogs_quietly(tmp_path):
    locale = make_locale(tmp_path)
    first = run_cli("--root", str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == "i18n: compiled en, fr\n" and first.stderr == ""
    assert ic.po_path("fr", locale).with_suffix(".mo").is_file()

    again = run_cli("--root", str(tmp_path))
    assert (again.returncode, again.stdout) == (0, "i18n: catalogs up to date\n")

    po = ic.po_path("en", locale)
    set_mtime(po, po.with_suffix(".mo").stat().st_mtime + 10)
    third = run_cli("--root", str(tmp_path))
    assert (third.returncode, third.stdout) == (0, "i18n: compiled en\n")


def test_cli_refuses_a_broken_po_and_writes_nothing(tmp_path):
    locale = make_locale(tmp_path, fr=FR_ENTRIES + '\nmsgid "Oops"\nmsgstr "Oups\n')
    result = run_cli("--root", str(tmp_path))
    assert result.returncode == 1
    assert "broken catalog" in result.stderr and "fr" in result.stderr
    assert not list(locale.rglob("*.mo"))


def test_translation_inventing_a_format_field_is_refused(tmp_path):
    locale = make_locale(tmp_path, fr='msgid "Hello {name}"\nmsgstr "Bonjour {nom}"\n')
    with pytest.raises(ic.CatalogError, match=r"\{nom\}"):
        ic.compile_catalog(ic.po_path("fr", locale))


def write_source(root: Path, package: str, name: str, text: str) -> None:
    path = root / package / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_extract_merges_source_strings_into_both_catalogs(tmp_path):
    locale = make_locale(tmp_path)
    write_source(tmp_path, "kiosk", "app.py", """
        from kiosk.i18n import N_, _, ngettext
        TITLE = N_("Home")
        def f(n):
            # TRANSLATORS: shown under the clock
            return _("Appointment: {when}"), ngettext("{n} appointment", "{n} appointments", n)
        def g():
            return _("Appointments:  {when}"), _(TITLE)  # close to an existing msgid
    """)
    write_source(tmp_path, "screens", "welcome.py", 'from kiosk.i18n import _\nx = _("Welcome")\n')
    write_source(tmp_path, "tests", "test_x.py", 'from kiosk.i18n import _\nx = _("Not extracted")\n')

    result = run_cli("--extract", "--root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "dropped obsolete msgid 'Are you sure?'" in result.stdout
    assert "fr: 2 msgid(s) to translate" in result.stdout

    fr = ic.read_catalog(ic.po_path("fr", locale))
    en = ic.read_catalog(ic.po_path("en", locale))
    assert fr.get("Home").string == "Accueil"  # kept
    assert fr.get("Welcome").string == "" and fr.get("Appointments:  {when}").string == ""
    assert en.get("Welcome").string == "Welcome"  # English prefilled
    assert "Are you sure?" not in [m.id for m in fr] and not fr.obsolete
    assert not [m.id for m in fr if m.fuzzy] and not [m.id for m in en if m.fuzzy]
    assert fr.get("Appointment: {when}").auto_comments == ["shown under the clock"]
    assert ("screens/welcome.py", None) in fr.get("Welcome").locations
    assert "Not extracted" not in [m.id for m in fr]

    assert ic.missing_translations("fr", tmp_path, locale) == ["Appointments:  {when}", "Welcome"]
    assert ic.missing_translations("en", tmp_path, locale) == []
    assert ic.po_path("fr", locale).with_suffix(".mo").is_file()

    # Running it again changes nothing (no churn in the .po files).
    before = {p: p.read_bytes() for p in locale.rglob("*.po")}
    assert run_cli("--extract", "--root", str(tmp_path)).returncode == 0
    assert {p: p.read_bytes() for p in locale.rglob("*.po")} == before


def test_missing_translations_counts_fuzzy_and_half_plurals(tmp_path):
    fr = FR_ENTRIES.replace('msgstr[1] "{n} rendez-vous trouvés !"', 'msgstr[1] ""')
    fr = fr.replace('msgid "Home"', '#, fuzzy\nmsgid "Home"')
    locale = make_locale(tmp_path, fr=fr)
    write_source(tmp_path, "kiosk", "a.py", """
        _("Home"); _("Are you sure?")
        ngettext("{n} appointment", "{n} appointments", 2)
    """)
    assert ic.missing_translations("fr", tmp_path, locale) == ["Home", "{n} appointment"]


# --- the repository's real catalogs -----------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_repository_catalog_is_complete(lang):
    """Every string in the source must be translated: run `make po`, then fill the msgstr."""
    missing = ic.missing_translations(lang)
    assert missing == [], f"{len(missing)} untranslated msgid(s) in {ic.po_path(lang)}: {missing}"


@pytest.mark.parametrize(
    ("lang", "plural_forms"),
    [("fr", "nplurals=2; plural=(n > 1);"), ("en", "nplurals=2; plural=(n != 1);")],
)
def test_repository_catalog_headers_and_syntax(lang, plural_forms):
    path = ic.po_path(lang)
    text = path.read_text(encoding="utf-8")
    assert f'"Language: {lang}\\n"' in text
    assert f'"Plural-Forms: {plural_forms}\\n"' in text
    assert ic.compile_catalog(path)  # parses and passes the checks


def test_repository_catalogs_work_from_a_copy_without_mo(tmp_path):
    shutil.copytree(REPO / "kiosk" / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    i18n.reload_catalogs(tmp_path / "locale")
    for lang in i18n.AVAILABLE:
        i18n.set_language(lang)
        assert _("A string nobody wrote") == "A string nobody wrote"
