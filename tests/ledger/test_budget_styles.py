"""Both budgeting styles, month by month: limits (with rollover per category) and envelopes
(ready to assign, moving money, overspending); copying budgets and budgeting months ahead."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from services.ledger import api
from shared.db import count_statements, unit_of_work
from shared.money import Money
from tests.ledger.support import (
    add_transaction,
    category_ids,
    create_account,
    new_user,
    rejected_field,
)
from tests.support.graphql import data, error_codes, execute

MONEY = "{ amount currency }"
MONTH = f"""query($month: Month!) {{ budgetMonth(month: $month) {{
  month style currency income {MONEY} budgeted {MONEY} carried {MONEY} spent {MONEY}
  available {MONEY} uncategorized {MONEY}
  readyToAssign {{ amount {MONEY} income {MONEY} assigned {MONEY} overspent {MONEY} }}
  lines {{ category {{ name }} budget {{ id amount {{ amount }} }} budgeted {{ amount }}
           carried {{ amount }} spent {{ amount }} available {{ amount }} rollover }}
  missingRates {{ currency transactionCount }}
  otherCurrencyBudgets {{ amount {MONEY} }} }} }}"""
SET_BUDGET = """mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget { id } } }"""
STYLE = """mutation($input: SetBudgetStyleInput!) { setBudgetStyle(input: $input) {
  ledgerSettings { baseCurrency budgetStyle } } }"""
COPY = """mutation($input: CopyBudgetsInput!) { copyBudgets(input: $input) {
  copiedCount budgets { month category { name } amount { amount } } } }"""
MOVE = """mutation($input: MoveBudgetInput!) { moveBudget(input: $input) {
  fromBudget { category { name } amount { amount } }
  toBudget { category { name } amount { amount } } } }"""
UPDATE = """mutation($input: UpdateCategoryInput!) { updateCategory(input: $input) {
  category { id } } }"""


class Household:
    """A user with an account, budgeting by category name."""

    def __init__(self, user: uuid.UUID, account: str, ids: dict[str, str]) -> None:
        self.user, self.account, self.ids = user, account, ids

    @classmethod
    async def start(cls, style: str = "LIMITS", base_currency: str | None = None) -> Household:
        user = await new_user(base_currency=base_currency)
        account = await create_account(user, currency=base_currency or "USD")
        household = cls(user, account["id"], await category_ids(user))
        if style != "LIMITS":
            await data(STYLE, {"input": {"style": style}}, user_id=user)
        return household

    async def budget(self, category: str, month: str, amount: str) -> None:
        given = {"categoryId": self.ids[category], "month": month, "amount": amount}
        await data(SET_BUDGET, {"input": given}, user_id=self.user)

    async def spend(self, category: str | None, day: str, amount: str) -> None:
        category_id = self.ids[category] if category else None
        await add_transaction(self.user, self.account, f"-{amount}", day, category_id=category_id)

    async def earn(self, day: str, amount: str) -> None:
        await add_transaction(self.user, self.account, amount, day, category_id=self.ids["Income"])

    async def roll_over(self, category: str) -> None:
        given = {"id": self.ids[category], "rollover": True}
        await data(UPDATE, {"input": given}, user_id=self.user)

    async def month(self, month: str) -> dict[str, Any]:
        result: dict[str, Any] = (await data(MONTH, {"month": month}, user_id=self.user))[
            "budgetMonth"
        ]
        return result

    async def line(self, month: str, category: str) -> dict[str, str]:
        """budgeted, carried, spent, available of a category's line."""
        view = await self.month(month)
        [line] = [line for line in view["lines"] if line["category"]["name"] == category]
        return {key: line[key]["amount"] for key in ("budgeted", "carried", "spent", "available")}


def _figures(budgeted: str, carried: str, spent: str, available: str) -> dict[str, str]:
    return {"budgeted": budgeted, "carried": carried, "spent": spent, "available": available}


