"""PostgreSQL's pool pings a connection only after it sat idle: a dropped one is replaced unseen,
and a busy pool pays no round trips for it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Integer, text

from shared import db
from shared.config import get_settings

pytestmark = pytest.mark.skipif(
    not get_settings().database_url.startswith("postgresql"), reason="PostgreSQL's pool"
)


async def test_an_idle_connection_the_server_dropped_is_replaced_unseen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    engine = db.build_engine(get_settings().database_url)
    try:
        async with engine.connect() as connection:
            dropped = await connection.scalar(text("SELECT pg_backend_pid()"))
        # What a server restart, or a proxy closing idle connections, does to the pooled one
        # (from a connection of another pool).
        async with db.read_session() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})

        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT pg_backend_pid()")) != dropped
    finally:
        await engine.dispose()


async def test_a_connection_used_again_at_once_is_not_pinged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = db.build_engine(get_settings().database_url)
    pings: list[object] = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(
        engine.dialect, "do_ping", lambda connection: pings.append(ping(connection))
    )
    try:
        for _ in range(3):
            async with engine.connect() as connection:
                await connection.scalar(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert pings == []


async def test_a_row_query_on_a_dropped_connection_fails_once_then_reads_again() -> None:
    """RowQuery runs through asyncpg itself in read sessions: a connection the server dropped
    is taken out of the pool, as SQLAlchemy does for its own statements (a pool of one here,
    so the next read would get the dead connection back otherwise)."""
    from sqlalchemy import bindparam, literal_column, select
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    query = db.RowQuery(select(literal_column("pg_backend_pid()"), bindparam("n", type_=Integer)))
    engine = create_async_engine(
        get_settings().database_url, pool_size=1, max_overflow=0, isolation_level="AUTOCOMMIT"
    )
    try:
        dropped = None
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver says of it
            async with AsyncSession(engine) as session:
                [(dropped, _)] = await query.all(session, n=1)
                async with db.read_session() as other:
                    terminate = text("SELECT pg_terminate_backend(:pid)")
                    await other.execute(terminate, {"pid": dropped})
                await asyncio.sleep(0.1)
                await query.all(session, n=2)
        assert dropped is not None
        async with AsyncSession(engine) as session:
            [(backend, n)] = await query.all(session, n=3)
        assert (backend != dropped, n) == (True, 3)
    finally:
        await engine.dispose()


async def test_a_row_query_refuses_a_statement_with_a_list() -> None:
    from sqlalchemy import bindparam, literal_column, select

    query = db.RowQuery(
        select(literal_column("1")).where(literal_column("1").in_(bindparam("ids", expanding=True)))
    )
    async with db.read_session() as session:
        with pytest.raises(TypeError, match="no lists"):
            await query.all(session, ids=[1])
