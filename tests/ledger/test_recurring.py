"""Recurring transactions: series detected in a user's history, their verdict (confirm,
dismiss, correct, delete), and the bills expected in the coming days."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from services.ledger import api
from shared.db import count_statements, unit_of_work
from shared.graphql import Context
from shared.ids import decode_id
from shared.money import Money
from tests.ledger.support import add_transaction, create_account, new_user, rejected_field
from tests.support.graphql import data, error_codes, execute

TODAY = dt.date(2026, 6, 15)  # a Monday

SERIES_FIELDS = """id name status direction interval detectedInterval
  expectedAmount { amount currency } usualAmounts { smallest { amount } largest { amount } }
  occurrenceCount firstDate lastDate nextDate"""
DETECT = f"""mutation($i: DetectRecurringInput) {{ detectRecurring(input: $i) {{
  detectedCount removedSuggestionCount newSuggestions {{ {SERIES_FIELDS} }} }} }}"""
LIST = f"""query($status: RecurringStatus, $first: Int, $after: String) {{
  recurringSeries(status: $status, first: $first, after: $after) {{
    totalCount edges {{ cursor node {{ {SERIES_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }} }} }}"""
UPCOMING = """query($days: Int, $suggested: Boolean) {
  upcomingBills(days: $days, includeSuggested: $suggested) {
    date expectedAmount { amount currency } inBaseCurrency { amount currency }
    series { name status } } }"""
UPDATE = f"""mutation($i: UpdateRecurringInput!) {{ updateRecurring(input: $i) {{
  recurringSeries {{ {SERIES_FIELDS} }} }} }}"""
CONFIRM = f"""mutation($id: ID!) {{ confirmRecurring(input: {{id: $id}}) {{
  recurringSeries {{ {SERIES_FIELDS} }} }} }}"""
DISMISS = f"""mutation($id: ID!) {{ dismissRecurring(input: {{id: $id}}) {{
  recurringSeries {{ {SERIES_FIELDS} }} }} }}"""
DELETE = """mutation($id: ID!) { deleteRecurring(input: {id: $id}) { deletedRecurringSeriesId } }"""


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[dt.date], None]]:
    """The caller's today is TODAY, until the test moves it."""
    current = [TODAY]
    monkeypatch.setattr(Context, "today", lambda self: current[0])

    def move_to(day: dt.date) -> None:
        current[0] = day

    yield move_to


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


async def pay(user: uuid.UUID, account: str, description: str, *entries: tuple[str, str]) -> None:
    """Record (date, amount) entries with one description."""
    for day, amount in entries:
        await add_transaction(user, account, amount, date=day, description=description)


async def a_years_history(user: uuid.UUID, account: str) -> None:
    """Bills, a salary, and the everyday noise around them, up to TODAY."""
    await pay(user, account, "NETFLIX.COM", *((f"2026-{m:02d}-03", "-15.49") for m in range(1, 7)))
    # The card processor's prefix and the reference after the name change nothing.
    for month in range(1, 6):
        await pay(user, account, f"SQ *CITY GYM #{month:02d}20", (f"2026-{month:02d}-20", "-45.00"))
    # A utility bill varies with the season and is paid a day or three off its date.
    await pay(
        user,
        account,
        "PG&E UTILITY BILL",
        ("2026-01-09", "-140.55"),
        ("2026-02-10", "-120.00"),
        ("2026-03-11", "-101.20"),
        ("2026-04-09", "-82.10"),
        ("2026-05-12", "-64.80"),
        ("2026-06-10", "-95.40"),
    )
    paydays = [d("2026-01-09") + dt.timedelta(days=14 * n) for n in range(12)]
    await pay(user, account, "ACME CORP PAYROLL", *((str(day), "2450.00") for day in paydays))
    await pay(
        user,
        account,
        "STATE FARM INSURANCE",
        ("2025-03-28", "-1200.00"),
        ("2026-03-27", "-1260.00"),
    )
    # The rent is paid on the last day of every month, whatever its length.
    await pay(
        user,
        account,
        "RENT - OAK STREET APTS",
        *((day, "-1500.00") for day in ("2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31")),
    )
    mondays = [d("2026-04-06") + dt.timedelta(days=7 * n) for n in range(11)]
    await pay(user, account, "DAILY NEWS DIGITAL", *((str(day), "-2.99") for day in mondays))
    # Noise: shopping at irregular gaps, a cinema twice, a yearly-looking pair of unlike
    # amounts, and a magazine that stopped in March.
    await pay(
        user,
        account,
        "CORNER GROCERY",
        ("2026-01-04", "-23.10"),
        ("2026-01-07", "-61.80"),
        ("2026-01-18", "-12.35"),
        ("2026-01-23", "-80.00"),
        ("2026-02-12", "-35.20"),
        ("2026-02-21", "-44.90"),
        ("2026-02-23", "-18.75"),
        ("2026-03-25", "-52.00"),
        ("2026-04-08", "-29.99"),
    )
    await pay(user, account, "CINEMA CITY", ("2026-04-18", "-24.00"), ("2026-05-18", "-24.00"))
    await pay(user, account, "HARDWARE DEPOT", ("2025-06-01", "-30.00"), ("2026-06-02", "-95.00"))
    await pay(user, account, "READERS MONTHLY", *((f"2026-0{m}-01", "-8.00") for m in (1, 2, 3)))


async def detect(user: uuid.UUID, months: int | None = None) -> dict[str, Any]:
    given = {"months": months} if months is not None else None
    result: dict[str, Any] = (await data(DETECT, {"i": given}, user_id=user))["detectRecurring"]
    return result


async def all_series(user: uuid.UUID, status: str | None = None) -> dict[str, dict[str, Any]]:
    """The user's series by name."""
    result = await data(LIST, {"status": status}, user_id=user)
    return {edge["node"]["name"]: edge["node"] for edge in result["recurringSeries"]["edges"]}


async def upcoming(
    user: uuid.UUID, days: int | None = 30, suggested: bool = True
) -> list[dict[str, Any]]:
    result = await data(UPCOMING, {"days": days, "suggested": suggested}, user_id=user)
    bills: list[dict[str, Any]] = result["upcomingBills"]
    return bills


async def a_user_with_history() -> tuple[uuid.UUID, str]:
    user = await new_user()
    account = (await create_account(user))["id"]
    await a_years_history(user, account)
    return user, account


async def test_detection_finds_bills_salary_and_insurance_but_not_the_noise(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()

    detection = await detect(user)

    found = {series["name"]: series for series in detection["newSuggestions"]}
    assert detection["detectedCount"] == 7
    assert sorted(found) == [
        "ACME CORP PAYROLL",
        "DAILY NEWS DIGITAL",
        "NETFLIX.COM",
        "PG&E UTILITY BILL",
        "RENT - OAK STREET APTS",
        "SQ *CITY GYM #0520",
        "STATE FARM INSURANCE",
    ]
    assert {series["status"] for series in found.values()} == {"SUGGESTED"}
    assert await all_series(user) == found

    netflix = found["NETFLIX.COM"]
    assert (netflix["interval"], netflix["direction"]) == ("MONTHLY", "MONEY_OUT")
    assert netflix["expectedAmount"] == {"amount": "-15.49", "currency": "USD"}
    assert netflix["usualAmounts"] == {
        "smallest": {"amount": "-15.49"},
        "largest": {"amount": "-15.49"},
    }
    assert (netflix["occurrenceCount"], netflix["lastDate"], netflix["nextDate"]) == (
        6,
        "2026-06-03",
        "2026-07-03",
    )

    gym = found["SQ *CITY GYM #0520"]
    assert (gym["interval"], gym["occurrenceCount"], gym["nextDate"]) == (
        "MONTHLY",
        5,
        "2026-06-20",
    )


async def test_a_variable_utility_bill_expects_the_median_of_its_recent_amounts(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()

    utility = {s["name"]: s for s in (await detect(user))["newSuggestions"]}["PG&E UTILITY BILL"]

    assert utility["interval"] == "MONTHLY"
    # The mean of the middle two of six (95.40 and 101.20), exactly.
    assert utility["expectedAmount"]["amount"] == "-98.30"
    assert utility["usualAmounts"] == {
        "smallest": {"amount": "-64.80"},
        "largest": {"amount": "-140.55"},
    }
    # Paid on the 9th to the 12th: the 10th is its most common day, and the latest one's.
    assert utility["nextDate"] == "2026-07-10"


async def test_a_biweekly_salary_is_recurring_money_in(today: Callable[[dt.date], None]) -> None:
    user, _ = await a_user_with_history()

    salary = {s["name"]: s for s in (await detect(user))["newSuggestions"]}["ACME CORP PAYROLL"]

    assert (salary["interval"], salary["direction"]) == ("BIWEEKLY", "MONEY_IN")
    assert salary["expectedAmount"]["amount"] == "2450.00"
    assert (salary["lastDate"], salary["nextDate"]) == ("2026-06-12", "2026-06-26")


async def test_a_yearly_insurance_needs_two_payments_of_like_amounts(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()

    insurance = {s["name"]: s for s in (await detect(user))["newSuggestions"]}[
        "STATE FARM INSURANCE"
    ]

    assert (insurance["interval"], insurance["occurrenceCount"]) == ("YEARLY", 2)
    assert insurance["expectedAmount"]["amount"] == "-1230.00"
    assert insurance["nextDate"] == "2027-03-27"


async def test_a_month_end_bill_falls_on_the_last_day_of_shorter_months(
    today: Callable[[dt.date], None],
) -> None:
    user, account = await a_user_with_history()
    await detect(user)

    rent = (await all_series(user))["RENT - OAK STREET APTS"]
    assert (rent["interval"], rent["lastDate"], rent["nextDate"]) == (
        "MONTHLY",
        "2026-05-31",
        "2026-06-30",
    )

    # With June's rent paid on the 30th, as often on a 30th as on a 31st: the month's end is
    # its day, and July has a 31st.
    await pay(user, account, "RENT - OAK STREET APTS", ("2026-06-30", "-1500.00"))
    today(d("2026-07-01"))
    await detect(user)
    assert (await all_series(user))["RENT - OAK STREET APTS"]["nextDate"] == "2026-07-31"


async def test_upcoming_bills_list_every_payment_due_in_the_next_30_days_by_date(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()
    await detect(user)

    bills = await upcoming(user)

    assert [(b["date"], b["series"]["name"], b["expectedAmount"]["amount"]) for b in bills] == [
        ("2026-06-20", "SQ *CITY GYM #0520", "-45.00"),
        ("2026-06-22", "DAILY NEWS DIGITAL", "-2.99"),
        ("2026-06-29", "DAILY NEWS DIGITAL", "-2.99"),
        ("2026-06-30", "RENT - OAK STREET APTS", "-1500.00"),
        ("2026-07-03", "NETFLIX.COM", "-15.49"),
        ("2026-07-06", "DAILY NEWS DIGITAL", "-2.99"),
        ("2026-07-10", "PG&E UTILITY BILL", "-98.30"),
        ("2026-07-13", "DAILY NEWS DIGITAL", "-2.99"),
    ]
    # In the base currency they are the same amounts; all are still suggestions.
    assert all(bill["inBaseCurrency"] == bill["expectedAmount"] for bill in bills)
    assert {bill["series"]["status"] for bill in bills} == {"SUGGESTED"}
    # One day is today alone: nothing is due today.
    assert await upcoming(user, days=1) == []
    assert [bill["date"] for bill in await upcoming(user, days=6)] == ["2026-06-20"]
    # The default window is 30 days.
    assert await upcoming(user, days=None) == bills


async def test_confirmed_series_are_the_upcoming_bills_when_suggestions_are_left_out(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()
    await detect(user)
    series = await all_series(user)

    confirmed = await data(CONFIRM, {"id": series["NETFLIX.COM"]["id"]}, user_id=user)
    dismissed = await data(DISMISS, {"id": series["DAILY NEWS DIGITAL"]["id"]}, user_id=user)

    assert confirmed["confirmRecurring"]["recurringSeries"]["status"] == "CONFIRMED"
    assert dismissed["dismissRecurring"]["recurringSeries"]["status"] == "DISMISSED"
    assert [(b["date"], b["series"]["name"]) for b in await upcoming(user, suggested=False)] == [
        ("2026-07-03", "NETFLIX.COM")
    ]
    # A dismissed series is no bill, suggested or not.
    assert "DAILY NEWS DIGITAL" not in {b["series"]["name"] for b in await upcoming(user)}
    assert set(await all_series(user, "CONFIRMED")) == {"NETFLIX.COM"}
    assert set(await all_series(user, "DISMISSED")) == {"DAILY NEWS DIGITAL"}


async def test_a_dismissed_series_is_suggested_again_only_at_another_interval(
    today: Callable[[dt.date], None],
) -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    today(d("2026-04-15"))
    await pay(user, account, "HELLOFRESH", *((f"2026-0{m}-05", "-59.99") for m in range(1, 5)))
    await pay(user, account, "READERS MONTHLY", *((f"2026-0{m}-01", "-8.00") for m in range(1, 5)))
    await pay(user, account, "FIT APP", *((f"2026-0{m}-02", "-4.99") for m in range(1, 5)))
    first = {s["name"]: s for s in (await detect(user))["newSuggestions"]}
    assert set(first) == {"HELLOFRESH", "READERS MONTHLY", "FIT APP"}
    await data(DISMISS, {"id": first["HELLOFRESH"]["id"]}, user_id=user)
    await data(CONFIRM, {"id": first["FIT APP"]["id"]}, user_id=user)

    again = await detect(user)
    assert (again["detectedCount"], again["newSuggestions"]) == (3, [])
    assert (await all_series(user))["HELLOFRESH"]["status"] == "DISMISSED"

    # Two months on, the meal kit comes every week; the magazine and the app stopped in April.
    sundays = [d("2026-04-12") + dt.timedelta(days=7 * n) for n in range(10)]
    await pay(user, account, "HELLOFRESH", *((str(day), "-59.99") for day in sundays))
    today(TODAY)
    later = await detect(user)

    assert [(s["name"], s["interval"], s["status"]) for s in later["newSuggestions"]] == [
        ("HELLOFRESH", "WEEKLY", "SUGGESTED")
    ]
    # The magazine was only a suggestion: it goes. The app was confirmed: it stays.
    assert later["removedSuggestionCount"] == 1
    assert set(await all_series(user)) == {"HELLOFRESH", "FIT APP"}


async def test_the_user_corrects_a_series_and_detection_keeps_the_correction(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()
    await detect(user)
    utility = (await all_series(user))["PG&E UTILITY BILL"]

    corrected = (
        await data(
            UPDATE,
            {
                "i": {
                    "id": utility["id"],
                    "name": "Electricity",
                    "interval": "QUARTERLY",
                    "expectedAmount": "-110.00",
                }
            },
            user_id=user,
        )
    )["updateRecurring"]["recurringSeries"]

    # Correcting a suggestion accepts it.
    assert corrected["status"] == "CONFIRMED"
    assert (corrected["name"], corrected["interval"], corrected["detectedInterval"]) == (
        "Electricity",
        "QUARTERLY",
        "MONTHLY",
    )
    assert corrected["expectedAmount"]["amount"] == "-110.00"
    assert corrected["usualAmounts"]["largest"]["amount"] == "-140.55"
    assert corrected["nextDate"] == "2026-09-10"

    await detect(user)
    assert (await all_series(user))["Electricity"] == corrected

    # Null goes back to what detection found; omitted fields stay.
    reset = (await data(UPDATE, {"i": {"id": utility["id"], "name": None}}, user_id=user))[
        "updateRecurring"
    ]["recurringSeries"]
    assert (reset["name"], reset["interval"]) == ("PG&E UTILITY BILL", "QUARTERLY")
    reset = (
        await data(
            UPDATE,
            {"i": {"id": utility["id"], "interval": None, "expectedAmount": None}},
            user_id=user,
        )
    )["updateRecurring"]["recurringSeries"]
    assert (reset["interval"], reset["expectedAmount"]["amount"]) == ("MONTHLY", "-98.30")


async def test_a_deleted_series_is_gone_until_detection_finds_it_again(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()
    await detect(user)
    netflix = (await all_series(user))["NETFLIX.COM"]["id"]

    deleted = await data(DELETE, {"id": netflix}, user_id=user)

    assert deleted["deleteRecurring"]["deletedRecurringSeriesId"] == netflix
    gone = await execute(
        "query($id: ID!) { recurring(id: $id) { id } }", {"id": netflix}, user_id=user
    )
    assert error_codes(gone) == ["NOT_FOUND"]
    assert "NETFLIX.COM" not in await all_series(user)
    assert [s["name"] for s in (await detect(user))["newSuggestions"]] == ["NETFLIX.COM"]


async def test_a_series_is_fetched_again_by_its_id(today: Callable[[dt.date], None]) -> None:
    user, _ = await a_user_with_history()
    await detect(user)
    netflix = (await all_series(user))["NETFLIX.COM"]

    found = await data(
        f"""query($id: ID!) {{ recurring(id: $id) {{ {SERIES_FIELDS} }}
              node(id: $id) {{ __typename id }} }}""",
        {"id": netflix["id"]},
        user_id=user,
    )

    assert found["recurring"] == netflix
    assert found["node"] == {"__typename": "RecurringSeries", "id": netflix["id"]}


async def test_a_foreign_subscription_counts_in_the_base_currency_once_a_rate_exists(
    today: Callable[[dt.date], None],
) -> None:
    user = await new_user()  # counts in USD
    euros = (await create_account(user, name="Euro card", currency="EUR"))["id"]
    await pay(user, euros, "SPOTIFY AB", *((f"2026-0{m}-08", "-10.99") for m in range(1, 7)))
    await detect(user)

    waiting = await upcoming(user)
    assert [(b["date"], b["expectedAmount"], b["inBaseCurrency"]) for b in waiting] == [
        ("2026-07-08", {"amount": "-10.99", "currency": "EUR"}, None)
    ]

    await data(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-06-01",
             rate: "1.0825"}) { exchangeRate { id } } }""",
        user_id=user,
    )
    # 10.99 x 1.0825 = 11.896675: rounded once, half to even.
    converted = await upcoming(user)
    assert converted[0]["inBaseCurrency"] == {"amount": "-11.90", "currency": "USD"}
    assert converted[0]["expectedAmount"] == {"amount": "-10.99", "currency": "EUR"}


async def test_the_notifier_reads_confirmed_bills_and_what_is_larger_than_usual(
    today: Callable[[dt.date], None],
) -> None:
    user, account = await a_user_with_history()
    await detect(user)
    series = await all_series(user)
    await data(CONFIRM, {"id": series["NETFLIX.COM"]["id"]}, user_id=user)
    dearer = await add_transaction(user, account, "-19.99", "2026-07-03", "NETFLIX.COM")
    usual = await add_transaction(user, account, "-15.49", "2026-07-03", "Netflix.com")
    shop = await add_transaction(user, account, "-19.99", "2026-07-03", "CORNER GROCERY")

    async with unit_of_work() as work:
        bills = await api.upcoming_bills(work, user, 30, today=TODAY)
        everything = await api.upcoming_bills(work, user, 30, today=TODAY, include_suggested=True)
        of_transactions = await api.recurring_series_of_transactions(
            work, user, [decode_id("Transaction", t["id"]) for t in (dearer, usual, shop)]
        )

    assert [(bill.date, bill.series.name, bill.expected) for bill in bills] == [
        (d("2026-07-03"), "NETFLIX.COM", Money(-1549, "USD"))
    ]
    assert bills[0].in_base_currency == Money(-1549, "USD")
    assert bills[0].series.status is api.RecurringStatus.CONFIRMED
    assert len(everything) == 8
    netflix = of_transactions[decode_id("Transaction", dearer["id"])]
    assert set(of_transactions) == {
        decode_id("Transaction", dearer["id"]),
        decode_id("Transaction", usual["id"]),
    }
    assert netflix.is_larger_than_usual(Money(-1999, "USD"))
    assert not netflix.is_larger_than_usual(Money(-1549, "USD"))
    assert not netflix.is_larger_than_usual(Money(1999, "USD"))


async def test_listing_series_pages_with_a_fixed_number_of_queries(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()
    await detect(user)

    async def statements_for(first: int) -> tuple[int, dict[str, Any]]:
        async with count_statements() as statements:
            result = await data(LIST, {"first": first}, user_id=user)
        return len(statements), result["recurringSeries"]

    (small, page), (large, everything) = await statements_for(2), await statements_for(50)

    # The page and its total, each in a read transaction of its own (BEGIN, SELECT).
    assert small == large <= 4
    assert page["totalCount"] == everything["totalCount"] == 7
    assert page["pageInfo"]["hasNextPage"] and not everything["pageInfo"]["hasNextPage"]
    rest = await data(LIST, {"first": 50, "after": page["pageInfo"]["endCursor"]}, user_id=user)
    names = [edge["node"]["name"] for edge in page["edges"] + rest["recurringSeries"]["edges"]]
    assert names == [edge["node"]["name"] for edge in everything["edges"]]
    # The most recently seen first.
    last_dates = [edge["node"]["lastDate"] for edge in everything["edges"]]
    assert last_dates == sorted(last_dates, reverse=True)


async def test_another_users_series_is_not_found_and_stays_as_it_is(
    today: Callable[[dt.date], None],
) -> None:
    owner, _ = await a_user_with_history()
    await detect(owner)
    before = await all_series(owner)
    netflix = before["NETFLIX.COM"]["id"]
    intruder = await new_user()

    attempts: list[tuple[str, dict[str, Any]]] = [
        ("query($id: ID!) { recurring(id: $id) { id } }", {"id": netflix}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": netflix}),
        (CONFIRM, {"id": netflix}),
        (DISMISS, {"id": netflix}),
        (UPDATE, {"i": {"id": netflix, "name": "mine"}}),
        (DELETE, {"id": netflix}),
    ]
    for query, variables in attempts:
        assert error_codes(await execute(query, variables, user_id=intruder)) == ["NOT_FOUND"]

    assert await all_series(owner) == before
    # The intruder's own detection finds nothing of the owner's.
    assert (await detect(intruder))["detectedCount"] == 0
    assert await all_series(intruder) == {}
    assert await upcoming(intruder) == []


async def test_bad_input_names_its_field_and_changes_nothing(
    today: Callable[[dt.date], None],
) -> None:
    user, _ = await a_user_with_history()
    await detect(user)
    before = await all_series(user)
    netflix = before["NETFLIX.COM"]["id"]
    salary = before["ACME CORP PAYROLL"]["id"]

    def update(**given: Any) -> tuple[str, dict[str, Any]]:
        return UPDATE, {"i": {"id": netflix, **given}}

    cases: list[tuple[str, dict[str, Any], str]] = [
        (*update(name=""), "input.name"),
        (*update(name="x" * 101), "input.name"),
        (*update(expectedAmount="15.99"), "input.expectedAmount"),
        (*update(expectedAmount="0"), "input.expectedAmount"),
        (*update(expectedAmount="-1.999"), "input.expectedAmount"),
        (UPDATE, {"i": {"id": salary, "expectedAmount": "-2450.00"}}, "input.expectedAmount"),
        (UPDATE, {"i": {"id": "not-an-id", "name": "x"}}, "input.id"),
        (CONFIRM, {"id": "not-an-id"}, "input.id"),
        (DISMISS, {"id": ""}, "input.id"),
        (DELETE, {"id": "%%%"}, "input.id"),
        ("query($id: ID!) { recurring(id: $id) { id } }", {"id": "nope"}, "id"),
        (UPCOMING, {"days": 0, "suggested": True}, "days"),
        (UPCOMING, {"days": 367, "suggested": True}, "days"),
        (LIST, {"first": 0}, "first"),
        (LIST, {"first": 101}, "first"),
        (LIST, {"after": "garbage"}, "after"),
        (DETECT, {"i": {"months": 2}}, "input.months"),
        (DETECT, {"i": {"months": 25}}, "input.months"),
    ]
    for query, variables, field in cases:
        assert await rejected_field(query, variables, user_id=user) == field, variables

    assert await all_series(user) == before


async def test_a_series_is_a_payee_whatever_the_bank_writes_around_its_name(
    today: Callable[[dt.date], None],
) -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    for month, description in enumerate(
        ("NETFLIX.COM 866-579-7172 CA", "Netflix", "NETFLIX.COM", "Netflix Inc"), start=3
    ):
        await pay(user, account, description, (f"2026-{month:02d}-03", "-15.49"))

    [series] = (await detect(user))["newSuggestions"]

    assert (series["interval"], series["occurrenceCount"]) == ("MONTHLY", 4)
    assert series["nextDate"] == "2026-07-03"
