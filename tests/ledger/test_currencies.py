"""Currencies: each user's base currency, the exchange rates they enter or import, and money in
other currencies counted in the base currency at the rate kept with each converted figure."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type

from services.ledger import api
from services.ledger.currencies.conversion import Rate, convert_minor
from shared.db import count_statements, unit_of_work
from shared.errors import BadUserInput
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
from tests.support.graphql import data, error_codes, execute, schema

SET_RATE = """mutation($input: SetExchangeRateInput!) { setExchangeRate(input: $input) {
  exchangeRate { id currency quoteCurrency date rate } convertedTransactionCount } }"""
DELETE_RATE = """mutation($input: DeleteExchangeRateInput!) { deleteExchangeRate(input: $input) {
  deletedExchangeRateId } }"""
IMPORT = """mutation($input: ImportExchangeRatesInput!) { importExchangeRates(input: $input) {
  createdCount replacedCount convertedTransactionCount } }"""
SET_BASE = """mutation($input: SetBaseCurrencyInput!) { setBaseCurrency(input: $input) {
  ledgerSettings { baseCurrency } convertedTransactionCount waitingTransactionCount } }"""
RATES = """query($currency: String, $first: Int, $after: String) {
  exchangeRates(currency: $currency, first: $first, after: $after) {
    edges { cursor node { id currency quoteCurrency date rate } }
    pageInfo { hasNextPage endCursor } } }"""
MISSING = """query($from: Date, $to: Date) { missingExchangeRates(from: $from, to: $to) {
  currency transactionCount amount { amount currency } firstDate lastDate } }"""
BUDGET = """mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget {
  amount { amount currency } spent { amount currency } remaining { amount currency }
  missingRates { currency transactionCount amount { amount currency } } } } }"""
BUDGETS = """query($month: Month!) { budgets(month: $month) {
  spent { amount currency } missingRates { currency transactionCount } } }"""
SPENDING = """query($from: Date!, $to: Date!) { spendingByCategory(from: $from, to: $to) {
  category { name } amount { amount currency } } }"""
CASH_FLOW = """query($from: Date!, $to: Date!) { cashFlow(from: $from, to: $to) {
  month income { amount currency } expenses { amount currency }
  missingRates { currency transactionCount amount { amount } } } }"""
NET_WORTH = """query($from: Date!, $to: Date!) { netWorth(from: $from, to: $to) {
  date amount { amount currency } unconvertedBalances { amount currency } } }"""
# Shared types another engineer owns (their descriptions are theirs to add).
BUILT_ELSEWHERE = {"Money", "PageInfo", "String", "Int", "Boolean", "ID", "Date", "Decimal"}
CONVERTED = """query { transactions(first: 100) { edges { node {
  id description amount { amount currency }
  converted { amount { amount currency } rate rateDate } } } } }"""


async def set_rate(user: uuid.UUID, currency: str, date: str, rate: str) -> dict[str, Any]:
    variables = {"input": {"currency": currency, "date": date, "rate": rate}}
    payload: dict[str, Any] = (await data(SET_RATE, variables, user_id=user))["setExchangeRate"]
    return payload


async def converted(user: uuid.UUID) -> dict[str, dict[str, Any] | None]:
    """Each transaction's converted figure, by description."""
    result = await data(CONVERTED, user_id=user)
    return {
        edge["node"]["description"]: edge["node"]["converted"]
        for edge in result["transactions"]["edges"]
    }


async def spent(user: uuid.UUID, category_id: str, month: str, amount: str) -> dict[str, Any]:
    variables = {"input": {"categoryId": category_id, "month": month, "amount": amount}}
    budget: dict[str, Any] = (await data(BUDGET, variables, user_id=user))["setBudget"]["budget"]
    return budget


