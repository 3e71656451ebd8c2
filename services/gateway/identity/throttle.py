"""Attempt counters that slow down password guessing and mass sign-ups, without letting a
guesser lock the owner out (OWASP's authentication guidance: throttle the guesser, not the
account).

Log-in failures are counted three ways:
- per account and address: five tries from one place, then a pause for that place only;
- per account, from addresses the account has never logged in from: a cap on guessing one
  account from many addresses (a botnet), which the owner's known addresses are exempt from;
- per address, on accounts it has never logged in to: a cap on spraying many accounts from one
  address, which again spares the people who do log in from it (an office, a carrier's NAT).
An address becomes known to an account when the right password is given from it.

Fixed windows: a counter starts at its first hit and expires `window_seconds` later. Each
attempt takes its hits BEFORE the password is checked, atomically, so that many concurrent
guesses cannot all slip under the limit; a successful log-in then gives its hits back.

Counters live in Redis when there is one, so that every gateway pod sees the same counts
(through one client per event loop, closed when its loop shuts down);
without Redis, in this process's memory, or, when several processes serve (`tally serve
--workers N`), in the database (`count_in_database`), so that a guesser gains nothing by
reaching another process. Keys carry a hash of the subject (an email, an address), never the
subject itself.

The per-user cost budget (cost.py) is charged on every request: it is counted in Redis or in
this process's memory, never in the database (a write per read request): without Redis, each
process keeps its own budget for a user.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import math
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis
from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from services.gateway.models import ThrottleWindow
from shared.clock import UTCDateTime, utcnow
from shared.config import get_settings
from shared.db import read_session, unit_of_work
from shared.errors import RateLimited

KEY_PREFIX = "tally:throttle:"


@dataclass(frozen=True)
class Limit:
    scope: str
    attempts: int
    window_seconds: int

    def key(self, subject: str) -> str:
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        return f"{KEY_PREFIX}{self.scope}:{digest}"


# A person who forgot their password gets five tries, then a pause; a guesser gets no more.
LOGIN_FAILURES_PER_PAIR = Limit("login-pair", attempts=5, window_seconds=15 * 60)
# One account guessed from many addresses it never logged in from (~720 guesses a day at most:
# hopeless against a password that passed the blocklist).
LOGIN_FAILURES_PER_ACCOUNT = Limit("login-account", attempts=30, window_seconds=60 * 60)
# Spraying one password over many accounts from one address.
LOGIN_FAILURES_PER_ADDRESS = Limit("login-address", attempts=100, window_seconds=15 * 60)
# An address the account logged in from (the right password was given there).
KNOWN_ADDRESS = Limit("login-known", attempts=0, window_seconds=90 * 24 * 60 * 60)
# Every sign-up attempt counts, so that CONFLICT cannot be used to list registered emails.
SIGN_UPS_PER_ADDRESS = Limit(
    "sign-up-address",
    attempts=get_settings().sign_ups_per_address_per_hour,
    window_seconds=60 * 60,
)


@dataclass(frozen=True)
class Hit:
    count: int  # hits in the current window, this one included
    resets_in_seconds: int


class Counters(Protocol):
    async def hit(self, key: str, window_seconds: int, amount: int = 1) -> Hit: ...

    async def peek(self, key: str) -> int:
        """The count of a live window (0 when there is none), without a hit."""

    async def give_back(self, key: str) -> None:
        """Undo one hit, if the window still exists."""

    async def clear(self, key: str) -> None: ...


class MemoryCounters:
    """Counters of one process, safe to share between threads and event loops."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (count, expires at)
        self._next_sweep = 0.0

    async def hit(self, key: str, window_seconds: int, amount: int = 1) -> Hit:
        with self._lock:
            now = self._clock()
            self._sweep(now)
            count, expires_at = self._windows.get(key, (0, now + window_seconds))
            if expires_at <= now:
                count, expires_at = 0, now + window_seconds
            self._windows[key] = (count + amount, expires_at)
            return Hit(count + amount, max(1, math.ceil(expires_at - now)))

    async def peek(self, key: str) -> int:
        with self._lock:
            count, expires_at = self._windows.get(key, (0, 0.0))
            return count if expires_at > self._clock() else 0

    async def give_back(self, key: str) -> None:
        with self._lock:
            found = self._windows.get(key)
            if found is not None and found[0] > 0 and found[1] > self._clock():
                self._windows[key] = (found[0] - 1, found[1])

    async def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)

    def _sweep(self, now: float) -> None:
        # Expired windows are dropped once a minute, so memory stays bounded by the traffic
        # of the longest window.
        if now < self._next_sweep:
            return
        self._windows = {key: window for key, window in self._windows.items() if window[1] > now}
        self._next_sweep = now + 60


