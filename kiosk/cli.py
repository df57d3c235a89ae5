"""`kiosk` command line: run, check-config, screenshots, bench, soak, hash-pin, demo-api, scan-image.

Heavy modules (pygame, pydantic) are imported inside the commands that need
them, so `kiosk --help` and configuration errors answer at once.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.config import KioskConfig


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1080x1920") from None
    if not (320 <= w <= 7680 and 320 <= h <= 7680):
        raise argparse.ArgumentTypeError(f"{text!r}: width and height must be between 320 and 7680")
    return w, h


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk", description="Touch terminal software for French town halls.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="start the kiosk")
    run.add_argument("--config", metavar="PATH",
                     help="configuration file (default: $KIOSK_CONFIG, /etc/kiosk/kiosk.toml, "
                          "the repository's kiosk.toml)")
    run.add_argument("--demo", action="store_true", help="demo data and simulated devices; runs on any machine")
    run.add_argument("--windowed", action="store_true",
                     help="a window instead of full screen, the same shape, within 90%% of the desktop")
    run.add_argument("--size", type=_size, metavar="WxH", help="panel size in pixels, e.g. 1080x1920")
    run.add_argument("--rotate", type=int, choices=(0, 90, 180, 270), help="turn the picture clockwise on the panel")
    run.add_argument("--live-screenshot", metavar="PNG", help="keep a PNG of the screen up to date (headless runs)")
    run.add_argument("--exit-after-first-frame", action="store_true", help=argparse.SUPPRESS)

    check = sub.add_parser("check-config", help="validate a configuration file (exit 0, or 2 with the problems)")
    check.add_argument("path", nargs="?", help="file to check (default: as for run)")

    shots = sub.add_parser("screenshots", help="render every screen and state to PNG files")
    shots.add_argument("--out", required=True, metavar="DIR")
    shots.add_argument("--size", type=_size, default=(1080, 1920), metavar="WxH")
    shots.add_argument("--lang", choices=("fr", "en"), default="fr")
    shots.add_argument("--large-text", action="store_true")
    shots.add_argument("--high-contrast", action="store_true")
    shots.add_argument("--low-reach", action="store_true", help="low-reach mode (portrait sizes only)")

    bench = sub.add_parser("bench", help="measure start-up, frame times, idle CPU and memory")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--quick", action="store_true", help="fewer rounds (for tests)")
    bench.add_argument("--only", action="append", metavar="NAME",
                       help="run only the benchmarks whose name starts with NAME (repeatable)")

    scan = sub.add_parser("scan-image", help="decode the QR codes in image files: one line per file, "
                          "name <tab> text (or -)")
    scan.add_argument("files", nargs="+", metavar="FILE", help="image files (PNG, JPEG, BMP…)")
    scan.add_argument("--decoder", choices=("zxing", "zbar"), default="zxing",
                      help="QR decoder: zxing (default) or zbar")

    soak = sub.add_parser("soak", help="random taps, scans and network cuts on the headless demo for a while; "
                          "reports crashes, apology screens and memory growth")
    soak.add_argument("--events", type=int, metavar="N", help="stop after N events")
    soak.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this many seconds")
    soak.add_argument("--seed", type=int, default=1, help="seed of the random actions (default 1)")
    soak.add_argument("--warmup", type=int, default=20_000, metavar="N",
                      help="events before memory is measured (default 20000: the bounded caches are full by then)")
    soak.add_argument("--size", type=_size, default=(1080, 1920), metavar="WxH")
    soak.add_argument("--now", metavar="ISO8601", help="the accelerated clock's start (default 2026-12-01 09:30 Paris)")
    soak.add_argument("--no-network-cuts", action="store_true", help="never cut the central API")

    sub.add_parser("hash-pin", help="read an admin PIN on stdin and print the hash for kiosk.toml [admin] pin_hash")

    demo_api = sub.add_parser("demo-api", help="run the Kiosk Sync API v1 reference server (demo town)",
                              epilog="kiosk demo-api agent call|recall|absent|served ...: act as a counter agent "
                                     "on a running server (kiosk demo-api agent --help)")
    demo_api.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    demo_api.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free port)")
    demo_api.add_argument("--db", default="demo-api.sqlite3", metavar="PATH",
                          help="SQLite file, created and seeded if missing")
    demo_api.add_argument("--exit-with-stdin", action="store_true", help=argparse.SUPPRESS)
    demo_api.add_argument("--now", metavar="ISO8601",
                          help="start the server's clock at this instant (with its offset, e.g. "
                               "2026-12-01T09:30:00+01:00), then let it run with real time; "
                               "a new database is seeded for that date")
    demo_api.add_argument("--clock-from-stdin", action="store_true",
                          help="with --now: the clock stands still and moves only when a line 'now ISO8601' "
                               "arrives on standard input, acknowledged by one line 'now ISO8601' on standard "
                               "output; the server stops when standard input closes (tests drive it this way)")
    return p


def _load(path_arg: str | None, overrides: dict[str, Any] | None = None) -> KioskConfig:
    """The configuration, or exit 2 with one line per problem (never a traceback)."""
    from kiosk.config import ConfigError, load_config, resolve_config_path

    path = resolve_config_path(path_arg)
    try:
        return load_config(path, overrides or {})
    except ConfigError as err:
        print(f"kiosk: invalid configuration {err.path}:", file=sys.stderr)
        for line in err.problems:
            print(f"  {line}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(args: argparse.Namespace) -> int:
    overrides: dict[str, Any] = {}
    if args.size:
        overrides["display.size"] = f"{args.size[0]}x{args.size[1]}"
    if args.rotate is not None:
        overrides["display.rotation"] = args.rotate
    if args.windowed:
        overrides["display.fullscreen"] = False
    config = _load(args.config, overrides)

    from kiosk import sdnotify
    from kiosk.logs import setup_logging

    setup_logging()
    import logging

    from kiosk.config import config_warnings

    log = logging.getLogger("kiosk")
    for warning in config_warnings(config):
        log.warning("configuration: %s", warning)
    from kiosk.data_layer import DataLayer
    from kiosk.shell.app import App

    # demo: the reference server as a child process on a free loopback port, enrolled at start;
    # otherwise the configured central API, cache and provisioned credentials
    data = DataLayer.demo(config) if args.demo else DataLayer.production(config)
    app = App(config, demo=args.demo, live_screenshot=args.live_screenshot, data=data)

    def ready() -> None:
        log.info("ready in %d ms", _ms_since_process_start())
        sdnotify.notify("READY=1")
        if args.exit_after_first_frame:
            app.quit("exit after first frame (benchmark)")

    app.on_ready = ready
    if not args.demo:  # the demo is not a terminal: kiosk-provision has nothing to read from it
        from kiosk import __version__
        from kiosk.devices.published import StatePublisher

        app.state_publisher = StatePublisher(config.sync.state_file, version=__version__,
                                             terminal=config.terminal.id, started_at=app.clock.now())
    # systemd stops a service with SIGTERM: leave the loop and close the display cleanly.
    signal.signal(signal.SIGTERM, lambda *_: app.quit("SIGTERM (service stop)"))
    log.info("starting: terminal %s, config %s, demo %s", config.terminal.id, config.source, args.demo)
    if args.live_screenshot:
        log.info("live screenshot: %s", os.path.abspath(args.live_screenshot))
    import pygame

    try:
        return app.run()
    except pygame.error as err:
        # No usable display (no KMSDRM device, no X server…): one clear line, exit 1 so systemd retries.
        log.error("cannot open the display (SDL_VIDEODRIVER=%s): %s", os.environ.get("SDL_VIDEODRIVER", "auto"), err)
        return 1
    finally:
        if app.state_publisher is not None:
            app.state_publisher.remove()


def _ms_since_process_start() -> float:
    """Milliseconds since this process was created (interpreter start-up included)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return (time.monotonic() - _T0) * 1000


