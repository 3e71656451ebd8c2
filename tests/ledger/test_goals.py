"""Savings goals: exact saved amounts, progress for display, and a projected date."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from services.ledger.goals.progress import monthly_amount_needed, projected_date
from shared import clock
from shared.clock import today
from shared.db import count_statements
from tests.ledger.support import (
    add_transaction,
    category_ids,
    create_account,
    new_user,
    rejected_field,
)
from tests.support.factories import set_budget
from tests.support.graphql import data, error_codes, execute

GOAL_FIELDS = """id name targetAmount { amount currency } savedAmount { amount currency }
  targetDate progress projectedDate"""
CREATE = f"""mutation($input: CreateGoalInput!) {{
  createGoal(input: $input) {{ goal {{ {GOAL_FIELDS} }} }} }}"""
CONTRIBUTE = f"""mutation($goalId: ID!, $amount: Decimal!, $date: Date) {{
  contributeToGoal(input: {{goalId: $goalId, amount: $amount, date: $date}}) {{
    goal {{ {GOAL_FIELDS} }} }} }}"""


async def _goal(user: uuid.UUID, **given: str) -> dict[str, Any]:
    variables = {"input": {"name": "Bike", "targetAmount": "1000", **given}}
    goal: dict[str, Any] = (await data(CREATE, variables, user_id=user))["createGoal"]["goal"]
    return goal


async def test_a_new_goal_has_nothing_saved_and_no_projection() -> None:
    user = await new_user()
    target_date = (today() + dt.timedelta(days=365)).isoformat()

    goal = await _goal(user, targetDate=target_date)

    assert goal["targetAmount"] == {"amount": "1000.00", "currency": "USD"}
    assert goal["savedAmount"] == {"amount": "0.00", "currency": "USD"}
    assert goal["targetDate"] == target_date
    assert goal["progress"] == 0.0
    assert goal["projectedDate"] is None


async def test_contributions_add_up_exactly_and_project_the_date_from_the_average_rate() -> None:
    user = await new_user()
    goal = await _goal(user, targetAmount="100.00")
    ten_days_ago = (today() - dt.timedelta(days=10)).isoformat()

    for amount in ("0.10", "0.20", "19.70"):
        saved = (
            await data(
                CONTRIBUTE,
                {"goalId": goal["id"], "amount": amount, "date": ten_days_ago},
                user_id=user,
            )
        )["contributeToGoal"]["goal"]

    # 20.00 saved in 10 days is 2.00 a day: 80.00 more takes 40 days.
    assert saved["savedAmount"] == {"amount": "20.00", "currency": "USD"}
    assert saved["progress"] == 0.2
    assert saved["projectedDate"] == (today() + dt.timedelta(days=40)).isoformat()
    [listed] = (await data(f"{{ goals {{ {GOAL_FIELDS} }} }}", user_id=user))["goals"]
    assert listed == saved


async def test_a_reached_goal_shows_full_progress_and_no_projection() -> None:
    user = await new_user()
    goal = await _goal(user, targetAmount="50")

    reached = (await data(CONTRIBUTE, {"goalId": goal["id"], "amount": "75.00"}, user_id=user))[
        "contributeToGoal"
    ]["goal"]

    assert reached["savedAmount"]["amount"] == "75.00"
    assert reached["progress"] == 1.0
    assert reached["projectedDate"] is None


async def test_a_goal_takes_the_base_currency_unless_told() -> None:
    user = await new_user(base_currency="GBP")
    await create_account(user, currency="USD")

    default = await _goal(user, targetAmount="10.5")
    chosen = await _goal(user, targetAmount="10", currency="jpy")

    assert default["targetAmount"] == {"amount": "10.50", "currency": "GBP"}
    assert chosen["targetAmount"] == {"amount": "10", "currency": "JPY"}


def test_the_projection_rounds_up_to_whole_days_and_needs_a_rate() -> None:
    on = dt.date(2026, 6, 1)
    started = dt.date(2026, 5, 2)  # 30 days earlier

    assert projected_date(3_000, 10_000, started, on) == on + dt.timedelta(days=70)
    assert projected_date(3_001, 10_000, started, on) == on + dt.timedelta(days=70)
    assert projected_date(2_999, 10_000, started, on) == on + dt.timedelta(days=71)
    assert projected_date(0, 10_000, None, on) is None
    assert projected_date(5_000, 10_000, on, on) is None
    assert projected_date(10_000, 10_000, started, on) is None
    assert projected_date(1, 10**17, dt.date(2026, 5, 31), on) is None


async def test_invalid_goals_and_contributions_are_refused_naming_the_field() -> None:
    user = await new_user()
    goal = await _goal(user)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    for given, field in (
        ({"name": " "}, "input.name"),
        ({"name": "n" * 101}, "input.name"),
        ({"targetAmount": "-5"}, "input.targetAmount"),
        ({"targetAmount": "0"}, "input.targetAmount"),
        ({"targetAmount": "1.999"}, "input.targetAmount"),
        ({"currency": "ABC"}, "input.currency"),
        ({"targetDate": yesterday}, "input.targetDate"),
    ):
        assert (
            await rejected_field(
                CREATE, {"input": {"name": "Trip", "targetAmount": "5", **given}}, user_id=user
            )
            == field
        )
    for variables, field in (
        ({"amount": "0"}, "input.amount"),
        ({"amount": "-1.00"}, "input.amount"),
        ({"amount": "0.001"}, "input.amount"),
        ({"amount": "1.00", "date": tomorrow}, "input.date"),
        ({"amount": "1.00", "goalId": "???"}, "input.goalId"),
    ):
        given = {"goalId": goal["id"], **variables}
        assert await rejected_field(CONTRIBUTE, given, user_id=user) == field

    [unchanged] = (await data("{ goals { name savedAmount { amount } } }", user_id=user))["goals"]
    assert unchanged == {"name": "Bike", "savedAmount": {"amount": "0.00"}}


async def test_contributing_to_another_users_goal_is_not_found() -> None:
    owner, intruder = await new_user(), await new_user()
    goal = await _goal(owner)

    result = await execute(CONTRIBUTE, {"goalId": goal["id"], "amount": "1.00"}, user_id=intruder)

    assert error_codes(result) == ["NOT_FOUND"]
    assert (await data("{ goals { id } }", user_id=intruder))["goals"] == []
    [kept] = (await data("{ goals { savedAmount { amount } } }", user_id=owner))["goals"]
    assert kept["savedAmount"]["amount"] == "0.00"


# --- changing, pausing, deleting ------------------------------------------------------------

# The stories below happen on a fixed day (the caller's today, in UTC).
TODAY = dt.date(2026, 6, 15)

FULL_FIELDS = f"""{GOAL_FIELDS} funding status onTrack monthlyAmountNeeded {{ amount currency }}
  pausedAt fundedSince account {{ id }} category {{ id name }}"""
UPDATE = f"""mutation($input: UpdateGoalInput!) {{
  updateGoal(input: $input) {{ goal {{ {FULL_FIELDS} }} }} }}"""
PAUSE = f"""mutation($id: ID!) {{ pauseGoal(input: {{id: $id}}) {{ goal {{ {FULL_FIELDS} }} }} }}"""
RESUME = (
    f"""mutation($id: ID!) {{ resumeGoal(input: {{id: $id}}) {{ goal {{ {FULL_FIELDS} }} }} }}"""
)
DELETE = "mutation($id: ID!) { deleteGoal(input: {id: $id}) { deletedGoalId } }"
FULL_CREATE = f"""mutation($input: CreateGoalInput!) {{
  createGoal(input: $input) {{ goal {{ {FULL_FIELDS} }} }} }}"""


@pytest.fixture
def on_a_fixed_day(monkeypatch: pytest.MonkeyPatch) -> Iterator[dt.date]:
    """Today is TODAY for every caller and service (stored moments keep the real clock)."""
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: noon)
    yield TODAY


async def _create(user: uuid.UUID, **given: Any) -> dict[str, Any]:
    variables = {"input": {"name": "Bike", "targetAmount": "1000", **given}}
    goal: dict[str, Any] = (await data(FULL_CREATE, variables, user_id=user))["createGoal"]["goal"]
    return goal


async def _update(user: uuid.UUID, **given: Any) -> dict[str, Any]:
    goal: dict[str, Any] = (await data(UPDATE, {"input": given}, user_id=user))["updateGoal"][
        "goal"
    ]
    return goal


async def _contribute(user: uuid.UUID, goal_id: str, amount: str, day: dt.date) -> None:
    await data(
        CONTRIBUTE, {"goalId": goal_id, "amount": amount, "date": day.isoformat()}, user_id=user
    )


async def test_updating_a_goal_changes_only_what_was_given_and_null_removes_the_date(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()
    goal = await _create(user, targetDate="2026-12-31")
    await _contribute(user, goal["id"], "100.00", TODAY)

    renamed = await _update(user, id=goal["id"], name="  Cargo bike ", targetAmount="2500.5")
    undated = await _update(user, id=goal["id"], targetDate=None)

    assert renamed["name"] == "Cargo bike"
    assert renamed["targetAmount"] == {"amount": "2500.50", "currency": "USD"}
    assert renamed["targetDate"] == "2026-12-31"
    assert renamed["savedAmount"]["amount"] == "100.00"
    assert undated["targetDate"] is None
    assert undated["name"] == "Cargo bike"
    assert undated["monthlyAmountNeeded"] is None
    assert undated["onTrack"] == "NO_TARGET_DATE"


async def test_bad_goal_updates_are_refused_naming_the_field_and_nothing_changes(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()
    goal = await _create(user, targetDate="2026-12-31")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": None}, "input.name"),
        ({"name": " "}, "input.name"),
        ({"name": "n" * 101}, "input.name"),
        ({"targetAmount": None}, "input.targetAmount"),
        ({"targetAmount": "0"}, "input.targetAmount"),
        ({"targetAmount": "-1"}, "input.targetAmount"),
        ({"targetAmount": "1.001"}, "input.targetAmount"),
        ({"targetDate": "2026-06-14"}, "input.targetDate"),
        ({"targetDate": "2101-01-01"}, "input.targetDate"),
        ({"funding": None}, "input.funding"),
        ({"funding": "ACCOUNT"}, "input.accountId"),
        ({"funding": "CATEGORY"}, "input.categoryId"),
        ({"accountId": "garbage", "funding": "ACCOUNT"}, "input.accountId"),
        ({"categoryId": "garbage", "funding": "CATEGORY"}, "input.categoryId"),
        # A good change beside a bad one: neither is stored.
        ({"name": "Fine", "targetAmount": "0"}, "input.targetAmount"),
        ({"id": "garbage"}, "input.id"),
    ]
    for change, field in cases:
        given = {"input": {"id": goal["id"], **change}}
        assert await rejected_field(UPDATE, given, user_id=user) == field, change

    [unchanged] = (await data(f"{{ goals {{ {FULL_FIELDS} }} }}", user_id=user))["goals"]
    assert unchanged == goal


async def test_a_paused_goal_says_so_until_resumed_and_pausing_twice_keeps_the_first_pause(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()
    goal = await _create(user, targetDate="2026-12-31")

    paused = (await data(PAUSE, {"id": goal["id"]}, user_id=user))["pauseGoal"]["goal"]
    again = (await data(PAUSE, {"id": goal["id"]}, user_id=user))["pauseGoal"]["goal"]
    resumed = (await data(RESUME, {"id": goal["id"]}, user_id=user))["resumeGoal"]["goal"]

    assert (paused["status"], paused["onTrack"]) == ("PAUSED", "PAUSED")
    assert paused["pausedAt"] is not None
    assert again == paused
    assert (resumed["status"], resumed["onTrack"], resumed["pausedAt"]) == (
        "ACTIVE",
        "BEHIND",
        None,
    )


async def test_deleting_a_goal_removes_it_with_its_contributions() -> None:
    user = await new_user()
    kept, doomed = await _create(user, name="Kept"), await _create(user, name="Doomed")
    await _contribute(user, doomed["id"], "5.00", today())

    deleted = await data(DELETE, {"id": doomed["id"]}, user_id=user)

    assert deleted["deleteGoal"] == {"deletedGoalId": doomed["id"]}
    assert [g["id"] for g in (await data("{ goals { id } }", user_id=user))["goals"]] == [
        kept["id"]
    ]
    gone = await execute(
        "query($id: ID!) { goal(id: $id) { id } }", {"id": doomed["id"]}, user_id=user
    )
    assert error_codes(gone) == ["NOT_FOUND"]


async def test_another_users_goal_cannot_be_changed_paused_or_deleted() -> None:
    owner, intruder = await new_user(), await new_user()
    goal = await _create(owner, name="Mine")
    attempts = [
        await execute(UPDATE, {"input": {"id": goal["id"], "name": "Ha"}}, user_id=intruder),
        await execute(PAUSE, {"id": goal["id"]}, user_id=intruder),
        await execute(RESUME, {"id": goal["id"]}, user_id=intruder),
        await execute(DELETE, {"id": goal["id"]}, user_id=intruder),
    ]

    assert [error_codes(result) for result in attempts] == [["NOT_FOUND"]] * 4
    [kept] = (await data(f"{{ goals {{ {FULL_FIELDS} }} }}", user_id=owner))["goals"]
    assert kept == goal


# --- what is needed, and whether it is on track ---------------------------------------------


async def test_the_monthly_amount_needed_spreads_what_remains_over_the_months_rounding_up(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()

    # June, July, August, September: four months for 1000.01, so 250.01 each (not 250.00).
    spread = await _create(user, targetAmount="1000.01", targetDate="2026-09-01")
    yen = await _create(user, targetAmount="1000", currency="JPY", targetDate="2026-08-31")
    this_month = await _create(user, targetAmount="80.00", targetDate=TODAY.isoformat())
    undated = await _create(user)
    await _contribute(user, spread["id"], "0.05", TODAY)
    after_saving = (
        await data("query($id: ID!) { goal(id: $id) { monthlyAmountNeeded { amount } } }",
                   {"id": spread["id"]}, user_id=user)
    )["goal"]  # fmt: skip

    assert spread["monthlyAmountNeeded"] == {"amount": "250.01", "currency": "USD"}
    assert yen["monthlyAmountNeeded"] == {"amount": "334", "currency": "JPY"}
    assert this_month["monthlyAmountNeeded"] == {"amount": "80.00", "currency": "USD"}
    assert undated["monthlyAmountNeeded"] is None
    # 999.96 over four months: 249.99 each.
    assert after_saving["monthlyAmountNeeded"] == {"amount": "249.99"}


def test_the_monthly_amount_needed_is_exact_and_rounds_up() -> None:
    on = dt.date(2026, 1, 31)

    assert monthly_amount_needed(10_000, dt.date(2026, 2, 1), on, "USD").minor == 5_000
    assert monthly_amount_needed(10_001, dt.date(2026, 2, 1), on, "USD").minor == 5_001
    assert monthly_amount_needed(10_001, dt.date(2026, 1, 31), on, "USD").minor == 10_001
    # A target month already gone: all of it now.
    assert monthly_amount_needed(7, dt.date(2025, 12, 31), on, "USD").minor == 7
    assert monthly_amount_needed(0, dt.date(2027, 1, 1), on, "USD").minor == 0
    assert monthly_amount_needed(-5, dt.date(2027, 1, 1), on, "EUR") == monthly_amount_needed(
        0, dt.date(2027, 1, 1), on, "EUR"
    )
    assert monthly_amount_needed(10**17 + 1, dt.date(2100, 12, 31), on, "USD").minor == (
        -(-(10**17 + 1) // (75 * 12))
    )


async def test_a_goal_is_on_track_when_its_pace_reaches_the_target_by_its_date(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()
    goal = await _create(user, targetAmount="1000.00", targetDate="2026-06-30")
    fresh = dict(goal)
    # 500.00 in ten days is 50.00 a day: the other 500.00 takes ten more, to 2026-06-25.
    await _contribute(user, goal["id"], "500.00", TODAY - dt.timedelta(days=10))

    on_track = await _update(user, id=goal["id"], targetDate="2026-06-25")
    behind = await _update(user, id=goal["id"], targetDate="2026-06-24")
    paused = (await data(PAUSE, {"id": goal["id"]}, user_id=user))["pauseGoal"]["goal"]
    await _contribute(user, goal["id"], "500.00", TODAY)
    reached = (await data(f"{{ goals {{ {FULL_FIELDS} }} }}", user_id=user))["goals"][0]

    assert (fresh["status"], fresh["onTrack"], fresh["projectedDate"]) == (
        "ACTIVE",
        "BEHIND",
        None,
    )
    assert on_track["projectedDate"] == "2026-06-25"
    assert (on_track["status"], on_track["onTrack"]) == ("ACTIVE", "ON_TRACK")
    assert behind["onTrack"] == "BEHIND"
    assert paused["onTrack"] == "PAUSED"
    # Reached whether paused or not, and nothing more is needed.
    assert (reached["status"], reached["onTrack"]) == ("REACHED", "REACHED")
    assert reached["monthlyAmountNeeded"] == {"amount": "0.00", "currency": "USD"}


# --- funded by an account or a category -------------------------------------------------------


async def test_a_goal_funded_by_an_account_counts_its_balance_and_projects_its_recent_pace(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()  # base currency USD
    fresh = await create_account(user, name="New pot", currency="EUR", opening_balance="100.00")
    await add_transaction(user, fresh["id"], "30.00", date=TODAY - dt.timedelta(days=30))
    old = await create_account(user, name="Old pot")
    await add_transaction(user, old["id"], "500.00", date="2026-01-10")
    await add_transaction(user, old["id"], "90.00", date=TODAY - dt.timedelta(days=60))

    holiday = await _create(
        user, name="Holiday", targetAmount="200", funding="ACCOUNT", accountId=fresh["id"]
    )
    car = await _create(user, name="Car", funding="ACCOUNT", accountId=old["id"])

    # The goal takes its account's currency; saved is the balance.
    assert holiday["funding"] == "ACCOUNT"
    assert holiday["account"] == {"id": fresh["id"]}
    assert holiday["targetAmount"] == {"amount": "200.00", "currency": "EUR"}
    assert holiday["savedAmount"] == {"amount": "130.00", "currency": "EUR"}
    # 30.00 over the 30 days since its first transaction: 70.00 more takes 70 days.
    assert holiday["projectedDate"] == (TODAY + dt.timedelta(days=70)).isoformat()
    # Only the last 90 days count for an older account: 90.00 in 90 days, 410.00 to go.
    assert car["savedAmount"] == {"amount": "590.00", "currency": "USD"}
    assert car["projectedDate"] == (TODAY + dt.timedelta(days=410)).isoformat()
    await add_transaction(user, old["id"], "410.00", date=TODAY)
    [_, reached] = (await data(f"{{ goals {{ {FULL_FIELDS} }} }}", user_id=user))["goals"]
    assert reached["status"] == "REACHED" and reached["progress"] == 1.0


async def test_an_account_in_another_currency_closed_or_not_asked_for_is_refused(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()
    euros = await create_account(user, name="Euros", currency="EUR")
    closed = await create_account(user, name="Closed")
    await data(
        "mutation($id: ID!) { closeAccount(input: {id: $id}) { account { id } } }",
        {"id": closed["id"]},
        user_id=user,
    )
    goal = await _create(user)
    dining = (await category_ids(user))["Dining"]
    for given, field in (
        ({"funding": "ACCOUNT", "accountId": euros["id"], "currency": "USD"}, "input.accountId"),
        ({"funding": "ACCOUNT", "accountId": closed["id"]}, "input.accountId"),
        ({"funding": "ACCOUNT"}, "input.accountId"),
        ({"accountId": euros["id"]}, "input.accountId"),
        ({"categoryId": dining}, "input.categoryId"),
        ({"funding": "CATEGORY", "categoryId": dining, "currency": "EUR"}, "input.currency"),
    ):
        variables = {"input": {"name": "Trip", "targetAmount": "5", **given}}
        assert await rejected_field(FULL_CREATE, variables, user_id=user) == field, given
    refused = await execute(
        UPDATE, {"input": {"id": goal["id"], "funding": "ACCOUNT", "accountId": euros["id"]}},
        user_id=user,
    )  # fmt: skip
    assert refused.errors is not None
    assert "is in EUR and the goal in USD" in refused.errors[0].message

    assert [g["name"] for g in (await data("{ goals { name } }", user_id=user))["goals"]] == [
        "Bike"
    ]


async def test_switching_a_goal_to_an_account_and_back_keeps_its_contributions(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()
    account = await create_account(user, opening_balance="42.00")
    goal = await _create(user)
    await _contribute(user, goal["id"], "7.00", TODAY)

    linked = await _update(user, id=goal["id"], funding="ACCOUNT", accountId=account["id"])
    refused = await rejected_field(
        CONTRIBUTE, {"goalId": goal["id"], "amount": "1.00"}, user_id=user
    )
    back = await _update(user, id=goal["id"], funding="CONTRIBUTIONS")

    assert (linked["funding"], linked["savedAmount"]["amount"]) == ("ACCOUNT", "42.00")
    assert linked["fundedSince"] == TODAY.isoformat()
    assert refused == "input.goalId"
    assert (back["funding"], back["savedAmount"]["amount"], back["account"]) == (
        "CONTRIBUTIONS",
        "7.00",
        None,
    )


async def test_a_goal_funded_by_a_category_counts_its_budgets_less_its_spending_since_it_started(
    on_a_fixed_day: dt.date,
) -> None:
    user = await new_user()  # base currency USD
    fun = (await category_ids(user))["Entertainment"]
    account = await create_account(user)
    euros = await create_account(user, name="Euros", currency="EUR")
    await data(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-06-01", rate: "1.1"})
             { exchangeRate { id } } }""",
        user_id=user,
    )
    await set_budget(user, fun, "2026-05", "1000")  # before the goal: not counted
    await set_budget(user, fun, "2026-06", "300")
    await set_budget(user, fun, "2026-07", "500")  # a month still to come: not yet
    for amount, day in (
        ("-99.00", "2026-05-20"),
        ("-50.25", "2026-06-02"),
        ("10.00", "2026-06-10"),
        ("-5.00", "2026-06-20"),
    ):
        await add_transaction(user, account["id"], amount, date=day, category_id=fun)  # fmt: skip
    await add_transaction(user, euros["id"], "-10.00", date="2026-06-05", category_id=fun)

    goal = await _create(user, name="Concerts", funding="CATEGORY", categoryId=fun)

    assert goal["category"] == {"id": fun, "name": "Entertainment"}
    assert goal["fundedSince"] == TODAY.isoformat()
    # 300.00 budgeted, 50.25 spent, 10.00 refunded, 10.00 EUR spent at 1.1 (11.00).
    assert goal["savedAmount"] == {"amount": "248.75", "currency": "USD"}
    # 248.75 in the 14 days since June began: 751.25 more takes ceil(42.28...) = 43 days.
    assert goal["projectedDate"] == (TODAY + dt.timedelta(days=43)).isoformat()


