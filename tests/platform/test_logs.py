"""Logging set-up: line formats, journald priorities, privacy filter, idempotence."""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.logs import PrivacyFilter, redact, setup_logging

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_plain_format_has_timestamp_level_and_logger():
    out = io.StringIO()
    setup_logging("INFO", out, env={})
    logging.getLogger("kiosk.shell.app").info("started %s", "ok")
    logging.getLogger("kiosk.shell.app").debug("hidden")
    [line] = lines(out)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO kiosk\.shell\.app: started ok", line), line


def test_journald_format_has_priority_and_no_timestamp():
    out = io.StringIO()
    setup_logging("DEBUG", out, env={"JOURNAL_STREAM": "8:12345"})
    log = logging.getLogger("kiosk.sync")
    log.debug("d")
    log.info("i")
    log.warning("w")
    log.error("e")
    log.critical("c")
    assert lines(out) == ["<7>kiosk.sync: d", "<6>kiosk.sync: i", "<4>kiosk.sync: w", "<3>kiosk.sync: e",
                          "<2>kiosk.sync: c"]


def test_journald_keeps_a_traceback_in_one_line():
    out = io.StringIO()
    setup_logging("INFO", out, journal=True)
    try:
        raise RuntimeError("printer on fire")
    except RuntimeError:
        logging.getLogger("kiosk.printer").exception("print failed\nsecond line")
    [line] = lines(out)
    assert line.startswith("<3>kiosk.printer: print failed\\nsecond line\\nTraceback (most recent call last):\\n")
    assert line.endswith("RuntimeError: printer on fire")


def test_plain_indents_continuation_lines():
    out = io.StringIO()
    setup_logging("INFO", out, journal=False)
    try:
        raise ValueError("bad")
    except ValueError:
        logging.getLogger("kiosk.shell.app").exception("crash")
    first, *rest = lines(out)
    assert first.endswith("ERROR kiosk.shell.app: crash")
    assert rest[0] == "    Traceback (most recent call last):"
    assert rest[-1] == "    ValueError: bad"
    assert all(line.startswith("    ") for line in rest)


def test_journal_stream_of_another_file_is_not_journald(tmp_path):
    """A child inheriting JOURNAL_STREAM but writing elsewhere keeps the plain format."""
    with open(tmp_path / "log.txt", "w") as f:
        setup_logging("INFO", f, env={"JOURNAL_STREAM": "1:1"})
        logging.getLogger("kiosk").info("hello")
    assert (tmp_path / "log.txt").read_text().split(" ", 2)[2] == "INFO kiosk: hello\n"


def test_journal_stream_matching_the_file_is_journald(tmp_path):
    with open(tmp_path / "log.txt", "w") as f:
        st = os.fstat(f.fileno())
        setup_logging("INFO", f, env={"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"})
        logging.getLogger("kiosk").info("hello")
    assert (tmp_path / "log.txt").read_text() == "<6>kiosk: hello\n"


def test_under_systemd_for_real():
    """The service's real stdout, with the variable systemd would set for it."""
    code = (
        "import os, logging\n"
        "st = os.fstat(1)\n"
        "os.environ['JOURNAL_STREAM'] = f'{st.st_dev}:{st.st_ino}'\n"
        "from kiosk.logs import setup_logging\n"
        "setup_logging()\n"
        "logging.getLogger('kiosk.shell.app').warning('disk almost full')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout == "<4>kiosk.shell.app: disk almost full\n"


def test_setup_twice_does_not_duplicate_and_switches_stream():
    first, second = io.StringIO(), io.StringIO()
    setup_logging("INFO", first, env={})
    setup_logging("WARNING", second, env={})
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_kiosk", False)]
    assert len(ours) == 1
    logging.getLogger("kiosk.shell.app").warning("once")
    logging.getLogger("kiosk.shell.app").info("filtered by the new level")
    assert first.getvalue() == ""
    assert len(lines(second)) == 1 and lines(second)[0].endswith("WARNING kiosk.shell.app: once")


def test_level_names_and_numbers():
    out = io.StringIO()
    setup_logging("debug", out, env={})
    assert logging.getLogger().level == logging.DEBUG
    setup_logging(logging.ERROR, out, env={})
    assert logging.getLogger().level == logging.ERROR
    with pytest.raises(ValueError):
        setup_logging("LOUD", out, env={})


@pytest.mark.parametrize(
    "personal",
    [
        "jean.dupont@ville-exemple.fr",
        "Zoé+rdv@mairie.gouv.fr",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "01 23 45 67 89",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "06\u00a012\u00a034\u00a056\u00a078",
    ],
)
def test_privacy_filter_masks_message_and_args(personal):
    out = io.StringIO()
    setup_logging("INFO", out, env={})
    log = logging.getLogger("kiosk.booking")
    log.info("contact %s for slot %d", personal, 42)  # in the args
    log.info(f"contact {personal}.")  # in the message itself
    # only this logger's lines: a thread an earlier test left (python-escpos closing a network
    # printer logs on the root logger) may write between them
    ours = [line for line in lines(out) if " kiosk.booking: " in line]
    assert ours[0].endswith("INFO kiosk.booking: contact [redacted] for slot 42")
    assert ours[1].endswith("INFO kiosk.booking: contact [redacted].")
    assert personal not in out.getvalue()


@pytest.mark.parametrize(
    "harmless",
    [
        "request 2026-000123 at 16:00:00",
        "uuid 0612345678abcdef-1234",
        "ticket A-061 in queue 3",
        "size 10612345678 bytes",
        "IP 10.12.34.56",
        "e-mail sent",
        "slot 2026-12-01T09:30+01:00",
    ],
)
def test_privacy_filter_leaves_ordinary_numbers(harmless):
    assert redact(harmless) == harmless


def test_privacy_filter_masks_tracebacks_and_keeps_clean_records_intact():
    out = io.StringIO()
    setup_logging("INFO", out, journal=True)
    try:
        raise ValueError("no account for marie@example.org")
    except ValueError:
        logging.getLogger("kiosk.shell.app").exception("lookup failed")
    assert "marie@example.org" not in out.getvalue()
    assert "ValueError: no account for [redacted]" in out.getvalue()

    record = logging.LogRecord("kiosk", logging.INFO, __file__, 1, "slot %d", (3,), None)
    assert PrivacyFilter().filter(record) is True
    assert (record.msg, record.args) == ("slot %d", (3,))



def test_tracking_numbers_are_masked_but_not_lookalikes():
    from kiosk.logs import redact

    assert redact('GET /v1/requests/ABCD-1234 HTTP/1.1" 200') == 'GET /v1/requests/[redacted] HTTP/1.1" 200'
    kept = "slot-1234 ag-etat-civil-1 XABCD-12345 abcd-1234"
    assert redact(kept) == kept
