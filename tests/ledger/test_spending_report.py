"""Spending and income reports by category, group, payee and tag, over days, ISO weeks, months,
years or the whole range: exact totals of the rows they cover, splits by their parts, never a
transfer, foreign money at its converted figure; and a month by category costs the same
whatever the history."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any

import pytest

from services.gateway import cost
from services.gateway.identity.throttle import Limit
from services.ledger import api
from services.ledger.models import ReportTotal, ReportTotalsBuilt
from shared.db import count_statements, unit_of_work
from tests.ledger.support import rejected_field
from tests.support.factories import add_transaction, category_ids, create_account, new_user
from tests.support.graphql import data, error_codes, execute

REPORT = """query($from: Date!, $to: Date!, $groupBy: ReportGrouping!,
    $interval: ReportInterval!, $direction: ReportDirection, $filter: TransactionFilter) {
  spendingReport(from: $from, to: $to, groupBy: $groupBy, interval: $interval,
      direction: $direction, filter: $filter) {
    from to groupBy interval direction
    total { amount currency }
    missingExchangeRates { currency transactionCount amount { amount currency } }
    periods { start end label total { amount currency }
      rows { name transactionCount amount { amount currency }
        key { ...Key } } }
    series { name transactionCount amounts total { amount currency } key { ...Key } } } }