_T0 = time.monotonic()


def cmd_check_config(args: argparse.Namespace) -> int:
    from kiosk.config import config_warnings

    config = _load(args.path)
    for warning in config_warnings(config):
        print(f"warning: {warning}")
    print(f"{config.source}: OK")
    return 0


def cmd_screenshots(args: argparse.Namespace) -> int:
    import logging

    from kiosk.devtools.screenshots import render_all

    config = _load(None)
    logging.disable(logging.CRITICAL)  # the failsafe state logs a deliberate traceback
    problems: list[str] = []
    written = render_all(config, args.out, size=args.size, lang=args.lang, large_text=args.large_text,
                         high_contrast=args.high_contrast, low_reach=args.low_reach, problems=problems)
    print(f"{len(written)} screenshots written to {args.out}")
    for line in problems:
        print(f"layout problem: {line}")
    return 1 if problems else 0


def cmd_bench(args: argparse.Namespace) -> int:
    from kiosk.devtools.bench import main as bench_main

    return bench_main(as_json=args.json, quick=args.quick, only=args.only)


def cmd_soak(args: argparse.Namespace) -> int:
    from kiosk.devtools.soak import main as soak_main  # lazy: a developer command

    if args.events is None and args.duration is None:
        args.events = 10_000
    return soak_main(events=args.events, duration_s=args.duration, seed=args.seed, warmup=args.warmup,
                     size=args.size, now=args.now, network_cuts=not args.no_network_cuts,
                     command=_soak_command(args))


