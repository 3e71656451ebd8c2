"""Budgets: one amount per category and month, with what was spent and what remains."""

from __future__ import annotations

from services.ledger import api
from shared.db import unit_of_work
from shared.money import Money
from tests.ledger.support import (
    add_transaction,
    bank_account,
    bank_transaction,
    category_ids,
    create_account,
    ingest,
    link_item,
    new_user,
    rejected_field,
)
from tests.support.graphql import data, error_codes, execute

SET = """mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget {
  id month category { name } amount { amount currency } spent { amount currency }
  remaining { amount currency } } } }"""
LIST = """query($month: Month!) { budgets(month: $month) {
  id month category { name } amount { amount } spent { amount } remaining { amount } } }"""


async def test_spent_counts_the_months_spending_in_the_category_less_refunds() -> None:
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    dining = categories["Dining"]
    for amount, day in (("-12.34", "2026-11-01"), ("-0.67", "2026-11-30"), ("5.00", "2026-11-15")):
        await add_transaction(user, account["id"], amount, date=day, category_id=dining)
    await add_transaction(user, account["id"], "-99.00", date="2026-10-31", category_id=dining)
    await add_transaction(user, account["id"], "-99.00", date="2026-12-01", category_id=dining)
    await add_transaction(
        user, account["id"], "-99.00", date="2026-11-10", category_id=categories["Rent"]
    )
    await add_transaction(user, account["id"], "-99.00", date="2026-11-10")

    budget = (
        await data(
            SET, {"input": {"categoryId": dining, "month": "2026-11", "amount": "50"}}, user_id=user
        )
    )["setBudget"]["budget"]

    assert budget["month"] == "2026-11"
    assert budget["category"] == {"name": "Dining"}
    assert budget["amount"] == {"amount": "50.00", "currency": "USD"}
    assert budget["spent"] == {"amount": "8.01", "currency": "USD"}
    assert budget["remaining"] == {"amount": "41.99", "currency": "USD"}


async def test_setting_a_budget_again_replaces_its_amount() -> None:
    user = await new_user()
    groceries = (await category_ids(user))["Groceries"]
    given = {"categoryId": groceries, "month": "2026-11", "amount": "300.00"}

    first = (await data(SET, {"input": given}, user_id=user))["setBudget"]["budget"]
    second = (await data(SET, {"input": {**given, "amount": "250.50"}}, user_id=user))["setBudget"][
        "budget"
    ]
    listed = (await data(LIST, {"month": "2026-11"}, user_id=user))["budgets"]

    assert first["id"] == second["id"]
    assert [budget["amount"]["amount"] for budget in listed] == ["250.50"]
    assert (await data(LIST, {"month": "2026-12"}, user_id=user))["budgets"] == []


async def test_overspending_leaves_a_negative_remainder_and_pending_spending_counts() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(
        user,
        item,
        added=(
            bank_transaction("p1", "-80.00", pending=True, hint="FOOD_AND_DRINK_GROCERIES"),
            bank_transaction("t1", "-30.25", hint="FOOD_AND_DRINK_GROCERIES"),
        ),
    )
    groceries = (await category_ids(user))["Groceries"]

    budget = (
        await data(
            SET,
            {"input": {"categoryId": groceries, "month": "2026-03", "amount": "100"}},
            user_id=user,
        )
    )["setBudget"]["budget"]

    assert budget["spent"]["amount"] == "110.25"
    assert budget["remaining"]["amount"] == "-10.25"


async def test_a_budget_is_in_the_base_currency_and_lists_what_waits_for_a_rate() -> None:
    user = await new_user(base_currency="EUR")
    euros = await create_account(user, name="Girokonto", currency="EUR")
    dollars = await create_account(user, name="US", currency="USD")
    dining = (await category_ids(user))["Dining"]
    await add_transaction(user, euros["id"], "-10.10", date="2026-07-04", category_id=dining)
    await add_transaction(user, dollars["id"], "-500.00", date="2026-07-04", category_id=dining)

    budget = (
        await data(
            """mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget {
                 amount { amount currency } spent { amount currency }
                 missingRates { currency transactionCount amount { amount currency } } } } }""",
            {"input": {"categoryId": dining, "month": "2026-07", "amount": "20"}},
            user_id=user,
        )
    )["setBudget"]["budget"]

    assert budget["amount"] == {"amount": "20.00", "currency": "EUR"}
    assert budget["spent"] == {"amount": "10.10", "currency": "EUR"}
    assert budget["missingRates"] == [
        {
            "currency": "USD",
            "transactionCount": 1,
            "amount": {"amount": "-500.00", "currency": "USD"},
        }
    ]


async def test_without_accounts_a_budget_is_in_us_dollars() -> None:
    user = await new_user()
    rent = (await category_ids(user))["Rent"]

    budget = (
        await data(
            SET, {"input": {"categoryId": rent, "month": "2027-01", "amount": "1200"}}, user_id=user
        )
    )["setBudget"]["budget"]

    assert budget["amount"] == {"amount": "1200.00", "currency": "USD"}
    assert budget["spent"] == {"amount": "0.00", "currency": "USD"}


