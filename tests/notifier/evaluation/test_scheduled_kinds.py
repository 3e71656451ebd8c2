"""The kinds a clock drives, on the scheduler's pass at frozen moments (bills due, goal
milestones and goals behind, low balances, the weekly summary): each raises once per subject
and period, in the user's time zone, never while snoozed; and the pass itself, queued for
the notifier's workers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.notifier import api as notifier_api
from tests.notifier.evaluation.kinds_support import (
    NOW,
    contribute,
    create_goal,
    freeze,
    of_kind,
    scheduled,
)
from tests.notifier.factories import (
    create_rule,
    drain_notifier_queue,
    open_account,
    sign_up,
    spend,
)
from tests.support.factories import create_account
from tests.support.graphql import data


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


async def test_a_confirmed_bill_is_announced_days_ahead_once() -> None:
    person = await sign_up()
    account = await open_account(person)
    for month in range(6, 12):
        await spend(
            person, account, "-15.49", description="NETFLIX.COM", day=f"2026-{month:02d}-03"
        )
    detected = await data(
        "mutation { detectRecurring { newSuggestions { id name } } }", user_id=person.id
    )
    [series] = detected["detectRecurring"]["newSuggestions"]
    await create_rule(person, kind="BILL_DUE")  # 3 days ahead
    assert await scheduled(person, at("2026-11-30T12:00:00+00:00")) == []  # only suggested

    await data(
        "mutation($id: ID!) { confirmRecurring(input: {id: $id}) { recurringSeries { id } } }",
        {"id": series["id"]},
        user_id=person.id,
    )
    assert await scheduled(person, at("2026-11-29T12:00:00+00:00")) == []  # 4 days ahead
    assert await scheduled(person, at("2026-11-30T12:00:00+00:00")) == [
        "NETFLIX.COM is due on December 3, 2026"
    ]
    assert await scheduled(person, at("2026-12-01T12:00:00+00:00")) == []
    [alert] = await of_kind(person, "BILL_DUE")
    assert alert["body"] == "NETFLIX.COM is expected on December 3, 2026: about $15.49."


async def test_goal_milestones_are_each_told_once() -> None:
    person = await sign_up()
    goal = await create_goal(person, "Bike", "1000.00")
    await create_rule(person, kind="GOAL_MILESTONE")

    await contribute(person, goal, "300.00", "2026-11-20")
    assert await scheduled(person, NOW) == ["25% of the way to Bike"]
    assert await scheduled(person, NOW) == []
    await contribute(person, goal, "300.00", "2026-11-21")
    assert await scheduled(person, NOW) == ["50% of the way to Bike"]
    await contribute(person, goal, "500.00", "2026-11-22")
    assert await scheduled(person, NOW) == ["Goal reached: Bike"]
    assert await scheduled(person, NOW + dt.timedelta(days=40)) == []


async def test_a_goal_behind_schedule_is_told_once_a_month() -> None:
    person = await sign_up()
    slow = await create_goal(person, "Car", "10000.00", "2027-03-01")
    fine = await create_goal(person, "Phone", "100.00", "2027-03-01")
    await contribute(person, slow, "100.00", "2026-06-01")
    await contribute(person, fine, "90.00", "2026-11-01")
    await create_rule(person, kind="GOAL_BEHIND")

    assert await scheduled(person, NOW) == ["Behind schedule: Car"]
    assert await scheduled(person, NOW + dt.timedelta(days=2)) == []
    assert await scheduled(person, at("2026-12-01T12:00:00+00:00")) == ["Behind schedule: Car"]
    [latest, _] = await of_kind(person, "GOAL_BEHIND")
    assert latest["body"].startswith(
        "You've saved $100.00 of $10,000.00 for Car, due March 1, 2027"
    )


async def test_a_low_balance_is_told_once_a_month_while_it_stays_low() -> None:
    person = await sign_up()
    await create_account(person.id, "Savings", opening_balance="20.00")
    await create_rule(person, kind="LOW_BALANCE", threshold="25")

    assert await scheduled(person, NOW) == ["Low balance: Savings"]
    assert await scheduled(person, NOW + dt.timedelta(days=1)) == []
    assert await scheduled(person, at("2026-12-02T12:00:00+00:00")) == ["Low balance: Savings"]


async def test_the_weekly_summary_covers_last_week_once_where_the_user_lives() -> None:
    # Sunday noon in UTC is already Monday 02:00 on Kiritimati (UTC+14).
    sunday_noon = at("2026-11-29T12:00:00+00:00")
    ahead = await sign_up(time_zone="Pacific/Kiritimati")
    for person in (ahead,):
        account = await open_account(person)
        await spend(person, account, "-42.00", description="Groceries", day="2026-11-24")
        await spend(person, account, "1000.00", description="Salary", day="2026-11-27")
        await create_rule(person, kind="WEEKLY_SUMMARY")

    assert await scheduled(ahead, sunday_noon) == ["Your week: $42.00 out, $1,000.00 in"]
    assert await scheduled(ahead, sunday_noon + dt.timedelta(days=3)) == []
    [summary] = await of_kind(ahead, "WEEKLY_SUMMARY")
    assert summary["body"].startswith(
        "From November 23, 2026 to November 29, 2026 you spent $42.00 and received $1,000.00."
    )
    assert await scheduled(ahead, sunday_noon + dt.timedelta(days=7)) == [
        "Your week: $0.00 out, $0.00 in"
    ]

    # The same moment is still Sunday in UTC: that week is not over there.
    in_utc = await sign_up()
    utc_account = await open_account(in_utc)
    await spend(in_utc, utc_account, "-42.00", description="Groceries", day="2026-11-24")
    await create_rule(in_utc, kind="WEEKLY_SUMMARY")
    await scheduled(in_utc, sunday_noon)
    assert all("November 23" not in n["body"] for n in await of_kind(in_utc, "WEEKLY_SUMMARY"))


async def test_a_snoozed_rule_waits_for_the_end_of_its_snooze() -> None:
    person = await sign_up()
    await create_account(person.id, "Savings", opening_balance="20.00")
    rule = await create_rule(person, kind="LOW_BALANCE", threshold="25")
    until = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=3)
    await data(
        """mutation($id: ID!, $u: DateTime!) {
             snoozeAlertRule(input: {id: $id, until: $u}) { alertRule { id } } }""",
        {"id": rule["id"], "u": until.isoformat()},
        user_id=person.id,
    )

    assert await scheduled(person, until - dt.timedelta(minutes=1)) == []
    assert await scheduled(person, until) == ["Low balance: Savings"]


async def test_the_pass_queues_each_user_with_a_clock_driven_rule_for_the_workers(
    notifier_worker: Any,
) -> None:
    person = await sign_up()
    await create_account(person.id, "Savings", opening_balance="20.00")
    await create_rule(person, kind="LOW_BALANCE", threshold="25")
    untimed = await sign_up()  # only the default BUDGET_OVERSPENT rule: nothing to queue

    queued = await notifier_api.enqueue_scheduled_alerts(NOW)
    await drain_notifier_queue()
    again = await notifier_api.enqueue_scheduled_alerts(NOW)
    await drain_notifier_queue()

    assert queued >= 1 and again >= 1
    assert [n["title"] for n in await of_kind(person, "LOW_BALANCE")] == ["Low balance: Savings"]
    assert await of_kind(untimed, "LOW_BALANCE") == []
