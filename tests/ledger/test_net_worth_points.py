"""Net worth from daily balances at any interval: a point at the end of each day, week, month
or year; a linked account's history reconstructed backwards from the bank's balance; foreign
balances at the rate in force on each point's day; a closed account gone from its closing day;
and a year of daily points costs a fixed number of statements."""

from __future__ import annotations

import datetime as dt
import uuid

from shared.db import count_statements
from tests.ledger.support import bank_account, bank_transaction, ingest, link_item
from tests.support.factories import add_transaction, create_account, new_user
from tests.support.graphql import data

POINTS = """query($from: Date!, $to: Date!, $interval: ReportInterval) {
  netWorth(from: $from, to: $to, interval: $interval) {
    date month amount { amount currency } unconvertedBalances { amount currency } } }"""


async def _points(
    user: uuid.UUID, date_from: str, date_to: str, interval: str
) -> list[tuple[str, str]]:
    result = await data(
        POINTS, {"from": date_from, "to": date_to, "interval": interval}, user_id=user
    )
    return [(point["date"], point["amount"]["amount"]) for point in result["netWorth"]]


async def test_daily_points_follow_every_transaction_and_a_linked_balance_backwards() -> None:
    user = await new_user()
    cash = await create_account(user, name="Cash", type="CASH", opening_balance="100.00")
    await add_transaction(user, cash["id"], "-10.00", "2026-03-02")
    await add_transaction(user, cash["id"], "25.50", "2026-03-04")
    # The bank says 500.00 today, after -40.00 on 2026-03-03: 540.00 before that day.
    item = await link_item(user, bank_account("acc-1", balance="500.00"))
    await ingest(user, item, added=(bank_transaction("t1", "-40.00", date=dt.date(2026, 3, 3)),))

    daily = await _points(user, "2026-03-01", "2026-03-05", "DAY")

    assert daily == [
        ("2026-03-01", "640.00"),
        ("2026-03-02", "630.00"),
        ("2026-03-03", "590.00"),
        ("2026-03-04", "615.50"),
        ("2026-03-05", "615.50"),
    ]
    # The same balances, sampled at each ISO week's end (the last point at the range's end),
    # each month's end, and the whole range's.
    assert await _points(user, "2026-03-01", "2026-03-05", "WEEK") == [
        ("2026-03-01", "640.00"),
        ("2026-03-05", "615.50"),
    ]
    assert await _points(user, "2026-02-01", "2026-03-05", "MONTH") == [
        ("2026-02-28", "640.00"),
        ("2026-03-05", "615.50"),
    ]
    assert await _points(user, "2026-01-01", "2026-03-05", "WHOLE_RANGE") == [
        ("2026-03-05", "615.50")
    ]


async def test_a_foreign_balance_is_valued_at_each_days_rate_and_a_closed_account_leaves() -> None:
    user = await new_user()
    await create_account(user, name="Euro", currency="EUR", opening_balance="10.00")
    old = await create_account(user, name="Old", opening_balance="7.00")
    for day, rate in (("2026-04-02", "1.5"), ("2026-04-04", "2")):
        await data(
            """mutation($d: Date!, $r: Decimal!) { setExchangeRate(input: {currency: "EUR",
                 date: $d, rate: $r}) { exchangeRate { id } } }""",
            {"d": day, "r": rate},
            user_id=user,
        )
    await data(
        """mutation($i: CloseAccountInput!) { closeAccount(input: $i) { account { id } } }""",
        {"i": {"id": old["id"], "date": "2026-04-03"}},
        user_id=user,
    )

    result = await data(
        POINTS, {"from": "2026-04-01", "to": "2026-04-04", "interval": "DAY"}, user_id=user
    )

    assert [
        (p["date"], p["amount"]["amount"], p["unconvertedBalances"]) for p in result["netWorth"]
    ] == [
        ("2026-04-01", "7.00", [{"amount": "10.00", "currency": "EUR"}]),
        ("2026-04-02", "22.00", []),
        ("2026-04-03", "15.00", []),
        ("2026-04-04", "20.00", []),
    ]


async def test_a_year_of_daily_points_costs_what_a_week_costs() -> None:
    user = await new_user()
    account = await create_account(user, opening_balance="1.00")
    for month in range(1, 13):
        await add_transaction(user, account["id"], "1.00", f"2025-{month:02d}-10")

    async with count_statements() as week:
        short = await _points(user, "2025-06-01", "2025-06-07", "DAY")
    async with count_statements() as year:
        long = await _points(user, "2025-01-01", "2025-12-31", "DAY")

    assert len(week) == len(year)
    assert short[0] == ("2025-06-01", "6.00") and len(long) == 365
    assert long[-1] == ("2025-12-31", "13.00")