async def test_a_euro_purchase_counts_in_a_dollar_budget_at_the_stored_rate() -> None:
    user = await new_user()
    euros = await create_account(user, name="Girokonto", currency="EUR")
    groceries = (await category_ids(user))["Groceries"]
    await set_rate(user, "EUR", "2026-03-01", "1.10")
    await add_transaction(
        user, euros["id"], "-50.00", "2026-03-10", "Marché", category_id=groceries
    )

    budget = await spent(user, groceries, "2026-03", "100")

    assert budget["amount"] == {"amount": "100.00", "currency": "USD"}
    assert budget["spent"] == {"amount": "55.00", "currency": "USD"}
    assert budget["remaining"] == {"amount": "45.00", "currency": "USD"}
    assert budget["missingRates"] == []
    assert (await converted(user))["Marché"] == {
        "amount": {"amount": "-55.00", "currency": "USD"},
        "rate": "1.1",
        "rateDate": "2026-03-01",
    }


async def test_a_thousand_euro_account_is_in_net_worth_at_the_rate_of_each_points_date() -> None:
    user = await new_user()
    await create_account(user, name="Checking", opening_balance="500.00")
    await create_account(
        user, name="Sparkonto", type="SAVINGS", currency="EUR", opening_balance="1000.00"
    )
    months = {"from": "2026-01-01", "to": "2026-02-28"}

    before = (await data(NET_WORTH, months, user_id=user))["netWorth"]
    await set_rate(user, "EUR", "2026-01-15", "1.08")
    await set_rate(user, "EUR", "2026-02-01", "1.1234")
    after = (await data(NET_WORTH, months, user_id=user))["netWorth"]

    euros = {"amount": "1000.00", "currency": "EUR"}
    assert [point["unconvertedBalances"] for point in before] == [[euros], [euros]]
    assert [point["amount"] for point in before] == [{"amount": "500.00", "currency": "USD"}] * 2
    assert after == [
        {
            "date": "2026-01-31",
            "amount": {"amount": "1580.00", "currency": "USD"},
            "unconvertedBalances": [],
        },
        {
            "date": "2026-02-28",
            "amount": {"amount": "1623.40", "currency": "USD"},
            "unconvertedBalances": [],
        },
    ]
    # A point before the first rate has none to use: its euros are listed, not guessed.
    early = await data(NET_WORTH, {"from": "2026-01-01", "to": "2026-01-10"}, user_id=user)
    assert early["netWorth"][0]["unconvertedBalances"] == [euros]


async def test_a_rate_added_or_changed_later_never_changes_a_converted_figure() -> None:
    user = await new_user()
    euros = await create_account(user, currency="EUR")
    dining = (await category_ids(user))["Dining"]
    first = await set_rate(user, "EUR", "2026-03-01", "1.10")
    await add_transaction(user, euros["id"], "-50.00", "2026-03-10", "Old", category_id=dining)
    march = {"from": "2026-03-01", "to": "2026-03-31"}
    reports_before = [await data(q, march, user_id=user) for q in (SPENDING, CASH_FLOW)]

    newer = await set_rate(user, "EUR", "2026-03-05", "1.20")  # closer to the purchase
    replaced = await set_rate(user, "EUR", "2026-03-01", "1.50")  # the rate it used, corrected
    await data(DELETE_RATE, {"input": {"id": first["exchangeRate"]["id"]}}, user_id=user)
    await add_transaction(user, euros["id"], "-50.00", "2026-03-10", "New", category_id=dining)

    figures = await converted(user)
    assert newer["convertedTransactionCount"] == replaced["convertedTransactionCount"] == 0
    assert figures["Old"] == {
        "amount": {"amount": "-55.00", "currency": "USD"},
        "rate": "1.1",
        "rateDate": "2026-03-01",
    }
    assert figures["New"] == {
        "amount": {"amount": "-60.00", "currency": "USD"},
        "rate": "1.2",
        "rateDate": "2026-03-05",
    }
    spending = (await data(SPENDING, march, user_id=user))["spendingByCategory"]
    assert spending == [
        {"category": {"name": "Dining"}, "amount": {"amount": "115.00", "currency": "USD"}}
    ]
    assert reports_before[0]["spendingByCategory"][0]["amount"]["amount"] == "55.00"
    assert reports_before[1]["cashFlow"][0]["expenses"]["amount"] == "55.00"


