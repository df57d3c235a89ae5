"""`kiosk-provision enroll` over SSH against the reference server on loopback: each failure its own sentence."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fault_servers import FaultProxy, closed_port_url, self_signed, tls_context
from provision_support import provision, provision_json, write_target_config
from timebase import test_now

from kiosk.demo_api import admin
from kiosk.demo_api.testing import ManualClock, running_server

pytestmark = pytest.mark.reference_server


@pytest.fixture
def server(tmp_path):
    """(base URL, database path, the server's clock) of a reference server at the tests' instant."""
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(test_now())
    with running_server(db_path, clock) as base:
        yield base + "/", db_path, clock


def enroll(target, code, clock, *extra):
    return provision(target, "enroll", code, "--now", clock.now.isoformat(), *extra)


def test_enrol_writes_private_credentials_and_refuses_a_second_time(ssh_target, server):
    base, db_path, clock = server
    write_target_config(ssh_target.root, base_url=base)
    code = admin.create_enrolment_code(db_path, clock)
    status, answer = provision_json(ssh_target, "enroll", code, "--now", clock.now.isoformat())
    assert status == 0, answer
    credentials = ssh_target.root / "var/lib/kiosk/credentials.json"
    assert answer["credentials"] == str(credentials)
    assert credentials.stat().st_mode & 0o777 == 0o600
    stored = json.loads(credentials.read_text())
    assert stored["device_id"] == answer["device_id"] and len(stored["token"]) > 20

    before = credentials.read_bytes()
    again = enroll(ssh_target, admin.create_enrolment_code(db_path, clock), clock)
    assert again.returncode == 1
    assert again.stderr.splitlines() == [
        f"This terminal is already enrolled (device {stored['device_id']}, {credentials}). "
        "To enrol it again with a new code, add --force."]
    assert credentials.read_bytes() == before

    forced = enroll(ssh_target, admin.create_enrolment_code(db_path, clock), clock, "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(credentials.read_text())["device_id"] != stored["device_id"]
    assert credentials.stat().st_mode & 0o777 == 0o600


def test_a_used_an_expired_and_an_unknown_code(ssh_target, server):
    base, db_path, clock = server
    write_target_config(ssh_target.root, base_url=base)
    code = admin.create_enrolment_code(db_path, clock)
    assert enroll(ssh_target, code, clock).returncode == 0
    (ssh_target.root / "var/lib/kiosk/credentials.json").unlink()
    used = enroll(ssh_target, code, clock)
    assert (used.returncode, used.stderr.strip()) == (
        1, "This enrolment code was already used. Ask the back office for a new code.")

    old = admin.create_enrolment_code(db_path, clock)   # valid 7 days
    clock.advance(days=8)
    expired = enroll(ssh_target, old, clock)
    assert (expired.returncode, expired.stderr.strip()) == (
        1, "This enrolment code has expired. Ask the back office for a new code.")

    unknown = enroll(ssh_target, "SCV-AAAA-BBBB", clock)
    assert unknown.returncode == 1
    assert unknown.stderr.strip().startswith("The central server does not know this enrolment code: check it")
    assert not (ssh_target.root / "var/lib/kiosk/credentials.json").exists()


def test_a_clock_far_off_is_refused_before_the_code_is_spent(ssh_target, server):
    base, db_path, clock = server
    write_target_config(ssh_target.root, base_url=base)
    code = admin.create_enrolment_code(db_path, clock)
    ahead = (clock.now + timedelta(hours=2)).isoformat()
    done = provision(ssh_target, "enroll", code, "--now", ahead)
    assert done.returncode == 1
    assert done.stderr.strip() == ("This terminal's clock is 120 min ahead of the central server's: set the time "
                                   "(timedatectl set-ntp true) and enrol again. The code was not used.")
    assert enroll(ssh_target, code, clock).returncode == 0      # the same code still works


def test_a_wrong_address(ssh_target, server):
    base, db_path, clock = server
    code = admin.create_enrolment_code(db_path, clock)
    nobody = closed_port_url()
    write_target_config(ssh_target.root, base_url=nobody)
    done = enroll(ssh_target, code, clock)
    assert (done.returncode, done.stderr.strip()) == (
        1, f"Cannot reach the central server at {nobody}: check [api] base_url in kiosk.toml "
           "and this terminal's network.")
    write_target_config(ssh_target.root, base_url=base + "portal/")   # a server, but not the API's address
    elsewhere = enroll(ssh_target, code, clock)
    assert (elsewhere.returncode, elsewhere.stderr.strip()) == (
        1, f"{base}portal/ does not answer as a Kiosk central API: check [api] base_url in kiosk.toml "
           "(the town's address for terminals, e.g. https://gru.example.fr/kiosk/).")


def test_tls_untrusted_then_trusted_with_the_towns_ca(ssh_target, server, tmp_path):
    base, db_path, clock = server
    ca, cert, key = self_signed(tmp_path, "town")
    proxy = FaultProxy(base, tls=tls_context(cert, key))
    try:
        write_target_config(ssh_target.root, base_url=proxy.url)
        code = admin.create_enrolment_code(db_path, clock)
        done = enroll(ssh_target, code, clock)
        assert (done.returncode, done.stderr.strip()) == (
            1, "The central server's certificate is not trusted (self-signed certificate): "
               "check [api] ca_bundle in kiosk.toml and the server's certificate.")
        write_target_config(ssh_target.root, base_url=proxy.url,
                            replace={'# ca_bundle = "/etc/kiosk/town-ca.pem"': f'ca_bundle = "{ca}"'})
        # the proxy dates its answers with this machine's clock (fault_servers): so does the terminal here
        trusted = provision(ssh_target, "enroll", code, "--now", datetime.now(UTC).isoformat())
        assert trusted.returncode == 0, trusted.stderr
    finally:
        proxy.stop()