fragment Key on ReportKey { __typename ... on Category { id name } ... on CategoryGroup { id name }
  ... on Payee { id name } ... on Tag { id name } }"""


async def _report(
    user: uuid.UUID,
    date_from: str,
    date_to: str,
    group_by: str = "CATEGORY",
    interval: str = "MONTH",
    **more: Any,
) -> dict[str, Any]:
    variables = {"from": date_from, "to": date_to, "groupBy": group_by, "interval": interval}
    result = await data(REPORT, variables | more, user_id=user)
    report: dict[str, Any] = result["spendingReport"]
    _assert_series_are_the_rows(report)
    return report


def _assert_series_are_the_rows(report: dict[str, Any]) -> None:
    """The series are the same cells as the periods' rows, read key by key: every report of
    this file is checked both ways."""
    periods = report["periods"]
    from_rows: dict[tuple[str, str | None], list[Decimal]] = {}
    counts: dict[tuple[str, str | None], int] = {}
    for index, period in enumerate(periods):
        for row in period["rows"]:
            key = (row["name"], (row["key"] or {}).get("id"))
            from_rows.setdefault(key, [Decimal(0)] * len(periods))[index] = Decimal(
                row["amount"]["amount"]
            )
            counts[key] = counts.get(key, 0) + row["transactionCount"]
    from_series = {
        (series["name"], (series["key"] or {}).get("id")): [Decimal(a) for a in series["amounts"]]
        for series in report["series"]
    }
    assert from_series == from_rows
    for series in report["series"]:
        key = (series["name"], (series["key"] or {}).get("id"))
        assert series["transactionCount"] == counts[key]
        assert Decimal(series["total"]["amount"]) == sum(from_rows[key])
        assert series["total"]["currency"] == report["total"]["currency"]
    totals = [(-Decimal(s["total"]["amount"]), s["name"]) for s in report["series"]]
    assert totals == sorted(totals), "largest first, then by name"
    if report["groupBy"] != "TAG":
        for index, period in enumerate(periods):
            column = sum((Decimal(s["amounts"][index]) for s in report["series"]), Decimal(0))
            assert column == Decimal(period["total"]["amount"])


def _table(report: dict[str, Any]) -> dict[str, dict[str, str]]:
    """label -> {row name: amount}."""
    return {
        period["label"]: {row["name"]: row["amount"]["amount"] for row in period["rows"]}
        for period in report["periods"]
    }


def _assert_totals_add_up(report: dict[str, Any]) -> None:
    for period in report["periods"]:
        rows = sum(Decimal(row["amount"]["amount"]) for row in period["rows"])
        assert Decimal(period["total"]["amount"]) == rows, period
    periods = sum(Decimal(period["total"]["amount"]) for period in report["periods"])
    assert Decimal(report["total"]["amount"]) == periods


async def test_each_months_spending_per_category_is_the_exact_sum_of_its_transactions() -> None:
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    chosen = ["Groceries", "Dining", "Transport"]
    randomness = random.Random(20261126)
    expected: dict[str, dict[str, Decimal]] = {}
    for _ in range(90):
        name = chosen[randomness.randrange(len(chosen))]
        # Odd cents a float would not add up exactly; refunds (money in) reduce spending.
        amount = Decimal(randomness.randint(-50_000, 1_500)) / 100
        day = dt.date(2026, 1, 1) + dt.timedelta(days=randomness.randint(0, 89))
        await add_transaction(
            user, account["id"], str(amount), date=day, category_id=categories[name]
        )
        month = expected.setdefault(f"{day:%Y-%m}", {})
        month[name] = month.get(name, Decimal(0)) - amount
    await add_transaction(
        user, account["id"], "2500.00", date="2026-02-01", category_id=categories["Income"]
    )

    report = await _report(user, "2026-01-01", "2026-03-31")

    assert _table(report) == {
        month: {name: f"{total:.2f}" for name, total in sorted(rows.items()) if total > 0}
        for month, rows in sorted(expected.items())
    }
    _assert_totals_add_up(report)
    assert [p["start"] for p in report["periods"]] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert [p["end"] for p in report["periods"]] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    for period in report["periods"]:
        amounts = [Decimal(row["amount"]["amount"]) for row in period["rows"]]
        assert amounts == sorted(amounts, reverse=True)
        assert all(row["key"]["__typename"] == "Category" for row in period["rows"])
    assert report["total"]["currency"] == "USD"


async def test_weeks_are_iso_weeks_and_the_ranges_partial_weeks_keep_their_labels() -> None:
    user = await new_user()
    account = await create_account(user)
    dining = (await category_ids(user))["Dining"]
    # Wednesday 7 January 2026 to Tuesday 20 January: W02 from Wednesday, W03 whole, W04 begun.
    for day, amount in (
        ("2026-01-06", "-99.00"),  # the Tuesday before the range
        ("2026-01-07", "-1.00"),
        ("2026-01-11", "-2.00"),  # Sunday: still W02
        ("2026-01-12", "-4.00"),  # Monday: W03
        ("2026-01-20", "-8.00"),
        ("2026-01-21", "-99.00"),  # after the range
    ):
        await add_transaction(user, account["id"], amount, date=day, category_id=dining)

    report = await _report(user, "2026-01-07", "2026-01-20", interval="WEEK")

    assert [(p["label"], p["start"], p["end"]) for p in report["periods"]] == [
        ("2026-W02", "2026-01-07", "2026-01-11"),
        ("2026-W03", "2026-01-12", "2026-01-18"),
        ("2026-W04", "2026-01-19", "2026-01-20"),
    ]
    assert _table(report) == {
        "2026-W02": {"Dining": "3.00"},
        "2026-W03": {"Dining": "4.00"},
        "2026-W04": {"Dining": "8.00"},
    }
    assert report["total"]["amount"] == "15.00"
    days = await _report(user, "2026-01-11", "2026-01-12", interval="DAY")
    assert _table(days) == {"2026-01-11": {"Dining": "2.00"}, "2026-01-12": {"Dining": "4.00"}}


async def test_years_and_the_whole_range_clip_to_the_range() -> None:
    user = await new_user()
    account = await create_account(user)
    rent = (await category_ids(user))["Rent"]
    for day in ("2024-12-31", "2025-03-01", "2025-12-31", "2026-01-01", "2026-02-15"):
        await add_transaction(user, account["id"], "-100.00", date=day, category_id=rent)

    years = await _report(user, "2025-03-01", "2026-01-31", interval="YEAR")
    whole = await _report(user, "2025-03-01", "2026-01-31", interval="WHOLE_RANGE")

    assert [(p["label"], p["start"], p["end"]) for p in years["periods"]] == [
        ("2025", "2025-03-01", "2025-12-31"),
        ("2026", "2026-01-01", "2026-01-31"),
    ]
    assert _table(years) == {"2025": {"Rent": "200.00"}, "2026": {"Rent": "100.00"}}
    assert _table(whole) == {"2025-03-01/2026-01-31": {"Rent": "300.00"}}
    assert whole["periods"][0]["rows"][0]["transactionCount"] == 3


async def test_splits_count_by_their_parts_and_transfers_never_count() -> None:
    user = await new_user()
    checking = await create_account(user)
    savings = await create_account(user, name="Savings")
    categories = await category_ids(user)
    shop = await add_transaction(user, checking["id"], "-100.00", date="2026-03-03")
    await data(
        """mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {
             transaction { id } } }""",
        {"i": {"id": shop["id"], "parts": [
            {"amount": "-70.00", "categoryId": categories["Groceries"]},
            {"amount": "-30.00", "categoryId": categories["Home"]}]}},
        user_id=user,
    )  # fmt: skip
    await data(
        """mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }""",
        {"i": {"fromAccountId": checking["id"], "toAccountId": savings["id"],
               "date": "2026-03-04", "amount": "500.00"}},
        user_id=user,
    )  # fmt: skip
    # A category of kind TRANSFER never counts either, linked or not.
    await add_transaction(
        user, checking["id"], "-40.00", date="2026-03-05", category_id=categories["Transfers"]
    )

    by_category = await _report(user, "2026-03-01", "2026-03-31")
    by_group = await _report(user, "2026-03-01", "2026-03-31", group_by="CATEGORY_GROUP")

    assert _table(by_category) == {"2026-03": {"Groceries": "70.00", "Home": "30.00"}}
    assert by_category["total"]["amount"] == "100.00"
    groups = {row["name"]: row for row in by_group["periods"][0]["rows"]}
    assert sum(Decimal(row["amount"]["amount"]) for row in groups.values()) == Decimal("100.00")
    assert all(row["key"]["__typename"] == "CategoryGroup" for row in groups.values())


async def test_foreign_money_counts_at_its_converted_figure_once_it_has_a_rate() -> None:
    user = await new_user()
    euros = await create_account(user, name="Euro", currency="EUR")
    dining = (await category_ids(user))["Dining"]
    await add_transaction(user, euros["id"], "-10.01", date="2026-05-10", category_id=dining)

    waiting = await _report(user, "2026-05-01", "2026-05-31")
    await data(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-05-01", rate: "1.5"})
             { exchangeRate { id } } }""",
        user_id=user,
    )
    converted = await _report(user, "2026-05-01", "2026-05-31")

    assert waiting["total"]["amount"] == "0.00"
    assert waiting["missingExchangeRates"] == [
        {
            "currency": "EUR",
            "transactionCount": 1,
            "amount": {"amount": "-10.01", "currency": "EUR"},
        }
    ]
    # 10.01 x 1.5 = 15.015, rounded once, half to even.
    assert _table(converted) == {"2026-05": {"Dining": "15.02"}}
    assert converted["missingExchangeRates"] == []


