"""PostgreSQL's pool pings a connection only after it sat idle: a dropped one is replaced unseen,
and a busy pool pays no round trips for it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

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
