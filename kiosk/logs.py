"""Logging set-up: one line per record, readable by journald and by people.

Under systemd (``$JOURNAL_STREAM`` set) each line starts with its syslog
priority, ``<3>`` error … ``<7>`` debug (``<2>`` critical), and has no
timestamp: journald adds its own and uses the prefix as the entry's priority,
so ``journalctl -p warning`` works. Elsewhere (a technician's terminal, tests)::

    2026-11-22 16:00:00,123 INFO kiosk.shell.app: message

Multi-line records (tracebacks, messages with newlines):

* under journald, newlines are written as the two characters ``\\n``:
  journald makes one entry per line it reads, so escaping is the only way to
  keep a traceback in one entry with one priority (indented lines would become
  separate entries at the default priority). ``journalctl -u kiosk -o cat |
  sed 's/\\\\n/\\n/g'`` unfolds them;
* elsewhere, continuation lines are indented by four spaces, so every record
  starts in column 0 (``grep '^2026'`` finds records, tracebacks stay readable).

No personal data in logs is the rule; :class:`PrivacyFilter` is the safety net
for the e-mail address, phone number or tracking number that slips into a message anyway.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Mapping
from typing import TextIO

REDACTED = "[redacted]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers: 0X then four pairs (06 12 34 56 78, 06.12.34.56.78, 0612345678),
# or +33 / 0033, an optional (0), then X and four pairs (+33 6 12 34 56 78, +33612345678).
_SEP = r"[ .\-\u00a0\u202f]?"
_PHONE_FR = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)33{_SEP}(?:\(0\){_SEP})?|0)[1-9](?:{_SEP}\d\d){{4}}(?!\w)"
)

# Request tracking numbers (ABCD-1234): the key to a citizen's file. The kiosk never logs one;
# libraries may (urllib3 logs request URLs at debug level, /v1/requests/ABCD-1234).
_TRACKING_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{4}-[0-9]{4}(?![A-Za-z0-9])")


def redact(text: str) -> str:
    """``text`` with e-mail addresses, French phone numbers and request tracking numbers
    replaced by ``[redacted]``."""
    if "@" in text:
        text = _EMAIL.sub(REDACTED, text)
    text = _TRACKING_CODE.sub(REDACTED, text)
    return _PHONE_FR.sub(REDACTED, text)


class PrivacyFilter(logging.Filter):
    """Masks e-mail addresses, French phone numbers and tracking numbers in a record before it is written.

    Looks at the formatted message (so arguments are covered), the traceback
    text and the stack info. A record without personal data is left untouched,
    arguments included.
    """

    _tb_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: let the handler report it as usual
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._tb_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _priority(levelno: int) -> int:
    if levelno >= logging.CRITICAL:
        return 2
    if levelno >= logging.ERROR:
        return 3
    if levelno >= logging.WARNING:
        return 4
    if levelno > logging.INFO:
        return 5  # a custom level between INFO and WARNING: syslog's "notice"
    if levelno >= logging.INFO:
        return 6
    return 7


class KioskFormatter(logging.Formatter):
    """One line per record; see the module docstring for the two styles."""

    def __init__(self, journal: bool) -> None:
        if journal:
            super().__init__("%(name)s: %(message)s")
        else:
            super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.journal = journal

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record).rstrip("\n")
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if self.journal:
            return f"<{_priority(record.levelno)}>" + "\\n".join(lines)
        return "\n    ".join(lines)


def _under_journald(stream: TextIO, env: Mapping[str, str]) -> bool:
    """``$JOURNAL_STREAM`` is set and, if ``stream`` is a real file, it is that stream.

    systemd sets ``JOURNAL_STREAM=<dev>:<inode>`` for the service's stdout/stderr;
    a child writing to a pipe or a terminal inherits the variable but not the
    stream, hence the check (sd_journal_stream_fd(3)).
    """
    value = env.get("JOURNAL_STREAM")
    if not value:
        return False
    try:
        st = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return True  # no file descriptor (e.g. StringIO): trust the variable
    return value == f"{st.st_dev}:{st.st_ino}"


class _KioskHandler(logging.StreamHandler[TextIO]):
    """Ours, so that setting logging up again replaces it instead of adding a second one."""

    _kiosk = True   # what tests and tools look for on the root logger's handlers


def setup_logging(
    level: str | int = "INFO",
    stream: TextIO | None = None,
    *,
    journal: bool | None = None,
    env: Mapping[str, str] = os.environ,
) -> logging.Handler:
    """Send every log record to ``stream`` (default: ``sys.stdout`` at call time).

    ``journal`` forces the journald style on or off; None detects it from
    ``$JOURNAL_STREAM``. Calling it again replaces the handler it installed
    before (never two), so the CLI may call it early and again after reading
    the configuration. Returns the handler.
    """
    stream = sys.stdout if stream is None else stream
    if isinstance(level, str):
        numeric = logging.getLevelName(level.upper())
        if not isinstance(numeric, int):
            raise ValueError(f"unknown log level {level!r}")
        level = numeric
    if journal is None:
        journal = _under_journald(stream, env)

    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _KioskHandler)]:
        root.removeHandler(old)
        old.close()
    handler = _KioskHandler(stream)
    handler.setFormatter(KioskFormatter(journal))
    handler.addFilter(PrivacyFilter())
    root.addHandler(handler)
    root.setLevel(level)
    return handler