async def test_without_rollover_each_months_limit_stands_alone() -> None:
    home = await Household.start()
    await home.budget("Dining", "2026-01", "100")
    await home.budget("Dining", "2026-02", "100")
    await home.spend("Dining", "2026-01-10", "60.00")
    await home.spend("Dining", "2026-02-10", "130.50")

    january = await home.month("2026-01")
    assert january["style"] == "LIMITS" and january["currency"] == "USD"
    assert january["readyToAssign"] is None
    assert await home.line("2026-01", "Dining") == _figures("100.00", "0.00", "60.00", "40.00")
    assert await home.line("2026-02", "Dining") == _figures("100.00", "0.00", "130.50", "-30.50")


async def test_rollover_carries_the_rest_and_the_overspending_through_a_month_without_budget() -> (
    None
):
    home = await Household.start()
    await home.roll_over("Dining")
    for month in ("2026-01", "2026-02", "2026-04"):  # nothing budgeted in March
        await home.budget("Dining", month, "100")
    for day, amount in (
        ("2025-12-15", "999.00"),  # before the first budget: nothing carries from it
        ("2026-01-10", "60.00"),
        ("2026-02-10", "150.00"),
        ("2026-03-10", "20.00"),
        ("2026-04-10", "50.00"),
    ):
        await home.spend("Dining", day, amount)
    await home.budget("Groceries", "2026-01", "300")  # no rollover: nothing carries
    await home.spend("Groceries", "2026-01-03", "100.00")
    await home.roll_over("Rent")  # budgeted from March: February's spending stays behind
    await home.spend("Rent", "2026-02-01", "900.00")
    await home.budget("Rent", "2026-03", "1000")
    await home.spend("Rent", "2026-03-01", "900.00")

    assert await home.line("2026-01", "Dining") == _figures("100.00", "0.00", "60.00", "40.00")
    assert await home.line("2026-02", "Dining") == _figures("100.00", "40.00", "150.00", "-10.00")
    assert await home.line("2026-03", "Dining") == _figures("0.00", "-10.00", "20.00", "-30.00")
    assert await home.line("2026-04", "Dining") == _figures("100.00", "-30.00", "50.00", "20.00")
    assert await home.line("2026-06", "Dining") == _figures("0.00", "20.00", "0.00", "20.00")
    assert await home.line("2026-02", "Groceries") == _figures("0.00", "0.00", "0.00", "0.00")
    assert await home.line("2026-03", "Rent") == _figures("1000.00", "0.00", "900.00", "100.00")
    assert await home.line("2026-04", "Rent") == _figures("0.00", "100.00", "0.00", "100.00")
    lines = {line["category"]["name"]: line for line in (await home.month("2026-03"))["lines"]}
    assert lines["Dining"]["rollover"] is True and lines["Groceries"]["rollover"] is False
    assert lines["Dining"]["budget"] is None


async def test_envelopes_assign_income_carry_what_is_left_and_take_overspending_from_the_next_month() -> (  # noqa: E501
    None
):
    home = await Household.start("ENVELOPE")
    await home.earn("2026-01-01", "1000.00")
    await home.budget("Groceries", "2026-01", "300")
    await home.budget("Rent", "2026-01", "500")
    await home.budget("Dining", "2026-01", "100")
    await home.spend("Groceries", "2026-01-20", "350.00")  # 50 overspent
    await home.spend("Rent", "2026-01-01", "500.00")
    await home.spend("Dining", "2026-01-12", "30.00")  # 70 left

    january = await home.month("2026-01")
    assert january["style"] == "ENVELOPE"
    assert january["readyToAssign"]["amount"] == {"amount": "100.00", "currency": "USD"}
    assert await home.line("2026-01", "Groceries") == _figures("300.00", "0.00", "350.00", "-50.00")

    await home.earn("2026-02-01", "1000.00")
    february = await home.month("2026-02")
    ready = {key: value["amount"] for key, value in february["readyToAssign"].items()}
    # 2000 received, 900 assigned, January's 50 overspent in Groceries.
    assert ready == {
        "amount": "1050.00",
        "income": "2000.00",
        "assigned": "900.00",
        "overspent": "50.00",
    }
    assert february["income"]["amount"] == "1000.00"
    assert await home.line("2026-02", "Groceries") == _figures("0.00", "0.00", "0.00", "0.00")
    assert await home.line("2026-02", "Dining") == _figures("0.00", "70.00", "0.00", "70.00")
    assert {line["rollover"] for line in february["lines"]} == {True}

    # Overspending is counted once: in March, January's 50 is still the only overspending.
    await home.budget("Groceries", "2026-02", "320")
    await home.spend("Groceries", "2026-02-20", "320.00")
    march = await home.month("2026-03")
    assert march["readyToAssign"]["amount"]["amount"] == "730.00"  # 2000 - 1220 - 50
    assert march["readyToAssign"]["overspent"]["amount"] == "50.00"


