"""Rules of every kind: each takes its own parameters (with defaults), a scope where it makes
sense, channels, and a snooze; anything else is refused naming the field, with nothing
written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.notifier.rules import service as rules_service
from shared.db import read_session
from shared.ids import decode_id
from tests.notifier.factories import category_id, open_account, rules, sign_up
from tests.support.graphql import data, execute

RULE_FIELDS = """id kind enabled threshold { amount currency } categoryId accountId tagId
  percents daysAhead factor trailingMonths channels snoozedUntil"""
CREATE = f"""mutation($input: CreateAlertRuleInput!) {{
  createAlertRule(input: $input) {{ alertRule {{ {RULE_FIELDS} }} }} }}"""
UPDATE = f"""mutation($input: UpdateAlertRuleInput!) {{
  updateAlertRule(input: $input) {{ alertRule {{ {RULE_FIELDS} }} }} }}"""
SNOOZE = f"""mutation($id: ID!, $until: DateTime!) {{
  snoozeAlertRule(input: {{id: $id, until: $until}}) {{ alertRule {{ {RULE_FIELDS} }} }} }}"""
UNSNOOZE = f"""mutation($id: ID!) {{
  unsnoozeAlertRule(input: {{id: $id}}) {{ alertRule {{ {RULE_FIELDS} }} }} }}"""


async def _create(person: Any, **fields: Any) -> dict[str, Any]:
    created = await data(CREATE, {"input": fields}, user_id=person.id)
    rule: dict[str, Any] = created["createAlertRule"]["alertRule"]
    return rule


async def _refused(person: Any, operation: str, fields: dict[str, Any]) -> str:
    """The field named by the BAD_USER_INPUT an operation must answer."""
    result = await execute(operation, {"input": fields}, user_id=person.id)
    assert result.errors, result.data
    extensions = result.errors[0].extensions or {}
    assert extensions.get("code") == "BAD_USER_INPUT", result.errors
    return str(extensions["field"])


async def test_each_kind_gets_its_defaults() -> None:
    person = await sign_up()
    made = {
        kind: await _create(person, kind=kind, **extra)
        for kind, extra in (
            ("BUDGET_THRESHOLD", {}),
            ("GOAL_MILESTONE", {}),
            ("BILL_DUE", {}),
            ("UNUSUAL_SPENDING", {}),
            ("LOW_BALANCE", {"threshold": "0"}),
            ("WEEKLY_SUMMARY", {}),
            ("NEW_MERCHANT", {}),
            ("BANK_CONNECTION_ATTENTION", {}),
            ("GOAL_BEHIND", {}),
            ("BILL_LARGER_THAN_USUAL", {}),
        )
    }

    assert made["BUDGET_THRESHOLD"]["percents"] == [80, 100]
    assert made["GOAL_MILESTONE"]["percents"] == [25, 50, 75, 100]
    assert made["BILL_DUE"]["daysAhead"] == 3
    assert (made["UNUSUAL_SPENDING"]["factor"], made["UNUSUAL_SPENDING"]["trailingMonths"]) == (
        "1.50",
        3,
    )
    assert made["LOW_BALANCE"]["threshold"] == {"amount": "0.00", "currency": "USD"}
    for rule in made.values():
        assert rule["channels"] == ["IN_APP", "EMAIL"]
        assert rule["snoozedUntil"] is None and rule["enabled"] is True
    assert made["WEEKLY_SUMMARY"]["percents"] is None
    assert made["WEEKLY_SUMMARY"]["daysAhead"] is None
    listed = {rule["id"] for rule in await rules(person)}
    assert {rule["id"] for rule in made.values()} <= listed


async def test_parameters_scope_and_channels_are_kept_and_changed() -> None:
    person = await sign_up()
    account = await open_account(person)
    tag = (await data('mutation { createTag(input: {name: "Trip"}) { tag { id } } }',
                      user_id=person.id))["createTag"]["tag"]["id"]  # fmt: skip
    large = await _create(
        person,
        kind="LARGE_TRANSACTION",
        threshold="250",
        accountId=account,
        tagId=tag,
        channels=["PUSH", "IN_APP"],
    )
    assert (large["accountId"], large["tagId"]) == (account, tag)
    assert large["channels"] == ["IN_APP", "PUSH"]  # in the channels' own order

    changed = await data(
        UPDATE,
        {"input": {"id": large["id"], "tagId": None, "channels": ["WEBHOOK"]}},
        user_id=person.id,
    )
    rule = changed["updateAlertRule"]["alertRule"]
    assert (rule["accountId"], rule["tagId"], rule["channels"]) == (account, None, ["WEBHOOK"])
    async with read_session() as session:
        channels = await rules_service.channels_of_rule(
            session, decode_id("AlertRule", large["id"])
        )
        assert channels == frozenset({"WEBHOOK"})
        assert await rules_service.channels_of_rule(session, None) == {"IN_APP", "EMAIL"}

    threshold = await _create(person, kind="BUDGET_THRESHOLD", percents=[100, 50, 90])
    assert threshold["percents"] == [50, 90, 100]
    moved = await data(
        UPDATE, {"input": {"id": threshold["id"], "percents": [75]}}, user_id=person.id
    )
    assert moved["updateAlertRule"]["alertRule"]["percents"] == [75]
    unusual = await _create(person, kind="UNUSUAL_SPENDING", factor="2", trailingMonths=6)
    assert (unusual["factor"], unusual["trailingMonths"]) == ("2.00", 6)
    kept = await data(UPDATE, {"input": {"id": unusual["id"], "factor": "3.25"}}, user_id=person.id)
    assert kept["updateAlertRule"]["alertRule"]["trailingMonths"] == 6


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "LARGE_TRANSACTION", "threshold": "10", "percents": [50]}, "input.percents"),
        ({"kind": "BUDGET_THRESHOLD", "percents": []}, "input.percents"),
        ({"kind": "BUDGET_THRESHOLD", "percents": [0]}, "input.percents"),
        ({"kind": "BUDGET_THRESHOLD", "percents": [80, 80]}, "input.percents"),
        ({"kind": "GOAL_MILESTONE", "percents": list(range(1, 12))}, "input.percents"),
        ({"kind": "BILL_DUE", "daysAhead": 31}, "input.daysAhead"),
        ({"kind": "GOAL_BEHIND", "daysAhead": 3}, "input.daysAhead"),
        ({"kind": "UNUSUAL_SPENDING", "factor": "1"}, "input.factor"),
        ({"kind": "UNUSUAL_SPENDING", "factor": "1.555"}, "input.factor"),
        ({"kind": "UNUSUAL_SPENDING", "trailingMonths": 0}, "input.trailingMonths"),
        ({"kind": "NEW_MERCHANT", "factor": "2"}, "input.factor"),
        ({"kind": "LOW_BALANCE"}, "input.threshold"),
        ({"kind": "WEEKLY_SUMMARY", "threshold": "5"}, "input.threshold"),
        ({"kind": "BUDGET_OVERSPENT", "accountId": "{account}"}, "input.accountId"),
        ({"kind": "LOW_BALANCE", "threshold": "5", "tagId": "{account}"}, "input.tagId"),
        ({"kind": "GOAL_MILESTONE", "categoryId": "{category}"}, "input.categoryId"),
        ({"kind": "WEEKLY_SUMMARY", "channels": []}, "input.channels"),
        ({"kind": "WEEKLY_SUMMARY", "channels": ["EMAIL", "EMAIL"]}, "input.channels"),
    ],
)
async def test_a_parameter_out_of_place_or_range_is_refused_naming_it(
    fields: dict[str, Any], field: str
) -> None:
    person = await sign_up()
    ids = {"{account}": await open_account(person), "{category}": await category_id(person, "Rent")}
    filled = {key: ids.get(value, value) if isinstance(value, str) else value
              for key, value in fields.items()}  # fmt: skip
    before = await rules(person)

    assert await _refused(person, CREATE, filled) == field
    assert await rules(person) == before


async def test_an_update_out_of_range_changes_nothing() -> None:
    person = await sign_up()
    rule = await _create(person, kind="BILL_DUE", daysAhead=5)

    field = await _refused(person, UPDATE, {"id": rule["id"], "enabled": False, "daysAhead": 99})

    assert field == "input.daysAhead"
    listed = await data(f"{{ alertRules {{ {RULE_FIELDS} }} }}", user_id=person.id)
    [kept] = [r for r in listed["alertRules"] if r["id"] == rule["id"]]
    assert (kept["enabled"], kept["daysAhead"]) == (True, 5)


async def test_a_rule_is_snoozed_until_a_moment_and_woken() -> None:
    person = await sign_up()
    rule = await _create(person, kind="WEEKLY_SUMMARY")
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0)

    snoozed = await data(SNOOZE, {"id": rule["id"], "until": until.isoformat()}, user_id=person.id)
    assert (
        dt.datetime.fromisoformat(snoozed["snoozeAlertRule"]["alertRule"]["snoozedUntil"]) == until
    )

    woken = await data(UNSNOOZE, {"id": rule["id"]}, user_id=person.id)
    assert woken["unsnoozeAlertRule"]["alertRule"]["snoozedUntil"] is None


@pytest.mark.parametrize("until", ["2001-01-01T00:00:00+00:00", "2099-01-01T00:00:00+00:00"])
async def test_a_snooze_in_the_past_or_beyond_a_year_is_refused(until: str) -> None:
    person = await sign_up()
    rule = await _create(person, kind="WEEKLY_SUMMARY")

    result = await execute(SNOOZE, {"id": rule["id"], "until": until}, user_id=person.id)

    assert result.errors
    assert (result.errors[0].extensions or {}).get("field") == "input.until"


async def test_a_low_balance_threshold_is_in_its_accounts_currency_unless_told() -> None:
    person = await sign_up()
    euros = await open_account(person, currency="EUR")

    rule = await _create(person, kind="LOW_BALANCE", threshold="50", accountId=euros)
    anywhere = await _create(person, kind="LOW_BALANCE", threshold="50")

    assert rule["threshold"] == {"amount": "50.00", "currency": "EUR"}
    assert anywhere["threshold"] == {"amount": "50.00", "currency": "USD"}
