"""The stored report totals always equal the transactions they sum: after a story that writes
transactions every way the ledger can (by hand, edits of each kind, deletion, splits,
transfers, bulk edits, category and payee merges and deletions, rates and a new base
currency, bank ingest, unlinking a bank with or without its history, a file import, deleting
an account), they are what summing the
whole history from scratch gives. A writer that forgot to tell the totals fails this."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import select

from services.ledger import api
from services.ledger.accounts import service as account_service
from services.ledger.models import Account, ReportCategoryTotal, ReportTotal
from services.ledger.periods import Month
from services.ledger.reports import totals
from services.ledger.reports.repository import Dimension, flows_of_transactions
from shared.db import read_session, unit_of_work
from tests.ledger.imports_support import GIROKONTO, file_text, import_file
from tests.ledger.support import bank_account, bank_transaction, ingest, link_item
from tests.support.factories import add_transaction, category_ids, create_account, new_user
from tests.support.graphql import data

pytestmark = pytest.mark.usefixtures("ledger_worker")

Key = tuple[Any, ...]


async def stored_totals(user: uuid.UUID) -> dict[Key, tuple[int, int, int, dt.date, dt.date]]:
    sums: defaultdict[Key, list[Any]] = defaultdict(lambda: [0, 0, 0, dt.date.max, dt.date.min])
    async with read_session() as session:
        for row in await session.scalars(select(ReportTotal).where(ReportTotal.user_id == user)):
            key = (row.month, row.account_id, row.category_id, row.payee_id, row.transfer,
                   row.money_in, row.currency, row.converted_currency)  # fmt: skip
            entry = sums[key]
            entry[0] += row.amount_minor
            entry[1] += row.converted_minor
            entry[2] += row.transaction_count
            entry[3] = min(entry[3], row.first_date)
            entry[4] = max(entry[4], row.last_date)
    return {key: tuple(value) for key, value in sums.items()}  # type: ignore[misc]


async def totals_from_scratch(user: uuid.UUID) -> dict[Key, tuple[int, int, int, dt.date, dt.date]]:
    dimensions = frozenset({Dimension.ACCOUNT, Dimension.CATEGORY, Dimension.PAYEE})
    async with read_session() as session:
        flows = await flows_of_transactions(
            session, user, dt.date(1900, 1, 1), dt.date(2100, 12, 31), dimensions, monthly=True
        )
    summed: dict[Key, tuple[int, int, int, dt.date, dt.date]] = {}
    for flow in flows:
        key = (flow.period, flow.account_id, flow.category_id, flow.payee_id, flow.transfer,
               flow.money_in, flow.figures.currency, flow.figures.converted_currency)  # fmt: skip
        figures = flow.figures
        summed[key] = (figures.amount_minor, figures.converted_minor, figures.count,
                       figures.first_date, figures.last_date)  # fmt: skip
    return summed


async def totals_by_category(user: uuid.UUID) -> dict[Key, tuple[int, int, int, dt.date, dt.date]]:
    """The derived totals by category, each key's one row (a second row of a key fails)."""
    found: dict[Key, tuple[int, int, int, dt.date, dt.date]] = {}
    async with read_session() as session:
        statement = select(ReportCategoryTotal).where(ReportCategoryTotal.user_id == user)
        for row in await session.scalars(statement):
            key = (row.month, row.category_id, row.transfer, row.money_in, row.currency,
                   row.converted_currency)  # fmt: skip
            assert key not in found
            found[key] = (row.amount_minor, row.converted_minor, row.transaction_count,
                          row.first_date, row.last_date)  # fmt: skip
    return found


def summed_by_category(
    totals_: dict[Key, tuple[int, int, int, dt.date, dt.date]],
) -> dict[Key, tuple[int, int, int, dt.date, dt.date]]:
    """Full keys (month, account, category, payee, transfer, money in, currencies) summed
    over accounts and payees."""
    sums: defaultdict[Key, list[Any]] = defaultdict(lambda: [0, 0, 0, dt.date.max, dt.date.min])
    for (month, _account, category, _payee, *rest), figures in totals_.items():
        entry = sums[(month, category, *rest)]
        for index in range(3):
            entry[index] += figures[index]
        entry[3], entry[4] = min(entry[3], figures[3]), max(entry[4], figures[4])
    return {key: tuple(value) for key, value in sums.items()}  # type: ignore[misc]


