"""Savings goals: exact saved amounts, progress for display, and a projected date."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.ledger.goals.service import projected_date
from shared.clock import today
from tests.ledger.support import create_account, new_user, rejected_field
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