async def test_editing_the_amount_or_date_converts_again_and_other_edits_keep_the_figure() -> None:
    user = await new_user()
    euros = await create_account(user, currency="EUR")
    await set_rate(user, "EUR", "2026-03-01", "1.10")
    created = await add_transaction(user, euros["id"], "-10.00", "2026-03-10", "Lunch")
    await set_rate(user, "EUR", "2026-03-05", "1.20")
    update = """mutation($input: UpdateTransactionInput!) {
      updateTransaction(input: $input) { transaction { converted { amount { amount } rate } } } }"""

    noted = await data(update, {"input": {"id": created["id"], "notes": "with Ana"}}, user_id=user)
    revalued = await data(
        update, {"input": {"id": created["id"], "amount": "-20.00"}}, user_id=user
    )
    redated = await data(
        update, {"input": {"id": created["id"], "date": "2026-02-27"}}, user_id=user
    )

    assert noted["updateTransaction"]["transaction"]["converted"] == {
        "amount": {"amount": "-11.00"},
        "rate": "1.1",
    }
    assert revalued["updateTransaction"]["transaction"]["converted"] == {
        "amount": {"amount": "-24.00"},
        "rate": "1.2",
    }
    assert redated["updateTransaction"]["transaction"]["converted"] is None  # no rate that early


