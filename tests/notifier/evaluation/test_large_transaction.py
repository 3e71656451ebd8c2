"""LARGE_TRANSACTION: money out at or above a threshold is alerted once per transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from shared import clock
from tests.notifier.evaluation.support import MONTH, evaluate
from tests.notifier.factories import (
    category_id,
    create_rule,
    notifications,
    open_account,
    sign_up,
    spend,
)


async def test_a_large_transaction_rule_fires_once_per_transaction() -> None:
    person = await sign_up()
    account = await open_account(person)
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="1000.00")
    below = await spend(person, account, "-999.99", description="Bike shop")
    money_in = await spend(person, account, "5000.00", description="Salary")
    at = await spend(person, account, "-1000.00", description="Landlord")
    above = await spend(person, account, "-2500.50", description="Apple Store", day="2026-11-03")

    await evaluate(person, [below, money_in, at, above], [MONTH])
    await evaluate(person, [at, above], [MONTH])

    alerts = await notifications(person)
    assert sorted(n["title"] for n in alerts) == [
        "Large transaction: $1,000.00",
        "Large transaction: $2,500.50",
    ]
    apple = next(n for n in alerts if "2,500.50" in n["title"])
    assert apple["kind"] == "LARGE_TRANSACTION"
    assert apple["body"] == (
        "Apple Store took $2,500.50 out of your account on November 3, 2026, "
        "at or above your large-transaction alert of $1,000.00."
    )


async def test_two_large_transaction_rules_still_alert_once_per_transaction() -> None:
    person = await sign_up()
    account = await open_account(person)
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="1000")
    big = await spend(person, account, "-1500.00", description="Sofa")

    await evaluate(person, [big], [MONTH])

    [alert] = await notifications(person)
    assert "$1,000.00" in alert["body"]  # the highest threshold reached is the one quoted


async def test_a_threshold_in_another_currency_is_not_compared() -> None:
    person = await sign_up()
    euros = await open_account(person, currency="EUR")
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="10", currency="USD")

    spent = await spend(person, euros, "-5000.00")
    await evaluate(person, [spent], [MONTH])

    assert await notifications(person) == []


async def test_a_category_rule_only_watches_its_category() -> None:
    person = await sign_up()
    account = await open_account(person)
    rent = await category_id(person, "Rent")
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="500", categoryId=rent)

    other = await spend(person, account, "-900.00", description="Laptop")
    rent_paid = await spend(person, account, "-900.00", description="Rent", category=rent)
    await evaluate(person, [other, rent_paid], [MONTH])

    [alert] = await notifications(person)
    assert alert["body"].startswith("Rent took $900.00")


async def test_the_wording_says_today_and_yesterday_where_the_user_lives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Noon in UTC: already the 27th on Kiritimati (UTC+14), still the 26th in UTC.
    monkeypatch.setattr(clock, "utcnow", lambda: dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC))
    ahead = await sign_up(time_zone="Pacific/Kiritimati")
    in_utc = await sign_up()
    for person in (ahead, in_utc):
        account = await open_account(person)
        await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")
        spent = [
            await spend(person, account, "-200.00", description=f"On the {day}", day=day)
            for day in ("2026-11-27", "2026-11-26", "2026-11-25")
        ]
        await evaluate(person, spent, [MONTH])

    def said(person: object) -> list[str]:
        return sorted(alert["body"].split(" at or above")[0] for alert in alerts[person])

    alerts = {person: await notifications(person) for person in (ahead, in_utc)}
    assert said(ahead) == [
        "On the 2026-11-25 took $200.00 out of your account on November 25, 2026,",
        "On the 2026-11-26 took $200.00 out of your account yesterday,",
        "On the 2026-11-27 took $200.00 out of your account today,",
    ]
    assert said(in_utc) == [
        "On the 2026-11-25 took $200.00 out of your account yesterday,",
        "On the 2026-11-26 took $200.00 out of your account today,",
        "On the 2026-11-27 took $200.00 out of your account on November 27, 2026,",
    ]


async def test_moving_money_to_ones_own_savings_is_not_a_large_transaction() -> None:
    from tests.support.graphql import data

    person = await sign_up()
    checking = await open_account(person)
    savings = await open_account(person)
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="500")
    moved = await data(
        """mutation($i: CreateTransferInput!) { createTransfer(input: $i) {
             outflow { id } inflow { id } } }""",
        {"i": {"fromAccountId": checking, "toAccountId": savings, "date": "2026-11-05",
               "amount": "2000.00"}},
        user_id=person.id,
    )  # fmt: skip

    await evaluate(person, [moved["createTransfer"]["outflow"]["id"]], [MONTH])

    assert await notifications(person) == []