async def assert_totals_match(user: uuid.UUID) -> None:
    stored, expected = await stored_totals(user), await totals_from_scratch(user)
    assert stored == expected
    assert expected  # the story left something to sum
    # The totals by category are the same sums over accounts and payees.
    assert await totals_by_category(user) == summed_by_category(expected)
    # Balances read the stored totals too: each account's sum is its transactions'.
    async with read_session() as session:
        ids = list(await session.scalars(select(Account.id).where(Account.user_id == user)))
        assert await totals.account_sums(session, user, ids) == (
            await account_service.transaction_sums(session, user, ids)
        )


async def _mutate(user: uuid.UUID, mutation: str, **variables: Any) -> dict[str, Any]:
    return await data(mutation, variables, user_id=user)


UPDATE = """mutation($i: UpdateTransactionInput!) { updateTransaction(input: $i) {
  transaction { id } } }"""
SPLIT = """mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {
  transaction { id } } }"""


async def test_stored_totals_equal_a_recount_after_every_kind_of_write() -> None:
    user = await new_user()
    checking = await create_account(user)
    savings = await create_account(user, name="Savings")
    euros = await create_account(user, name="Euro", currency="EUR")
    doomed = await create_account(user, name="Old wallet")
    c = await category_ids(user)

    # By hand, in several months, with payees derived from descriptions.
    coffee = await add_transaction(
        user, checking["id"], "-4.50", "2026-01-05", "Blue Bottle", c["Dining"]
    )
    grocer = await add_transaction(
        user, checking["id"], "-80.00", "2026-01-20", "Trader Joe", c["Groceries"]
    )
    await add_transaction(
        user, checking["id"], "3000.00", "2026-02-01", "ACME Payroll", c["Income"]
    )
    lunch = await add_transaction(
        user, checking["id"], "-12.00", "2026-02-10", "Chipotle", c["Dining"]
    )
    gone = await add_transaction(
        user, checking["id"], "-9.99", "2026-03-03", "Netflix", c["Entertainment"]
    )
    paris = await add_transaction(
        user, euros["id"], "-33.33", "2026-02-14", "Cafe de Flore", c["Dining"]
    )
    await add_transaction(user, doomed["id"], "-1.00", "2026-04-01", "Gum", c["Groceries"])
    await assert_totals_match(user)

    # Edits: a new date in another month, a new amount, a new category, only a new payee.
    await _mutate(user, UPDATE, i={"id": coffee["id"], "date": "2026-03-15"})
    await _mutate(user, UPDATE, i={"id": lunch["id"], "amount": "-13.50"})
    await _mutate(user, UPDATE, i={"id": grocer["id"], "categoryId": c["Shopping"]})
    payees = (await data("{ payees { edges { node { id name } } } }", user_id=user))["payees"]
    by_name = {edge["node"]["name"]: edge["node"]["id"] for edge in payees["edges"]}
    await _mutate(user, UPDATE, i={"id": lunch["id"], "payeeId": by_name["Blue Bottle"]})
    await assert_totals_match(user)

    # Deleting, splitting, unsplitting and splitting again.
    await _mutate(
        user,
        "mutation($id: ID!) { deleteTransaction(input: {id: $id}) { deletedTransactionId } }",
        id=gone["id"],
    )
    await _mutate(
        user,
        SPLIT,
        i={
            "id": grocer["id"],
            "parts": [
                {"amount": "-50.00", "categoryId": c["Groceries"]},
                {"amount": "-30.00", "categoryId": c["Home"]},
            ],
        },
    )
    await _mutate(
        user,
        SPLIT,
        i={
            "id": paris["id"],
            "parts": [{"amount": "-11.11", "categoryId": c["Dining"]}, {"amount": "-22.22"}],
        },
    )
    await _mutate(
        user,
        "mutation($id: ID!) { unsplitTransaction(input: {id: $id}) { transaction { id } } }",
        id=paris["id"],
    )
    await _mutate(
        user,
        SPLIT,
        i={
            "id": paris["id"],
            "parts": [
                {"amount": "-3.33", "categoryId": c["Shopping"]},
                {"amount": "-30.00", "categoryId": c["Dining"]},
            ],
        },
    )
    await assert_totals_match(user)

    # Transfers: made, linked from two existing transactions, unlinked.
    await _mutate(
        user,
        """mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }""",
        i={
            "fromAccountId": checking["id"],
            "toAccountId": savings["id"],
            "date": "2026-02-20",
            "amount": "100.00",
        },
    )
    out = await add_transaction(user, checking["id"], "-250.00", "2026-03-01", "To savings")
    into = await add_transaction(user, savings["id"], "250.00", "2026-03-02", "From checking")
    await _mutate(
        user,
        "mutation($a: ID!, $b: ID!) { linkTransfer(input: {ids: [$a, $b]}) { outflow { id } } }",
        a=out["id"],
        b=into["id"],
    )
    await assert_totals_match(user)
    await _mutate(
        user,
        "mutation($id: ID!) { unlinkTransfer(input: {id: $id}) { transactions { id } } }",
        id=out["id"],
    )

    # Bulk edit, category merge and deletion, payee merge.
    await _mutate(
        user,
        """mutation($i: BulkEditTransactionsInput!) { bulkEditTransactions(input: $i)
          { changedCount } }""",
        i={"ids": [out["id"], into["id"]], "setCategoryId": c["Transport"]},
    )
    await _mutate(
        user,
        """mutation($i: MergeCategoriesInput!) { mergeCategories(input: $i)
          { category { id } } }""",
        i={"sourceId": c["Home"], "targetId": c["Shopping"]},
    )
    await _mutate(
        user,
        """mutation($i: DeleteCategoryInput!) { deleteCategory(input: $i)
          { deletedCategoryId } }""",
        i={"id": c["Transport"]},
    )
    await _mutate(
        user,
        """mutation($i: MergePayeesInput!) { mergePayees(input: $i) { payee { id } } }""",
        i={
            "sourceIds": [by_name["Chipotle"], by_name["Trader Joe"]],
            "targetId": by_name["ACME Payroll"],
        },
    )
    await assert_totals_match(user)

    # A rate converts what waited; a new base currency converts everything anew.
    await _mutate(
        user,
        """mutation { setExchangeRate(input:
          {currency: "EUR", date: "2026-01-01", rate: "1.0825"}) { exchangeRate { id } } }""",
    )
    await assert_totals_match(user)
    await _mutate(
        user,
        """mutation { setBaseCurrency(input: {currency: "EUR"}) { convertedTransactionCount } }""",
    )
    await _mutate(
        user,
        """mutation { setExchangeRate(input:
          {currency: "USD", date: "2026-01-01", rate: "0.9"}) { exchangeRate { id } } }""",
    )
    await assert_totals_match(user)

    # The bank: added, pending then posted on another day, modified, removed.
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(
        bank_transaction("b1", "12.00", date=dt.date(2026, 4, 28), pending=True),
        bank_transaction("b2", "7.00", date=dt.date(2026, 4, 29)),
        bank_transaction("b3", "-1500.00", date=dt.date(2026, 4, 30), hint="INCOME"),
    ))  # fmt: skip
    posted = bank_transaction("b1-posted", "12.00", date=dt.date(2026, 5, 2), pending_of="b1")
    moved = bank_transaction("b2", "8.00", date=dt.date(2026, 5, 1))
    await ingest(user, item, added=(posted,), modified=(moved,), removed=("b1", "b3"))
    await assert_totals_match(user)

    # A bank unlinked keeping its history (nothing counted changes), another unlinked deleting
    # it, with a transfer from one of its accounts to an account of the user's in another month.
    kept = await link_item(user, bank_account("k-1"))
    await ingest(user, kept, added=(bank_transaction("k1", "3.00", account="k-1"),))
    async with unit_of_work() as work:
        await api.keep_bank_accounts(work, user, kept)
    await assert_totals_match(user)
    doomed_bank = await link_item(user, bank_account("d-1", name="Doomed bank"))
    await ingest(user, doomed_bank, added=(
        bank_transaction("d1", "-20.00", account="d-1", date=dt.date(2026, 5, 31)),
        bank_transaction("d2", "250.00", account="d-1", date=dt.date(2026, 5, 15)),
    ))  # fmt: skip
    listed = await data("{ accounts { id name } }", user_id=user)
    doomed_account = next(a["id"] for a in listed["accounts"] if a["name"] == "Doomed bank")
    bank_rows = (await data(
        "query($a: ID) { transactions(filter: {accountId: $a}) { edges { node { id amount {"
        " amount } } } } }", {"a": doomed_account}, user_id=user,
    ))["transactions"]["edges"]  # fmt: skip
    money_out = next(
        e["node"]["id"] for e in bank_rows if e["node"]["amount"]["amount"] == "-20.00"
    )
    into_savings = await add_transaction(user, savings["id"], "20.00", "2026-06-01", "From bank")
    await _mutate(
        user,
        "mutation($a: ID!, $b: ID!) { linkTransfer(input: {ids: [$a, $b]}) { outflow { id } } }",
        a=money_out,
        b=into_savings["id"],
    )
    await assert_totals_match(user)
    async with unit_of_work() as work:
        await api.delete_bank_accounts(work, user, doomed_bank)
    await assert_totals_match(user)

    # A file import, then an account deleted with its history.
    done = await import_file(user, checking["id"], "CSV", file_text("girokonto.csv"), GIROKONTO)
    assert done["status"] == "COMPLETED"
    await assert_totals_match(user)
    await _mutate(
        user,
        """mutation($i: DeleteAccountInput!) { deleteAccount(input: $i) { deletedAccountId } }""",
        i={"id": doomed["id"]},
    )
    await assert_totals_match(user)

    # A rule applied to history: new payees and categories regroup the months it touched.
    rule = await _mutate(
        user,
        """mutation($i: CreateRuleInput!) { createRule(input: $i) { rule { id } } }""",
        i={
            "name": "Coffee",
            "conditions": {"descriptionContains": "blue bottle"},
            "actions": {"setPayeeId": by_name["Netflix"], "setCategoryId": c["Groceries"]},
        },
    )
    await _mutate(
        user,
        """mutation($i: ApplyRuleInput!) { applyRule(input: $i) { changedCount } }""",
        i={"ruleId": rule["createRule"]["rule"]["id"]},
    )
    await assert_totals_match(user)