async def test_a_transaction_without_a_rate_waits_is_listed_and_counts_once_one_is_stored(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    euros = await create_account(user, currency="EUR")
    dining = (await category_ids(user))["Dining"]
    await set_rate(user, "EUR", "2026-03-20", "1.10")  # after the purchase: not used
    await add_transaction(user, euros["id"], "-50.00", "2026-03-10", category_id=dining)
    await add_transaction(user, euros["id"], "-0.40", "2026-03-12", category_id=dining)
    march = {"from": "2026-03-01", "to": "2026-03-31"}

    missing = (await data(MISSING, march, user_id=user))["missingExchangeRates"]
    flow = (await data(CASH_FLOW, march, user_id=user))["cashFlow"]
    budget = await spent(user, dining, "2026-03", "80")
    announcements.clear()
    stored = await set_rate(user, "EUR", "2026-03-01", "1.25")

    waiting = {
        "currency": "EUR",
        "transactionCount": 2,
        "amount": {"amount": "-50.40", "currency": "EUR"},
        "firstDate": "2026-03-10",
        "lastDate": "2026-03-12",
    }
    assert missing == [waiting]
    assert flow[0]["expenses"]["amount"] == "0.00"
    assert flow[0]["missingRates"] == [
        {"currency": "EUR", "transactionCount": 2, "amount": {"amount": "-50.40"}}
    ]
    assert budget["spent"]["amount"] == "0.00"
    assert budget["missingRates"] == [
        {
            "currency": "EUR",
            "transactionCount": 2,
            "amount": {"amount": "-50.40", "currency": "EUR"},
        }
    ]
    assert stored["convertedTransactionCount"] == 2
    assert (await data(MISSING, march, user_id=user))["missingExchangeRates"] == []
    after = (await data(BUDGETS, {"month": "2026-03"}, user_id=user))["budgets"]
    assert after == [{"spent": {"amount": "63.00", "currency": "USD"}, "missingRates": []}]
    # The notifier hears about it: those transactions now count in the month's budgets.
    assert len(announcements) == 1
    assert announcements[0]["months"] == ["2026-03"]
    assert len(announcements[0]["transaction_ids"]) == 2


async def test_each_row_is_rounded_once_half_to_even_and_totals_equal_the_rows() -> None:
    user = await new_user()
    euros = await create_account(user, currency="EUR")
    shopping = (await category_ids(user))["Shopping"]
    await set_rate(user, "EUR", "2026-01-01", "1.5")
    # Ties go to the even cent: 0.015 -> 0.02, 0.045 -> 0.04. The report adds the rows'
    # figures, 3 x 0.02 + 0.04 = 0.10; converting their sum instead would say 0.09.
    for index, amount in enumerate(("-0.01", "-0.01", "-0.01", "-0.03")):
        await add_transaction(
            user, euros["id"], amount, "2026-01-10", f"tie {index}", category_id=shopping
        )

    figures = await converted(user)
    spending = await data(SPENDING, {"from": "2026-01-01", "to": "2026-01-31"}, user_id=user)
    budget = await spent(user, shopping, "2026-01", "1")

    assert sorted(Decimal(f["amount"]["amount"]) for f in figures.values() if f) == [
        Decimal("-0.04"),
        Decimal("-0.02"),
        Decimal("-0.02"),
        Decimal("-0.02"),
    ]
    assert spending["spendingByCategory"][0]["amount"]["amount"] == "0.10"
    assert budget["spent"]["amount"] == "0.10"


async def test_totals_of_many_converted_rows_equal_the_rows_to_the_cent() -> None:
    user = await new_user(base_currency="EUR")
    dollars = await create_account(user, currency="USD")
    yen = await create_account(user, name="Tokyo", currency="JPY")
    groceries = (await category_ids(user))["Groceries"]
    await set_rate(user, "USD", "2025-12-01", "0.9237")
    await set_rate(user, "JPY", "2025-12-01", "0.006173")
    randomness = random.Random(20260310)
    for index in range(40):
        cents = randomness.randint(1, 99_999)
        account, amount = (
            (dollars, f"-{cents // 100}.{cents % 100:02d}") if index % 2 else (yen, f"-{cents}")
        )
        await add_transaction(
            user,
            account["id"],
            amount,
            f"2026-01-{index % 28 + 1:02d}",
            f"row {index}",
            category_id=groceries,
        )

    figures = await converted(user)
    spending = await data(SPENDING, {"from": "2026-01-01", "to": "2026-01-31"}, user_id=user)
    flow = await data(CASH_FLOW, {"from": "2026-01-01", "to": "2026-01-31"}, user_id=user)

    rows = [Decimal(f["amount"]["amount"]) for f in figures.values() if f]
    assert len(rows) == 40
    total = -sum(rows)
    assert Decimal(spending["spendingByCategory"][0]["amount"]["amount"]) == total
    assert Decimal(flow["cashFlow"][0]["expenses"]["amount"]) == total
    result = await data(CONVERTED, user_id=user)
    for edge in result["transactions"]["edges"]:
        node = edge["node"]
        exact = Decimal(node["amount"]["amount"]) * Decimal(node["converted"]["rate"])
        expected = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
        assert Decimal(node["converted"]["amount"]["amount"]) == expected


def test_conversion_follows_each_currencys_minor_unit_and_rounds_half_to_even() -> None:
    day = dt.date(2026, 1, 1)
    assert convert_minor(1234, Rate("JPY", "USD", day, Decimal("0.0065"))) == 802  # 8.021
    assert convert_minor(-1234, Rate("JPY", "USD", day, Decimal("0.0065"))) == -802
    assert convert_minor(1000, Rate("USD", "JPY", day, Decimal("153.45"))) == 1534  # 1534.5
    assert convert_minor(1001, Rate("USD", "JPY", day, Decimal("153.45"))) == 1536  # 1536.0345
    assert convert_minor(1, Rate("KWD", "EUR", day, Decimal("2.5"))) == 0  # 0.0025 EUR -> 0.00
    assert convert_minor(-5, Rate("EUR", "USD", day, Decimal("0.5"))) == -2  # -2.5 -> -2


async def test_rates_are_listed_newest_first_a_page_at_a_time() -> None:
    user = await new_user()
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        await set_rate(user, "EUR", day, "1.1")
    await set_rate(user, "GBP", "2026-01-02", "1.27")

    first = (await data(RATES, {"first": 2}, user_id=user))["exchangeRates"]
    rest = (await data(RATES, {"first": 2, "after": first["pageInfo"]["endCursor"]}, user_id=user))[
        "exchangeRates"
    ]
    pounds = (await data(RATES, {"currency": "gbp"}, user_id=user))["exchangeRates"]

    listed = [edge["node"] for edge in first["edges"] + rest["edges"]]
    assert (listed[0]["date"], listed[0]["currency"]) == ("2026-01-03", "EUR")
    assert [rate["date"] for rate in listed] == sorted((r["date"] for r in listed), reverse=True)
    assert len({rate["id"] for rate in listed}) == 4
    assert first["pageInfo"]["hasNextPage"] is True
    assert rest["pageInfo"]["hasNextPage"] is False
    assert [edge["node"]["rate"] for edge in pounds["edges"]] == ["1.27"]
    assert {rate["quoteCurrency"] for rate in listed} == {"USD"}


async def test_rates_import_from_csv_in_one_go() -> None:
    user = await new_user()
    euros = await create_account(user, currency="EUR")
    await add_transaction(user, euros["id"], "-10.00", "2026-02-14", "Roses")
    await set_rate(user, "EUR", "2026-02-01", "1.00")
    text = (
        "\ufeffDate,Currency,Rate\r\n"
        "2026-02-01,EUR,1.0825\r\n"
        "\r\n"
        "2026-02-02, eur ,1.09\r\n"
        '"2026-02-01","GBP","1.2712"\n'
    )

    imported = await data(IMPORT, {"input": {"csv": text}}, user_id=user)
    listed = (await data(RATES, {}, user_id=user))["exchangeRates"]["edges"]

    assert imported["importExchangeRates"] == {
        "createdCount": 2,
        "replacedCount": 1,
        "convertedTransactionCount": 0,
    }
    assert sorted(
        (e["node"]["date"], e["node"]["currency"], e["node"]["rate"]) for e in listed
    ) == [
        ("2026-02-01", "EUR", "1.0825"),
        ("2026-02-01", "GBP", "1.2712"),
        ("2026-02-02", "EUR", "1.09"),
    ]
    # Converted before the import, at the rate of the day: that figure stays.
    assert (await converted(user))["Roses"]["amount"]["amount"] == "-10.00"  # type: ignore[index]


async def test_a_csv_without_a_header_in_the_columns_order_converts_what_waited() -> None:
    user = await new_user()
    euros = await create_account(user, currency="EUR")
    await add_transaction(user, euros["id"], "-10.00", "2026-02-14", "Roses")

    imported = await data(IMPORT, {"input": {"csv": "2026-02-01,EUR,1.2\n"}}, user_id=user)

    assert imported["importExchangeRates"]["convertedTransactionCount"] == 1
    assert (await converted(user))["Roses"]["amount"]["amount"] == "-12.00"  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "row", "column", "says"),
    [
        ("date,currency,rate\n2026-01-01,EUR,1.1\n2026-01-02,EUR,-1\n", 3, "rate",
         "must be greater than zero"),
        ("2026-01-01,EUR,1.1\n2026-01-02,XYZ,1.1\n", 2, "currency", "unknown currency"),
        ("2026-01-01,EUR,0\n", 1, "rate", "must be greater than zero"),
        ("2026-01-01,EUR,1e3\n", 1, "rate", "decimal number"),
        ("2026-01-01,EUR,\u0661\u066b\u0661\n", 1, "rate", "decimal number"),  # Arabic-Indic
        ("2026-13-01,EUR,1.1\n", 1, "date", "is not a date"),
        ("01/02/2026,EUR,1.1\n", 1, "date", 'such as "2026-03-01"'),
        ("1899-12-31,EUR,1.1\n", 1, "date", "between"),
        ("2026-01-01,USD,1\n", 1, "currency", "base currency"),
        ("2026-01-01,EUR,1.1\n2026-01-01,eur,1.2\n", 2, "date", "repeats the EUR rate"),
        ("2026-01-01,EUR\n", 1, None, "has 2 columns"),
        ("day,currency,rate\n2026-01-01,EUR,1.1\n", 1, None, "the header must name"),
    ],
)  # fmt: skip
async def test_a_bad_csv_row_is_named_by_row_and_column_and_nothing_is_stored(
    text: str, row: int, column: str | None, says: str
) -> None:
    user = await new_user()

    result = await execute(IMPORT, {"input": {"csv": text}}, user_id=user)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None
    error = result.errors[0]
    extensions = error.extensions or {}
    assert extensions["field"] == "input.csv"
    assert (extensions["row"], extensions["column"]) == (row, column)
    where = f"row {row}" + (f", column {column}" if column else "")
    assert f"{where}: " in error.message and says in error.message
    assert (await data(RATES, {}, user_id=user))["exchangeRates"]["edges"] == []