async def test_moving_money_between_envelopes_leaves_ready_to_assign_as_it_was() -> None:
    home = await Household.start("ENVELOPE")
    await home.earn("2026-01-01", "500.00")
    await home.budget("Dining", "2026-01", "100")
    await home.spend("Dining", "2026-01-12", "30.00")  # 70 carries into February
    before = (await home.month("2026-02"))["readyToAssign"]["amount"]

    moved = (
        await data(
            MOVE,
            {
                "input": {
                    "fromCategoryId": home.ids["Dining"],
                    "toCategoryId": home.ids["Groceries"],
                    "month": "2026-02",
                    "amount": "50.25",
                }
            },
            user_id=home.user,
        )
    )["moveBudget"]

    assert moved == {
        "fromBudget": {"category": {"name": "Dining"}, "amount": {"amount": "-50.25"}},
        "toBudget": {"category": {"name": "Groceries"}, "amount": {"amount": "50.25"}},
    }
    assert await home.line("2026-02", "Dining") == _figures("-50.25", "70.00", "0.00", "19.75")
    assert await home.line("2026-02", "Groceries") == _figures("50.25", "0.00", "0.00", "50.25")
    assert (await home.month("2026-02"))["readyToAssign"]["amount"] == before


async def test_money_that_is_not_there_or_not_a_budget_is_not_moved() -> None:
    home = await Household.start("ENVELOPE")
    await home.budget("Dining", "2026-02", "40")
    move = {
        "fromCategoryId": home.ids["Dining"],
        "toCategoryId": home.ids["Groceries"],
        "month": "2026-02",
        "amount": "10",
    }
    before = await home.month("2026-02")

    for changed, field in (
        ({"amount": "40.01"}, "input.amount"),
        ({"amount": "0"}, "input.amount"),
        ({"amount": "-5"}, "input.amount"),
        ({"amount": "1.001"}, "input.amount"),
        ({"toCategoryId": home.ids["Dining"]}, "input.toCategoryId"),
        ({"toCategoryId": home.ids["Income"]}, "input.toCategoryId"),
        ({"fromCategoryId": home.ids["Transfers"]}, "input.fromCategoryId"),
        ({"fromCategoryId": "nonsense"}, "input.fromCategoryId"),
        ({"month": "2026-13"}, "input.month"),
    ):
        given = {"input": {**move, **changed}}
        assert await rejected_field(MOVE, given, user_id=home.user) == field, changed

    assert await home.month("2026-02") == before


