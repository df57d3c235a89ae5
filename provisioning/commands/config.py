"""`kiosk-provision config`: read and change kiosk.toml safely (comments kept, validated, atomic)."""

from __future__ import annotations

import argparse

from provisioning.common import Outcome, Paths, add_common

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


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    out.problem("config: not implemented yet")
    return out
