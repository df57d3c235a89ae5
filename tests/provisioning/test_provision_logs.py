"""`kiosk-provision logs` over SSH: the privacy filter applied again, whatever reached the log."""

from __future__ import annotations

import logging
import re

from provision_support import provision, provision_json

from kiosk.logs import KioskFormatter

PHONE, PHONE_INTL, TRACKING, EMAIL = "06 12 34 56 78", "+33 6 12 34 56 78", "ABCD-1234", "zephyrine@example.fr"


def plant_log(path):
    """A log file as the kiosk writes it (kiosk.logs' plain format), with lines that slipped past its filter:
    a library's debug line with a tracking number in a URL, a traceback quoting a phone number."""
    path.parent.mkdir(parents=True, exist_ok=True)
    formatter = KioskFormatter(journal=False)

    def record(when, level, name, message, exc_text=None):
        r = logging.LogRecord(name, level, __file__, 1, message, None, None)
        r.created = when
        r.msecs = 0
        if exc_text:
            r.exc_text = exc_text
        return formatter.format(r)

    import time
    base = time.mktime((2026, 12, 3, 9, 0, 0, 0, 0, -1))
    lines = [
        record(base - 86400, logging.INFO, "kiosk", "yesterday's start"),
        record(base, logging.INFO, "kiosk", "starting: terminal demo-totem-01"),
        record(base + 60, logging.DEBUG, "urllib3.connectionpool",
               f'"GET /v1/requests/{TRACKING} HTTP/1.1" 200 512'),
        record(base + 120, logging.ERROR, "kiosk.shell.failsafe", "screen failed",
               exc_text=f"Traceback (most recent call last):\nValueError: bad phone {PHONE} or {PHONE_INTL}"),
        record(base + 180, logging.WARNING, "kiosk.sync", f"reply to {EMAIL} refused"),
        record(base + 240, logging.INFO, "kiosk", "device printer is ok: ready ()"),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_planted_personal_data_never_shows(ssh_target):
    plant_log(ssh_target.root / "var/log/kiosk/kiosk.log")
    done = provision(ssh_target, "logs", "--since", "2026-12-03 08:00", "--now", "2026-12-03T12:00:00+01:00")
    assert done.returncode == 0, done.stderr
    for secret in (PHONE, PHONE_INTL, TRACKING, EMAIL, "06.12", "0612"):
        assert secret not in done.stdout
    assert "yesterday's start" not in done.stdout
    assert done.stdout.count("[redacted]") == 4
    assert "starting: terminal demo-totem-01" in done.stdout
    assert "    ValueError: bad phone [redacted] or [redacted]" in done.stdout   # the traceback stays with its record
    assert done.stdout.splitlines()[-1].endswith("device printer is ok: ready ()")

    code, answer = provision_json(ssh_target, "logs", "--since", "2 hours ago", "--lines", "2",
                                  "--now", "2026-12-03T11:00:00+01:00")
    assert code == 0
    assert len(answer["lines"]) == 2
    assert not any(re.search(r"\d\d \d\d \d\d|@|ABCD", line) for line in answer["lines"])


def test_no_log_and_bad_usage(ssh_target):
    missing = provision(ssh_target, "logs")
    assert missing.returncode == 1
    assert missing.stderr.strip() == (f"{ssh_target.root}/var/log/kiosk/kiosk.log: cannot be read (No such file or "
                                      "directory); no journal on this machine either")
    bad = provision(ssh_target, "logs", "--since", "last tuesday")
    assert bad.returncode == 2
    assert "--since 'last tuesday': write today" in bad.stderr
