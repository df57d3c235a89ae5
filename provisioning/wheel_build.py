"""A wheel of the kiosk from a source folder, written directly (PEP 427), without a build backend.

Why not ``pip install <folder>``: that needs the build backend pyproject.toml names (setuptools ≥ 68),
from the network or already installed; a terminal being installed offline, or a test, has neither.
The kiosk is pure Python with no build step, so its wheel is its packages' files, a METADATA naming
its dependencies, and its console scripts. pip then installs that wheel like any other (its own
installer writes the scripts and RECORD), with or without the dependencies.
"""

from __future__ import annotations

import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path
from typing import Any

_SKIPPED_PARTS = {"__pycache__"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def _project(source: Path) -> dict[str, Any]:
    data = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    return {"project": data["project"],
            "include": data.get("tool", {}).get("setuptools", {}).get("packages", {}).get("find", {}).get("include",
                                                                                                        ["kiosk*"])}


def _package_files(source: Path, include: list[str]) -> list[Path]:
    """Every file of the top-level packages pyproject.toml includes (``kiosk*`` → kiosk/)."""
    tops = sorted({p.rstrip("*") for p in include})
    files: list[Path] = []
    for top in tops:
        folder = source / top
        if not (folder / "__init__.py").is_file():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(source)
            if path.is_file() and not (_SKIPPED_PARTS & set(rel.parts)) and path.suffix not in _SKIPPED_SUFFIXES:
                files.append(rel)
    return files


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(source: Path, out_dir: Path, version: str) -> Path:
    """``out_dir/kiosk-<version>-py3-none-any.whl`` from the source folder; returns its path."""
    info = _project(source)
    project = info["project"]
    name = str(project["name"])
    dist_info = f"{name}-{version}.dist-info"
    metadata = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
                f"Summary: {project.get('description', '')}",
                f"Requires-Python: {project.get('requires-python', '>=3.11')}"]
    metadata += [f"Requires-Dist: {dep}" for dep in project.get("dependencies", [])]
    scripts = project.get("scripts", {})
    entry_points = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items())
    wheel_meta = "Wheel-Version: 1.0\nGenerator: kiosk-provision\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{name}-{version}-py3-none-any.whl"
    record: list[str] = []
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        def add(arcname: str, data: bytes) -> None:
            zf.writestr(arcname, data)
            record.append(f"{arcname},{_digest(data)},{len(data)}")

        for rel in _package_files(source, list(info["include"])):
            add(rel.as_posix(), (source / rel).read_bytes())
        add(f"{dist_info}/METADATA", ("\n".join(metadata) + "\n").encode())
        add(f"{dist_info}/WHEEL", wheel_meta.encode())
        add(f"{dist_info}/entry_points.txt", entry_points.encode())
        record.append(f"{dist_info}/RECORD,,")
        zf.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return wheel