async def test_copying_last_months_budget_and_budgeting_months_ahead() -> None:
    home = await Household.start("ENVELOPE")
    await home.earn("2026-05-01", "2000.00")
    await home.budget("Rent", "2026-05", "1200")
    await home.budget("Groceries", "2026-05", "400.50")
    await home.budget("Groceries", "2026-06", "380")

    kept = (
        await data(
            COPY, {"input": {"fromMonth": "2026-05", "toMonth": "2026-06"}}, user_id=home.user
        )
    )["copyBudgets"]
    replaced = (
        await data(
            COPY,
            {"input": {"fromMonth": "2026-05", "toMonth": "2026-06", "overwrite": True}},
            user_id=home.user,
        )
    )["copyBudgets"]
    ahead = (
        await data(
            COPY, {"input": {"fromMonth": "2026-06", "toMonth": "2027-01"}}, user_id=home.user
        )
    )["copyBudgets"]

    def amounts(budgets: list[dict[str, Any]]) -> dict[str, str]:
        return {b["category"]["name"]: b["amount"]["amount"] for b in budgets}

    assert kept["copiedCount"] == 1
    assert amounts(kept["budgets"]) == {"Groceries": "380.00", "Rent": "1200.00"}
    assert replaced["copiedCount"] == 2
    assert amounts(replaced["budgets"]) == {"Groceries": "400.50", "Rent": "1200.00"}
    assert ahead["copiedCount"] == 2
    assert {b["month"] for b in ahead["budgets"]} == {"2027-01"}
    # Months ahead count what is assigned up to them; May does not see June's or January's.
    assert (await home.month("2026-05"))["readyToAssign"]["amount"]["amount"] == "399.50"
    assert (await home.month("2026-06"))["readyToAssign"]["amount"]["amount"] == "-1201.00"
    january = await home.month("2027-01")
    assert january["budgeted"]["amount"] == "1600.50"
    assert january["readyToAssign"]["assigned"]["amount"] == "4801.50"

    same = {"input": {"fromMonth": "2026-05", "toMonth": "2026-05"}}
    assert await rejected_field(COPY, same, user_id=home.user) == "input.toMonth"
    bad = {"input": {"fromMonth": "2026-5", "toMonth": "2026-06"}}
    assert await rejected_field(COPY, bad, user_id=home.user) == "input.fromMonth"


async def test_switching_styles_keeps_every_amount() -> None:
    home = await Household.start()
    await home.roll_over("Dining")
    await home.budget("Dining", "2026-01", "50")
    await home.spend("Dining", "2026-01-05", "80.00")
    limits = await home.month("2026-02")

    switched = (await data(STYLE, {"input": {"style": "ENVELOPE"}}, user_id=home.user))[
        "setBudgetStyle"
    ]["ledgerSettings"]
    envelope = await home.line("2026-02", "Dining")
    await data(STYLE, {"input": {"style": "LIMITS"}}, user_id=home.user)

    assert switched == {"baseCurrency": "USD", "budgetStyle": "ENVELOPE"}
    assert envelope == _figures("0.00", "0.00", "0.00", "0.00")  # overspending does not carry
    assert await home.month("2026-02") == limits
    assert await home.line("2026-02", "Dining") == _figures("0.00", "-30.00", "0.00", "-30.00")
    settings = await data("{ ledgerSettings { budgetStyle } }", user_id=home.user)
    assert settings == {"ledgerSettings": {"budgetStyle": "LIMITS"}}


async def test_the_lines_add_up_to_the_months_totals_to_the_cent() -> None:
    home = await Household.start("ENVELOPE")
    await home.earn("2026-01-31", "3333.33")
    names = [name for name in home.ids if name not in ("Income", "Transfers")]
    for index, name in enumerate(names):
        await home.budget(name, "2026-01", f"{index * 7}.{index:02d}")
        await home.budget(name, "2026-02", f"{index * 3}.33")
        await home.spend(name, "2026-01-15", f"{index * 5}.{(index * 13) % 100:02d}")
        await home.spend(name, "2026-02-15", f"0.{index + 1:02d}")
    await home.spend("Transfers", "2026-02-03", "999.99")  # not budgeted, in no line
    await home.spend(None, "2026-02-04", "12.34")

    view = await home.month("2026-02")

    for total in ("budgeted", "carried", "spent", "available"):
        lines = sum(Decimal(line[total]["amount"]) for line in view["lines"])
        assert Decimal(view[total]["amount"]) == lines, total
        for line in view["lines"]:
            available = Decimal(line["budgeted"]["amount"]) + Decimal(line["carried"]["amount"])
            assert Decimal(line["available"]["amount"]) == available - Decimal(
                line["spent"]["amount"]
            )
    assert {line["category"]["name"] for line in view["lines"]} == set(names)
    assert view["uncategorized"]["amount"] == "12.34"
    ready = view["readyToAssign"]
    assert Decimal(ready["amount"]["amount"]) == Decimal(ready["income"]["amount"]) - Decimal(
        ready["assigned"]["amount"]
    ) - Decimal(ready["overspent"]["amount"])


