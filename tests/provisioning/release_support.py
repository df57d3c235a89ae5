"""Releases and terminals for the update/rollback and Ansible tests: real code trees, real kiosks.

A test release is a copy of this checkout's packages under another version, optionally broken
on purpose (a syntax error, an import error, a crash after READY=1) or given one more cache
migration. A target root holds a kiosk.toml whose paths all point inside it, so the kiosk the
direct service starts reads and writes nothing outside the test's folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import tomlkit

from offline_cache.migrations import CURRENT_VERSION, OUTBOX_STEPS
from provisioning import release
from provisioning.common import Paths
from provisioning.service_control import DirectService, Policy, direct_service

REPO = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("kiosk", "screens", "drivers", "offline_cache", "provisioning")
# The unit's rules, quicker: tests wait seconds, not minutes.
TEST_POLICY = Policy(restart_s=0.3, start_timeout_s=40.0, stop_timeout_s=10.0, watchdog_s=30.0)

# A release whose kiosk cannot even start: its CLI module does not compile.
SYNTAX_ERROR = {"kiosk/cli.py": ("def build_parser() -> argparse.ArgumentParser:",
                                 "def build_parser() -> argparse.ArgumentParser\n    pass")}
# A release whose kiosk compiles but cannot start: it imports a module that does not exist.
IMPORT_ERROR = {"kiosk/cli.py": ("    from kiosk.shell.app import App\n", "    from kiosk.shell.app_gone import App\n")}
# A release that migrates both cache files one step further: the catalog (a new table) and the
# outbox file (a new column), as the lines of this checkout's migrations read.
OUTBOX_VERSION = OUTBOX_STEPS[-1][0]
_MIGRATIONS = (REPO / "offline_cache" / "migrations.py").read_text()
# the STEPS statement, however many lines it takes, up to the line that follows it
_STEPS = _MIGRATIONS[_MIGRATIONS.index("\nSTEPS: ") + 1:_MIGRATIONS.index("\nCURRENT_VERSION = STEPS[-1][0]")]
_OUTBOX_STEPS = next(line for line in _MIGRATIONS.splitlines() if line.startswith("OUTBOX_STEPS: "))
MIGRATES = {"offline_cache/migrations.py": (
    f"{_STEPS}\nCURRENT_VERSION = STEPS[-1][0]",
    f"{_STEPS[:-1]}, ({CURRENT_VERSION + 1}, [\"CREATE TABLE release_notes (id TEXT PRIMARY KEY)\"])]\n"
    "CURRENT_VERSION = STEPS[-1][0]")}
MIGRATES_OUTBOX = {"offline_cache/migrations.py": (
    _OUTBOX_STEPS,
    f"{_OUTBOX_STEPS[:-1]}, ({OUTBOX_VERSION + 1}, "
    "[\"ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk'\"])]")}
# A release that comes up (READY=1), migrates the cache, then crashes a moment later.
CRASHES_AFTER_READY = {"kiosk/cli.py": (
    '        sdnotify.notify("READY=1")\n',
    '        sdnotify.notify("READY=1")\n'
    "        from offline_cache.db import open_cache\n"
    "        open_cache(config.sync.cache_path).close()\n"
    "        import threading\n"
    "        threading.Timer(1.0, os._exit, (1,)).start()\n")}


def make_release(where: Path, version: str, *patches: dict[str, tuple[str, str]]) -> Path:
    """This checkout's packages as release ``version`` (a folder like an unpacked release archive)."""
    tree = where / f"src-{version}"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PACKAGES:
        shutil.copytree(REPO / name, tree / name, ignore=ignore)
    shutil.copytree(REPO / "systemd", tree / "systemd")
    for name in ("pyproject.toml", "kiosk.toml", "README.md", "constraints.txt"):
        shutil.copy2(REPO / name, tree / name)
    pyproject = tree / "pyproject.toml"
    text = pyproject.read_text()
    assert 'version = "0.1.0"' in text
    pyproject.write_text(text.replace('version = "0.1.0"', f'version = "{version}"', 1))
    for patch in patches:
        for relative, (old, new) in patch.items():
            path = tree / relative
            text = path.read_text()
            assert old in text, f"{relative} changed: the test's patch no longer applies"
            path.write_text(text.replace(old, new, 1))
    return tree


def write_config(paths: Paths, base_url: str = "http://127.0.0.1:9/") -> None:
    """kiosk.toml for a target root: the documented one, every path inside the root."""
    doc = tomlkit.parse((REPO / "kiosk.toml").read_text())
    doc["api"]["base_url"] = base_url  # type: ignore[index]
    doc["api"]["credentials_path"] = str(paths.state / "credentials.json")  # type: ignore[index]
    doc["sync"]["cache_path"] = str(paths.state / "cache.sqlite3")  # type: ignore[index]
    doc["sync"]["state_file"] = str(paths.run_dir / "state.json")  # type: ignore[index]
    paths.config.parent.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(tomlkit.dumps(doc))
    paths.state.mkdir(parents=True, exist_ok=True, mode=0o700)


def first_release(paths: Paths, source: Path) -> str:
    """What `install` leaves for update to start from: a release behind the ``current`` link."""
    version, _ = release.stage(paths, source, no_deps=True)
    release.point(paths.current, version)
    return version


def service(paths: Paths) -> DirectService:
    return direct_service(paths, TEST_POLICY)
