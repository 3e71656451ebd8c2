"""The migrations build exactly the tables the models describe, on this run's database."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from services.gateway.models import metadata as gateway_metadata
from services.ledger.models import metadata as ledger_metadata
from services.notifier.models import metadata as notifier_metadata
from services.sync.models import metadata as sync_metadata
from shared.db import get_engine
from shared.outbox import metadata as outbox_metadata

METADATA = [gateway_metadata, ledger_metadata, sync_metadata, notifier_metadata, outbox_metadata]


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [
        diff
        for diff in compare_metadata(context, METADATA)
        if not (diff[0] == "remove_table" and diff[1].name == "alembic_version")
    ]


async def test_migrated_schema_matches_the_models() -> None:
    async with get_engine().connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


def test_each_service_owns_distinct_tables() -> None:
    owners: dict[str, str] = {}
    for service, metadata in zip(
        ("gateway", "ledger", "sync", "notifier", "outbox"), METADATA, strict=True
    ):
        for table in metadata.tables:
            assert table not in owners, f"{table} is claimed by {owners[table]} and {service}"
            owners[table] = service
            assert table.startswith(service), f"{table} should be prefixed with {service}"
