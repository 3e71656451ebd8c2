"""Async engines and units of work.

An asyncpg/aiosqlite connection belongs to the event loop that opened it, and Tally runs
several loops in one process (the web server's, Dramatiq's worker loop, a test's). So there
is one engine per running loop, created on first use.

A unit of work is one database transaction. Messages sent during it are rows of the same
transaction (shared.outbox): they exist exactly when the change they announce does, and are
handed to the broker after commit, so no worker can see state that never existed.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import Executable, MetaData, event, inspect, text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from shared.config import get_settings
from shared.logging import get_logger

_log = get_logger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata() -> MetaData:
    """Each service owns a MetaData of its own tables, with one constraint naming scheme."""
    return MetaData(naming_convention=NAMING_CONVENTION)


SQLITE_BUSY_TIMEOUT_MS = 15_000
PING_AFTER_IDLE_SECONDS = 10.0

_engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncEngine] = (
    weakref.WeakKeyDictionary()
)
_engines_lock = threading.Lock()
_statement_listeners: list[Callable[[str], None]] = []


def build_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine.sync_engine)
    else:
        settings = get_settings()
        engine = create_async_engine(
            url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
        )
        _ping_when_idle(engine.sync_engine)
    event.listen(engine.sync_engine, "before_cursor_execute", _notify_statement)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it sat idle for PING_AFTER_IDLE_SECONDS (a
    proxy or the network may have dropped it, the server restarted): one that failed is
    replaced, unseen by the caller. Pinging at every checkout (`pool_pre_ping`) cost three
    round trips (BEGIN, the ping, ROLLBACK) on top of the three of a one-statement read. A
    connection dropped sooner fails its statement once, and SQLAlchemy then replaces the
    whole pool."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["tally_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        idle_since = record.info.get("tally_idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out another (a fresh one if need be).
            raise DisconnectionError() from error


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take transaction control from the driver so every unit of work can BEGIN IMMEDIATE:
        # a deferred transaction that later writes fails at once with "database is locked"
        # when another writer holds the lock, whatever the busy timeout.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get("tally_read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _notify_statement(
    _conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    for listener in _statement_listeners:
        listener(statement)


@asynccontextmanager
async def count_statements() -> AsyncIterator[list[str]]:
    """Collect the SQL statements this thread runs while the block runs (tests count them to
    catch N+1). Other threads (job workers, a test server) run their own statements meanwhile.
    """
    statements: list[str] = []
    thread = threading.get_ident()

    def collect(statement: str) -> None:
        if threading.get_ident() == thread:
            statements.append(statement)

    _statement_listeners.append(collect)
    try:
        yield statements
    finally:
        _statement_listeners.remove(collect)


def get_engine() -> AsyncEngine:
    loop = asyncio.get_running_loop()
    with _engines_lock:
        engine = _engines.get(loop)
        if engine is None:
            engine = build_engine(get_settings().database_url)
            _engines[loop] = engine
        return engine


async def dispose_engine() -> None:
    """Close the current loop's pool (at shutdown, before the loop closes)."""
    loop = asyncio.get_running_loop()
    with _engines_lock:
        engine = _engines.pop(loop, None)
    if engine is not None:
        await engine.dispose()


# Each engine's session factories (writes, reads, reads in one transaction), made once:
# `execution_options` copies the engine and its event listeners, which cost more than the read
# it served (0.7 ms of a 1-statement query).
_factories: weakref.WeakKeyDictionary[AsyncEngine, tuple[async_sessionmaker[AsyncSession], ...]] = (
    weakref.WeakKeyDictionary()
)
_WRITE, _READ, _READ_IN_TRANSACTION = range(3)


def _sessionmaker(kind: int = _WRITE) -> async_sessionmaker[AsyncSession]:
    engine = get_engine()
    factories = _factories.get(engine)
    if factories is None:
        factories = (
            _factory(engine),
            _factory(_read_only(engine, in_transaction=False)),
            _factory(_read_only(engine, in_transaction=True)),
        )
        with _engines_lock:
            _factories[engine] = factories
    return factories[kind]


def _read_only(engine: AsyncEngine, *, in_transaction: bool) -> AsyncEngine:
    if in_transaction or engine.dialect.name != "postgresql":
        return engine.execution_options(tally_read_only=True)
    # On PostgreSQL a read's statements run in autocommit: BEGIN and ROLLBACK were two round
    # trips of the three a one-statement read cost, and at READ COMMITTED each statement sees
    # its own snapshot inside a transaction too, so nothing a read sees changes.
    return engine.execution_options(tally_read_only=True, isolation_level="AUTOCOMMIT")


