"""Alembic runs here: online, over the async engine."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from services.gateway.models import metadata as gateway_metadata
from services.ledger.models import metadata as ledger_metadata
from services.notifier.models import metadata as notifier_metadata
from services.sync.models import metadata as sync_metadata
from shared.outbox import metadata as outbox_metadata

target_metadata = [
    gateway_metadata,
    ledger_metadata,
    sync_metadata,
    notifier_metadata,
    outbox_metadata,
]


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


def run() -> None:
    existing = context.config.attributes.get("connection")
    if existing is not None:
        _run(existing)
        return
    asyncio.run(_run_async())


run()
