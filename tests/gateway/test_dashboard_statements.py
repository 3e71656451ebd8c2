"""The dashboard a client opens (bench/http.py's DASHBOARD: accounts with balances, the month's
budgets with what was spent, the latest transactions with their category, the unread count)
costs a fixed handful of statements, whatever the user holds: balances and spending come from
the stored monthly totals, categories come with the budgets and with the page of
transactions, and the unread badge is one COUNT."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import delete

from bench.http import DASHBOARD
from services.ledger.models import ReportTotalsBuilt
from shared.db import count_statements, unit_of_work
from shared.ids import encode_id
from tests.notifier.factories import stored_notification
from tests.support.factories import (
    Person,
    add_transaction,
    category_ids,
    create_account,
    set_budget,
    sign_up,
)
from tests.support.graphql import data

MARK_READ = (
    """mutation($ids: [ID!]!) { markNotificationsRead(input: {ids: $ids}) { markedCount } }"""
)
SPLIT = """mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {
  transaction { id } } }"""
MONTH = "2026-11"
SPENT_IN = ("Groceries", "Dining", "Transport")  # Transport has no budget


async def _person_with_a_month(accounts: int, transactions: int, budgets: int) -> Person:
    person = await sign_up()
    categories = await category_ids(person.id)
    opened = [
        (await create_account(person.id, f"Account {index}", opening_balance="100.00"))["id"]
        for index in range(accounts)
    ]
    for index in range(transactions):
        await add_transaction(
            person.id,
            opened[index % accounts],
            f"-{index + 1}.25",
            dt.date(2026, 11, 1) + dt.timedelta(days=index % 28),
            description=f"Shop {index}",
            category_id=categories[SPENT_IN[index % len(SPENT_IN)]],
        )
    split = await add_transaction(person.id, opened[0], "-30.00", "2026-11-15", "Market")
    parts = [
        {"amount": "-20.00", "categoryId": categories["Groceries"]},
        {"amount": "-10.00", "categoryId": categories["Dining"]},
    ]
    await data(SPLIT, {"i": {"id": split["id"], "parts": parts}}, user_id=person.id)
    for name in ("Groceries", "Dining", "Shopping", "Rent", "Health")[:budgets]:
        await set_budget(person.id, categories[name], MONTH, "300")
    read = [
        await stored_notification(person, f"Alert {index}", dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
        for index in range(5)
    ]
    marked = [encode_id("Notification", notification_id) for notification_id in read[:2]]
    await data(MARK_READ, {"ids": marked}, user_id=person.id)
    return person


async def _dashboard(user_id: uuid.UUID) -> tuple[dict[str, Any], list[str]]:
    async with count_statements() as statements:
        answer = await data(DASHBOARD, {"month": MONTH}, user_id=user_id)
    # BEGIN is a statement of its own on SQLite only: the reads are what both databases run.
    return answer, [
        statement for statement in statements if statement.lstrip().startswith("SELECT")
    ]


async def test_the_dashboard_costs_five_reads_whatever_the_user_holds() -> None:
    small = await _person_with_a_month(accounts=3, transactions=30, budgets=2)
    large = await _person_with_a_month(accounts=5, transactions=60, budgets=5)

    answer, reads = await _dashboard(small.id)
    _, large_reads = await _dashboard(large.id)

    # Accounts with their stored sums; budgets with their categories; the budgets' stored
    # spending; the page of transactions with their categories; the unread count.
    assert len(reads) == 5, reads
    assert len(large_reads) == len(reads)
    # Only the page reads transactions: balances and spending come from the stored totals.
    assert sum("FROM ledger_transactions" in read for read in reads) == 1, reads
    assert answer["notifications"] == {"totalCount": 3}
    assert len(answer["transactions"]["edges"]) == 20
    spent = {budget["category"]["name"]: budget["spent"]["amount"] for budget in answer["budgets"]}
    assert spent == {"Dining": _spent(1, "10.00"), "Groceries": _spent(0, "20.00")}
    balances = [account["balance"]["amount"] for account in answer["accounts"]]
    assert sorted(balances) == sorted(
        _balance(index, "30.00" if index == 0 else "0") for index in range(3)
    )


def _spent(first: int, split_part: str) -> str:
    """What the story spent in one of SPENT_IN (the transactions from index `first`, every
    third), and its part of the split."""
    whole = sum(Decimal(index + 1) + Decimal("0.25") for index in range(first, 30, len(SPENT_IN)))
    return str(whole + Decimal(split_part))


def _balance(account: int, split: str) -> str:
    """Account `account`'s balance in the small story: 100.00 opening, its transactions."""
    out = sum(Decimal(index + 1) + Decimal("0.25") for index in range(account, 30, 3))
    return str(Decimal("100.00") - out - Decimal(split))


async def test_users_whose_totals_are_not_built_see_the_same_dashboard() -> None:
    person = await _person_with_a_month(accounts=3, transactions=30, budgets=2)
    stored, _ = await _dashboard(person.id)
    async with unit_of_work() as work:
        await work.session.execute(
            delete(ReportTotalsBuilt).where(ReportTotalsBuilt.user_id == person.id)
        )

    summed, reads = await _dashboard(person.id)

    assert summed == stored
    assert any("FROM ledger_transactions" in read for read in reads)