def _factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@dataclass
class UnitOfWork:
    session: AsyncSession
    # What helpers keep for the length of the transaction (e.g. the outbox's messages).
    state: dict[str, Any] = field(default_factory=dict)
    _after_commit: list[Callable[[], Any]] = field(default_factory=list)
    _before_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    def after_commit(self, callback: Callable[[], Any]) -> None:
        """Run a callback (plain, or returning a coroutine to await) once the transaction has
        committed; dropped on rollback. A callback's failure is logged, never raised: the
        write has committed and must not be reported as failed."""
        self._after_commit.append(callback)

    def before_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Await a callback inside the transaction, after the work's own writes and just before
        the commit (e.g. to bring derived rows up to date once for everything the work
        changed). Its failure rolls the whole transaction back."""
        self._before_commit.append(callback)


@asynccontextmanager
async def unit_of_work() -> AsyncIterator[UnitOfWork]:
    """One transaction: commit on success, roll back on error, then run after-commit callbacks."""
    async with _sessionmaker()() as session:
        work = UnitOfWork(session)
        async with session.begin():
            yield work
            for step in work._before_commit:
                await step()
        for callback in work._after_commit:
            try:
                result = callback()
                if asyncio.iscoroutine(result):
                    await result
            except Exception:  # noqa: BLE001 - the write has committed: log, never raise
                _log.warning("after_commit_failed", exc_info=True)


@asynccontextmanager
async def read_session(*, in_transaction: bool = False) -> AsyncIterator[AsyncSession]:
    """A session for reads only, never committed. On PostgreSQL its statements run one by one
    (autocommit) unless `in_transaction`, which streaming rows from a server-side cursor
    (`connection.stream`) needs; on SQLite they always share a (deferred) transaction."""
    kind = _READ_IN_TRANSACTION if in_transaction else _READ
    async with _sessionmaker(kind)() as session, session.begin():
        yield session


class RowQuery:
    """A fixed statement whose values are bound by name (`bindparam`), for the hot reads of
    hundreds of narrow rows (a report's monthly cells): `all` returns its rows as tuples.

    Where the session reads in autocommit on PostgreSQL (a read session), the statement is
    compiled once and run by asyncpg itself, whose rows are returned as they are: SQLAlchemy's
    result machinery cost more than the database for such reads (about 2 us a row). Elsewhere
    (SQLite; inside a unit of work, whose transaction SQLAlchemy's adapter begins) it runs
    through SQLAlchemy. Either way the engine's `before_cursor_execute` listeners see it, so
    statement counts and recorders see every statement."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        # Per dialect: the SQL, its parameters' names in order, and the values fixed in it.
        self._compiled: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {}

    async def all(self, session: AsyncSession, **values: Any) -> Sequence[Sequence[Any]]:
        connection = await session.connection()
        if connection.dialect.driver == "asyncpg":
            raw = await connection.get_raw_connection()
            if getattr(raw.dbapi_connection, "autocommit", False):
                sql, names, fixed = self._compile(connection.dialect)
                given = fixed | values
                arguments = tuple(given[name] for name in names)
                sync, driver = connection.sync_connection, raw.driver_connection
                assert sync is not None and driver is not None
                for listener in sync.dispatch.before_cursor_execute:
                    listener(sync, None, sql, arguments, None, False)
                try:
                    rows: Sequence[Sequence[Any]] = await driver.fetch(sql, *arguments)
                except (OSError, asyncpg.exceptions.InterfaceError,
                        asyncpg.exceptions.PostgresConnectionError):  # fmt: skip
                    # The connection is gone (a server restart, a proxy): the pool must not
                    # hand it out again, as SQLAlchemy does for its own statements.
                    await connection.invalidate()
                    raise
                return rows
        return (await connection.execute(self.statement, values)).all()

    def _compile(self, dialect: Dialect) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            statement = self.statement.compile(dialect=dialect)  # type: ignore[attr-defined]
            if statement.post_compile_params:
                raise TypeError("a RowQuery's statement takes no lists (IN): its SQL is fixed")
            fixed = {
                name: bind.effective_value
                for name, bind in statement.binds.items()
                if not bind.required
            }
            compiled = (statement.string, tuple(statement.positiontup or ()), fixed)
            self._compiled[dialect.name] = compiled
        return compiled


async def applied_revisions() -> frozenset[str]:
    """The Alembic revisions the database records: none on a database never migrated."""
    async with read_session() as session:
        connection = await session.connection()
        migrated = await connection.run_sync(
            lambda sync: inspect(sync).has_table("alembic_version")
        )
        if not migrated:
            return frozenset()
        rows = await session.execute(text("SELECT version_num FROM alembic_version"))
        return frozenset(rows.scalars())
