"""Admin PIN hashing and the lockout that makes guessing the PIN on the terminal slow."""

from __future__ import annotations

import base64
import logging

import pytest

from kiosk.admin.pin import DEFAULT_ITERATIONS, PinGuard, hash_pin, parse_pin_hash, verify_pin
from kiosk.clock import ManualClock

FAST = 1_000  # lowest accepted iteration count: keeps the tests quick
PIN = "246810"
PIN_HASH = hash_pin(PIN, salt=b"0123456789abcdef", iterations=FAST)


# --- hash_pin / parse_pin_hash / verify_pin ------------------------------------------

def test_hash_format_and_default_iterations():
    algorithm, iterations, salt, digest = hash_pin("1234").split("$")
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) == DEFAULT_ITERATIONS == 120_000
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32


def test_random_salt_differs_fixed_salt_reproduces():
    assert hash_pin("1234", iterations=FAST) != hash_pin("1234", iterations=FAST)
    salt = b"saint-clement-01"
    assert hash_pin("1234", salt=salt, iterations=FAST) == hash_pin("1234", salt=salt, iterations=FAST)


def test_repository_demo_hash_is_pin_1234():
    demo = "pbkdf2_sha256$120000$c2FpbnQtY2xlbWVudC0wMQ==$teeu+Nit2xHulEdAH6ClUysiSyT4j7KQ9yEct5eRaWw="
    assert hash_pin("1234", salt=b"saint-clement-01") == demo


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", " 1234", "١٢٣٤", "12²4", 1234, None])
def test_hash_pin_refuses_non_pins_without_repeating_them(pin):
    with pytest.raises(ValueError) as info:
        hash_pin(pin, iterations=FAST)
    assert str(info.value) == "the PIN must be 4 to 8 digits (0-9)"


@pytest.mark.parametrize("pin", ["0000", "12345678"])
def test_hash_pin_accepts_4_to_8_digits(pin):
    assert verify_pin(pin, hash_pin(pin, iterations=FAST))


def test_hash_pin_refuses_short_salt_and_silly_iterations():
    with pytest.raises(ValueError, match="salt"):
        hash_pin("1234", salt=b"short", iterations=FAST)
    with pytest.raises(ValueError, match="iterations"):
        hash_pin("1234", iterations=10)


def test_parse_round_trip():
    iterations, salt, digest = parse_pin_hash(PIN_HASH)
    assert iterations == FAST
    assert salt == b"0123456789abcdef"
    assert len(digest) == 32


def _with_part(index: int, value: str) -> str:
    parts = PIN_HASH.split("$")
    parts[index] = value
    return "$".join(parts)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("", "must have 4 parts separated by '$'"),
        ("1234", "not the PIN itself"),
        ("pbkdf2_sha256$1000$abc", "must have 4 parts separated by '$'"),
        (_with_part(0, "md5"), "must start with 'pbkdf2_sha256$'"),
        (_with_part(1, "many"), "iteration count (second part) must be a whole number"),
        (_with_part(1, "-5"), "iteration count (second part) must be a whole number"),
        (_with_part(1, "10"), "iteration count must be from 1000 to 10000000"),
        (_with_part(1, "999999999"), "iteration count must be from 1000 to 10000000"),
        (_with_part(2, "not base64!"), "salt (third part) is not valid base64"),
        (_with_part(2, "YWJj"), "salt must be at least 8 bytes"),
        (_with_part(3, "abc"), "hash (fourth part) is not valid base64"),
        (_with_part(3, "YWJjZA=="), "hash (fourth part) must be 32 bytes"),
        (1234, "must be text in quotes"),
    ],
)
def test_parse_refuses_bad_shapes_in_plain_words(bad, message):
    with pytest.raises(ValueError) as info:
        parse_pin_hash(bad)
    assert message in str(info.value)
    digest = PIN_HASH.split("$")[3]
    assert digest not in str(info.value)  # the hash is never quoted back


def test_verify_pin():
    assert verify_pin(PIN, PIN_HASH)
    assert not verify_pin("246811", PIN_HASH)
    assert not verify_pin("24681", PIN_HASH)
    assert not verify_pin("not a pin", PIN_HASH)
    with pytest.raises(ValueError):
        verify_pin(PIN, "garbage")


# --- PinGuard -------------------------------------------------------------------------

@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def guard(clock):
    return PinGuard(clock, PIN_HASH)


def test_right_pin_opens(guard):
    assert guard.try_pin(PIN) == "ok"
    assert guard.failures_left() == 5
    assert guard.locked_for_s() == 0


def test_five_wrong_pins_lock_for_five_minutes(guard, clock):
    for left in (4, 3, 2, 1):
        assert guard.try_pin("0000") == "wrong"
        assert guard.failures_left() == left
        assert guard.locked_for_s() == 0
    assert guard.try_pin("0000") == "wrong"  # the 5th failure itself is reported as wrong
    assert guard.failures_left() == 0
    assert guard.locked_for_s() == 300
    assert guard.try_pin(PIN) == "locked"  # even the right PIN is not checked

    clock.advance(4 * 60 + 59)
    assert guard.locked_for_s() == pytest.approx(1)
    assert guard.try_pin(PIN) == "locked"

    clock.advance(1)
    assert guard.locked_for_s() == 0
    assert guard.failures_left() == 5  # a fresh count once the lockout is over
    assert guard.try_pin(PIN) == "ok"


def test_lockout_counts_from_the_fifth_failure(guard, clock):
    for _ in range(4):
        guard.try_pin("0000")
    clock.advance(100)
    guard.try_pin("0000")
    assert guard.locked_for_s() == 300


def test_attempts_during_lockout_do_not_extend_it(guard, clock):
    for _ in range(5):
        guard.try_pin("0000")
    for _ in range(10):
        clock.advance(20)
        assert guard.try_pin("0000") == "locked"
    assert guard.locked_for_s() == pytest.approx(100)
    clock.advance(100)
    assert guard.try_pin(PIN) == "ok"


def test_after_lockout_one_wrong_pin_does_not_relock(guard, clock):
    for _ in range(5):
        guard.try_pin("0000")
    clock.advance(300)
    assert guard.try_pin("0000") == "wrong"
    assert guard.failures_left() == 4
    assert guard.locked_for_s() == 0


def test_success_resets_the_failure_count(guard):
    for _ in range(4):
        assert guard.try_pin("0000") == "wrong"
    assert guard.try_pin(PIN) == "ok"
    assert guard.failures_left() == 5
    for _ in range(4):
        assert guard.try_pin("0000") == "wrong"
    assert guard.locked_for_s() == 0
    assert guard.try_pin(PIN) == "ok"


def test_custom_limits(clock):
    guard = PinGuard(clock, PIN_HASH, max_failures=2, lockout_s=10)
    guard.try_pin("0000")
    guard.try_pin("0000")
    assert guard.try_pin(PIN) == "locked"
    clock.advance(10)
    assert guard.try_pin(PIN) == "ok"


def test_malformed_hash_is_refused_at_construction(clock):
    with pytest.raises(ValueError):
        PinGuard(clock, "pbkdf2_sha256$oops")


def test_pins_and_hash_never_reach_logs_or_repr(guard, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(5):
        guard.try_pin("97531")
    guard.try_pin(PIN)
    assert caplog.records, "the guard should tell technicians about failures"
    assert "97531" not in caplog.text
    assert PIN not in caplog.text
    assert PIN_HASH.split("$")[3] not in repr(guard)
