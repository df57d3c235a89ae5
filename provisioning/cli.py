"""`kiosk-provision`: for now only its help; the provisioning issue fills in the commands."""

from __future__ import annotations

import argparse
import sys

PLANNED = {
    "enroll": "enrol this terminal with the central API (one-time code)",
    "install": "install the kiosk user, files and systemd units",
    "check": "self-test: display, fonts, devices, network, configuration",
    "status": "what runs, last sync, device states",
    "logs": "recent kiosk logs without personal data",
    "config": "show or edit kiosk.toml safely",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kiosk-provision",
        description="Set up and maintain kiosk terminals over SSH. Not implemented yet: planned commands below.",
        epilog="\n".join(f"  {name:<8} {text}" for name, text in PLANNED.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
