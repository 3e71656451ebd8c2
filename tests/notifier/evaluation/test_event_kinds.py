"""The kinds evaluated when the ledger announces changed transactions (budget thresholds, a large
transaction in another currency or with a tag, a low balance, a bill larger than usual, unusual
spending, a new merchant): each raises once and only once, within its scope, never while
snoozed. The user's today is frozen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.notifier.evaluation import service
from services.notifier.evaluation.announcement import TransactionsChanged
from services.notifier.models import Notification
from shared.db import count_statements, read_session, unit_of_work
from shared.ids import decode_id
from tests.notifier.evaluation.kinds_support import freeze, of_kind, spend_tagged
from tests.notifier.evaluation.support import evaluate
from tests.notifier.factories import (
    Person,
    category_id,
    create_rule,
    drain_notifier_queue,
    open_account,
    set_budget,
    sign_up,
    spend,
)
from tests.support.factories import create_account
from tests.support.graphql import data

MONTH = "2026-11"


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


async def test_a_category_budget_alerts_at_80_then_100_percent_once_each() -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    account = await open_account(person)
    await set_budget(person, groceries, MONTH, "500.00")
    await create_rule(person, kind="BUDGET_THRESHOLD", categoryId=groceries)

    first = await spend(person, account, "-300.00", category=groceries)
    await evaluate(person, [first], [MONTH])
    assert await of_kind(person, "BUDGET_THRESHOLD") == []

    second = await spend(person, account, "-120.00", category=groceries)  # 84%
    await evaluate(person, [second], [MONTH])
    await evaluate(person, [second], [MONTH])
    [eighty] = await of_kind(person, "BUDGET_THRESHOLD")
    assert eighty["title"] == "80% of your Groceries budget used"
    assert eighty["body"] == (
        "You've spent $420.00 of your $500.00 Groceries budget for November 2026: "
        "80% or more of it."
    )

    third = await spend(person, account, "-80.00", category=groceries)  # exactly 100%
    await evaluate(person, [third], [MONTH])
    await evaluate(person, [third], [MONTH])
    titles = [n["title"] for n in await of_kind(person, "BUDGET_THRESHOLD")]
    assert titles == ["100% of your Groceries budget used", "80% of your Groceries budget used"]


async def test_a_jump_past_every_threshold_says_only_the_highest() -> None:
    person = await sign_up()
    dining = await category_id(person, "Dining")
    account = await open_account(person)
    await set_budget(person, dining, MONTH, "100.00")
    await create_rule(person, kind="BUDGET_THRESHOLD", categoryId=dining, percents=[50, 80, 100])

    spent = await spend(person, account, "-130.00", category=dining)
    await evaluate(person, [spent], [MONTH])

    assert [n["title"] for n in await of_kind(person, "BUDGET_THRESHOLD")] == [
        "100% of your Dining budget used"
    ]


async def test_the_whole_months_budgets_are_watched_together() -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    dining = await category_id(person, "Dining")
    account = await open_account(person)
    for category in (groceries, dining):
        await set_budget(person, category, MONTH, "100.00")
    await create_rule(person, kind="BUDGET_THRESHOLD", percents=[50])

    spent = [
        await spend(person, account, "-60.00", category=groceries),
        await spend(person, account, "-45.00", category=dining),
    ]
    await evaluate(person, spent, [MONTH])

    [alert] = await of_kind(person, "BUDGET_THRESHOLD")
    assert alert["title"] == "50% of your monthly budget used"
    assert "$105.00 of your $200.00 monthly budget" in alert["body"]


async def test_a_large_transaction_in_another_currency_counts_at_the_stored_rate() -> None:
    person = await sign_up()
    euros = (await create_account(person.id, "Euro card", currency="EUR"))["id"]
    await data(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-11-01",
             rate: "1.10"}) { exchangeRate { id } } }""",
        user_id=person.id,
    )
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")

    above = await spend(person, euros, "-95.00", description="Train to Paris")  # $104.50
    below = await spend(person, euros, "-90.00", description="Hotel")  # $99.00
    await evaluate(person, [above, below], [MONTH])

    [alert] = await of_kind(person, "LARGE_TRANSACTION")
    assert alert["title"] == "Large transaction: €95.00"
    assert "at or above your large-transaction alert of $100.00" in alert["body"]
    # The facts channels that send data get: exact amounts as strings, global ids.
    async with read_session() as session:
        stored = await session.get(Notification, decode_id("Notification", alert["id"]))
    assert stored is not None and stored.data is not None
    assert stored.data["amount"] == {"amount": "-95.00", "currency": "EUR"}
    assert stored.data["threshold"] == {"amount": "100.00", "currency": "USD"}
    assert stored.data["transactionId"] == above


