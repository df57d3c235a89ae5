"""The running kiosk publishes its state (kiosk.devices.published) where kiosk-provision reads it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from kiosk import events
from kiosk.devices.published import StatePublisher, read_state
from kiosk.devices.status import DeviceState


def test_the_app_writes_device_changes_and_sync_rounds(make_pilot, tmp_path):
    pilot = make_pilot(demo=True)
    path = tmp_path / "run" / "state.json"
    app = pilot.app
    app.state_publisher = StatePublisher(path, version="9.9.9", terminal="t-01", started_at=pilot.clock.now())
    events.DeviceState(device="printer", state="paper_out", detail="sensor").post()
    pilot.settle()
    state = read_state(path)
    assert state is not None
    assert state["version"] == "9.9.9" and state["terminal"] == "t-01"
    assert state["devices"]["printer"] == {"state": "paper_out", "health": "error", "detail": "sensor"}
    last = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)
    events.SyncStatus(last_success=last, outbox_depth=3, failed=1, clock_skew_s=0.5, clock_skew_flagged=False,
                      online=True, revoked=False, refusals=[]).post()
    pilot.settle()
    state = read_state(path)
    assert state is not None
    assert state["sync"] == {"last_success": last.isoformat(), "outbox_depth": 3, "failed": 1, "online": True,
                             "clock_skew_s": 0.5, "revoked": False}
    # the heartbeat reads the same states the file shows
    assert app.devices.heartbeat_states()["printer"] == state["devices"]["printer"]["health"]


def test_written_only_on_change_and_never_half(tmp_path):
    path = tmp_path / "state.json"
    now = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)
    publisher = StatePublisher(path, version="1", terminal="t", started_at=now)
    assert publisher.update(now, ready=True, devices={"printer": DeviceState("ready")})
    first = path.read_bytes()
    assert not publisher.update(now, ready=True, devices={"printer": DeviceState("ready")})
    assert path.read_bytes() == first
    assert publisher.update(now, devices={"printer": DeviceState("paper_low")})
    assert json.loads(path.read_text())["devices"]["printer"]["health"] == "degraded"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary file left behind
    assert path.stat().st_mode & 0o777 == 0o644


def test_an_unwritable_place_never_stops_the_kiosk(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    publisher = StatePublisher(blocker / "state.json", version="1", terminal="t",
                               started_at=datetime(2026, 5, 4, tzinfo=UTC))
    assert not publisher.update(datetime(2026, 5, 4, tzinfo=UTC), ready=True)
    assert not publisher.update(datetime(2026, 5, 4, tzinfo=UTC), ready=False)
    assert sum("cannot publish" in r.getMessage() for r in caplog.records) == 1  # logged once, not per change


def test_no_file_or_a_foreign_file_reads_as_not_running(tmp_path):
    assert read_state(tmp_path / "missing.json") is None
    (tmp_path / "other.json").write_text('{"format": 99}')
    assert read_state(tmp_path / "other.json") is None
    (tmp_path / "torn.json").write_text('{"format": 1, "dev')
    assert read_state(tmp_path / "torn.json") is None