@pytest.mark.parametrize(
    ("date_from", "date_to", "first", "last", "edges"),
    [
        # Whole months only.
        ("2026-01-01", "2026-03-31", "2026-01-01", "2026-03-01", []),
        # A partial first and last month around whole ones.
        ("2026-01-15", "2026-04-10", "2026-02-01", "2026-03-01",
         [("2026-01-15", "2026-01-31"), ("2026-04-01", "2026-04-10")]),
        # No whole month: the range is its own edge.
        ("2026-01-15", "2026-02-10", "2026-02-01", "2026-01-01", [("2026-01-15", "2026-02-10")]),
        ("2026-02-03", "2026-02-03", "2026-03-01", "2026-01-01", [("2026-02-03", "2026-02-03")]),
        # Open on one side or both.
        (None, "2026-01-15", None, "2025-12-01", [("2026-01-01", "2026-01-15")]),
        ("2026-01-15", None, "2026-02-01", None, [("2026-01-15", "2026-01-31")]),
        (None, None, None, None, []),
        # December into January; a leap February's last day.
        ("2025-12-31", "2026-01-31", "2026-01-01", "2026-01-01", [("2025-12-31", "2025-12-31")]),
        ("2024-02-01", "2024-02-29", "2024-02-01", "2024-02-01", []),
    ],
)  # fmt: skip
def test_a_range_is_cut_into_whole_months_and_the_days_outside_them(
    date_from: str | None,
    date_to: str | None,
    first: str | None,
    last: str | None,
    edges: list[tuple[str, str]],
) -> None:
    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    cut = totals.cut_at_months(day(date_from), day(date_to))
    assert (cut.first_month, cut.last_month) == (day(first), day(last))
    assert list(cut.edges) == [(day(low), day(high)) for low, high in edges]
    # Whole months and edges cover the range once: every day is in exactly one of them.
    if cut.first_month and cut.last_month:
        low, high = day(date_from), day(date_to)
        assert low and high
        whole = _days(cut.first_month, Month(cut.last_month.year, cut.last_month.month).last_day)
        outside = set().union(*(_days(a, b) for a, b in cut.edges))
        assert not whole & outside
        assert whole | outside == _days(low, high)


def _days(low: dt.date, high: dt.date) -> set[dt.date]:
    return {low + dt.timedelta(days=n) for n in range((high - low).days + 1)}