async def test_a_month_counts_in_the_base_currency_and_lists_what_waits_for_a_rate() -> None:
    home = await Household.start(base_currency="EUR")
    dollars = await create_account(home.user, name="US card", currency="USD")
    await data(
        """mutation { setExchangeRate(input: {currency: "USD", date: "2026-01-01", rate: "0.5"})
             { exchangeRate { id } } }""",
        user_id=home.user,
    )
    await home.budget("Dining", "2026-03", "40")
    await home.spend("Dining", "2026-03-02", "10.00")
    await add_transaction(
        home.user, dollars["id"], "-5.01", "2026-03-03", category_id=home.ids["Dining"]
    )
    yen = await create_account(home.user, name="Tokyo", currency="JPY")
    await add_transaction(
        home.user, yen["id"], "-1200", "2026-03-04", category_id=home.ids["Dining"]
    )

    view = await home.month("2026-03")

    assert view["currency"] == "EUR"
    # 10.00 EUR + 5.01 USD at 0.5 (2.505, to even: 2.50); the yen wait for a rate.
    assert await home.line("2026-03", "Dining") == _figures("40.00", "0.00", "12.50", "27.50")
    assert view["missingRates"] == [{"currency": "JPY", "transactionCount": 1}]
    assert view["spent"] == {"amount": "12.50", "currency": "EUR"}


async def test_hidden_categories_show_only_in_months_where_they_have_something() -> None:
    home = await Household.start()
    await home.budget("Travel", "2026-07", "500")
    await data(UPDATE, {"input": {"id": home.ids["Travel"], "hidden": True}}, user_id=home.user)
    await data(UPDATE, {"input": {"id": home.ids["Fees"], "hidden": True}}, user_id=home.user)

    july = [line["category"]["name"] for line in (await home.month("2026-07"))["lines"]]
    august = [line["category"]["name"] for line in (await home.month("2026-08"))["lines"]]

    assert "Travel" in july and "Travel" not in august
    assert "Fees" not in july
    assert july[:2] == ["Groceries", "Dining"]  # the user's order
    assert "Income" not in july and "Transfers" not in july


async def test_a_month_view_costs_the_same_queries_however_long_the_history() -> None:
    async def statements_for(months: int) -> tuple[int, int]:
        home = await Household.start("ENVELOPE")
        await home.roll_over("Dining")
        start = dt.date(2026, 1, 1)
        for index in range(months):
            year, month = start.year + (start.month + index - 1) // 12, (index % 12) + 1
            label = f"{year:04d}-{month:02d}"
            await home.earn(f"{label}-01", "100.00")
            await home.budget("Dining", label, "50")
            await home.spend("Dining", f"{label}-15", "45.00")
            await home.spend("Groceries", f"{label}-16", "3.00")
        async with count_statements() as statements:
            result = await data(
                f"""query($month: Month!) {{ budgetMonth(month: $month) {{
                  readyToAssign {{ amount {MONEY} }}
                  lines {{ category {{ name group categoryGroup {{ name }} }}
                           budget {{ id category {{ name }} }} available {{ amount }} }} }} }}""",
                {"month": "2028-12"},
                user_id=home.user,
            )
        assert result["budgetMonth"]["lines"]
        await data(STYLE, {"input": {"style": "LIMITS"}}, user_id=home.user)  # with rollover
        async with count_statements() as limits:
            await data(MONTH, {"month": "2028-12"}, user_id=home.user)
        return len(statements), len(limits)

    short, long = await statements_for(2), await statements_for(30)

    assert short == long
    envelope, limits = long
    # The settings, categories, budgets and one aggregate of the transactions (plus the
    # lines' groups through their loader), each read session opening with BEGIN.
    assert envelope <= 8
    assert limits <= 6


