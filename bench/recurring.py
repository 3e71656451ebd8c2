"""Recurring detection benchmark: one user with ~100,000 transactions on the configured
database.

    TALLY_DATABASE_URL=... python -m bench.recurring [--count 100000] [--keep]

Migrates the database, inserts the user's history directly (20 monthly bills and a salary
among shopping at 400 merchants, over the 18 months detection reads), then times detection
(the streamed read and the one pass over it) with its peak Python memory, and storing what it
found. Prints numbers; the tests never run it. The user's rows are deleted at the end unless
--keep.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import time
import tracemalloc
import uuid
from typing import Any

from sqlalchemy import delete, insert

from services.ledger import api, models
from services.ledger.recurring import service as recurring_service
from services.ledger.recurring.schedule import add_months
from shared.config import get_settings
from shared.db import count_statements, dispose_engine, read_session, unit_of_work
from tally.migrations import upgrade

TODAY = dt.date(2026, 6, 15)
START = dt.date(2024, 12, 16)


def _history(user_id: uuid.UUID, account_id: uuid.UUID, count: int) -> list[dict[str, Any]]:
    randomness = random.Random(42)
    rows: list[dict[str, Any]] = []
    for bill in range(20):
        first = START + dt.timedelta(days=bill)
        for months in range(18):
            day = add_months(first, months, first.day)
            if day <= TODAY:
                text = f"UTILITY {_name(bill)} #{day:%m%d}"
                rows.append(_row(user_id, account_id, day, -(999 + 500 * bill), text))
    day = START
    while day <= TODAY:
        rows.append(_row(user_id, account_id, day, 245_000, "ACME PAYROLL"))
        day += dt.timedelta(days=14)
    span = (TODAY - START).days
    while len(rows) < count:
        rows.append(
            _row(
                user_id,
                account_id,
                START + dt.timedelta(days=randomness.randint(0, span)),
                -randomness.randint(100, 20_000),
                f"SQ *SHOP {_name(randomness.randint(1, 400))} {randomness.randint(1000, 9999)}",
            )
        )
    return rows


def _name(number: int) -> str:
    """A merchant's name made of letters (digits would be taken for a store number)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += chr(ord("A") + digit)
        if not number:
            return letters


def _row(
    user_id: uuid.UUID, account_id: uuid.UUID, day: dt.date, minor: int, text: str
) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    return {
        "id": uuid.uuid4(),
        "user_id": user_id,
        "account_id": account_id,
        "date": day,
        "amount_minor": minor,
        "currency": "USD",
        "description": text,
        "pending": False,
        "created_at": now,
        "updated_at": now,
    }


async def run(count: int, keep: bool) -> None:
    user_id, account_id = uuid.uuid4(), uuid.uuid4()
    async with unit_of_work() as work:
        await api.provision_user(work, user_id)
        work.session.add(
            models.Account(id=account_id, user_id=user_id, name="Bench", type="checking",
                           currency="USD", opening_balance_minor=0)
        )  # fmt: skip
    rows = _history(user_id, account_id, count)
    began = time.perf_counter()
    async with unit_of_work() as work:
        for start in range(0, len(rows), 5_000):
            await work.session.execute(insert(models.Transaction), rows[start : start + 5_000])
    print(f"database: {get_settings().database_url.split('@')[-1]}   user: {user_id}")
    print(f"insert {len(rows)} transactions: {(time.perf_counter() - began) * 1000:8.1f} ms")
    del rows

    for run_number in range(4):
        # The last run measures memory (tracemalloc slows Python down: it is not timed).
        measure_memory = run_number == 3
        if measure_memory:
            tracemalloc.start()
        began = time.perf_counter()
        async with count_statements() as statements, read_session() as session:
            found = await recurring_service.detect_in_history(session, user_id, TODAY)
        elapsed = (time.perf_counter() - began) * 1000
        if measure_memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"detect: peak Python memory {peak / 1_048_576:6.1f} MiB")
            continue
        print(
            f"detect (run {run_number + 1}): {elapsed:8.1f} ms   {len(statements)} statements   "
            f"{len(found)} series"
        )
    began = time.perf_counter()
    async with unit_of_work() as work:
        detection = await recurring_service.store_detection(work, user_id, found)
    print(
        f"store: {(time.perf_counter() - began) * 1000:8.1f} ms   "
        f"{len(detection.suggested)} new suggestions"
    )
    if not keep:
        async with unit_of_work() as work:
            for model in (models.RecurringSeries, models.Transaction, models.Account):
                await work.session.execute(delete(model).where(model.user_id == user_id))
    await dispose_engine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    arguments = parser.parse_args()
    upgrade(get_settings().database_url)
    asyncio.run(run(arguments.count, arguments.keep))


if __name__ == "__main__":
    main()