# Decrement only a live counter: a DECR on an expired key would recreate it without expiry.
_GIVE_BACK = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0
"""


@dataclass
class _LoopClients:
    """One event loop's Redis clients (by URL), and what closes them when the loop shuts down."""

    by_url: dict[str, aioredis.Redis]
    closer: AsyncIterator[None]


# redis.asyncio connections belong to the loop that opened them, and the cost budget is charged
# on every request: a connection per call cost a connect and a close per request. So each loop
# has its clients (weakly held, like the database engines), closed as the loop shuts down.
_redis_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClients] = (
    weakref.WeakKeyDictionary()
)
_redis_clients_lock = threading.Lock()


async def _close_at_shutdown(by_url: dict[str, aioredis.Redis]) -> AsyncIterator[None]:
    """An async generator the loop tracks once started: `shutdown_asyncgens`, which every way
    of ending a loop runs (asyncio.run, asyncio.Runner, and so uvicorn and pytest-asyncio),
    closes it, and so the clients, while the loop still runs, whoever started the loop."""
    try:
        yield
    finally:
        await _close(by_url)


async def _close(by_url: dict[str, aioredis.Redis]) -> None:
    clients = list(by_url.values())
    by_url.clear()
    for client in clients:
        await client.aclose()


def redis_client(url: str) -> aioredis.Redis:
    """The calling event loop's client of the Redis at `url`, made at its first call."""
    loop = asyncio.get_running_loop()
    with _redis_clients_lock:
        clients = _redis_clients.get(loop)
        if clients is None:
            by_url: dict[str, aioredis.Redis] = {}
            clients = _redis_clients[loop] = _LoopClients(by_url, _close_at_shutdown(by_url))
            # Run it to its `yield` here: its first step makes the loop track it (weakly: the
            # entry above keeps it alive as long as the loop).
            with contextlib.suppress(StopIteration):
                clients.closer.__anext__().send(None)  # type: ignore[attr-defined]
        client = clients.by_url.get(url)
        if client is None:
            client = clients.by_url[url] = aioredis.Redis.from_url(url)
        return client


async def close_redis_clients() -> None:
    """Close the current loop's Redis clients now (at the app's shutdown); the next call
    makes new ones."""
    with _redis_clients_lock:
        clients = _redis_clients.get(asyncio.get_running_loop())
    if clients is not None:
        await _close(clients.by_url)


class RedisCounters:
    """Counters shared by every gateway pod, through the calling loop's client (its pool keeps
    connections open between calls)."""

    def __init__(self, url: str) -> None:
        self._url = url

    async def hit(self, key: str, window_seconds: int, amount: int = 1) -> Hit:
        async with redis_client(self._url).pipeline(transaction=True) as pipe:
            # The window starts (with its expiry) at the first hit, in the same MULTI as the
            # increment, so no counter is ever left without an expiry.
            pipe.set(key, 0, ex=window_seconds, nx=True)
            pipe.incrby(key, amount)
            pipe.ttl(key)
            _, count, ttl = await pipe.execute()
        return Hit(int(count), max(1, int(ttl)))

    async def peek(self, key: str) -> int:
        value = await redis_client(self._url).get(key)
        return int(value or 0)

    async def give_back(self, key: str) -> None:
        await redis_client(self._url).eval(_GIVE_BACK, 1, key)

    async def clear(self, key: str) -> None:
        await redis_client(self._url).delete(key)