async def test_funding_with_another_users_account_or_category_is_not_found() -> None:
    owner, intruder = await new_user(), await new_user()
    account = await create_account(owner)
    category = (await category_ids(owner))["Dining"]
    goal = await _create(intruder)

    attempts = [
        await execute(FULL_CREATE, {"input": {"name": "x", "targetAmount": "1",
                      "funding": "ACCOUNT", "accountId": account["id"]}}, user_id=intruder),
        await execute(FULL_CREATE, {"input": {"name": "x", "targetAmount": "1",
                      "funding": "CATEGORY", "categoryId": category}}, user_id=intruder),
        await execute(UPDATE, {"input": {"id": goal["id"], "funding": "ACCOUNT",
                      "accountId": account["id"]}}, user_id=intruder),
        await execute(UPDATE, {"input": {"id": goal["id"], "funding": "CATEGORY",
                      "categoryId": category}}, user_id=intruder),
    ]  # fmt: skip

    assert [error_codes(result) for result in attempts] == [["NOT_FOUND"]] * 4
    [unchanged] = (await data("{ goals { funding } }", user_id=intruder))["goals"]
    assert unchanged == {"funding": "CONTRIBUTIONS"}


async def test_listing_goals_of_every_funding_costs_the_same_queries_for_any_number() -> None:
    user = await new_user()
    account = await create_account(user, opening_balance="10.00")
    await add_transaction(user, account["id"], "1.00", date=today())
    fun = (await category_ids(user))["Entertainment"]
    query = f"{{ goals {{ {FULL_FIELDS} }} }}"

    async def statements_for(per_funding: int) -> int:
        while len((await data("{ goals { id } }", user_id=user))["goals"]) < 3 * per_funding:
            await _create(user, name="Saved")
            await _create(user, name="Account", funding="ACCOUNT", accountId=account["id"])
            await _create(user, name="Category", funding="CATEGORY", categoryId=fun)
        async with count_statements() as statements:
            listed = (await data(query, user_id=user))["goals"]
        assert len(listed) == 3 * per_funding
        return len(statements)

    one, four = await statements_for(1), await statements_for(4)

    assert one == four
