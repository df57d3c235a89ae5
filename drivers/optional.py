"""Optional dependencies: a driver whose packages are missing reports « unavailable » instead of
failing at import, so each backend's ``is_usable()`` asks here whether its modules import."""

from __future__ import annotations

import importlib


def importable(*modules: str) -> bool:
    """Whether every one of ``modules`` imports (an ImportError also when a C library it loads,
    such as libzbar0 for pyzbar, is missing)."""
    try:
        for name in modules:
            importlib.import_module(name)
    except ImportError:
        return False
    return True