async def test_the_public_api_reports_budgets_of_several_months() -> None:
    user = await new_user()
    account = await create_account(user)
    dining = (await category_ids(user))["Dining"]
    for month, spent in (("2026-01", "-7.50"), ("2026-02", "-2.25")):
        await data(
            SET, {"input": {"categoryId": dining, "month": month, "amount": "5"}}, user_id=user
        )
        await add_transaction(user, account["id"], spent, date=f"{month}-15", category_id=dining)

    async with unit_of_work() as work:
        statuses = await api.budget_statuses(work, user, ["2026-02", "2026-01", "2026-03"])

    assert [(s.month, s.category_name, s.amount, s.spent) for s in statuses] == [
        ("2026-01", "Dining", Money(500, "USD"), Money(750, "USD")),
        ("2026-02", "Dining", Money(500, "USD"), Money(225, "USD")),
    ]


async def test_months_are_validated_strictly() -> None:
    user = await new_user()
    dining = (await category_ids(user))["Dining"]
    for month in (
        "2026-13",
        "2026-00",
        "2026-1",
        "26-01",
        "2026/01",
        "2026-01-01",
        " 2026-01",
        "",
        "1899-12",
        "2026-01\n",
        "\uff12\uff10\uff12\uff16-01",  # full-width digits
    ):
        given = {"categoryId": dining, "month": month, "amount": "5"}
        assert await rejected_field(SET, {"input": given}, user_id=user) == "input.month", month
        assert await rejected_field(LIST, {"month": month}, user_id=user) == "month", month
    assert (await data(LIST, {"month": "2026-01"}, user_id=user))["budgets"] == []


async def test_invalid_budget_amounts_are_refused_and_nothing_is_stored() -> None:
    user = await new_user()
    dining = (await category_ids(user))["Dining"]
    for amount in ("-1.00", "0.001", "100000000000000"):
        given = {"categoryId": dining, "month": "2026-05", "amount": amount}
        assert await rejected_field(SET, {"input": given}, user_id=user) == "input.amount"
    assert (await data(LIST, {"month": "2026-05"}, user_id=user))["budgets"] == []


async def test_budgeting_another_users_category_is_not_found_and_budgets_stay_private() -> None:
    owner, intruder = await new_user(), await new_user()
    owners_dining = (await category_ids(owner))["Dining"]
    await data(
        SET,
        {"input": {"categoryId": owners_dining, "month": "2026-05", "amount": "5"}},
        user_id=owner,
    )

    result = await execute(
        SET,
        {"input": {"categoryId": owners_dining, "month": "2026-05", "amount": "9"}},
        user_id=intruder,
    )

    assert error_codes(result) == ["NOT_FOUND"]
    assert (await data(LIST, {"month": "2026-05"}, user_id=intruder))["budgets"] == []
    [kept] = (await data(LIST, {"month": "2026-05"}, user_id=owner))["budgets"]
    assert kept["amount"]["amount"] == "5.00"


async def test_a_month_in_a_year_no_calendar_has_is_bad_input_naming_the_field() -> None:
    # "0000-01" once reached date(0, 1, 1) and answered INTERNAL.
    user = await new_user()
    dining = (await category_ids(user))["Dining"]
    for month in ("0000-01", "0000-12", "9999-12", "2101-01"):
        given = {"categoryId": dining, "month": month, "amount": "5"}
        assert await rejected_field(SET, {"input": given}, user_id=user) == "input.month", month
        assert await rejected_field(LIST, {"month": month}, user_id=user) == "month", month
    assert (await data(LIST, {"month": "2100-12"}, user_id=user))["budgets"] == []


async def test_dates_no_calendar_has_are_bad_input_naming_the_field() -> None:
    # Dates arrive through the GraphQL Date scalar, which refuses these before any resolver.
    user = await new_user()
    account = await create_account(user)
    create = """mutation($input: CreateTransactionInput!) { createTransaction(input: $input) {
      transaction { id } } }"""
    report = """query($from: Date!, $to: Date!) { cashFlow(from: $from, to: $to) {
      month } }"""
    for day in (
        "0000-01-01",
        "10000-01-01",
        "2026-04-31",
        "2026-02-29",
        "2026-13-01",
        "\u0662\u0660\u0662\u0666-01-01",  # Arabic-Indic digits
    ):
        given = {"accountId": account["id"], "amount": "-1", "date": day, "description": "x"}
        assert await rejected_field(create, {"input": given}, user_id=user) == "input.date", day
        dates = {"from": day, "to": "2026-01-01"}
        assert await rejected_field(report, dates, user_id=user) == "from", day
    for first, last in (("0001-01-01", "2026-01-01"), ("2026-01-01", "9999-12-31")):
        result = await execute(report, {"from": first, "to": last}, user_id=user)
        assert error_codes(result) == ["BAD_USER_INPUT"], (first, last, result.errors)


async def test_amounts_in_other_scripts_digits_are_refused_naming_the_field() -> None:
    # Arabic-Indic and full-width "123" were once read as 123.
    user = await new_user()
    dining = (await category_ids(user))["Dining"]
    for amount in ("\u0661\u0662\u0663", "\uff11\uff12\uff13", "1\u0662.50"):
        given = {"categoryId": dining, "month": "2026-05", "amount": amount}
        assert await rejected_field(SET, {"input": given}, user_id=user) == "input.amount", amount
    assert (await data(LIST, {"month": "2026-05"}, user_id=user))["budgets"] == []