def _soak_command(args: argparse.Namespace) -> str:
    """The run's options as a command line, for the report (what to type to run it again)."""
    words = ["kiosk soak", f"--seed {args.seed}", f"--warmup {args.warmup}", f"--size {args.size[0]}x{args.size[1]}"]
    words += [f"--events {args.events}"] if args.events is not None else []
    words += [f"--duration {args.duration:g}"] if args.duration is not None else []
    words += [f"--now {args.now}"] if args.now else []
    words += ["--no-network-cuts"] if args.no_network_cuts else []
    return " ".join(words)


def cmd_hash_pin(args: argparse.Namespace) -> int:
    from kiosk.admin.pin import hash_pin

    if sys.stdin.isatty():
        import getpass

        pin = getpass.getpass("New admin PIN (4 to 8 digits): ")
    else:
        pin = sys.stdin.readline().strip()
    try:
        print(hash_pin(pin))
    except ValueError as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return 2
    return 0


def cmd_scan_image(args: argparse.Namespace) -> int:
    from drivers.scanner.scan_image import main as scan_image_main  # lazy: zxing-cpp only when used

    return scan_image_main(["--decoder", args.decoder, "--", *args.files])


def cmd_demo_api(args: argparse.Namespace) -> int:
    from kiosk.demo_api.cli import main as demo_api_main  # lazy: keeps cryptography off the kiosk's start path

    return demo_api_main(["--host", args.host, "--port", str(args.port), "--db", args.db]
                         + (["--exit-with-stdin"] if args.exit_with_stdin else [])
                         + (["--now", args.now] if args.now else [])
                         + (["--clock-from-stdin"] if args.clock_from_stdin else []))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["demo-api", "agent"]:   # its own parser: subcommands under an option-taking command
        from kiosk.demo_api.agent_cli import main as agent_main

        return agent_main(argv[2:])
    args = build_parser().parse_args(argv)
    handler = {"run": cmd_run, "check-config": cmd_check_config, "screenshots": cmd_screenshots,
               "bench": cmd_bench, "hash-pin": cmd_hash_pin, "demo-api": cmd_demo_api,
               "scan-image": cmd_scan_image, "soak": cmd_soak}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