async def test_income_by_payee_names_each_payee_and_money_without_one() -> None:
    user = await new_user()
    account = await create_account(user)
    income = (await category_ids(user))["Income"]
    await add_transaction(
        user,
        account["id"],
        "3000.00",
        date="2026-04-01",
        description="ACME Payroll",
        category_id=income,
    )
    await add_transaction(
        user,
        account["id"],
        "3000.00",
        date="2026-04-15",
        description="ACME Payroll",
        category_id=income,
    )
    await add_transaction(
        user, account["id"], "-20.00", date="2026-04-16", description="Blue Bottle Coffee"
    )

    report = await _report(user, "2026-04-01", "2026-04-30", group_by="PAYEE", direction="INCOME")
    spending = await _report(user, "2026-04-01", "2026-04-30", group_by="PAYEE")

    (row,) = report["periods"][0]["rows"]
    assert row["amount"]["amount"] == "6000.00" and row["transactionCount"] == 2
    assert row["key"]["__typename"] == "Payee" and row["name"] == row["key"]["name"]
    assert report["direction"] == "INCOME"
    assert _table(spending) == {"2026-04": {spending["periods"][0]["rows"][0]["name"]: "20.00"}}


async def test_a_transaction_with_two_tags_counts_under_both_and_once_in_the_totals() -> None:
    user = await new_user()
    account = await create_account(user)
    dining = (await category_ids(user))["Dining"]
    tags = {}
    for name in ("vacation", "work"):
        made = await data(
            "mutation($n: String!) { createTag(input: {name: $n}) { tag { id } } }",
            {"n": name},
            user_id=user,
        )
        tags[name] = made["createTag"]["tag"]["id"]
    both = await add_transaction(
        user, account["id"], "-50.00", date="2026-06-02", category_id=dining
    )
    await add_transaction(user, account["id"], "-5.00", date="2026-06-03", category_id=dining)
    await data(
        """mutation($i: UpdateTransactionInput!) { updateTransaction(input: $i) {
             transaction { id } } }""",
        {"i": {"id": both["id"], "tagIds": [tags["vacation"], tags["work"]]}},
        user_id=user,
    )

    report = await _report(user, "2026-06-01", "2026-06-30", group_by="TAG")

    assert _table(report) == {"2026-06": {"vacation": "50.00", "work": "50.00", "Untagged": "5.00"}}
    assert report["periods"][0]["total"]["amount"] == "55.00"
    assert report["total"]["amount"] == "55.00"
    untagged = [row for row in report["periods"][0]["rows"] if row["name"] == "Untagged"]
    assert untagged[0]["key"] is None