async def test_a_large_transaction_rule_scoped_to_an_account_and_a_tag() -> None:
    person = await sign_up()
    checking = await open_account(person)
    card = await open_account(person)
    tag = (await data('mutation { createTag(input: {name: "Business"}) { tag { id } } }',
                      user_id=person.id))["createTag"]["tag"]["id"]  # fmt: skip
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="100", accountId=card, tagId=tag)

    spent = [
        await spend_tagged(person, card, "-150.00", "2026-11-20", "Client dinner", [tag]),
        await spend_tagged(person, card, "-150.00", "2026-11-20", "Family dinner", []),
        await spend_tagged(person, checking, "-150.00", "2026-11-20", "Office chair", [tag]),
    ]
    await evaluate(person, spent, [MONTH])

    [alert] = await of_kind(person, "LARGE_TRANSACTION")
    assert alert["body"].startswith("Client dinner took $150.00")


async def test_a_low_balance_is_alerted_once_for_the_watched_account() -> None:
    person = await sign_up()
    watched = (await create_account(person.id, "Joint", opening_balance="100.00"))["id"]
    other = (await create_account(person.id, "Other", opening_balance="100.00"))["id"]
    await create_rule(person, kind="LOW_BALANCE", threshold="50", accountId=watched)

    spent = [
        await spend(person, watched, "-60.00", description="Groceries"),
        await spend(person, other, "-90.00", description="Shoes"),
    ]
    await evaluate(person, spent, [MONTH])
    more = await spend(person, watched, "-10.00", description="Coffee")
    await evaluate(person, [more], [MONTH])

    [alert] = await of_kind(person, "LOW_BALANCE")
    assert alert["title"] == "Low balance: Joint"
    assert alert["body"] == "Joint is down to $40.00, below your low-balance alert of $50.00."


async def test_a_bill_larger_than_usual_is_alerted_once() -> None:
    person = await sign_up()
    account = await open_account(person)
    for month in range(5, 11):
        await spend(
            person, account, "-15.49", description="NETFLIX.COM", day=f"2026-{month:02d}-03"
        )
    await data("mutation { detectRecurring { detectedCount } }", user_id=person.id)
    await create_rule(person, kind="BILL_LARGER_THAN_USUAL")

    usual = await spend(person, account, "-15.49", description="NETFLIX.COM", day="2026-11-03")
    await evaluate(person, [usual], [MONTH])
    assert await of_kind(person, "BILL_LARGER_THAN_USUAL") == []
    larger = await spend(person, account, "-22.99", description="NETFLIX.COM", day="2026-11-24")
    await evaluate(person, [larger], [MONTH])
    await evaluate(person, [larger], [MONTH])

    [alert] = await of_kind(person, "BILL_LARGER_THAN_USUAL")
    assert alert["title"] == "NETFLIX.COM is larger than usual"
    assert alert["body"].startswith("NETFLIX.COM came to $22.99; it usually is about $15.49")


async def on_dining(person: Any) -> list[dict[str, Any]]:
    """November's Dining alerts. With Redis the live server's worker may evaluate the history
    only after the rule exists, and rightly alerts October's Dining ($100 against $66.66 over
    July to September) and rent: those are not what this test looks at."""
    alerts = await of_kind(person, "UNUSUAL_SPENDING")
    return [
        alert
        for alert in alerts
        if alert["title"].endswith("on Dining") and "in November 2026" in alert["body"]
    ]