async def test_every_bad_row_is_listed_at_once() -> None:
    user = await new_user()
    text = "2026-01-01,EUR,x\n2026-01-02,EUR,1.1\n2026-02-30,ABC,-2\n"

    result = await execute(IMPORT, {"input": {"csv": text}}, user_id=user)

    assert result.errors is not None
    problems = (result.errors[0].extensions or {})["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [
        (1, "rate"),
        (3, "date"),
        (3, "currency"),
        (3, "rate"),
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [("", "has no rates"), ("date,currency,rate\n\n", "has no rates")],
)
async def test_a_csv_without_rates_is_refused(text: str, says: str) -> None:
    user = await new_user()

    result = await execute(IMPORT, {"input": {"csv": text}}, user_id=user)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None and says in result.errors[0].message


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"currency": "XYZ"}, "input.currency"),
        ({"currency": "usd"}, "input.currency"),  # the base currency is 1, always
        ({"rate": "0"}, "input.rate"),
        ({"rate": "-1.1"}, "input.rate"),
        ({"rate": 1.1}, "input.rate"),  # a JSON float has lost the exact rate already
        ({"rate": "1.1234567890123456789"}, "input.rate"),  # beyond 18 decimal places
        ({"rate": "1000000000000"}, "input.rate"),
        ({"date": "1850-01-01"}, "input.date"),
        ({"date": "2026-02-30"}, "input.date"),
    ],
)
async def test_a_bad_rate_is_refused_naming_the_field(given: dict[str, Any], field: str) -> None:
    user = await new_user()
    variables = {"input": {"currency": "EUR", "date": "2026-01-01", "rate": "1.1", **given}}

    assert await rejected_field(SET_RATE, variables, user_id=user) == field
    assert (await data(RATES, {}, user_id=user))["exchangeRates"]["edges"] == []