async def test_a_filter_narrows_what_counts_and_another_users_ids_are_not_found() -> None:
    user, other = await new_user(), await new_user()
    checking = await create_account(user)
    card = await create_account(user, name="Card", type="CREDIT")
    dining = (await category_ids(user))["Dining"]
    await add_transaction(user, checking["id"], "-10.00", date="2026-07-01", category_id=dining)
    await add_transaction(user, card["id"], "-25.00", date="2026-07-02", category_id=dining)
    others = await create_account(other)

    on_card = await _report(user, "2026-07-01", "2026-07-31", filter={"accountIds": [card["id"]]})
    searched = await _report(user, "2026-07-01", "2026-07-31", filter={"search": "nothing"})
    intruding = await execute(
        REPORT,
        {"from": "2026-07-01", "to": "2026-07-31", "groupBy": "CATEGORY", "interval": "MONTH",
         "filter": {"accountIds": [checking["id"]]}},
        user_id=other,
    )  # fmt: skip
    foreign_category = await execute(
        REPORT,
        {"from": "2026-07-01", "to": "2026-07-31", "groupBy": "PAYEE", "interval": "WEEK",
         "filter": {"categoryIds": [dining], "accountIds": [others["id"]]}},
        user_id=other,
    )  # fmt: skip

    assert _table(on_card) == {"2026-07": {"Dining": "25.00"}}
    assert searched["total"]["amount"] == "0.00"
    assert error_codes(intruding) == ["NOT_FOUND"]
    assert error_codes(foreign_category) == ["NOT_FOUND"]


async def test_bad_input_names_the_field() -> None:
    user = await new_user()
    base = {"groupBy": "CATEGORY", "interval": "MONTH"}

    inverted = await rejected_field(
        REPORT, base | {"from": "2026-02-01", "to": "2026-01-31"}, user_id=user
    )
    too_long = await rejected_field(
        REPORT, base | {"from": "2016-01-01", "to": "2026-01-01"}, user_id=user
    )
    bad_filter = await rejected_field(
        REPORT,
        base | {"from": "2026-01-01", "to": "2026-01-31", "filter": {"minAmount": "-1"}},
        user_id=user,
    )
    unknown = await execute(
        REPORT, {"from": "2026-01-01", "to": "2026-01-31", "groupBy": "MOOD", "interval": "MONTH"},
        user_id=user,
    )  # fmt: skip
    net_worth = await rejected_field(
        'query { netWorth(from: "2026-02-01", to: "2026-01-01", interval: DAY) { date } }',
        None,
        user_id=user,
    )

    assert (inverted, too_long, bad_filter, net_worth) == ("to", "to", "filter.minAmount", "to")
    assert unknown.errors and "MOOD" in unknown.errors[0].message


