"""Ledger benchmark: one user with ~5,000 transactions on the configured database.

    TALLY_DATABASE_URL=... python -m bench.ledger_transactions [--count 5000] [--keep]

Migrates the database, seeds the user through the bank-ingest path (timed, then re-ingested
to time the idempotent no-op), and times through the ledger's GraphQL schema: a page of 100
with account and category, the next page, a text search, totalCount, spendingByCategory,
cashFlow and netWorth over a year, and budgets of a month. Prints numbers; the tests never
run it. The user's rows are deleted at the end unless --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import delete
from strawberry.schema.config import StrawberryConfig

from services.ledger import api, models
from services.ledger.graphql import Mutation, Query
from shared.config import get_settings
from shared.db import count_statements, dispose_engine, unit_of_work
from shared.graphql import SCALAR_MAP, Context
from shared.messaging import broker
from tally.migrations import upgrade

SCHEMA = strawberry.Schema(
    query=Query, mutation=Mutation, config=StrawberryConfig(scalar_map=SCALAR_MAP)
)
HINTS = [
    "FOOD_AND_DRINK_GROCERIES",
    "FOOD_AND_DRINK_RESTAURANT",
    "TRANSPORTATION_GAS",
    "RENT_AND_UTILITIES_RENT",
    "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
    "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
    "ENTERTAINMENT_TV_AND_MOVIES",
    "MEDICAL_PHARMACIES_AND_SUPPLEMENTS",
    "INCOME_WAGES",
    None,
]
PAGE = """query($first: Int, $after: String, $filter: TransactionFilter) {
  transactions(first: $first, after: $after, filter: $filter) {
    edges { node { id date amount { amount currency } description pending notes
                   account { name } category { name group } } }
    pageInfo { hasNextPage endCursor } } }"""


def _batch(user_id: uuid.UUID, item_ref: uuid.UUID, count: int) -> api.BankTransactionBatch:
    randomness = random.Random(42)
    start = dt.date(2025, 1, 1)
    return api.BankTransactionBatch(
        user_id=user_id,
        item_ref=item_ref,
        added=tuple(
            api.BankTransaction(
                provider_transaction_id=f"bench-{index}",
                provider_account_id=f"acc-{index % 3}",
                date=start + dt.timedelta(days=randomness.randint(0, 729)),
                amount=Decimal(randomness.randint(-50_000, 5_000)) / 100,
                currency="USD",
                description=f"Merchant {randomness.randint(1, 400)} purchase",
                merchant_name=None,
                pending=index % 50 == 0,
                pending_transaction_id=None,
                category_hint=HINTS[index % len(HINTS)],
            )
            for index in range(count)
        ),
    )


async def _timed(label: str, action: Callable[[], Awaitable[Any]], runs: int = 7) -> Any:
    timings = []
    result: Any = None
    statements = 0
    for _ in range(runs):
        async with count_statements() as seen:
            began = time.perf_counter()
            result = await action()
            timings.append((time.perf_counter() - began) * 1000)
        statements = len(seen)
    print(
        f"{label:<44} median {statistics.median(timings):8.1f} ms   "
        f"min {min(timings):8.1f} ms   {statements:3d} statements   ({runs} runs)"
    )
    return result


async def _query(user_id: uuid.UUID, query: str, variables: dict[str, Any] | None = None) -> Any:
    context = Context(request=None, request_id="bench", user_id=user_id)
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    if result.errors:
        raise RuntimeError(result.errors)
    return result.data


async def run(count: int, keep: bool) -> None:
    broker.declare_queue(api.TRANSACTIONS_CHANGED_QUEUE)
    user_id, item_ref = uuid.uuid4(), uuid.uuid4()
    async with unit_of_work() as work:
        await api.provision_user(work, user_id)
        await api.upsert_bank_accounts(
            work,
            user_id,
            item_ref,
            [
                api.BankAccount(f"acc-{n}", f"Account {n}", str(n) * 4, "checking", "USD", None)
                for n in range(3)
            ],
        )
    batch = _batch(user_id, item_ref, count)
    print(f"database: {get_settings().database_url.split('@')[-1]}   user: {user_id}")

    async def ingest() -> api.IngestResult:
        async with unit_of_work() as work:
            return await api.ingest_bank_transactions(work, batch)

    began = time.perf_counter()
    first = await ingest()
    elapsed = (time.perf_counter() - began) * 1000
    print(f"{f'ingest {count} new bank transactions':<44} {elapsed:8.1f} ms   {first}")
    await _timed(f"re-ingest the same {count} (no-op)", ingest, runs=3)

    page = await _timed(
        "transactions(first: 100) + account, category",
        lambda: _query(user_id, PAGE, {"first": 100}),
    )
    after = page["transactions"]["pageInfo"]["endCursor"]
    await _timed(
        "next page (after the first 100)",
        lambda: _query(user_id, PAGE, {"first": 100, "after": after}),
    )
    await _timed(
        "search 'merchant 12' (first: 100)",
        lambda: _query(user_id, PAGE, {"first": 100, "filter": {"search": "merchant 12"}}),
    )
    await _timed("totalCount", lambda: _query(user_id, "{ transactions(first: 1) { totalCount } }"))
    await _timed(
        "spendingByCategory over 2025",
        lambda: _query(
            user_id,
            '{ spendingByCategory(from: "2025-01-01", to: "2025-12-31") '
            "{ category { name } amount { amount } } }",
        ),
    )
    await _timed(
        "cashFlow over 2025",
        lambda: _query(
            user_id, '{ cashFlow(from: "2025-01-01", to: "2025-12-31") { net { amount } } }'
        ),
    )
    await _timed(
        "netWorth over 2025",
        lambda: _query(
            user_id, '{ netWorth(from: "2025-01-01", to: "2025-12-31") { amount { amount } } }'
        ),
    )
    await _timed(
        "accounts with balances",
        lambda: _query(user_id, "{ accounts { name balance { amount } } }"),
    )
    await _timed(
        "budgets(month) (no budgets set)",
        lambda: _query(user_id, '{ budgets(month: "2025-06") { spent { amount } } }'),
    )

    if not keep:
        async with unit_of_work() as work:
            for model in (
                models.Transaction,
                models.PendingTombstone,
                models.Account,
                models.Category,
                models.CategoryGroup,
            ):
                await work.session.execute(delete(model).where(model.user_id == user_id))
        print("bench user's rows deleted (use --keep to keep them)")
    await dispose_engine()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true")
    arguments = parser.parse_args()
    upgrade(get_settings().database_url)
    asyncio.run(run(arguments.count, arguments.keep))


if __name__ == "__main__":
    main()
