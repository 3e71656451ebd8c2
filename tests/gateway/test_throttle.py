"""Login and sign-up throttling: the counters on each backend, then the rules through the schema.

The rules run on the configured backend: in memory by default, in Redis when TALLY_REDIS_URL is
set. The counter tests cover the in-memory and database backends always (the database is where
several processes without Redis count), and Redis too when it is configured.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import subprocess
import sys
import uuid
import warnings

import pytest
from strawberry.types import ExecutionResult

from services.gateway.identity import throttle
from services.gateway.identity.throttle import (
    Counters,
    DatabaseCounters,
    Limit,
    MemoryCounters,
    RedisCounters,
)
from shared.clock import utcnow
from shared.config import get_settings
from shared.errors import RateLimited
from tests.gateway.test_identity import (
    LOG_IN,
    PASSWORD,
    SIGN_UP,
    as_guest,
    log_in,
    new_address,
    new_email,
    run,
    sign_up,
)
from tests.support.graphql import error_codes

REDIS_URL = get_settings().redis_url
BACKENDS = ["memory", "database", "redis"] if REDIS_URL else ["memory", "database"]
# Smaller limits than the defaults, so that the rules are tested without hundreds of hashes.
SPRAY_OF_20 = Limit("login-address", attempts=20, window_seconds=15 * 60)
BOTNET_OF_8 = Limit("login-account", attempts=8, window_seconds=60 * 60)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Counters:
    if request.param == "redis":
        assert REDIS_URL
        return RedisCounters(REDIS_URL)
    if request.param == "database":
        return DatabaseCounters()
    return MemoryCounters(clock=FakeClock())


def fresh_key() -> str:
    return Limit("test", attempts=3, window_seconds=60).key(uuid.uuid4().hex)


def retry_after(result: ExecutionResult) -> int:
    assert result.errors
    assert result.errors[0].extensions
    return int(result.errors[0].extensions["retryAfterSeconds"])


async def test_hits_count_up_within_a_window_that_says_when_it_resets(store: Counters) -> None:
    key = fresh_key()

    hits = [await store.hit(key, 60) for _ in range(3)]

    assert [hit.count for hit in hits] == [1, 2, 3]
    # The window (and, in Redis, the key's expiry) starts at the first hit.
    assert all(55 <= hit.resets_in_seconds <= 60 for hit in hits)
    assert (await store.hit(fresh_key(), 60)).count == 1


async def test_giving_back_undoes_one_hit_but_never_goes_below_zero(store: Counters) -> None:
    key = fresh_key()
    await store.hit(key, 60)
    await store.hit(key, 60)

    await store.give_back(key)
    assert (await store.hit(key, 60)).count == 2

    untouched = fresh_key()
    await store.give_back(untouched)
    assert (await store.hit(untouched, 60)).count == 1


async def test_clearing_a_counter_starts_it_afresh(store: Counters) -> None:
    key = fresh_key()
    for _ in range(4):
        await store.hit(key, 60)

    await store.clear(key)

    assert (await store.hit(key, 60)).count == 1


async def test_taking_past_the_limit_is_refused_with_the_time_to_wait(store: Counters) -> None:
    limit = Limit("test", attempts=3, window_seconds=60)
    subject = uuid.uuid4().hex
    for _ in range(3):
        await throttle.take((limit, subject), store=store)

    with pytest.raises(RateLimited) as refused:
        await throttle.take((limit, subject), store=store)

    assert 0 < refused.value.extensions["retryAfterSeconds"] <= 60
    await throttle.take((limit, uuid.uuid4().hex), store=store)


async def test_an_in_memory_window_ends_after_its_length_and_is_then_forgotten() -> None:
    clock = FakeClock()
    store = MemoryCounters(clock=clock)
    key = fresh_key()
    for _ in range(5):
        await store.hit(key, 60)

    clock.now += 59.5
    assert (await store.hit(key, 60)).resets_in_seconds == 1
    clock.now += 0.5
    assert (await store.hit(key, 60)).count == 1

    clock.now += 120
    await store.hit(fresh_key(), 60)
    assert len(store._windows) == 1


async def test_a_window_in_the_database_ends_after_its_length() -> None:
    now = [utcnow()]
    store = DatabaseCounters(clock=lambda: now[0])
    key = fresh_key()
    for _ in range(5):
        await store.hit(key, 60)

    now[0] += dt.timedelta(seconds=59.5)
    assert (await store.hit(key, 60)).resets_in_seconds == 1
    assert await store.peek(key) == 6
    now[0] += dt.timedelta(seconds=0.5)
    assert await store.peek(key) == 0
    assert (await store.hit(key, 60)).count == 1


_HIT_FROM_ANOTHER_PROCESS = """
import asyncio, sys
from services.gateway.identity.throttle import DatabaseCounters
for _ in range(3):
    asyncio.run(DatabaseCounters().hit(sys.argv[1], 60))