async def test_a_months_spending_by_category_reads_monthly_totals_whatever_the_history() -> None:
    short, long = await new_user(), await new_user()
    for user, months in ((short, 1), (long, 36)):
        account = await create_account(user)
        groceries = (await category_ids(user))["Groceries"]
        for month in range(months):
            day = dt.date(2026, 10, 15) - dt.timedelta(days=30 * month)
            for _ in range(3):
                await add_transaction(user, account["id"], "-1.00", date=day, category_id=groceries)

    async def statements_of(user: uuid.UUID, date_from: str, date_to: str) -> list[str]:
        async with count_statements() as statements:
            await _report(user, date_from, date_to)
        return statements

    month_short = await statements_of(short, "2026-10-01", "2026-10-31")
    month_long = await statements_of(long, "2026-10-01", "2026-10-31")
    history = await statements_of(long, "2023-11-01", "2026-10-31")

    assert len(month_short) == len(month_long) == len(history)
    # Whole months are read from the stored totals, never from the transactions.
    assert not any("ledger_transactions" in s for s in month_long + history)
    report = await _report(long, "2023-11-01", "2026-10-31")
    assert report["total"]["amount"] == "108.00"


async def test_a_user_older_than_the_totals_gets_the_same_report_before_and_after_a_rebuild() -> (
    None
):
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    for day, amount, name in (
        ("2026-01-10", "-12.34", "Dining"),
        ("2026-02-11", "-56.78", "Groceries"),
        ("2026-03-12", "-9.10", "Dining"),
    ):
        await add_transaction(user, account["id"], amount, date=day, category_id=categories[name])
    built = await _report(user, "2026-01-01", "2026-03-31")
    async with unit_of_work() as work:  # as if the user signed up before ledger_0009
        await work.session.execute(
            ReportTotal.__table__.delete().where(ReportTotal.user_id == user)
        )
        await work.session.execute(
            ReportTotalsBuilt.__table__.delete().where(ReportTotalsBuilt.user_id == user)
        )

    from_transactions = await _report(user, "2026-01-01", "2026-03-31")
    rebuilt = await api.rebuild_report_totals()

    assert from_transactions == built
    assert user in rebuilt and rebuilt[user] >= 3
    assert await _report(user, "2026-01-01", "2026-03-31") == built


async def test_stored_months_and_transactions_give_the_same_report_to_the_cent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whole months of an unfiltered report come summed from the stored totals; the same
    report with an empty filter reads every transaction: both agree on every row, count and
    missing rate, with foreign money (some waiting for a rate), refunds, a transfer
    category and partial first and last months."""
    # Thirty-six reports within the minute: more than a person's budget, not what is tested.
    monkeypatch.setattr(
        cost, "COST_PER_USER_PER_MINUTE", Limit("cost-user", attempts=50_000, window_seconds=60)
    )
    user = await new_user()
    dollars = await create_account(user)
    euros = await create_account(user, name="Euro", currency="EUR")
    pounds = await create_account(user, name="Pound", currency="GBP")
    categories = await category_ids(user)
    await data(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2025-01-01", rate: "1.1"})
             { exchangeRate { id } } }""",
        user_id=user,
    )
    randomness = random.Random(26)
    names = ["Groceries", "Dining", "Transport", "Transfers", None]
    for _ in range(120):
        account = randomness.choice([dollars, dollars, euros, pounds])
        name = randomness.choice(names)
        day = dt.date(2025, 1, 1) + dt.timedelta(days=randomness.randint(0, 500))
        amount = Decimal(randomness.randint(-40_000, 9_000)) / 100
        await add_transaction(
            user,
            account["id"],
            str(amount),
            date=day,
            category_id=categories[name] if name else None,
            description=randomness.choice(["Shop", "Cafe", "Bus"]),
        )

    for group_by in ("CATEGORY", "CATEGORY_GROUP", "PAYEE"):
        for interval in ("MONTH", "YEAR", "WHOLE_RANGE"):
            for direction in ("SPENDING", "INCOME"):
                stored = await _report(
                    user, "2025-01-15", "2026-05-10", group_by, interval, direction=direction
                )
                scanned = await _report(
                    user,
                    "2025-01-15",
                    "2026-05-10",
                    group_by,
                    interval,
                    direction=direction,
                    filter={},
                )
                assert stored == scanned, (group_by, interval, direction)
                assert stored["missingExchangeRates"][0]["currency"] == "GBP"