async def test_another_users_rate_is_not_found_and_stays() -> None:
    owner, intruder = await new_user(), await new_user()
    rate = (await set_rate(owner, "EUR", "2026-01-01", "1.1"))["exchangeRate"]
    account = await create_account(owner)

    attempts = [
        await execute(DELETE_RATE, {"input": {"id": rate["id"]}}, user_id=intruder),
        # A valid id of another kind is just as unknown.
        await execute(DELETE_RATE, {"input": {"id": account["id"]}}, user_id=owner),
    ]

    assert [error_codes(result) for result in attempts] == [["NOT_FOUND"], ["NOT_FOUND"]]
    assert (await data(RATES, {}, user_id=intruder))["exchangeRates"]["edges"] == []
    owners = (await data(RATES, {}, user_id=owner))["exchangeRates"]["edges"]
    assert [edge["node"] for edge in owners] == [rate]


async def test_a_deleted_rate_is_gone_and_its_figures_stay() -> None:
    user = await new_user()
    euros = await create_account(user, currency="EUR")
    rate = (await set_rate(user, "EUR", "2026-01-01", "1.1"))["exchangeRate"]
    await add_transaction(user, euros["id"], "-1.00", "2026-01-02", "Coffee")

    deleted = await data(DELETE_RATE, {"input": {"id": rate["id"]}}, user_id=user)
    again = await execute(DELETE_RATE, {"input": {"id": rate["id"]}}, user_id=user)

    assert deleted["deleteExchangeRate"] == {"deletedExchangeRateId": rate["id"]}
    assert error_codes(again) == ["NOT_FOUND"]
    assert (await converted(user))["Coffee"]["amount"]["amount"] == "-1.10"  # type: ignore[index]


