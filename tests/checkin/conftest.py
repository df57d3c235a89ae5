"""The counter town fixture of the check-in tests (see counter_town.py)."""

from __future__ import annotations

import pytest
from counter_town import START, CounterTown

from kiosk.demo_api.testing import ManualClock as ServerClock
from kiosk.demo_api.testing import running_server


@pytest.fixture
def counter_town(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    server_clock = ServerClock(START)
    with running_server(db_path, server_clock) as base:
        yield CounterTown(tmp_path, base, db_path, server_clock)


