"""The direct service (provisioning.service_control): the unit's rules without systemd.

The child processes here are small Python programs speaking the real notify protocol over the
supervisor's real datagram socket; the real kiosk's READY=1 is in test_release_update.py.
"""

from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from provisioning.common import Paths
from provisioning.service_control import DirectService, Policy, health_check, parse_show, restart

QUICK = Policy(restart_s=0.1, start_timeout_s=5.0, stop_timeout_s=2.0, watchdog_s=0.0)

PROGRAM = textwrap.dedent("""
    import os, socket, sys, time
    def notify(message, pid_from_child=False):
        if pid_from_child and os.fork() != 0:
            os.wait()
            return
        address = os.environ["NOTIFY_SOCKET"]      # sd_notify(3): "@" is the abstract namespace
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            s.sendto(message.encode(), "\\0" + address[1:] if address.startswith("@") else address)
        if pid_from_child:
            os._exit(0)
    mode = sys.argv[1]
    if mode == "exit2":
        sys.exit(2)
    if mode == "import-error":
        import kiosk_module_that_is_not_there
    time.sleep(0.1)
    notify("STATUS=starting")
    notify("READY=1", pid_from_child=(mode == "ready-from-child"))
    if mode == "crash-after-ready":
        marker = os.path.join(os.getcwd(), "crashed-once")
        if not os.path.exists(marker):
            open(marker, "w").close()
            time.sleep(0.3)
            sys.exit(1)
    while True:
        time.sleep(0.05)
""")


def direct(tmp_path: Path, mode: str, policy: Policy = QUICK) -> DirectService:
    program = tmp_path / "program.py"
    program.write_text(PROGRAM)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return DirectService(tmp_path / "service", [sys.executable, str(program), mode], cwd=tmp_path, env=env,
                         policy=policy)


@pytest.fixture
def stop_after(request):
    services: list[DirectService] = []
    yield services.append
    for service in services:
        service.stop()


def test_ready_then_stopped(tmp_path, stop_after):
    service = direct(tmp_path, "ready")
    stop_after(service)
    service.start()
    assert service.wait_ready(5) is None and service.is_active()
    state = service.state()
    assert state["status_text"] == "starting" and state["restarts"] == 0
    child = state["main_pid"]
    service.start()                                   # already running: nothing happens
    assert service.state()["main_pid"] == child
    service.stop()
    assert not service.is_active() and service.state()["active_state"] == "inactive"
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split(")")[1][:3]


def test_readiness_counts_only_from_the_main_process(tmp_path, stop_after):
    service = direct(tmp_path, "ready-from-child")   # NotifyAccess=main, as in the unit
    stop_after(service)
    service.start()
    assert service.wait_ready(1) == "the kiosk did not report ready within 1 s"


def test_a_configuration_error_is_not_restarted(tmp_path, stop_after):
    service = direct(tmp_path, "exit2")               # RestartPreventExitStatus=2
    stop_after(service)
    service.start()
    assert service.wait_ready(5) == "the kiosk stopped before it was ready (exit status 2)"
    time.sleep(0.3)
    assert service.state()["active_state"] == "failed" and service.restarts_since() == 0


def test_why_it_did_not_start_is_the_programs_last_error_line(tmp_path, stop_after):
    service = direct(tmp_path, "import-error")
    stop_after(service)
    service.start()
    assert service.wait_ready(5) == ("the kiosk stopped before it was ready (exit status 1): "
                                     "ModuleNotFoundError: No module named 'kiosk_module_that_is_not_there'")


def test_a_crash_after_ready_is_restarted_and_fails_the_health_check(tmp_path, stop_after):
    service = direct(tmp_path, "crash-after-ready")
    stop_after(service)
    service.start()
    assert health_check(service, 5, 2) == "the kiosk was ready, then restarted by itself 1 time(s) within 2 s"
    deadline = time.monotonic() + 5
    while not service.is_active():                    # Restart=on-failure brings it back
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_silent_watchdog_kills_and_restarts(tmp_path, stop_after):
    service = direct(tmp_path, "ready", Policy(restart_s=0.1, start_timeout_s=5, stop_timeout_s=2, watchdog_s=0.5))
    stop_after(service)
    service.start()
    assert service.wait_ready(5) is None
    deadline = time.monotonic() + 5
    while service.restarts_since() == 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert "watchdog" in service.state()["last_exit"]


def test_systemctl_show_is_read_line_by_line():
    text = "ActiveState=active\nSubState=running\nNRestarts=3\nStatusText=Prêt = oui\nResult=success\n"
    assert parse_show(text) == {"ActiveState": "active", "SubState": "running", "NRestarts": "3",
                                "StatusText": "Prêt = oui", "Result": "success"}


def test_a_restart_request_with_no_kiosk_running_is_recorded(tmp_path):
    paths = Paths(tmp_path / "root")
    result = restart(paths)
    assert result.ok and (paths.run_dir / "restart-requested").read_text() == "kiosk.service\n"


def test_the_kiosks_output_is_kept_within_bounds(tmp_path, stop_after):
    chatty = ("import os, socket, time\n"
              "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
              "s.sendto(b'READY=1', '\\0' + os.environ['NOTIFY_SOCKET'][1:])\n"
              "for i in range(6000): print('line', i, 'x' * 200, flush=True)\n"
              "print('done', flush=True)\n"
              "while True: time.sleep(0.05)\n")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    service = DirectService(tmp_path / "service", [sys.executable, "-c", chatty], env=env, policy=QUICK)
    stop_after(service)
    service.start()
    assert service.wait_ready(5) is None
    log, old = service.log_path, service.log_path.with_suffix(".log.1")
    deadline = time.monotonic() + 10
    while not (log.exists() and log.read_text().endswith("done\n")):
        assert time.monotonic() < deadline, "the output did not reach the log"
        time.sleep(0.05)
    assert old.exists()                                   # 1.3 MB written: the log turned once
    assert log.stat().st_size + old.stat().st_size >= 6000 * 200
    assert max(log.stat().st_size, old.stat().st_size) <= 1_000_000
