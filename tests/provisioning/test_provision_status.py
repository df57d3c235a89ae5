"""`kiosk-provision status` over SSH, reading the state a real (headless) kiosk publishes."""

from __future__ import annotations

from datetime import timedelta

from provision_support import provision, provision_json, write_target_config

from kiosk import events
from kiosk.devices.published import StatePublisher


def test_not_running(ssh_target):
    write_target_config(ssh_target.root)
    done = provision(ssh_target, "status")
    assert done.returncode == 1
    assert "kiosk        not running" in done.stdout
    assert done.stderr.splitlines() == [
        "the kiosk is not running: see kiosk-provision logs, then systemctl restart kiosk"]


def test_a_running_kiosk_with_its_printer_out_of_paper(ssh_target, make_pilot):
    write_target_config(ssh_target.root)
    pilot = make_pilot(demo=True)
    started = pilot.clock.now()
    pilot.app.state_publisher = StatePublisher(ssh_target.root / "run/kiosk/state.json", version="0.1.0",
                                               terminal="demo-totem-01", started_at=started)
    pilot.app.publish_state(ready=True, devices=pilot.app.devices.summary())
    events.DeviceState(device="printer", state="ready", detail="").post()
    events.DeviceState(device="scanner", state="ready", detail="simulated").post()
    events.SyncStatus(last_success=started, outbox_depth=2, failed=0, clock_skew_s=0.2, clock_skew_flagged=False,
                      online=True, revoked=False, refusals=[]).post()
    pilot.settle()
    later = (started + timedelta(hours=1, minutes=5)).isoformat()
    code, answer = provision_json(ssh_target, "status", "--now", later)
    assert code == 0, answer
    assert answer["running"] and answer["ready"] and answer["uptime_s"] == 3900
    assert answer["outbox_depth"] == 2 and answer["last_sync"] == started.isoformat()
    assert answer["devices"]["printer"] == {"state": "ready", "health": "ok", "detail": ""}

    events.DeviceState(device="printer", state="paper_out", detail="out of paper").post()
    pilot.settle()
    done = provision(ssh_target, "status", "--now", later)
    assert done.returncode == 1
    assert "kiosk        0.1.0 running for 1 h 05 min, ready" in done.stdout
    assert "outbox       2 action(s) waiting" in done.stdout
    assert "printer      error: paper_out (out of paper)" in done.stdout
    assert done.stderr.splitlines() == ["printer: paper_out (out of paper)"]