async def test_months_are_validated_strictly() -> None:
    home = await Household.start()
    for month in ("2026-13", "2026-1", "", "1899-12", "2101-01"):
        assert await rejected_field(MONTH, {"month": month}, user_id=home.user) == "month"


async def test_another_users_month_shows_none_of_their_money() -> None:
    owner, intruder = await Household.start("ENVELOPE"), await Household.start()
    await owner.earn("2026-02-01", "900.00")
    await owner.budget("Rent", "2026-02", "700")
    await owner.spend("Rent", "2026-02-02", "700.00")
    move = {
        "fromCategoryId": owner.ids["Rent"],
        "toCategoryId": intruder.ids["Dining"],
        "month": "2026-02",
        "amount": "1",
    }

    seen = await intruder.month("2026-02")
    moved = await execute(MOVE, {"input": move}, user_id=intruder.user)
    reversed_move = {
        **move,
        "fromCategoryId": intruder.ids["Dining"],
        "toCategoryId": owner.ids["Rent"],
    }
    moved_back = await execute(MOVE, {"input": reversed_move}, user_id=intruder.user)

    assert seen["style"] == "LIMITS"
    assert {line["spent"]["amount"] for line in seen["lines"]} == {"0.00"}
    assert seen["income"]["amount"] == "0.00"
    assert error_codes(moved) == error_codes(moved_back) == ["NOT_FOUND"]
    assert (await owner.month("2026-02"))["readyToAssign"]["amount"]["amount"] == "200.00"


async def test_the_overspending_check_sees_what_each_category_may_spend_with_its_carry() -> None:
    # The notifier alerts when spent exceeds a status's amount: money moved out of a carried
    # envelope, or a rollover deficit, must count as the month's real limit.
    envelopes = await Household.start("ENVELOPE")
    await envelopes.earn("2026-01-01", "500.00")
    await envelopes.budget("Dining", "2026-01", "100")
    await envelopes.spend("Dining", "2026-01-12", "30.00")  # 70 carries into February
    move = {
        "fromCategoryId": envelopes.ids["Dining"],
        "toCategoryId": envelopes.ids["Groceries"],
        "month": "2026-02",
        "amount": "50",
    }
    await data(MOVE, {"input": move}, user_id=envelopes.user)  # Dining's budget: -50
    await envelopes.spend("Dining", "2026-02-03", "15.00")
    limits = await Household.start()
    await limits.roll_over("Rent")
    await limits.budget("Rent", "2026-01", "1000")
    await limits.spend("Rent", "2026-01-01", "1100.00")  # 100 overspent carries
    await limits.budget("Rent", "2026-02", "1000")
    await limits.spend("Rent", "2026-02-01", "950.00")

    async with unit_of_work() as work:
        enveloped = await api.budget_statuses(work, envelopes.user, ["2026-02"])
        limited = await api.budget_statuses(work, limits.user, ["2026-01", "2026-02"])

    assert [(s.category_name, s.amount, s.spent) for s in enveloped] == [
        ("Dining", Money(2000, "USD"), Money(1500, "USD")),  # -50 budgeted + 70 carried
        ("Groceries", Money(5000, "USD"), Money(0, "USD")),
    ]
    assert [(s.month, s.amount, s.spent) for s in limited] == [
        ("2026-01", Money(100_000, "USD"), Money(110_000, "USD")),
        ("2026-02", Money(90_000, "USD"), Money(95_000, "USD")),  # overspent again, by 50
    ]
