"""The text search index as the database holds it (services/ledger/transactions/search.py):
whether it is all there, and, on SQLite, whether it is equal to the tables it indexes."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.transactions import search
from shared.db import get_engine, unit_of_work

# The triggers that keep the SQLite index equal to its tables, one per kind of write.
SQLITE_TRIGGERS = frozenset(
    f"{index}_{event}"
    for index in (search.TRANSACTION_TEXTS, search.PAYEE_NAMES)
    for event in ("insert", "delete", "update")
)


def is_sqlite() -> bool:
    return get_engine().dialect.name == "sqlite"


async def index_objects(connection: AsyncConnection) -> dict[str, frozenset[str]]:
    """What of the index the database holds: on SQLite its tables and triggers, on
    PostgreSQL its indexes (with their definitions)."""
    if connection.dialect.name == "sqlite":
        rows = (await connection.execute(text("SELECT type, name FROM sqlite_master"))).all()
        tables = frozenset(name for kind, name in rows if kind == "table")
        triggers = frozenset(name for kind, name in rows if kind == "trigger")
        return {
            "tables": tables & search.sqlite_index_tables(),
            "triggers": triggers & SQLITE_TRIGGERS,
        }
    rows = (await connection.execute(text("SELECT indexname, indexdef FROM pg_indexes"))).all()
    return {
        "indexes": frozenset(
            name
            for name, definition in rows
            if name in search.POSTGRES_INDEXES and "gin_trgm_ops" in definition
        )
    }


def complete_index() -> dict[str, frozenset[str]]:
    """`index_objects` of a database the index is all in, for this run's dialect."""
    if get_engine().dialect.name == "sqlite":
        return {"tables": search.sqlite_index_tables(), "triggers": SQLITE_TRIGGERS}
    return {"indexes": search.POSTGRES_INDEXES}


async def assert_index_equals_its_tables() -> None:
    """On SQLite, FTS5's integrity check, comparing each index with the rows of its table
    (rank 1: with the external content): it fails on any row the index missed, kept after
    its deletion, or holds with an old text. PostgreSQL's indexes are the tables' own."""
    if not is_sqlite():
        return
    async with unit_of_work() as work:
        for fts in (search.TRANSACTION_TEXTS, search.PAYEE_NAMES):
            await work.session.execute(
                text(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
            )