async def test_unusual_spending_against_the_trailing_average_is_alerted_once() -> None:
    person = await sign_up()
    dining = await category_id(person, "Dining")
    rent = await category_id(person, "Rent")
    account = await open_account(person)
    for month in ("08", "09", "10"):
        await spend(person, account, "-100.00", category=dining, day=f"2026-{month}-10")
        await spend(person, account, "-1000.00", category=rent, day=f"2026-{month}-01")
    await create_rule(person, kind="UNUSUAL_SPENDING")  # 1.5 times the last 3 months

    spent = [
        await spend(person, account, "-140.00", category=dining, day="2026-11-10"),
        await spend(person, account, "-1000.00", category=rent, day="2026-11-01"),
    ]
    await evaluate(person, spent, [MONTH])
    assert await on_dining(person) == []  # 140 < 150

    more = await spend(person, account, "-10.00", category=dining, day="2026-11-20")
    await evaluate(person, [more], [MONTH])
    again = await spend(person, account, "-30.00", category=dining, day="2026-11-21")
    await evaluate(person, [again], [MONTH])

    [alert] = await on_dining(person)
    assert alert["title"] == "Unusual spending on Dining"
    assert alert["body"] == (
        "You've spent $150.00 on Dining in November 2026, against $100.00 a month on average "
        "over the 3 months before."
    )


async def test_a_new_merchant_is_alerted_once_and_an_old_one_never() -> None:
    person = await sign_up()
    account = await open_account(person)
    await spend(person, account, "-4.00", description="Corner Shop", day="2026-10-01")
    await create_rule(person, kind="NEW_MERCHANT")

    spent = [
        await spend(person, account, "-4.50", description="Corner Shop", day="2026-11-25"),
        await spend(person, account, "-6.20", description="Blue Bottle Coffee", day="2026-11-25"),
        await spend(person, account, "-80.00", description="Old Antiques", day="2026-09-01"),
    ]
    await evaluate(person, spent, [MONTH])
    again = await spend(
        person, account, "-5.10", description="Blue Bottle Coffee", day="2026-11-26"
    )
    await evaluate(person, [again, *spent], [MONTH])

    [alert] = await of_kind(person, "NEW_MERCHANT")
    assert alert["title"] == "New merchant: Blue Bottle Coffee"
    assert alert["body"] == "Your first transaction with Blue Bottle Coffee: $6.20 yesterday."


async def test_a_snoozed_rule_raises_nothing_until_woken(notifier_worker: None) -> None:
    person = await sign_up()
    account = await open_account(person)
    rule = await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    await data(
        """mutation($id: ID!, $u: DateTime!) {
             snoozeAlertRule(input: {id: $id, until: $u}) { alertRule { id } } }""",
        {"id": rule["id"], "u": until.isoformat()},
        user_id=person.id,
    )

    snoozed = await spend(person, account, "-500.00", description="During the snooze")
    await evaluate(person, [snoozed], [MONTH])
    # The ledger's announcement of it is evaluated by a worker too: while still snoozed.
    await drain_notifier_queue()
    assert await of_kind(person, "LARGE_TRANSACTION") == []

    await data(
        "mutation($id: ID!) { unsnoozeAlertRule(input: {id: $id}) { alertRule { id } } }",
        {"id": rule["id"]},
        user_id=person.id,
    )
    woken = await spend(person, account, "-500.00", description="After it")
    await evaluate(person, [woken], [MONTH])
    assert [n["body"].split(" took")[0] for n in await of_kind(person, "LARGE_TRANSACTION")] == [
        "After it"
    ]


async def _statements_to_evaluate(person: Person, transaction_ids: list[str]) -> int:
    change = TransactionsChanged.parse(
        str(person.id), [str(decode_id("Transaction", t)) for t in transaction_ids], [MONTH]
    )
    async with unit_of_work() as work, count_statements() as statements:
        await service.evaluate_transactions_changed(work, change)
    return len(statements)


async def test_evaluation_reads_the_ledger_once_per_kind_however_many_rules() -> None:
    person = await sign_up()
    account = await open_account(person)
    dining = await category_id(person, "Dining")
    spent = [
        await spend(person, account, "-1.00", category=dining, day=f"2026-11-{day:02d}")
        for day in (2, 3, 4)
    ]

    async def every_kind() -> None:
        for kind, extra in (
            ("BUDGET_THRESHOLD", {}),
            ("LARGE_TRANSACTION", {"threshold": "1000"}),
            ("LOW_BALANCE", {"threshold": "-1000"}),
            ("GOAL_MILESTONE", {}),
            ("BILL_LARGER_THAN_USUAL", {}),
            ("UNUSUAL_SPENDING", {}),
            ("NEW_MERCHANT", {}),
        ):
            await create_rule(person, kind=kind, **extra)

    await every_kind()
    with_one = await _statements_to_evaluate(person, spent)
    await every_kind()
    await every_kind()
    with_three = await _statements_to_evaluate(person, spent)

    assert with_three == with_one