async def test_changing_the_base_currency_converts_everything_anew() -> None:
    user = await new_user()
    dollars = await create_account(user, name="Checking", opening_balance="100.00")
    euros = await create_account(user, name="Girokonto", currency="EUR", opening_balance="10.00")
    dining = (await category_ids(user))["Dining"]
    await set_rate(user, "EUR", "2026-01-01", "1.10")
    await add_transaction(user, euros["id"], "-20.00", "2026-01-10", "Paris", category_id=dining)
    await add_transaction(user, dollars["id"], "-5.00", "2026-01-10", "Diner", category_id=dining)
    dollar_budget = await spent(user, dining, "2026-01", "50")
    january = {"from": "2026-01-01", "to": "2026-01-31"}

    to_euros = await data(SET_BASE, {"input": {"currency": "eur"}}, user_id=user)
    waiting = await converted(user)
    stored = await set_rate(user, "USD", "2026-01-01", "0.80")
    in_euros = await converted(user)
    spending = (await data(SPENDING, january, user_id=user))["spendingByCategory"]
    worth = (await data(NET_WORTH, january, user_id=user))["netWorth"]
    budgets = (await data(BUDGETS, {"month": "2026-01"}, user_id=user))["budgets"]
    back = await data(SET_BASE, {"input": {"currency": "USD"}}, user_id=user)
    settings = await data("{ ledgerSettings { baseCurrency } }", user_id=user)

    assert dollar_budget["spent"] == {"amount": "27.00", "currency": "USD"}
    assert to_euros["setBaseCurrency"] == {
        "ledgerSettings": {"baseCurrency": "EUR"},
        "convertedTransactionCount": 0,
        "waitingTransactionCount": 1,
    }
    assert waiting == {"Paris": None, "Diner": None}
    assert stored["convertedTransactionCount"] == 1
    assert in_euros["Diner"] == {
        "amount": {"amount": "-4.00", "currency": "EUR"},
        "rate": "0.8",
        "rateDate": "2026-01-01",
    }
    assert spending == [
        {"category": {"name": "Dining"}, "amount": {"amount": "24.00", "currency": "EUR"}}
    ]
    # 100 - 5 = 95 USD at 0.80 is 76.00 EUR, with 10 - 20 = -10.00 EUR.
    assert worth[0]["amount"] == {"amount": "66.00", "currency": "EUR"}
    # A budget keeps the currency it was set in: the dollars count as they are; the euro
    # purchase, whose figure is in euros now, waits for a rate into dollars.
    assert budgets == [
        {
            "spent": {"amount": "5.00", "currency": "USD"},
            "missingRates": [{"currency": "EUR", "transactionCount": 1}],
        }
    ]
    assert back["setBaseCurrency"]["convertedTransactionCount"] == 1
    assert (await converted(user))["Paris"]["amount"]["amount"] == "-22.00"  # type: ignore[index]
    assert settings == {"ledgerSettings": {"baseCurrency": "USD"}}


async def test_a_base_currency_is_chosen_at_provisioning_or_is_us_dollars() -> None:
    default, chosen = await new_user(), await new_user(base_currency="chf")
    settings = "{ ledgerSettings { baseCurrency } }"

    assert (await data(settings, user_id=default))["ledgerSettings"]["baseCurrency"] == "USD"
    assert (await data(settings, user_id=chosen))["ledgerSettings"]["baseCurrency"] == "CHF"
    async with unit_of_work() as work:
        await api.provision_user(work, chosen, "JPY")  # provisioning again keeps the choice
        assert await api.base_currency(work, chosen) == "CHF"
    with pytest.raises(BadUserInput) as refused:
        async with unit_of_work() as work:
            await api.provision_user(work, uuid.uuid4(), "XXX")
    assert refused.value.field == "baseCurrency"


async def test_an_unknown_base_currency_is_refused_naming_the_field() -> None:
    user = await new_user()

    field = await rejected_field(SET_BASE, {"input": {"currency": "EURO"}}, user_id=user)

    assert field == "input.currency"
    assert (await data("{ ledgerSettings { baseCurrency } }", user_id=user)) == {
        "ledgerSettings": {"baseCurrency": "USD"}
    }


