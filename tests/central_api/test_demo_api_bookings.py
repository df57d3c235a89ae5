"""Bookings over loopback: success, idempotent replay, 422 on a reused key, 409 with
alternatives, the last place under concurrency, cancellation, offline requests, check-ins
with a token verified against the public key from /v1/keys."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from timebase import first_slot_at, seeded_slots, test_now

from kiosk.api.checkin_token import KEY_ANNOUNCE_LEAD
from kiosk.clock import PARIS
from kiosk.demo_api import admin, db, signing
from kiosk.demo_api.testing import ApiClient, ManualClock, enroll, running_server

pytestmark = pytest.mark.reference_server

START = test_now()   # KIOSK_TEST_NOW (tests/timebase.py)
# Slots taken from the seeded data after the test instant's day (any weekday, holidays skipped):
SLOT, SLOT_AT = first_slot_at("ag-etat-civil-2", "14:00")   # a Tuesday or Thursday, 14:00, one place
NEXT_SLOT = next(sid for sid, at in seeded_slots("ag-etat-civil-2") if at == SLOT_AT + timedelta(minutes=30))
EMPLOI, EMPLOI_AT = first_slot_at("ag-emploi", "09:00")   # a Thursday, three places
FOREIGN_SLOT = first_slot_at("ag-urbanisme", "14:00")[0]   # an agenda svc-passeport does not use
KEY_YEAR = START.astimezone(UTC).year                      # the seed names its signing key after it


def at(when: datetime, **delta: float) -> str:
    """``when`` shifted, as the terminal writes it (Paris time with its offset)."""
    return (when + timedelta(**delta)).astimezone(PARIS).replace(microsecond=0).isoformat()


CREATED_AT = at(START, minutes=2)   # a booking stamped at a fixed instant (None: the server's clock at sending)
BEFORE_SLOT = SLOT_AT - timedelta(minutes=10)               # in the check-in window


@pytest.fixture
def env(tmp_path):
    db_path = tmp_path / "api.sqlite3"
    clock = ManualClock(START)
    with running_server(db_path, clock) as base:
        yield base, db_path, clock


@pytest.fixture
def api(env):
    base, db_path, clock = env
    return enroll(base, db_path, clock)


def booking(slot=SLOT, service="svc-passeport", created_at=None, **person):
    return {"slot_id": slot, "service_id": service, "channel": "kiosk", "terminal_id": None,
            "created_at": created_at,
            "person": person or {"last_name": "Lefèvre", "first_name": "Hélène", "phone": "06 12 34 56 78"}}


def book(api: ApiClient, body: dict, key: str | None = None):
    """POST a booking from ``api``'s terminal (``terminal_id`` is its device id), stamped when it
    is sent unless the body says otherwise."""
    body = {**body, "terminal_id": body["terminal_id"] or api.device_id,
            "created_at": body["created_at"] or at(api.clock())}
    return api.call("POST", "/v1/bookings", json=body, headers={"Idempotency-Key": key or str(uuid.uuid4())})


def test_booking_201_then_the_slot_is_full(api):
    r = book(api, booking())
    assert r.status_code == 201
    assert r.data["state"] == "booked" and r.data["slot_id"] == SLOT and r.data["reference"].startswith("RDV-")
    assert "Lefèvre" not in r.text and "06 12" not in r.text, "no personal data comes back"
    slots = api.call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-etat-civil-2",
                     params={"from": SLOT_AT.date().isoformat(), "to": SLOT_AT.date().isoformat()})
    assert next(s for s in slots.data["slots"] if s["id"] == SLOT)["places_left"] == 0


def test_same_key_same_body_replays_the_same_answer(api):
    key = str(uuid.uuid4())
    first = book(api, booking(), key)
    again = book(api, booking(), key)
    assert again.status_code == 201 and again.data == first.data
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_replay_is_the_same_even_for_a_409(api):
    book(api, booking())
    key = str(uuid.uuid4())
    first = book(api, booking(last_name="Hamon", first_name="Luc", email="luc.hamon@exemple.fr"), key)
    second = book(api, booking(last_name="Hamon", first_name="Luc", email="luc.hamon@exemple.fr"), key)
    assert first.status_code == second.status_code == 409 and first.data == second.data


def test_same_key_different_body_is_422(api):
    key = str(uuid.uuid4())
    assert book(api, booking(), key).status_code == 201
    r = book(api, booking(slot=NEXT_SLOT), key)
    assert r.status_code == 422 and r.data["error"] == "idempotency_key_reused"


def test_keys_are_per_device(env, api):
    base, db_path, clock = env
    other = enroll(base, db_path, clock)
    key = str(uuid.uuid4())
    assert book(api, booking(), key).status_code == 201
    assert book(other, booking(slot=NEXT_SLOT), key).status_code == 201


@pytest.mark.parametrize("headers,code", [({}, "missing_idempotency_key"),
                                          ({"Idempotency-Key": "abc"}, "invalid_request")])
def test_idempotency_key_is_required_and_a_uuid(api, headers, code):
    r = api.call("POST", "/v1/bookings", json={**booking(created_at=CREATED_AT), "terminal_id": api.device_id},
                 headers=headers)
    assert r.status_code == 400 and r.data["error"] == code


def test_409_offers_the_nearest_free_slots_of_the_service(api):
    assert book(api, booking()).status_code == 201
    r = book(api, booking(last_name="Péan", first_name="Anne", phone="+33 6 98 76 54 32"))
    assert r.status_code == 409 and r.data["error"] == "slot_unavailable"
    alternatives = r.data["details"]["alternatives"]
    assert 1 <= len(alternatives) <= 5 and SLOT not in [a["id"] for a in alternatives]
    assert {a["agenda_id"] for a in alternatives} <= {"ag-etat-civil-1", "ag-etat-civil-2"}
    asked = SLOT_AT
    gaps = [abs(datetime.fromisoformat(a["start"]) - asked) for a in alternatives]
    assert gaps == sorted(gaps) and gaps[0] <= timedelta(minutes=30)


def test_a_past_slot_is_409(api, env):
    _base, _db, clock = env
    clock.now = SLOT_AT + timedelta(minutes=1)        # the slot has started
    r = book(api, booking())
    assert r.status_code == 409
    assert all(datetime.fromisoformat(a["start"]) > clock.now for a in r.data["details"]["alternatives"])


@pytest.mark.parametrize("change,status,field", [
    ({"person": {"last_name": "Martin", "first_name": "Léa", "phone": "appelez-moi"}}, 400, "person.phone"),
    ({"person": {"last_name": "", "first_name": "Léa", "email": "a@b.fr"}}, 400, "person.last_name"),
    ({"channel": "web"}, 400, "channel"),
    ({"created_at": "2026-05-04 07:02"}, 400, "created_at"),
    ({"slot_id": 42}, 400, "slot_id"),
    ({"surprise": 1}, 400, "surprise"),
])
def test_invalid_booking_is_400(api, change, status, field):
    r = book(api, {**booking(), **change})
    assert r.status_code == status and field in [e["field"] for e in r.data["details"]["errors"]]


def test_a_booking_without_contact_is_accepted(api):
    r = book(api, {**booking(), "person": {"last_name": "Martin", "first_name": "Léa"}})
    assert r.status_code == 201 and r.data["state"] == "booked"


def test_terminal_id_must_be_the_authenticated_device(api):
    r = book(api, {**booking(), "terminal_id": "dev-autre"})
    assert r.status_code == 403 and r.data["error"] == "forbidden"


def test_unknown_slot_or_service_is_404_and_a_foreign_slot_is_400(api):
    assert book(api, booking(slot="ag-etat-civil-2-209901010900")).status_code == 404
    assert book(api, booking(service="svc-inconnu")).status_code == 404
    r = book(api, booking(service="svc-urbanisme"))
    assert r.status_code == 400 and "agenda" in r.data["message"]


def test_ten_terminals_race_for_the_last_place(env):
    base, db_path, clock = env
    clients = [enroll(base, db_path, clock) for _ in range(10)]
    warm = book(clients[0], booking(slot=EMPLOI, service="svc-emploi"))
    warm2 = book(clients[1], booking(slot=EMPLOI, service="svc-emploi"))
    assert warm.status_code == warm2.status_code == 201  # one place left of three
    results, barrier = [], threading.Barrier(10)

    def race(client):
        barrier.wait()
        results.append(book(client, booking(slot=EMPLOI, service="svc-emploi")))

    threads = [threading.Thread(target=race, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201] + [409] * 9
    assert all(r.data["details"]["alternatives"] for r in results if r.status_code == 409)
    slots = clients[0].call("GET", "/v1/agendas/{agenda_id}/slots", agenda_id="ag-emploi",
                            params={"from": EMPLOI_AT.date().isoformat(), "to": EMPLOI_AT.date().isoformat()})
    assert next(s for s in slots.data["slots"] if s["id"] == EMPLOI)["places_left"] == 0
    import sqlite3
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM bookings WHERE slot_id=?", (EMPLOI,)).fetchone()[0] == 3
    conn.close()


def test_same_request_sent_twice_at_once_books_once(api):
    key, results = str(uuid.uuid4()), []
    threads = [threading.Thread(target=lambda: results.append(book(api, booking(), key))) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert [r.status_code for r in results] == [201] * 5
    assert len({r.data["id"] for r in results}) == 1


def cancel(api, target, reference, last_name):
    return api.call("POST", "/v1/bookings/{booking_id}/cancel", booking_id=target,
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                    json={"reference": reference, "last_name": last_name, "terminal_id": api.device_id})


def test_cancel_by_reference_and_last_name_frees_the_slot_and_revokes_the_token(api):
    made = book(api, booking()).data
    assert cancel(api, made["reference"], made["reference"], "Dupont").status_code == 404
    r = cancel(api, made["reference"], made["reference"].lower(), "  LEFEVRE ")
    assert r.status_code == 200 and r.data["state"] == "cancelled"
    assert cancel(api, made["id"], made["reference"], "Lefèvre").data["error"] == "invalid_state"
    assert book(api, booking(last_name="Bodin", first_name="Paul", phone="0611223344")).status_code == 201
    keys = api.call("GET", "/v1/keys").data
    assert made["id"] in [t["jti"] for t in keys["revoked_tokens"]]


def test_cancel_with_the_tickets_token(api):
    made = book(api, booking()).data
    other = book(api, booking(EMPLOI, "svc-emploi")).data

    def by_token(reference, token):
        return api.call("POST", "/v1/bookings/{booking_id}/cancel", booking_id=reference,
                        json={"reference": reference, "token": token, "terminal_id": api.device_id},
                        headers={"Idempotency-Key": str(uuid.uuid4())})

    assert by_token(made["reference"], other["checkin_token"]).status_code == 404    # another booking's QR
    assert by_token(made["reference"], made["checkin_token"][:-4] + "AAAA").status_code == 404   # forged
    both = api.call("POST", "/v1/bookings/{booking_id}/cancel", booking_id=made["reference"],
                    json={"reference": made["reference"], "token": made["checkin_token"], "last_name": "Lefèvre",
                          "terminal_id": api.device_id}, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert both.status_code == 400
    r = by_token(made["reference"], made["checkin_token"])
    assert r.status_code == 200 and r.data["state"] == "cancelled"


def test_booking_request_is_pending(api):
    body = {"service_id": "svc-passeport", "wanted_start": at(SLOT_AT), "wanted_slot_id": SLOT,
            "person": {"last_name": "Nguyen", "first_name": "Thi Mai", "email": "thimai.nguyen@exemple.fr"},
            "channel": "kiosk", "terminal_id": api.device_id, "created_at": at(START, minutes=5)}
    key = str(uuid.uuid4())
    r = api.call("POST", "/v1/booking-requests", json=body, headers={"Idempotency-Key": key})
    assert r.status_code == 202 and r.data["state"] == "pending" and r.data["reference"].startswith("DEM-")
    assert api.call("POST", "/v1/booking-requests", json=body, headers={"Idempotency-Key": key}).data == r.data
    no_contact = {**body, "person": {"last_name": "Nguyen", "first_name": "Thi Mai"}}
    assert api.call("POST", "/v1/booking-requests", json=no_contact,
                    headers={"Idempotency-Key": str(uuid.uuid4())}).status_code == 400
    foreign = {**body, "wanted_slot_id": FOREIGN_SLOT}
    assert api.call("POST", "/v1/booking-requests", json=foreign,
                    headers={"Idempotency-Key": str(uuid.uuid4())}).status_code == 400


def checkin(api, **body):
    return api.call("POST", "/v1/checkins", headers={"Idempotency-Key": str(uuid.uuid4())},
                    json={"terminal_id": api.device_id, "scanned_at": at(BEFORE_SLOT), **body})


def test_checkin_token_verifies_offline_with_the_published_key(api):
    made = book(api, booking()).data
    keys = api.call("GET", "/v1/keys").data
    payload = signing.decode_unverified(made["checkin_token"])
    key = next(k for k in keys["keys"] if k["kid"] == payload["kid"])
    body, sig = made["checkin_token"].split(".")
    Ed25519PublicKey.from_public_bytes(signing.unb64url(key["public_key"])).verify(
        signing.unb64url(sig), body.encode("ascii"))  # raises if forged
    assert payload["jti"] == made["id"] and payload["ref"] == made["reference"] and payload["slot"] == SLOT
    assert "Lefèvre" not in str(payload)
    tampered = signing.b64url(signing.unb64url(body).replace(made["id"].encode(), b"bk-999999")) + "." + sig
    with pytest.raises(signing.TokenError, match="signature"):
        signing.verify(tampered, {k["kid"]: k["public_key"] for k in keys["keys"]}, START)


def test_checkin_with_token_gives_a_queue_number_once(api, env):
    _base, _db, clock = env
    clock.now = BEFORE_SLOT  # 13:50 in Paris
    made = book(api, booking()).data
    r = checkin(api, token=made["checkin_token"])
    assert r.status_code == 200 and r.data["queue_number"] == "B001"
    assert r.data["counter"].startswith("Guichet 2") and r.data["estimated_wait_minutes"] == 10
    assert checkin(api, reference=made["reference"]).data["error"] == "already_checked_in"


def test_checkin_refusals(api, env):
    _base, _db, clock = env
    clock.now = BEFORE_SLOT
    made = book(api, booking()).data
    body, sig = made["checkin_token"].split(".")
    assert checkin(api, token=body + "." + sig[:-4] + "AAAA").data["error"] == "invalid_token"
    assert checkin(api, token="pas.un-jeton").data["error"] == "invalid_token"
    assert checkin(api, token="pas-un-jeton").data["error"] == "validation_error"   # not even shaped as one
    assert checkin(api, reference="RDV-ZZZZ-99").status_code == 404
    r = checkin(api, reference=made["reference"], scanned_at=at(BEFORE_SLOT, days=-1))
    assert r.status_code == 409 and r.data["error"] == "outside_checkin_window"
    r = checkin(api, reference=made["reference"], scanned_at=at(BEFORE_SLOT, hours=5))
    assert r.status_code == 400 and "clock" in r.data["message"]
    cancel(api, made["id"], made["reference"], "Lefèvre")
    assert checkin(api, token=made["checkin_token"]).data["error"] == "booking_cancelled"


def test_back_office_states_noshow_and_fulfilled(api, env):
    from kiosk.demo_api import admin
    _base, db_path, clock = env
    clock.now = BEFORE_SLOT
    first = book(api, booking()).data
    second = book(api, booking(slot=NEXT_SLOT, last_name="Ménard", first_name="Zoé",
                               email="zoe@exemple.fr")).data
    assert checkin(api, reference=first["reference"]).status_code == 200
    admin.set_booking_state(db_path, first["id"], "fulfilled")
    admin.set_booking_state(db_path, second["id"], "noshow")
    with pytest.raises(ValueError):
        admin.set_booking_state(db_path, second["id"], "fulfilled")
    clock.advance(minutes=30)
    r = checkin(api, reference=second["reference"], scanned_at=at(BEFORE_SLOT, minutes=30))
    assert r.status_code == 409 and r.data["error"] == "invalid_state"
    r = cancel(api, first["id"], first["reference"], "Lefèvre")
    assert r.status_code == 409 and r.data["details"] == {"state": "fulfilled"}


def test_key_rotation_keeps_old_tokens_valid_until_the_old_key_is_revoked(api, env):
    from kiosk.demo_api import admin
    _base, db_path, clock = env
    old = book(api, booking()).data
    clock.advance(minutes=1)
    # announced a week ago (keys are listed ahead of use): it signs from now on
    admin.rotate_signing_key(db_path, f"scv-{KEY_YEAR}-02", clock=lambda: clock() - KEY_ANNOUNCE_LEAD)
    new = book(api, booking(slot=NEXT_SLOT)).data
    assert signing.decode_unverified(old["checkin_token"])["kid"] == f"scv-{KEY_YEAR}-01"
    assert signing.decode_unverified(new["checkin_token"])["kid"] == f"scv-{KEY_YEAR}-02"
    keys = api.call("GET", "/v1/keys").data
    assert {k["kid"] for k in keys["keys"]} == {f"scv-{KEY_YEAR}-01", f"scv-{KEY_YEAR}-02"}

    clock.now = BEFORE_SLOT
    assert checkin(api, token=new["checkin_token"]).status_code == 200
    assert admin.revoke_signing_key(db_path, f"scv-{KEY_YEAR}-01", clock=clock)
    r = checkin(api, token=old["checkin_token"])
    assert r.status_code == 400 and r.data["error"] == "invalid_token"
    keys = api.call("GET", "/v1/keys").data
    assert f"scv-{KEY_YEAR}-01" in [k["kid"] for k in keys["revoked_keys"]]
    assert [k["kid"] for k in keys["keys"]] == [f"scv-{KEY_YEAR}-02"]
    assert checkin(api, reference=old["reference"]).status_code == 200, "the reference still works"


def test_outbox_retries_of_cancel_and_checkin_get_the_first_answer(api, env):
    """A terminal that lost the answer resends with the same key: it must not be told
    "already cancelled" or "already checked in" for its own action."""
    _base, _db, clock = env
    clock.now = BEFORE_SLOT
    first, second = book(api, booking()).data, book(api, booking(slot=NEXT_SLOT)).data
    key = str(uuid.uuid4())
    cancel_body = {"reference": first["reference"], "last_name": "Lefèvre", "terminal_id": api.device_id}
    answers = [api.call("POST", "/v1/bookings/{booking_id}/cancel", booking_id=first["id"], json=cancel_body,
                        headers={"Idempotency-Key": key}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200] and answers[0].data == answers[1].data
    key = str(uuid.uuid4())
    checkin_body = {"token": second["checkin_token"], "terminal_id": api.device_id,
                    "scanned_at": at(BEFORE_SLOT)}
    answers = [api.call("POST", "/v1/checkins", json=checkin_body, headers={"Idempotency-Key": key})
               for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].data["queue_number"] == answers[1].data["queue_number"] == "B001"


def test_booking_request_wanted_start_must_follow_created_at(api):
    body = {"service_id": "svc-cni", "wanted_start": at(START),
            "person": {"last_name": "Nguyen", "first_name": "Thi Mai", "phone": "0611223344"},
            "channel": "kiosk", "terminal_id": api.device_id, "created_at": at(START, minutes=5)}
    r = api.call("POST", "/v1/booking-requests", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 400 and "wanted_start" in r.data["message"]


def test_many_terminals_many_slots_never_exceed_capacity(env):
    """20 terminals each try 6 bookings spread over 4 three-place slots (24 places wanted,
    12 exist): every place is sold exactly once and every refusal is a 409."""
    import random
    import sqlite3
    base, db_path, clock = env
    clients = [enroll(base, db_path, clock) for _ in range(20)]
    # the three slots of the first Point emploi morning, and the first slot of a later one (holidays have none)
    emploi = seeded_slots("ag-emploi")
    slots = [sid for sid, at in emploi if at.date() == EMPLOI_AT.date()]
    slots.append(next(sid for sid, at in emploi if at.date() > EMPLOI_AT.date()))
    assert len(slots) == 4
    results, barrier = [], threading.Barrier(len(clients))

    def run(client, seed):
        rng = random.Random(seed)
        barrier.wait()
        for _ in range(6):
            results.append(book(client, booking(slot=rng.choice(slots), service="svc-emploi")))

    threads = [threading.Thread(target=run, args=(c, i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 120 and {r.status_code for r in results} <= {201, 409}
    conn = sqlite3.connect(db_path)
    booked = dict(conn.execute("SELECT slot_id, count(*) FROM bookings GROUP BY slot_id").fetchall())
    counters = dict(conn.execute(f"SELECT id, booked FROM slots WHERE id IN ({','.join('?' * 4)})", slots).fetchall())
    conn.close()
    assert booked == counters
    assert all(n <= 3 for n in booked.values())
    assert sum(r.status_code == 201 for r in results) == sum(booked.values()) == 12


def test_booking_request_state_by_id_or_reference(env, api):
    base, db_path, clock = env
    body = {"service_id": "svc-passeport", "wanted_start": at(SLOT_AT),
            "person": {"last_name": "Nguyen", "first_name": "Thi Mai", "email": "thimai.nguyen@exemple.fr"},
            "channel": "kiosk", "terminal_id": api.device_id, "created_at": at(START, minutes=5)}
    made = api.call("POST", "/v1/booking-requests", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}).data
    by_id = api.call("GET", "/v1/booking-requests/{request_id}", request_id=made["id"])
    assert by_id.status_code == 200 and by_id.data == made and "Nguyen" not in by_id.text
    assert admin.set_booking_request_state(db_path, made["reference"], "confirmed")
    by_ref = api.call("GET", "/v1/booking-requests/{request_id}", request_id=made["reference"].lower())
    assert by_ref.data["state"] == "confirmed"
    assert api.call("GET", "/v1/booking-requests/{request_id}", request_id="DEM-NONE-00").status_code == 404
    anonymous = ApiClient(base)
    assert anonymous.call("GET", "/v1/booking-requests/{request_id}", request_id=made["id"]).status_code == 401
    with pytest.raises(ValueError):
        admin.set_booking_request_state(db_path, made["id"], "maybe")


def test_stored_answers_expire_after_30_days(env, api):
    base, db_path, clock = env
    key = str(uuid.uuid4())
    emploi = first_slot_at("ag-emploi", "09:00", after=START + timedelta(hours=1))[0]
    first = book(api, booking(emploi, "svc-emploi", CREATED_AT), key)
    assert first.status_code == 201, first.text
    clock.advance(hours=29 * 24)     # a terminal cut off for four weeks after a lost answer
    replay = book(api, booking(emploi, "svc-emploi", CREATED_AT), key)
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.data == first.data
    clock.advance(hours=26)
    # the same action is now too old to be told from a second one: refused, never executed twice
    stale = book(api, booking(emploi, "svc-emploi", CREATED_AT), key)
    assert stale.status_code == 400 and stale.data["details"] == {"field": "created_at"}, stale.text
    again = book(api, booking(emploi, "svc-emploi"), key)            # forgotten: a new request
    assert again.headers.get("Idempotent-Replayed") is None and again.data.get("id") != first.data["id"], again.text
    conn = db.connect(db_path)
    try:
        kept = conn.execute("SELECT count(*) FROM idempotency WHERE key = ?", (key,)).fetchone()[0]
    finally:
        conn.close()
    assert kept == 1                                      # the expired answer was deleted, not kept beside


def test_a_booking_needs_no_contact(api):
    """The person leaves the terminal with a printed ticket: phone and e-mail are only a reminder."""
    body = booking()
    body["person"] = {"last_name": "Martin", "first_name": "Léa"}
    assert book(api, body).status_code == 201
