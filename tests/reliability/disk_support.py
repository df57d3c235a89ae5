"""Damaged and full disks for the storage tests: random bytes, a cut file, a small real file system.

A full file system is a real one: a tmpfs of a few hundred KiB mounted on a folder the
test made (the tests run as root in CI's container and on the development machines).
Where mounting is not allowed, :func:`small_filesystem` says so and the test is skipped;
the SQLITE_FULL error itself is then still produced for real with ``PRAGMA max_page_count``
by the tests of tests/reliability/test_disk_cache.py.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def small_filesystem(where: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``where`` (created), unmounted at the end."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
                              capture_output=True, text=True, check=False, timeout=30)
        refused = done.stderr.strip() or str(done.returncode) if done.returncode != 0 else ""
    except (OSError, subprocess.TimeoutExpired) as exc:   # no mount(8) at all
        refused = str(exc)
    if refused:
        pytest.skip(f"cannot mount a small file system here ({refused}); "
                    "the disk-full error is tested with max_page_count instead")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill_up(folder: Path) -> Path:
    """Write a filler file until the file system says ENOSPC; returns it (delete it to make room)."""
    filler = folder / "filler.bin"
    chunk = b"\0" * 4096
    with filler.open("wb", buffering=0) as f:
        while True:
            try:
                f.write(chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    for _ in range(64):   # the last partial blocks too
        try:
            with filler.open("ab", buffering=0) as f:
                f.write(b"\0" * 512)
        except OSError:
            break
    return filler


def random_bytes(path: Path, size: int = 64 * 1024, seed: int = 17) -> bytes:
    data = random.Random(seed).randbytes(size)
    path.write_bytes(data)
    return data


def truncate_half(path: Path) -> None:
    """Cut the file in the middle, as a copy interrupted or a write lost on a full disk does."""
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(size // 2)
        os.fsync(f.fileno())