"""


async def test_processes_counting_in_the_database_see_each_others_attempts() -> None:
    key = fresh_key()
    await DatabaseCounters().hit(key, 60)

    other = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", _HIT_FROM_ANOTHER_PROCESS, key],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert other.returncode == 0, other.stderr[-2000:]
    assert (await DatabaseCounters().hit(key, 60)).count == 5


async def test_concurrent_guesses_counted_in_the_database_cannot_slip_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if REDIS_URL:
        pytest.skip("with Redis, every process counts there")
    monkeypatch.setattr(throttle._Store, "database", DatabaseCounters())  # count_in_database()
    email = new_email()
    await sign_up(email)
    address = new_address()

    results = await asyncio.gather(
        *(log_in(email, f"guess number {n}", address) for n in range(12))
    )

    codes = sorted(code for result in results for code in error_codes(result))
    assert codes == ["RATE_LIMITED"] * 7 + ["UNAUTHENTICATED"] * 5
    assert (
        await throttle.counters().peek(throttle.LOGIN_FAILURES_PER_PAIR.key(f"{email}\n{address}"))
        == 12
    )


def test_a_loop_that_ends_without_the_apps_shutdown_closes_its_redis_clients() -> None:
    """Each loop's clients are closed as the loop ends however it ends (tests and worker
    threads run loops of their own, with no app lifespan to close them)."""
    closed: list[str] = []

    async def a_loop_of_its_own(url: str) -> None:
        client = throttle.redis_client(url)  # no connection yet: none is opened until used
        assert throttle.redis_client(url) is client

        async def recorded_close() -> None:
            closed.append(url)

        client.aclose = recorded_close  # type: ignore[method-assign,assignment]

    for number in range(3):
        asyncio.run(a_loop_of_its_own(f"redis://127.0.0.1:1/{number}"))
        with asyncio.Runner() as runner:
            runner.run(a_loop_of_its_own(f"redis://127.0.0.1:2/{number}"))

    assert sorted(closed) == sorted(
        [f"redis://127.0.0.1:{port}/{number}" for port in (1, 2) for number in range(3)]
    )


@pytest.mark.skipif(not REDIS_URL, reason="counts in Redis only when TALLY_REDIS_URL is set")
async def test_redis_counters_reuse_one_connection_per_event_loop_and_close_it_with_the_loop() -> (
    None
):
    assert REDIS_URL
    client = throttle.redis_client(REDIS_URL)
    connection = int(await client.client_id())
    connected = (await client.info("stats"))["total_connections_received"]

    # 125 calls of every kind, from new counters each time (as each request makes them).
    for _ in range(25):
        key = fresh_key()
        store = RedisCounters(REDIS_URL)
        await store.hit(key, 60)
        await store.peek(key)
        await store.give_back(key)
        await store.clear(key)
        await throttle.budget_counters().hit(key, 60)

    # The server counts every connection anyone makes (other clients may share it): a
    # connection per call would be 125 more.
    assert (await client.info("stats"))["total_connections_received"] - connected < 25
    assert throttle.redis_client(REDIS_URL) is client
    assert int(await client.client_id()) == connection

    # Another loop (a worker thread's, a test's) has its own client, closed as that loop ends
    # with no one calling close_redis_clients, and leaving no unclosed connection behind.
    async def another_loop() -> int:
        await RedisCounters(REDIS_URL).hit(fresh_key(), 60)
        return int(await throttle.redis_client(REDIS_URL).client_id())

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        other_connection = await asyncio.to_thread(asyncio.run, another_loop())
        gc.collect()
    assert other_connection != connection
    open_ids = {int(entry["id"]) for entry in await client.client_list()}
    assert connection in open_ids
    assert other_connection not in open_ids
    assert not [warning for warning in caught if issubclass(warning.category, ResourceWarning)]


def test_counter_keys_are_namespaced_and_never_hold_the_subject_in_clear() -> None:
    subject = "someone@example.com"

    key = throttle.LOGIN_FAILURES_PER_ACCOUNT.key(subject)

    assert key.startswith("tally:throttle:login-account:")
    assert subject not in key
    assert key != throttle.LOGIN_FAILURES_PER_ADDRESS.key(subject)


async def test_five_failed_logins_from_one_place_pause_that_place_not_the_owner() -> None:
    email = new_email()
    await sign_up(email)
    guesser, owner = new_address(), new_address()
    for _ in range(5):
        assert error_codes(await log_in(email, "a wrong password", guesser)) == ["UNAUTHENTICATED"]

    paused = await log_in(email, PASSWORD, guesser)  # even the right password waits there

    assert error_codes(paused) == ["RATE_LIMITED"]
    assert 0 < retry_after(paused) <= 15 * 60
    assert not (await log_in(email, PASSWORD, owner)).errors


async def test_guessing_from_many_addresses_cannot_lock_out_the_owner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(throttle, "LOGIN_FAILURES_PER_ACCOUNT", BOTNET_OF_8)
    email = new_email()
    await sign_up(email)
    home = new_address()
    assert not (await log_in(email, PASSWORD, home)).errors  # the owner's address is known now

    # A botnet: every guess from another address, past the account's cap.
    codes = [error_codes(await log_in(email, f"guess {n}", new_address()))[0] for n in range(10)]
    assert codes == ["UNAUTHENTICATED"] * 8 + ["RATE_LIMITED"] * 2
    assert error_codes(await log_in(email, PASSWORD, new_address())) == ["RATE_LIMITED"]

    assert not (await log_in(email, PASSWORD, home)).errors


async def test_a_successful_login_gives_its_place_its_attempts_back() -> None:
    email = new_email()
    await sign_up(email)
    address = new_address()
    for _ in range(4):
        assert error_codes(await log_in(email, "a wrong password", address)) == ["UNAUTHENTICATED"]

    assert not (await log_in(email, PASSWORD, address)).errors

    for _ in range(5):
        assert error_codes(await log_in(email, "a wrong password", address)) == ["UNAUTHENTICATED"]
    assert error_codes(await log_in(email, "a wrong password", address)) == ["RATE_LIMITED"]


async def test_concurrent_guesses_cannot_slip_past_the_limit() -> None:
    email = new_email()
    await sign_up(email)
    address = new_address()

    results = await asyncio.gather(
        *(log_in(email, f"guess number {n}", address) for n in range(12))
    )

    codes = sorted(code for result in results for code in error_codes(result))
    assert codes == ["RATE_LIMITED"] * 7 + ["UNAUTHENTICATED"] * 5


async def test_spraying_many_accounts_from_one_address_throttles_it_for_strangers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(throttle, "LOGIN_FAILURES_PER_ADDRESS", SPRAY_OF_20)
    address = new_address()
    for _ in range(20):
        assert error_codes(await log_in(new_email(), PASSWORD, address)) == ["UNAUTHENTICATED"]
    email = new_email()
    await sign_up(email)

    assert error_codes(await log_in(email, PASSWORD, address)) == ["RATE_LIMITED"]
    assert not (await log_in(email, PASSWORD, new_address())).errors


async def test_people_who_log_in_from_a_shared_address_are_not_throttled_by_a_sprayer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(throttle, "LOGIN_FAILURES_PER_ADDRESS", SPRAY_OF_20)
    office = new_address()
    email = new_email()
    await sign_up(email)
    for _ in range(3):
        assert not (await log_in(email, PASSWORD, office)).errors
    for _ in range(25):
        await log_in(new_email(), PASSWORD, office)  # someone sprays from behind the same NAT

    assert not (await log_in(email, PASSWORD, office)).errors


async def test_sign_ups_from_one_address_are_throttled_after_ten_attempts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The suite raises the limit (HTTP tests all sign up from 127.0.0.1); this is the default.
    monkeypatch.setattr(
        throttle, "SIGN_UPS_PER_ADDRESS", Limit("sign-up-address", attempts=10, window_seconds=3600)
    )
    address = new_address()
    for _ in range(10):
        result = await run(
            SIGN_UP, {"email": new_email(), "password": "short"}, context=as_guest(address)
        )
        assert error_codes(result) == ["BAD_USER_INPUT"]

    refused = await run(
        SIGN_UP, {"email": new_email(), "password": PASSWORD}, context=as_guest(address)
    )

    assert error_codes(refused) == ["RATE_LIMITED"]
    assert 0 < retry_after(refused) <= 60 * 60
    await sign_up()  # from another address


async def test_a_throttled_login_does_not_reveal_whether_the_account_exists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(throttle, "LOGIN_FAILURES_PER_ADDRESS", SPRAY_OF_20)
    address = new_address()
    for _ in range(20):
        await log_in(new_email(), PASSWORD, address)

    known_email = new_email()
    await sign_up(known_email)
    answers = [
        await run(LOG_IN, {"email": email, "password": PASSWORD}, context=as_guest(address))
        for email in (known_email, new_email())
    ]

    assert [error_codes(answer) for answer in answers] == [["RATE_LIMITED"], ["RATE_LIMITED"]]
