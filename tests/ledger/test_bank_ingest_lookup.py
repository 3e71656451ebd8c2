"""Bank ingest finds the rows it already holds through the item's unique key, so a batch costs
the ids it carries, never the user's whole history (the plan, not a timing: bench/ingest_scale.py
measures the speed)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from services.ledger import api
from services.ledger.bank_ingest import repository
from shared.db import get_engine, read_session
from tests.ledger.support import bank_transaction, ingest, link_item, new_user

USER_DATE_INDEX = "ix_ledger_transactions_user_id_date_id"


async def _lookups_of(user: Any, item: Any, batch: tuple[api.BankTransaction, ...]) -> list[Any]:
    """Ingest the batch again; the statements (with parameters) that looked its rows up."""
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if "provider_transaction_id" in statement and statement.lstrip().startswith("SELECT"):
            seen.append((statement, parameters))

    engine = get_engine().sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        result = await ingest(user, item, added=batch)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert result == api.IngestResult(added=0, updated=0, removed=0)
    return [
        (statement, parameters)
        for statement, parameters in seen
        if "FROM ledger_transactions" in statement
    ]


async def _plan(statement: str, parameters: Any) -> str:
    async with read_session() as session:
        connection = await session.connection()
        if connection.dialect.name == "postgresql":
            rows = await connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
            return "\n".join(str(row[0]) for row in rows)
        rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(str(row[-1]) for row in rows)


async def test_the_lookup_of_known_bank_rows_uses_the_items_unique_key() -> None:
    user = await new_user()
    item = await link_item(user)
    batch = tuple(bank_transaction(f"t{n}", f"-{n}.00") for n in range(1, 41))
    await ingest(user, item, added=batch)

    lookups = await _lookups_of(user, item, batch)

    assert len(lookups) == 1  # one chunk: the 40 ids (and no pending ids) in one statement
    plan = await _plan(*lookups[0])
    assert USER_DATE_INDEX not in plan, plan
    async with read_session() as session:
        dialect = (await session.connection()).dialect.name
    if dialect == "postgresql":
        assert "uq_ledger_transactions_item_ref_provider_transaction_id" in plan, plan
        assert "provider_transaction_id)::text = " in plan, plan  # a key probe, not a filter
    else:
        searches = [line for line in plan.splitlines() if "ledger_transactions" in line]
        assert searches == [
            line
            for line in searches
            if line.startswith("SEARCH") and "(item_ref=? AND provider_transaction_id=?)" in line
        ], plan


async def test_the_lookup_never_finds_another_users_rows() -> None:
    owner, stranger = await new_user(), await new_user()
    item = await link_item(owner)
    await ingest(owner, item, added=(bank_transaction("t1", "-1.00"),))

    async with read_session() as session:
        assert await repository.bank_transactions(session, stranger, item, ["t1"]) == []
        found = await repository.bank_transactions(session, owner, item, ["t1", "t2", "t1"])
    assert [row.provider_transaction_id for row in found] == ["t1"]


async def test_no_statement_of_an_ingest_walks_the_users_history() -> None:
    # SQLite's plans without ANALYZE depend on the schema alone, not on how many rows there
    # are: what a small table shows here is what a million-row one gets. (PostgreSQL's
    # planner rightly scans a table this small: the benchmark reads its plans at scale.)
    async with read_session() as session:
        if (await session.connection()).dialect.name != "sqlite":
            pytest.skip("plans of a tiny table say nothing on PostgreSQL")
    user = await new_user()
    item = await link_item(user)
    batch = tuple(bank_transaction(f"t{n}", f"-{n}.00") for n in range(1, 21))
    await ingest(user, item, added=batch)
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "ledger_transactions" in statement:
            seen.append((statement, parameters))

    engine = get_engine().sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        more = tuple(bank_transaction(f"u{n}", f"-{n}.50") for n in range(1, 21))
        await ingest(user, item, added=more, modified=batch[:5])
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert seen
    for statement, parameters in seen:
        plan = await _plan(statement, parameters)
        for line in plan.splitlines():
            words = line.split()
            if len(words) < 2 or words[1] != "ledger_transactions":
                continue  # another table's step (splits, totals...)
            assert line.startswith("SEARCH"), (statement, plan)
            assert "(transfer_counterpart_id=?)" not in line, (statement, plan)
            assert "(user_id=?)" not in line, (statement, plan)  # a range of dates, or a key