async def test_bank_ingest_converts_a_whole_batch_reading_the_rates_once() -> None:
    user = await new_user()
    item = await link_item(user, bank_account("eur-1", currency="EUR"))
    await set_rate(user, "EUR", "2026-03-01", "1.10")
    await set_rate(user, "EUR", "2026-03-15", "1.20")

    async def ingest_counting(*batch: api.BankTransaction) -> int:
        async with count_statements() as statements:
            await ingest(user, item, added=batch)
        return sum("ledger_exchange_rates" in statement for statement in statements)

    one = await ingest_counting(bank_transaction("t0", "-1.00", account="eur-1", currency="EUR"))
    many = await ingest_counting(
        *(
            bank_transaction(
                f"t{n}",
                f"-{n}.00",
                account="eur-1",
                currency="EUR",
                date=dt.date(2026, 3, n),
                description=f"bank {n}",
            )
            for n in range(1, 29)
        )
    )

    figures = await converted(user)
    assert one == many == 1
    assert figures["SparkFun"] == {
        "amount": {"amount": "-1.10", "currency": "USD"},
        "rate": "1.1",
        "rateDate": "2026-03-01",
    }
    assert figures["bank 14"]["amount"]["amount"] == "-15.40"  # type: ignore[index]
    assert figures["bank 15"]["amount"]["amount"] == "-18.00"  # type: ignore[index]


async def test_a_bank_update_converts_again_only_when_its_money_or_date_changes() -> None:
    user = await new_user()
    item = await link_item(user, bank_account("eur-1", currency="EUR"))
    await set_rate(user, "EUR", "2026-03-01", "1.10")
    pending = bank_transaction(
        "p1", "-10.00", account="eur-1", currency="EUR", pending=True, description="Café"
    )
    await ingest(user, item, added=(pending,))
    await set_rate(user, "EUR", "2026-03-02", "1.20")

    await ingest(
        user,
        item,
        modified=(
            bank_transaction(
                "p1",
                "-10.00",
                account="eur-1",
                currency="EUR",
                pending=True,
                description="Café de Flore",
            ),
        ),
    )
    renamed = await converted(user)
    await ingest(
        user,
        item,
        added=(
            bank_transaction(
                "t1",
                "-12.00",
                account="eur-1",
                currency="EUR",
                pending_of="p1",
                description="Café de Flore",
            ),
        ),
    )
    posted = await converted(user)

    assert renamed["Café de Flore"]["rate"] == "1.1"  # type: ignore[index]
    assert posted["Café de Flore"] == {
        "amount": {"amount": "-14.40", "currency": "USD"},
        "rate": "1.2",
        "rateDate": "2026-03-02",
    }


def test_every_currency_type_field_and_argument_is_described() -> None:
    gql = schema()._schema
    roots = {
        "Query": ("ledgerSettings", "exchangeRates", "missingExchangeRates"),
        "Mutation": (
            "setBaseCurrency", "setExchangeRate", "deleteExchangeRate", "importExchangeRates",
        ),
    }  # fmt: skip
    undescribed: list[str] = []
    pending: list[Any] = []
    for root, names in roots.items():
        fields = gql.get_type(root).fields  # type: ignore[union-attr]
        for name in names:
            field = fields[name]
            pending.append(field.type)
            undescribed += [f"{root}.{name}"] if not field.description else []
            for arg_name, arg in field.args.items():
                pending.append(arg.type)
                undescribed += [f"{root}.{name}({arg_name})"] if not arg.description else []
    seen: set[str] = set()
    while pending:
        named = get_named_type(pending.pop())
        if named.name in seen or named.name in BUILT_ELSEWHERE:
            continue
        seen.add(named.name)
        if not isinstance(named, GraphQLObjectType | GraphQLInputObjectType):
            continue
        undescribed += [named.name] if not named.description else []
        for field_name, field in named.fields.items():
            pending.append(field.type)
            undescribed += [f"{named.name}.{field_name}"] if not field.description else []

    assert {"ExchangeRate", "SetExchangeRateInput", "MissingExchangeRate"} <= seen
    assert undescribed == []