class DatabaseCounters:
    """Counters shared by the processes of one database (a row a window), for processes that
    have no Redis and share no memory. Each hit is one short write: fine for log-ins and
    sign-ups, which pay for an argon2 hash anyway."""

    def __init__(self, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self._clock = clock
        self._next_sweep = 0.0

    async def hit(self, key: str, window_seconds: int, amount: int = 1) -> Hit:
        now = self._clock()
        fresh = {
            "key": key,
            "count": amount,
            "expires_at": now + dt.timedelta(seconds=window_seconds),
        }
        async with unit_of_work() as work:
            dialect = work.session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            live = ThrottleWindow.expires_at > now
            upsert = (
                insert(ThrottleWindow)
                .values(fresh)
                .on_conflict_do_update(
                    index_elements=[ThrottleWindow.key],
                    # A window still open counts on; an expired one starts afresh with this hit.
                    set_={
                        "count": case((live, ThrottleWindow.count + amount), else_=amount),
                        "expires_at": case(
                            (live, ThrottleWindow.expires_at),
                            else_=literal(fresh["expires_at"], UTCDateTime()),
                        ),
                    },
                )
                .returning(ThrottleWindow.count, ThrottleWindow.expires_at)
            )
            count, expires_at = (await work.session.execute(upsert)).one()
            await self._sweep(work.session, now)
        return Hit(int(count), max(1, math.ceil((expires_at - now).total_seconds())))

    async def peek(self, key: str) -> int:
        async with read_session() as session:
            count = await session.scalar(
                select(ThrottleWindow.count).where(
                    ThrottleWindow.key == key, ThrottleWindow.expires_at > self._clock()
                )
            )
        return int(count or 0)

    async def give_back(self, key: str) -> None:
        async with unit_of_work() as work:
            await work.session.execute(
                update(ThrottleWindow)
                .where(
                    ThrottleWindow.key == key,
                    ThrottleWindow.count > 0,
                    ThrottleWindow.expires_at > self._clock(),
                )
                .values(count=ThrottleWindow.count - 1)
            )

    async def clear(self, key: str) -> None:
        async with unit_of_work() as work:
            await work.session.execute(delete(ThrottleWindow).where(ThrottleWindow.key == key))

    async def _sweep(self, session: AsyncSession, now: dt.datetime) -> None:
        # Expired windows go once a minute (per process), so the table stays the size of the
        # live windows.
        if time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + 60
        await session.execute(delete(ThrottleWindow).where(ThrottleWindow.expires_at <= now))


class _Store:
    """Where this process counts attempts (see the module's docstring)."""

    memory = MemoryCounters()
    database: DatabaseCounters | None = None


def count_in_database() -> None:
    """From now on, without Redis, this process counts log-in and sign-up attempts in the
    database: it is one of several processes serving (`tally serve --workers N`)."""
    _Store.database = DatabaseCounters()


def counters() -> Counters:
    """Where attempts at guessing and signing up are counted: shared by every process."""
    url = get_settings().redis_url
    if url:
        return RedisCounters(url)
    return _Store.database or _Store.memory


def budget_counters() -> Counters:
    """Where the per-user cost budget is counted: Redis, or this process's memory."""
    url = get_settings().redis_url
    return RedisCounters(url) if url else _Store.memory


async def take(*attempts: tuple[Limit, str], store: Counters | None = None) -> None:
    """Count one attempt against each (limit, subject); RATE_LIMITED if any is over its limit.

    The attempt is counted even when refused, so hammering past the limit gains nothing.
    """
    store = store or counters()
    wait = 0
    for limit, subject in attempts:
        hit = await store.hit(limit.key(subject), limit.window_seconds)
        if hit.count > limit.attempts:
            wait = max(wait, hit.resets_in_seconds)
    if wait:
        raise RateLimited(retry_after_seconds=wait)


def _pair(email: str, client_address: str) -> str:
    return f"{email}\n{client_address}"


async def spend(limit: Limit, subject: str, amount: int) -> None:
    """Spend `amount` of the subject's budget in the window; RATE_LIMITED once it is spent."""
    store = budget_counters()
    hit = await store.hit(limit.key(subject), limit.window_seconds, amount)
    if hit.count > limit.attempts:
        raise RateLimited(retry_after_seconds=hit.resets_in_seconds)


async def login_attempt(email: str, client_address: str) -> None:
    """Count a log-in attempt before its password is checked; RATE_LIMITED past a limit."""
    store = counters()
    pair = _pair(email, client_address)
    attempts = [(LOGIN_FAILURES_PER_PAIR, pair)]
    if not await store.peek(KNOWN_ADDRESS.key(pair)):
        attempts += [
            (LOGIN_FAILURES_PER_ACCOUNT, email),
            (LOGIN_FAILURES_PER_ADDRESS, client_address),
        ]
    await take(*attempts, store=store)


async def login_succeeded(email: str, client_address: str) -> None:
    """A right password: this place starts afresh, its attempt is given back, and the address
    is known to the account from now on."""
    store = counters()
    pair = _pair(email, client_address)
    await store.clear(LOGIN_FAILURES_PER_PAIR.key(pair))
    if not await store.peek(KNOWN_ADDRESS.key(pair)):
        await store.give_back(LOGIN_FAILURES_PER_ACCOUNT.key(email))
        await store.give_back(LOGIN_FAILURES_PER_ADDRESS.key(client_address))
        await store.hit(KNOWN_ADDRESS.key(pair), KNOWN_ADDRESS.window_seconds)


async def sign_up_attempt(client_address: str) -> None:
    await take((SIGN_UPS_PER_ADDRESS, client_address))
