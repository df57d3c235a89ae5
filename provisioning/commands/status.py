"""`kiosk-provision status`: what runs, since when, is it ready, last sync, outbox, devices.

Everything comes from the kiosk's published state file, its cache (read-only) and the release
link, so it answers in a fraction of a second and works whether the kiosk runs or not.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from provisioning import kiosk_config, terminal
from provisioning.common import Outcome, Paths

HELP = "version, uptime, ready or not, last sync, outbox depth and each device's state"
EXAMPLE = "kiosk-provision status --json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="kiosk.toml (default: PREFIX/etc/kiosk/kiosk.toml)")
    parser.add_argument("--now", type=datetime.fromisoformat, help=argparse.SUPPRESS)   # tests: the clock


def duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {seconds % 60:02d} s"


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    config, problems = kiosk_config.load(paths, args.config)
    if config is None:
        out.problems += problems
        return out
    now = args.now.astimezone(UTC) if args.now else datetime.now(UTC)
    release = terminal.current_release(paths)
    state = terminal.published_state(paths, config)
    cache = terminal.cache_facts(paths.inside(config.sync.cache_path))
    sync = (state or {}).get("sync") or {}
    depth = sync.get("outbox_depth") if sync.get("outbox_depth") is not None else cache.outbox_depth
    last_sync = sync.get("last_success") or cache.last_sync
    data: dict[str, object] = {
        "terminal": config.terminal.id, "release": release, "running": state is not None,
        "version": (state or {}).get("version"), "ready": bool(state and state.get("ready")),
        "in_service": bool(state and state.get("in_service")), "uptime_s": None,
        "last_sync": last_sync, "outbox_depth": depth, "devices": (state or {}).get("devices", {}),
    }
    out.say(f"terminal     {config.terminal.id} ({config.terminal.name})")
    out.say(f"release      {release or 'none installed'}")
    if state is None:
        out.say("kiosk        not running")
        out.problem("the kiosk is not running: see kiosk-provision logs, then systemctl restart kiosk")
    else:
        started = datetime.fromisoformat(str(state["started_at"]))
        uptime = (now - started).total_seconds()
        data["uptime_s"] = round(uptime)
        ready = "ready" if state.get("ready") else "starting (not ready)"
        service = "" if state.get("in_service", True) else ", out of service"
        out.say(f"kiosk        {state.get('version')} running for {duration(uptime)}, {ready}{service}")
        if not state.get("ready"):
            out.problem("the kiosk has not shown its first screen yet")
    out.say(f"last sync    {last_sync or 'never'}")
    out.say(f"outbox       {depth if depth is not None else 'unknown (no cache yet)'} action(s) waiting")
    devices = (state or {}).get("devices") or {}
    for name, device in devices.items():
        detail = f" ({device.get('detail')})" if device.get("detail") else ""
        out.say(f"{name:<12} {device.get('health')}: {device.get('state')}{detail}")
        if device.get("health") == "error":
            out.problem(f"{name}: {device.get('state')}{detail}")
    out.data.update(data)
    return out
