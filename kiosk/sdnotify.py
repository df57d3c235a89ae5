"""The systemd notify protocol (``Type=notify``, watchdog) without a dependency.

See sd_notify(3): one datagram of ``KEY=VALUE`` lines to ``$NOTIFY_SOCKET``.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger("kiosk.sdnotify")
_warned = False


def notify(message: str, env: Mapping[str, str] = os.environ) -> bool:
    """Send e.g. ``"READY=1"`` or ``"WATCHDOG=1"``; False when not under systemd or on error."""
    global _warned
    address = env.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # Linux abstract namespace
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(message.encode(), address)
        return True
    except OSError as exc:  # systemd gone, socket full...: the kiosk keeps running
        if not _warned:
            _warned = True
            log.warning("cannot notify systemd at %r: %s", env.get("NOTIFY_SOCKET"), exc)
        return False


def watchdog_interval_s(env: Mapping[str, str] = os.environ) -> float | None:
    """Seconds between ``WATCHDOG=1`` pings (half of ``WatchdogSec=``), or None if no watchdog."""
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
        if "WATCHDOG_PID" in env and int(env["WATCHDOG_PID"]) != os.getpid():
            return None  # the watchdog is meant for another process (we were forked)
    except ValueError:
        return None
    return usec / 2e6 if usec > 0 else None
