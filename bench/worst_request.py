"""The most expensive request the cost limits allow, timed: nine aliased cashFlow reports over
ten years each (cost 387 of 400) for a user with a year of daily transactions.

    python -m bench.worst_request              # on the embedded SQLite defaults
    TALLY_DATABASE_URL=postgresql+asyncpg://... python -m bench.worst_request
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import tempfile
import time
import uuid

os.environ.setdefault("TALLY_ENV", "test")
os.environ.setdefault("TALLY_VAR_DIR", tempfile.mkdtemp(prefix="tally-bench-"))


SPEND = """mutation($input: CreateTransactionInput!) {
  createTransaction(input: $input) { transaction { id } } }"""


async def main() -> None:
    from services.gateway import cost
    from services.gateway.identity.throttle import Limit
    from services.ledger import api as ledger_api
    from shared.db import unit_of_work
    from tests.support.factories import create_account
    from tests.support.graphql import data, execute

    # Measuring one request many times: the per-minute budget is not what is measured here.
    cost.COST_PER_USER_PER_MINUTE = Limit("cost-user", attempts=10**9, window_seconds=60)
    user = uuid.uuid4()
    async with unit_of_work() as work:
        await ledger_api.provision_user(work, user)
    account = (await create_account(user))["id"]
    day = dt.date(2019, 1, 1)
    for n in range(365):
        await data(
            SPEND,
            {
                "input": {
                    "accountId": account,
                    "date": str(day + dt.timedelta(days=n)),
                    "amount": "-12.34" if n % 3 else "2000.00",
                    "description": f"Day {n}",
                }
            },
            user_id=user,
        )
    fields = " ".join(
        f"a{n}: cashFlow(from: $from, to: $to) {{ month income {{ amount }} }}" for n in range(9)
    )
    query = f"query($from: Date!, $to: Date!) {{ {fields} }}"
    variables = {"from": "2010-01-01", "to": "2019-12-31"}
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        result = await execute(query, variables, user_id=user)
        timings.append(time.perf_counter() - started)
        assert not result.errors, result.errors
    print("worst allowed request (9 x cashFlow over 10 years, cost 387/400), 10 runs:")
    print(f"  median {statistics.median(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms")


if __name__ == "__main__":
    from shared.config import get_settings
    from tally.migrations import upgrade

    upgrade(get_settings().database_url)
    asyncio.run(main())
