"""`kiosk-provision config`: read and change kiosk.toml safely (comments kept, validated, atomic).

Why this instead of ``sed`` or an editor over SSH: kiosk.toml is the documentation of every key, so a
change keeps its comments (tomlkit edits the document, not a dict); a change the kiosk would refuse
never reaches the file (the new text is validated by the kiosk's own models first, and the lines are
those of ``kiosk check-config``); the file is replaced by a rename, so a kiosk starting at that moment
reads the old file or the new one, never half; and the kiosk is restarted so the change takes effect.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

from provisioning import service_control
from provisioning.common import Outcome, Paths, UsageError, add_common, atomic_write
from provisioning.kiosk_config import config_path, parse_and_validate

HELP = ("show or change kiosk.toml: get KEY, set KEY VALUE, validate, edit. A change is validated like "
        "'kiosk check-config' before the file is replaced (comments kept), then the kiosk restarts")
EXAMPLE = "kiosk-provision config set display.rotation 90"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="kiosk.toml (default: PREFIX/etc/kiosk/kiosk.toml)")
    parser.add_argument("--no-restart", action="store_true", help="change the file but do not restart the kiosk")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    get = actions.add_parser("get", help="print a value: config get display.rotation")
    get.add_argument("key", metavar="KEY", help="dotted key, e.g. display.rotation")
    set_ = actions.add_parser("set", help="change a value: config set display.rotation 90")
    set_.add_argument("key", metavar="KEY")
    set_.add_argument("value", metavar="VALUE", help="a TOML value: 90, true, \"text\" (bare text is taken as text)")
    validate = actions.add_parser("validate", help="check the file as the kiosk would")
    edit = actions.add_parser("edit", help="open it in $EDITOR; the change is kept only if it is valid")
    for action in (get, set_, validate, edit):
        add_common(action, nested=True)
        action.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        action.add_argument("--no-restart", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _parts(key: str) -> list[str]:
    parts = key.split(".")
    if not all(part and part.replace("_", "").replace("-", "").isalnum() for part in parts):
        raise UsageError(f"{key!r} is not a dotted key such as display.rotation")
    return parts


def parse_value(text: str) -> Any:
    """``90`` → 90, ``true`` → True, ``"a b"`` → "a b", ``[1, 2]`` → [1, 2]; anything else is text,
    so ``config set terminal.name Mairie`` needs no quotes."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _read(path: Path, out: Outcome) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        out.problem(f"{path.name}: cannot be read ({exc.strerror or exc}) ({path})")
    except UnicodeDecodeError:
        out.problem(f"{path.name}: not valid UTF-8 text; save the file as UTF-8 ({path})")
    return None


def _replace(path: Path, text: str, paths: Paths, args: argparse.Namespace, out: Outcome) -> None:
    """Write the validated text over the file (same mode and owner), then restart the kiosk."""
    st = path.stat()
    atomic_write(path, text.encode("utf-8"), st.st_mode & 0o777)
    if paths.real_root and os.geteuid() == 0:
        os.chown(path, st.st_uid, st.st_gid)
    out.data["changed"] = True
    if args.no_restart:
        out.say("the kiosk was not restarted (--no-restart): the change applies at its next start")
        return
    result = service_control.restart(paths)
    out.data["restart"] = result.message
    if result.ok:
        out.say(result.message)
    else:
        out.problem(result.message)


