"""Ingest benchmark: does bank ingest stay flat as the transactions table grows?

    python -m bench.ingest_scale --database sqlite --sizes 10000,100000,1000000
    python -m bench.ingest_scale --database postgresql --postgres-database wt_ingest_bench

Builds a fresh database of its own (a SQLite file under var/bench/, or the PostgreSQL database
--postgres-database on TALLY_BENCH_POSTGRES, default postgres@127.0.0.1:5432, dropped and
created again), migrated like any Tally database, with one user and one linked bank item.
Then, for each size in --sizes (ascending), the item's history is bulk-loaded up to that many
rows (dated over the five years up to today, as a long-linked bank's would be; with
--rows-per-month, over as many months as that density makes instead, so that the table grows
while each month holds as many rows), and measured
through the ledger's public api, each batch in its own unit of work as a sync page is:

- `lookup_ms_per_chunk`: finding 500 known rows by the bank's ids (the ingest's lookup of
  existing rows), with the query ingest uses and with the one it used before (IN list scoped
  by user: the planner took the user's date index);
- `ingest_rows_per_s`: 10,000 new transactions over 30 days, in batches of 500 (each
  measurement in a 30-day window of its own, going back from today, so that no month holds
  the new rows of several measurements: a batch sums its months again for the report totals,
  which costs the rows of those months);
- `noop_reingest_10k_s`: the same 10,000 again (nothing changes);
- `slowest_statements`: where a batch's time goes (SQL statements by total time, per batch).

The sizes are measured without planner statistics (no ANALYZE, and on PostgreSQL autovacuum
off for the table: the state right after a bulk load); then ANALYZE runs and the largest size
is measured again. Prints one JSON document (numbers and the lookup's plans); not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES_SERVER = os.environ.get(
    "TALLY_BENCH_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)
BATCH = 500
NEW_ROWS = 10_000
LOOKUP_CHUNKS = 20
MERCHANTS = ("Whole Foods Market", "Blue Bottle Coffee", "Shell Oil", "Uber Trip", "Target")


def _database_url(kind: str, postgres_database: str) -> str:
    if kind == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "ingest.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite+aiosqlite:///{path}"
    return f"{POSTGRES_SERVER}/{postgres_database}"


async def _recreate_postgres(database: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    server = POSTGRES_SERVER.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(f"{server}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()


class Bench:
    """One user's linked item, grown and measured."""

    def __init__(self, postgres: bool, rows_per_month: int | None) -> None:
        self.postgres = postgres
        self.rows_per_month = rows_per_month
        self.user_id = uuid.uuid4()
        self.item_ref = uuid.uuid4()
        self.accounts: list[uuid.UUID] = []
        self.loaded = 0  # bulk-loaded rows
        self.ingested = 0  # rows the measurements added
        self.measurements = 0
        self.today = dt.date.today()

    async def link(self) -> None:
        from services.ledger import api
        from shared.db import get_engine, unit_of_work

        async with unit_of_work() as work:
            await api.provision_user(work, self.user_id)
            ids = await api.upsert_bank_accounts(
                work,
                self.user_id,
                self.item_ref,
                [
                    api.BankAccount("checking", "Checking", "0000", "checking", "USD", None),
                    api.BankAccount("card", "Card", "3333", "credit", "USD", None),
                ],
            )
        self.accounts = [ids["checking"], ids["card"]]
        if self.postgres:
            async with get_engine().begin() as connection:
                await connection.exec_driver_sql(
                    "ALTER TABLE ledger_transactions SET (autovacuum_enabled = false)"
                )

    async def grow_to(self, size: int) -> float:
        """Bulk-load the item's history up to `size` rows; seconds taken."""
        from sqlalchemy import insert

        from services.ledger.models import Transaction
        from shared.db import unit_of_work

        began = time.perf_counter()
        rng = random.Random(size)
        now = dt.datetime.now(dt.UTC)
        days = 5 * 365 if self.rows_per_month is None else size * 30 // self.rows_per_month
        while self.loaded < size:
            count = min(10_000, size - self.loaded)
            rows = []
            for n in range(self.loaded, self.loaded + count):
                rows.append(
                    {
                        "id": uuid.uuid4(),
                        "user_id": self.user_id,
                        "account_id": self.accounts[n % 2],
                        "date": self.today - dt.timedelta(days=rng.randrange(days)),
                        "amount_minor": -rng.randint(100, 20_000),
                        "currency": "USD",
                        "description": f"{rng.choice(MERCHANTS)} #{rng.randint(100, 9999)}",
                        "pending": False,
                        "item_ref": self.item_ref,
                        "provider_transaction_id": f"bulk-{n:08d}",
                        "reviewed": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            async with unit_of_work() as work:
                await work.session.execute(insert(Transaction), rows)
            self.loaded += count
        return time.perf_counter() - began

    def _new_batches(self, label: str) -> list[Any]:
        from services.ledger import api

        rng = random.Random(label)
        window_end = self.today - dt.timedelta(days=31 * self.measurements)
        transactions = [
            api.BankTransaction(
                provider_transaction_id=f"new-{label}-{n:06d}",
                provider_account_id=("checking", "card")[n % 2],
                date=window_end - dt.timedelta(days=rng.randrange(30)),
                amount=Decimal(-rng.randint(100, 20_000)) / 100,
                currency="USD",
                description=f"{rng.choice(MERCHANTS)} #{rng.randint(100, 9999)}",
                merchant_name=None,
                pending=False,
                pending_transaction_id=None,
                category_hint="GENERAL_MERCHANDISE",
            )
            for n in range(NEW_ROWS)
        ]
        return [
            api.BankTransactionBatch(
                user_id=self.user_id,
                item_ref=self.item_ref,
                added=tuple(transactions[start : start + BATCH]),
            )
            for start in range(0, NEW_ROWS, BATCH)
        ]

    async def _ingest(self, batches: list[Any]) -> tuple[float, list[float], int]:
        from services.ledger import api
        from shared.db import unit_of_work

        each, added = [], 0
        began = time.perf_counter()
        for batch in batches:
            started = time.perf_counter()
            async with unit_of_work() as work:
                added += (await api.ingest_bank_transactions(work, batch)).added
            each.append(time.perf_counter() - started)
        return time.perf_counter() - began, each, added

    async def _timed_statements(self, batches: list[Any]) -> tuple[float, list[float], int, Any]:
        """`_ingest`, with the time of each SQL statement (by its first words)."""
        from sqlalchemy import event

        from shared.db import get_engine

        spent: dict[str, list[float]] = {}

        def before(_c: Any, _cur: Any, _s: str, _p: Any, context: Any, _m: bool) -> None:
            context.bench_started = time.perf_counter()

        def after(_c: Any, _cur: Any, statement: str, _p: Any, context: Any, _m: bool) -> None:
            key = " ".join(statement.split())[:90]
            spent.setdefault(key, []).append(time.perf_counter() - context.bench_started)

        engine = get_engine().sync_engine
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        try:
            result = await self._ingest(batches)
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
        slowest = sorted(spent.items(), key=lambda kv: -sum(kv[1]))[:4]
        per_batch = [
            {"sql": sql, "ms_per_batch": _ms(sum(times) / len(batches))} for sql, times in slowest
        ]
        return (*result, per_batch)

    async def _lookups(self, old_lookup: bool) -> dict[str, Any]:
        from sqlalchemy import select

        from services.ledger.bank_ingest import repository
        from services.ledger.models import Transaction
        from shared.db import read_session

        rng = random.Random(self.loaded)
        chunks = [
            [f"bulk-{rng.randrange(self.loaded):08d}" for _ in range(BATCH)]
            for _ in range(LOOKUP_CHUNKS)
        ]
        now, before = [], []
        async with read_session() as session:
            for chunk in chunks:
                started = time.perf_counter()
                found = await repository.bank_transactions(
                    session, self.user_id, self.item_ref, chunk
                )
                now.append(time.perf_counter() - started)
                assert len(found) == len(set(chunk))
                session.expunge_all()
                if not old_lookup:
                    continue
                started = time.perf_counter()
                old = await session.scalars(
                    select(Transaction).where(
                        Transaction.user_id == self.user_id,
                        Transaction.item_ref == self.item_ref,
                        Transaction.provider_transaction_id.in_(chunk),
                    )
                )
                assert len(old.all()) == len(set(chunk))
                before.append(time.perf_counter() - started)
                session.expunge_all()
        return {
            "now": _ms(statistics.median(now)),
            "before": _ms(statistics.median(before)) if before else None,
            "plan": await self._lookup_plan(chunks[0]),
        }

    async def _lookup_plan(self, chunk: list[str]) -> list[str]:
        from sqlalchemy import event

        from services.ledger.bank_ingest import repository
        from shared.db import get_engine, read_session

        seen: list[tuple[str, Any]] = []

        def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
            seen.append((statement, parameters))

        engine = get_engine().sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            async with read_session() as session:
                await repository.bank_transactions(session, self.user_id, self.item_ref, chunk)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        statement, parameters = seen[-1]
        async with get_engine().connect() as connection:
            explain = "EXPLAIN" if self.postgres else "EXPLAIN QUERY PLAN"
            rows = await connection.exec_driver_sql(f"{explain} {statement}", parameters)
            return [str(row[0] if self.postgres else row[-1])[:200] for row in rows]

    async def measure(self, label: str, old_lookup: bool = True) -> dict[str, Any]:
        table_rows = self.loaded + self.ingested
        lookups = await self._lookups(old_lookup)
        batches = self._new_batches(label)
        self.measurements += 1
        seconds, each, added, slowest = await self._timed_statements(batches)
        assert added == NEW_ROWS, added
        self.ingested += added
        again, _, added_again = await self._ingest(batches)
        assert added_again == 0, added_again
        return {
            "table_rows": table_rows,
            "lookup_ms_per_chunk_of_500": {"now": lookups["now"], "before": lookups["before"]},
            "ingest_rows_per_s": round(NEW_ROWS / seconds),
            "ingest_ms_per_batch_of_500": {
                "median": _ms(statistics.median(each)),
                "max": _ms(max(each)),
            },
            "noop_reingest_10k_s": round(again, 2),
            "slowest_statements": slowest,
            "lookup_plan": lookups["plan"],
        }

    async def analyze(self) -> None:
        from shared.db import get_engine

        async with get_engine().begin() as connection:
            await connection.exec_driver_sql("ANALYZE")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def main_async(arguments: argparse.Namespace) -> dict[str, Any]:
    from shared.config import get_settings
    from shared.db import dispose_engine
    from tally.migrations import upgrade

    postgres = arguments.database == "postgresql"
    if postgres:
        await _recreate_postgres(arguments.postgres_database)
    url = _database_url(arguments.database, arguments.postgres_database)
    os.environ["TALLY_DATABASE_URL"] = url
    get_settings.cache_clear()
    await asyncio.to_thread(upgrade, url)
    bench = Bench(postgres, arguments.rows_per_month)
    await bench.link()
    sizes = sorted(int(size) for size in arguments.sizes.split(","))
    results = []
    for size in sizes:
        load_seconds = await bench.grow_to(size)
        print(f"  {size} rows loaded in {load_seconds:.0f} s; measuring", file=sys.stderr)
        result = {"size": size, "load_seconds": round(load_seconds, 1)}
        result |= await bench.measure(str(size), not arguments.skip_old_lookup)
        results.append(result)
    await bench.analyze()
    with_statistics = {"size": sizes[-1]} | await bench.measure(
        "analyzed", not arguments.skip_old_lookup
    )
    await dispose_engine()
    return {
        "database": arguments.database,
        "history": (
            "five years"
            if arguments.rows_per_month is None
            else f"{arguments.rows_per_month} rows a month"
        ),
        "batch": BATCH,
        "new_rows_per_size": NEW_ROWS,
        "without_statistics": results,
        "with_statistics_at_largest": with_statistics,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--postgres-database", default="tally_bench_ingest")
    parser.add_argument("--rows-per-month", type=int, default=None)
    parser.add_argument(
        "--skip-old-lookup",
        action="store_true",
        help="do not time the lookup ingest used before (without statistics on PostgreSQL at "
        "1M rows it takes seconds to a minute a chunk, which only earlier runs needed)",
    )
    parser.add_argument("--output", type=Path, default=None, help="also write the JSON here")
    arguments = parser.parse_args()
    os.environ.setdefault("TALLY_ENV", "development")
    os.environ.setdefault("TALLY_VAR_DIR", tempfile.mkdtemp(prefix="tally-bench-ingest-"))
    os.environ.pop("TALLY_REDIS_URL", None)
    from shared.logging import configure_logging

    # ERROR: the ledger's announcements have no listener here (they warn of it).
    configure_logging("ERROR")
    report = asyncio.run(main_async(arguments))
    text = json.dumps(report, indent=2)
    if arguments.output is not None:
        arguments.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
