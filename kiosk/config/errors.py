"""Wording of configuration problems: pydantic, tomllib and OS errors as one-line sentences.

Technicians read these lines in the journal or over SSH, often on a terminal they did not
set up, so each one names the key, shows the value (short, and never a secret) and says
what is expected instead. The line shapes are the contract documented in
:mod:`kiosk.config.loading`; this module only words them, it never decides whether a
configuration is usable. It knows nothing of kiosk.toml's models: the model tree is
passed in as ``root``, which keeps it importable by the models' own validators.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

SECRET_SECTION = "admin"  # values under it are never echoed: a mangled hash, or a PIN typed there
LOADER_KEYS = ("source",)  # fields of the root model set by the loader, never written in the file
_MAX_SHOWN = 60


def os_error_text(exc: OSError) -> str:
    """Why a file cannot be used, in words rather than errno names."""
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot be read: {exc.strerror or exc}"


def utf8_problem(path: Path, raw: bytes, exc: UnicodeDecodeError) -> str:
    """Where the file stops being UTF-8 (editors on Windows may save Latin-1).

    ``exc`` positions count from after a byte-order mark, if the file has one.
    """
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    before = raw[: exc.start]
    line, column = before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1
    return (f"{path.name} line {line}, column {column}: not valid UTF-8 text "
            f"(byte 0x{raw[exc.start]:02x}); save the file as UTF-8 ({path})")


def toml_problem(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's message with its position moved to the front, like the other lines."""
    message = str(exc)
    if m := re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", message, re.S):
        where, message = f" line {m[2]}, column {m[3]}", m[1]
    elif m := re.fullmatch(r"(.*) \(at end of document\)", message, re.S):
        where, message = " at the end of the file", m[1]
    else:
        where = ""
    return f"{path.name}{where}: {message}"


def allowed_keys(model: type[BaseModel], root: type[BaseModel]) -> str:
    """The keys a technician may write in ``model``, comma-separated, for "unknown key" lines."""
    return ", ".join(name for name in model.model_fields if not (model is root and name in LOADER_KEYS))


def shown(value: Any, key: str) -> str:
    """A value as echoed back: its repr, cut to about 60 characters, hidden under [admin]."""
    if key == SECRET_SECTION or key.startswith(SECRET_SECTION + "."):
        return "(hidden)"
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def validation_lines(exc: ValidationError, root: type[BaseModel]) -> list[tuple[str, str]]:
    """(dotted key, line without file prefix) for each error of validating ``root``."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        key = _dotted(loc)
        parent, field = _walk(loc, root)
        if err["type"] == "missing":
            expected = field.description if field is not None and field.description else "a value"
            lines.append((key, f"{key}: missing (required): {expected}"))
        else:
            lines.append((key, f"{key} = {shown(err['input'], key)}: {_problem(err, key, parent, field, root)}"))
    return lines


# --- from one pydantic error to "what is expected" -------------------------------------

def _walk(loc: tuple[int | str, ...], root: type[BaseModel]) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model holding the last key of ``loc`` and that key's field, when known."""
    parent: type[BaseModel] | None = None
    model: type[BaseModel] | None = root
    field = None
    for part in loc:
        if model is None or not isinstance(part, str):
            return None, None
        parent, field = model, model.model_fields.get(part)
        if field is None:
            return parent, None
        ann = field.annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return parent, field


def _dotted(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))


def _num(x: Any) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


def _fits_unquoted(value: Any, kind: str, field: FieldInfo | None) -> bool:
    """True when a quoted string would be right without its quotes ("90", "true")."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if kind == "bool_type":
        return text in ("true", "false")
    if kind == "int_type":
        return re.fullmatch(r"[+-]?[0-9]+", text) is not None
    if kind == "float_type":
        return re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text) is not None
    if kind == "literal_error" and field is not None:
        return text in [str(c) for c in get_args(field.annotation) if not isinstance(c, str)]
    return False


def _problem(err: ErrorDetails, key: str, parent: type[BaseModel] | None, field: FieldInfo | None,
             root: type[BaseModel]) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err["input"]
    unquote = " (write it without quotes)" if _fits_unquoted(value, kind, field) else ""
    if kind == "extra_forbidden":
        what = "section" if parent is root and isinstance(value, dict) else "key"
        return f"unknown {what} (allowed here: {allowed_keys(parent or root, root)})"
    if kind == "literal_error" and field is not None and get_origin(field.annotation) is Literal:
        choices = ", ".join(f'"{c}"' if isinstance(c, str) else str(c) for c in get_args(field.annotation))
        return f"must be one of {choices}" + unquote
    simple: dict[str, Callable[[], str]] = {
        "greater_than_equal": lambda: f"must be at least {_num(ctx.get('ge'))}",
        "less_than_equal": lambda: f"must be at most {_num(ctx.get('le'))}",
        "greater_than": lambda: f"must be more than {_num(ctx.get('gt'))}",
        "less_than": lambda: f"must be less than {_num(ctx.get('lt'))}",
        "finite_number": lambda: "must be a finite number",
        "int_type": lambda: "must be a whole number" + unquote,
        "float_type": lambda: "must be a number" + unquote,
        "bool_type": lambda: "must be true or false" + unquote,
        "string_type": lambda: "must be text in quotes",
        "model_type": lambda: f"must be a section written [{key}]",
        "string_too_short": lambda: "must not be empty" if ctx.get("min_length") == 1
        else f"must be at least {ctx.get('min_length')} characters",
        "string_too_long": lambda: f"must be at most {ctx.get('max_length')} characters",
        "value_error": lambda: str(ctx.get("error", err["msg"])),
    }
    if kind in simple:
        return simple[kind]()
    if field is not None and field.description:  # pattern mismatch, tuple_type, ...
        return f"must be {field.description}"
    return str(err["msg"])  # pydantic's short message (its URL lives elsewhere)
