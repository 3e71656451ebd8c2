"""Unlink benchmark: the ledger's unit of work when a bank is unlinked, keeping or deleting its
history, for an item of `--transactions` transactions over two years.

    python -m bench.unlink_bank [--transactions 10000 50000]
    python -m bench.unlink_bank --database postgresql+asyncpg://postgres@127.0.0.1:5432/<empty db>

A fresh SQLite file (or the given, empty, database), migrated. For each size, one user with two
items of that size, ingested through the bank-ingest path, with their report totals built;
then one unit of work keeps the first item's accounts as manual ones, another deletes the
second's with every transaction (the report totals summed again for each month it touched, as
the commit does). That unit of work is what holds the database's write lock (SQLite's only
one) while a user unlinks. Prints JSON (milliseconds, statements); the tests never run it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import tempfile
import time
import uuid
from decimal import Decimal
from typing import Any

BATCH = 5_000


def _transactions(item: str, count: int) -> list[Any]:
    from services.ledger import api

    randomness = random.Random(item)
    start = dt.date(2025, 1, 1)
    return [
        api.BankTransaction(
            provider_transaction_id=f"{item}-{index}",
            provider_account_id=f"{item}-acc-{index % 3}",
            date=start + dt.timedelta(days=randomness.randint(0, 729)),
            amount=Decimal(randomness.randint(-50_000, 5_000)) / 100,
            currency="USD",
            description=f"Merchant {randomness.randint(1, 400)} purchase",
            merchant_name=None,
            pending=False,
            pending_transaction_id=None,
            category_hint="GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
        )
        for index in range(count)
    ]


async def _item(user_id: uuid.UUID, name: str, count: int) -> uuid.UUID:
    from services.ledger import api
    from shared.db import unit_of_work

    item_ref = uuid.uuid4()
    accounts = [
        api.BankAccount(
            f"{name}-acc-{n}", f"{name} {n}", str(n) * 4, "checking", "USD", Decimal(100)
        )
        for n in range(3)
    ]
    async with unit_of_work() as work:
        await api.upsert_bank_accounts(work, user_id, item_ref, accounts)
    rows = _transactions(name, count)
    for start in range(0, count, BATCH):
        batch = api.BankTransactionBatch(
            user_id=user_id, item_ref=item_ref, added=tuple(rows[start : start + BATCH])
        )
        async with unit_of_work() as work:
            await api.ingest_bank_transactions(work, batch)
    return item_ref


async def _measure(count: int) -> dict[str, Any]:
    from services.ledger import api
    from shared.db import count_statements, unit_of_work

    user_id = uuid.uuid4()
    async with unit_of_work() as work:
        await api.provision_user(work, user_id)
    kept, deleted = await _item(user_id, "kept", count), await _item(user_id, "deleted", count)
    measured: dict[str, Any] = {}
    for label, action in (
        ("keep_history", lambda work: api.keep_bank_accounts(work, user_id, kept)),
        ("delete_history", lambda work: api.delete_bank_accounts(work, user_id, deleted)),
    ):
        async with count_statements() as seen:
            began = time.perf_counter()
            async with unit_of_work() as work:
                await action(work)
            elapsed = (time.perf_counter() - began) * 1000
        measured[label] = {"ms": round(elapsed, 1), "statements": len(seen)}
    return measured


async def _run(counts: list[int]) -> dict[str, Any]:
    from services.ledger.api import TRANSACTIONS_CHANGED
    from shared import events
    from shared.db import dispose_engine
    from shared.messaging import broker

    # Announcements go somewhere (nobody consumes them here).
    broker.declare_queue("bench")
    events.subscribe(events.Subscription(TRANSACTIONS_CHANGED, "bench", "bench_sink"))
    results = {str(count): await _measure(count) for count in counts}
    await dispose_engine()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--transactions", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--database", help="an empty database's URL (default: a new SQLite file)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = arguments.database or f"sqlite+aiosqlite:///{directory}/bench.db"
        os.environ["TALLY_DATABASE_URL"] = url
        os.environ["TALLY_VAR_DIR"] = directory
        os.environ.setdefault("TALLY_ENV", "test")
        os.environ.pop("TALLY_REDIS_URL", None)
        from tally.migrations import upgrade

        upgrade(url)
        results = asyncio.run(_run(arguments.transactions))
    kind = "postgresql" if url.startswith("postgresql") else "sqlite"
    print(json.dumps({"database": kind, "cpu_count": os.cpu_count(), "unlink": results}))


if __name__ == "__main__":
    main()
