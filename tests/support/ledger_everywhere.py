"""The ledger in full for one user, as a person fills it through the contract: their own group
and category (hidden, rolling over), the envelope style, a savings account and a closed one, a
transfer, a goal funded by an account, a tag, a split, a reconciliation, a recurring series with
the user's correction, a file imported, and a second one whose run died after staging its rows
(the one thing the contract cannot stage: the job is run here, as a redelivered message would,
and dies before publishing)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from services.ledger.imports import running
from services.ledger.imports import service as import_service
from shared.ids import decode_id
from tests.ledger.imports_support import GIROKONTO, file_text, job, run, start
from tests.support.graphql import data
from tests.sync import bank

# The first line of the imported file, which no record of the export may hold (it is the file's
# text, not a transaction).
IMPORTED_FILE_FIRST_LINE = "Kontoauszug Girokonto"
IMPORTED_ROWS = 5


class _RunDied(BaseException):
    """The worker running an import dies (not an error the job could catch and record)."""


async def fill_the_ledger(user: uuid.UUID, ids: dict[str, str], categories: dict[str, str]) -> None:
    """Rows for `user` in every ledger table the older story leaves empty; what it made goes
    into `ids` by name. `ids` has the story's "account" (USD), "euro_account" and "transaction"
    (a dinner in "account")."""
    await _categories_and_style(user, ids)
    await _accounts_and_money_between_them(user, ids)
    await _the_dinner_tagged_and_reconciled(user, ids)
    await _a_split(user, ids, categories)
    await _a_recurring_bill(user, ids)
    await _imports(user, ids)


async def _categories_and_style(user: uuid.UUID, ids: dict[str, str]) -> None:
    ids["category_group"] = (
        await data(
            'mutation { createCategoryGroup(input: {name: "Travel"}) { categoryGroup { id } } }',
            user_id=user,
        )
    )["createCategoryGroup"]["categoryGroup"]["id"]
    ids["travel_category"] = (
        await data(
            """mutation($g: ID!) { createCategory(input: {name: "Flights", groupId: $g,
                 rollover: true}) { category { id } } }""",
            {"g": ids["category_group"]},
            user_id=user,
        )
    )["createCategory"]["category"]["id"]
    await data(
        """mutation($c: ID!) { updateCategory(input: {id: $c, hidden: true}) {
             category { id } } }""",
        {"c": ids["travel_category"]},
        user_id=user,
    )
    await data(
        "mutation { setBudgetStyle(input: {style: ENVELOPE}) { ledgerSettings { budgetStyle } } }",
        user_id=user,
    )


async def _create_account(user: uuid.UUID, fields: str) -> str:
    created = await data(
        f"mutation {{ createAccount(input: {{{fields}}}) {{ account {{ id }} }} }}", user_id=user
    )
    account_id: str = created["createAccount"]["account"]["id"]
    return account_id


async def _accounts_and_money_between_them(user: uuid.UUID, ids: dict[str, str]) -> None:
    ids["savings_account"] = await _create_account(
        user, 'name: "Savings", type: SAVINGS, currency: "USD", institutionLabel: "Credit union"'
    )
    ids["closed_account"] = await _create_account(
        user, 'name: "Old jar", type: CASH, currency: "USD"'
    )
    await data(
        """mutation($a: ID!) { closeAccount(input: {id: $a, date: "2026-02-28"}) {
             account { id } } }""",
        {"a": ids["closed_account"]},
        user_id=user,
    )
    transfer = (
        await data(
            """mutation($i: CreateTransferInput!) { createTransfer(input: $i) {
                 outflow { id } inflow { id } } }""",
            {"i": {"fromAccountId": ids["account"], "toAccountId": ids["savings_account"],
                   "date": "2026-03-15", "amount": "100.00"}},
            user_id=user,
        )
    )["createTransfer"]  # fmt: skip
    ids["transfer_out"] = transfer["outflow"]["id"]
    ids["transfer_in"] = transfer["inflow"]["id"]
    ids["funded_goal"] = (
        await data(
            """mutation($a: ID!) { createGoal(input: {name: "Rainy day", targetAmount: "1000.00",
                 funding: ACCOUNT, accountId: $a}) { goal { id } } }""",
            {"a": ids["savings_account"]},
            user_id=user,
        )
    )["createGoal"]["goal"]["id"]


async def _the_dinner_tagged_and_reconciled(user: uuid.UUID, ids: dict[str, str]) -> None:
    ids["tag"] = (
        await data(
            'mutation { createTag(input: {name: "anniversary"}) { tag { id } } }', user_id=user
        )
    )["createTag"]["tag"]["id"]
    tagged = await data(
        """mutation($t: ID!, $tag: ID!) { updateTransaction(input: {id: $t, tagIds: [$tag]}) {
             transaction { payee { id } } } }""",
        {"t": ids["transaction"], "tag": ids["tag"]},
        user_id=user,
    )
    ids["payee"] = tagged["updateTransaction"]["transaction"]["payee"]["id"]
    await data(
        """mutation($a: ID!, $t: ID!) { reconcileAccount(input: {id: $a,
             statementDate: "2026-03-31", statementBalance: "7.66", transactionIds: [$t]}) {
             newlyClearedCount } }""",
        {"a": ids["account"], "t": ids["transaction"]},
        user_id=user,
    )


async def _a_split(user: uuid.UUID, ids: dict[str, str], categories: dict[str, str]) -> None:
    created = await data(
        """mutation($a: ID!) { createTransaction(input: {accountId: $a, date: "2026-03-13",
             amount: "-30.00", description: "Market and pharmacy"}) { transaction { id } } }""",
        {"a": ids["account"]},
        user_id=user,
    )
    ids["split_transaction"] = created["createTransaction"]["transaction"]["id"]
    ids["groceries"], ids["health"] = categories["Groceries"], categories["Health"]
    await data(
        """mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {
             transaction { id } } }""",
        {"i": {"id": ids["split_transaction"], "parts": [
            {"amount": "-20.00", "categoryId": ids["groceries"]},
            {"amount": "-10.00", "categoryId": ids["health"], "notes": "aspirin"}]}},
        user_id=user,
    )  # fmt: skip


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the 28th at most, which every month has)."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


async def _a_recurring_bill(user: uuid.UUID, ids: dict[str, str]) -> None:
    for months in (3, 2, 1, 0):
        await data(
            """mutation($a: ID!, $d: Date!) { createTransaction(input: {accountId: $a, date: $d,
                 amount: "-9.99", description: "STREAMLY.COM"}) { transaction { id } } }""",
            {"a": ids["account"], "d": _months_before(dt.date.today(), months).isoformat()},
            user_id=user,
        )
    detected = await data(
        "mutation { detectRecurring { newSuggestions { id name } } }", user_id=user
    )
    [series] = [
        found
        for found in detected["detectRecurring"]["newSuggestions"]
        if "streamly" in found["name"].lower()
    ]
    ids["recurring_series"] = series["id"]
    await data(
        """mutation($s: ID!) { updateRecurring(input: {id: $s, name: "Streamly"}) {
             recurringSeries { id } } }""",
        {"s": series["id"]},
        user_id=user,
    )


async def _imports(user: uuid.UUID, ids: dict[str, str]) -> None:
    text = file_text("girokonto.csv")
    imported = await start(user, ids["euro_account"], "CSV", text, file_name="girokonto.csv")
    ids["import_job"] = imported["id"]
    await run(user, imported["id"], GIROKONTO)

    async def completed() -> bool:
        return (await job(user, imported["id"]))["status"] == "COMPLETED"

    await bank.until(completed)

    interrupted = await start(user, ids["account"], "CSV", text, file_name="girokonto.csv")
    ids["interrupted_import_job"] = interrupted["id"]
    with pytest.MonkeyPatch.context() as patched:
        sent: list[Any] = []
        patched.setattr(import_service, "send_after_commit", lambda _work, m: sent.append(m))
        await run(user, interrupted["id"], GIROKONTO)

        async def dies(*_args: Any, **_kwargs: Any) -> None:
            raise _RunDied

        patched.setattr(running, "_publish", dies)
        with pytest.raises(_RunDied):
            await running.run_import_job(decode_id("ImportJob", interrupted["id"]))
    assert sent, "runImport queued its job"