def _get(args: argparse.Namespace, path: Path, out: Outcome) -> None:
    text = _read(path, out)
    if text is None:
        return
    config, problems = parse_and_validate(text, path)
    if config is None:
        out.problems += problems
        return
    node: Any = config
    parts = _parts(args.key)
    for depth, part in enumerate(parts):
        fields = getattr(type(node), "model_fields", None)
        if fields is None or part not in fields or part == "source":
            where = ".".join(parts[:depth]) or "the top level"
            allowed = ", ".join(name for name in (fields or {}) if name != "source")
            raise UsageError(f"{args.key}: unknown key (allowed in {where}: {allowed})")
        node = getattr(node, part)
    value = node.model_dump(mode="json") if hasattr(node, "model_dump") else node
    value = str(value) if isinstance(value, Path) else value
    in_file: Any = tomllib.loads(text)
    for part in parts:
        in_file = in_file.get(part) if isinstance(in_file, dict) else None
    out.data.update(key=args.key, value=value, default=in_file is None)
    import tomlkit

    shown = tomlkit.item(value).as_string() if not isinstance(value, dict) else str(value)
    out.say(shown + ("   (default: not in the file)" if in_file is None else ""))


def _set(args: argparse.Namespace, path: Path, paths: Paths, out: Outcome) -> None:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    text = _read(path, out)
    if text is None:
        return
    parts = _parts(args.key)
    value = parse_value(args.value)
    try:
        document = tomlkit.parse(text)
    except TOMLKitError:
        out.problems += parse_and_validate(text, path)[1] or [f"{path.name}: not valid TOML"]
        return
    node: Any = document
    for part in parts[:-1]:
        if part not in node:
            node.add(part, tomlkit.table())
        node = node[part]
        if not isinstance(node, dict):
            out.problem(f"{path.name}: {args.key}: {part} is a value, not a section")
            return
    old: Any = tomllib.loads(text)
    for part in parts:
        old = old.get(part) if isinstance(old, dict) else None
    if old == value and type(old) is type(value):
        out.say(f"{args.key} is already {tomlkit.item(value).as_string()}: nothing to change")
        out.data["changed"] = False
        return
    node[parts[-1]] = value
    new_text = tomlkit.dumps(document)
    _, problems = parse_and_validate(new_text, path)
    if problems:
        out.problems += problems
        out.problem(f"{path.name} was not changed")
        return
    _replace(path, new_text, paths, args, out)
    out.say(f"{args.key} = {tomlkit.item(value).as_string()} written to {path}")


def _validate(path: Path, out: Outcome) -> None:
    from kiosk.config import config_warnings

    text = _read(path, out)
    if text is None:
        return
    config, problems = parse_and_validate(text, path)
    if config is None:
        out.problems += problems
        return
    warnings = config_warnings(config)
    out.lines += [f"warning: {line}" for line in warnings]
    out.data["warnings"] = warnings
    out.say(f"{path}: OK")


def _edit(args: argparse.Namespace, path: Path, paths: Paths, out: Outcome) -> None:
    """Edit a copy; keep it only if valid. An invalid draft is kept beside for another go."""
    text = _read(path, out)
    if text is None:
        return
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or shutil.which("editor") or "vi"
    draft = path.with_name(path.name + ".draft")
    if not draft.exists():
        draft.write_text(text, encoding="utf-8")
    else:
        out.say(f"continuing the draft left by an earlier edit: {draft}")
    done = subprocess.run([*shlex.split(editor), str(draft)], check=False)
    if done.returncode != 0:
        out.problem(f"the editor ({editor}) exited with {done.returncode}; {path.name} was not changed "
                    f"(draft kept: {draft})")
        return
    new_text = draft.read_text(encoding="utf-8")
    if new_text == text:
        draft.unlink()
        out.say("no change")
        out.data["changed"] = False
        return
    _, problems = parse_and_validate(new_text, path)
    if problems:
        out.problems += problems
        out.problem(f"{path.name} was not changed; your draft is kept: run 'kiosk-provision config edit' "
                    f"again to fix it, or delete {draft}")
        return
    _replace(path, new_text, paths, args, out)
    draft.unlink()
    out.say(f"{path} saved")


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    path = config_path(paths, args.config)
    out.data["path"] = str(path)
    if args.action == "get":
        _get(args, path, out)
    elif args.action == "set":
        _set(args, path, paths, out)
    elif args.action == "validate":
        _validate(path, out)
    else:
        _edit(args, path, paths, out)
    return out
