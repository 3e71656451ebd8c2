"""Alert rules change after they are made: a new threshold or category, on or off, or deleted
(what they already told the user stays)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.ids import encode_id
from tests.notifier.evaluation.support import MONTH, evaluate
from tests.notifier.factories import (
    category_id,
    create_rule,
    notifications,
    open_account,
    rules,
    sign_up,
    spend,
)
from tests.support.graphql import data, error_codes, execute

UPDATE = """mutation($input: UpdateAlertRuleInput!) {
  updateAlertRule(input: $input) {
    alertRule { id kind enabled threshold { amount currency } categoryId } } }"""
DELETE = """mutation($id: ID!) {
  deleteAlertRule(input: {id: $id}) { deletedAlertRuleId } }"""


async def _update(person: Any, **fields: Any) -> dict[str, Any]:
    changed = await data(UPDATE, {"input": fields}, user_id=person.id)
    rule: dict[str, Any] = changed["updateAlertRule"]["alertRule"]
    return rule


async def test_a_large_transaction_rule_takes_a_new_threshold_and_category() -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    rule = await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")

    raised = await _update(person, id=rule["id"], threshold="250.50", categoryId=groceries)
    assert raised["threshold"] == {"amount": "250.50", "currency": "USD"}
    assert raised["categoryId"] == groceries
    assert raised["enabled"] is True  # left out: kept

    in_euros = await _update(person, id=rule["id"], currency="EUR")
    assert in_euros["threshold"] == {"amount": "250.50", "currency": "EUR"}
    assert in_euros["categoryId"] == groceries

    widened = await _update(person, id=rule["id"], categoryId=None, enabled=False)
    assert widened["categoryId"] is None
    assert widened["enabled"] is False
    assert widened["threshold"] == {"amount": "250.50", "currency": "EUR"}
    assert (await rules(person))[1] == widened


async def test_an_update_with_nothing_in_it_changes_nothing() -> None:
    person = await sign_up(ledger=False)
    rule = await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")

    same = await _update(person, id=rule["id"], enabled=None, threshold=None)

    assert same == rule


async def test_the_new_threshold_is_the_one_alerted_on() -> None:
    person = await sign_up()
    account = await open_account(person)
    rule = await create_rule(person, kind="LARGE_TRANSACTION", threshold="1000")
    await _update(person, id=rule["id"], threshold="50")
    sofa = await spend(person, account, "-75.00", description="Sofa cushions")

    await evaluate(person, [sofa], [MONTH])

    [alert] = await notifications(person)
    assert "$50.00" in alert["body"]


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("LARGE_TRANSACTION", {"threshold": "0"}, "input.threshold"),
        ("LARGE_TRANSACTION", {"threshold": "-5"}, "input.threshold"),
        ("LARGE_TRANSACTION", {"threshold": "10.005"}, "input.threshold"),
        ("LARGE_TRANSACTION", {"currency": "XYZ"}, "input.currency"),
        ("LARGE_TRANSACTION", {"threshold": "5.50", "currency": "JPY"}, "input.threshold"),
        ("LARGE_TRANSACTION", {"categoryId": "garbage!"}, "input.categoryId"),
        ("LARGE_TRANSACTION", {"id": "garbage!"}, "input.id"),
        ("BUDGET_OVERSPENT", {"threshold": "5"}, "input.threshold"),
        ("BUDGET_OVERSPENT", {"currency": "USD"}, "input.currency"),
    ],
)
async def test_changing_a_rule_with_bad_input_names_the_field_and_changes_nothing(
    kind: str, fields: dict[str, Any], field: str
) -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    if kind == "LARGE_TRANSACTION":
        rule = await create_rule(person, kind=kind, threshold="100")
    else:
        rule = await create_rule(person, kind=kind, categoryId=groceries)
    before = await rules(person)

    result = await execute(
        UPDATE, {"input": {"id": rule["id"], "enabled": False, **fields}}, user_id=person.id
    )

    assert error_codes(result) == ["BAD_USER_INPUT"], result.errors
    assert result.errors is not None
    assert (result.errors[0].extensions or {}).get("field") == field
    assert await rules(person) == before


async def test_an_overspending_rule_cannot_become_a_copy_of_another() -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    scoped = await create_rule(person, kind="BUDGET_OVERSPENT", categoryId=groceries)

    result = await execute(
        UPDATE, {"input": {"id": scoped["id"], "categoryId": None}}, user_id=person.id
    )

    assert error_codes(result) == ["CONFLICT"]
    dining = await category_id(person, "Dining")
    moved = await _update(person, id=scoped["id"], categoryId=dining)
    assert moved["categoryId"] == dining


async def test_a_rule_cannot_be_pointed_at_someone_elses_category() -> None:
    person = await sign_up()
    stranger = await sign_up()
    rule = await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")
    theirs = await category_id(stranger, "Groceries")

    for category in (theirs, encode_id("Category", uuid.uuid4())):
        result = await execute(
            UPDATE, {"input": {"id": rule["id"], "categoryId": category}}, user_id=person.id
        )
        assert error_codes(result) == ["NOT_FOUND"]
    assert (await rules(person))[1]["categoryId"] is None


async def test_a_deleted_rule_is_gone_and_its_notifications_stay() -> None:
    person = await sign_up()
    account = await open_account(person)
    rule = await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")
    big = await spend(person, account, "-150.00", description="Bike")
    await evaluate(person, [big], [MONTH])
    [alert] = await notifications(person)

    deleted = await data(DELETE, {"id": rule["id"]}, user_id=person.id)

    assert deleted["deleteAlertRule"]["deletedAlertRuleId"] == rule["id"]
    assert [r["kind"] for r in await rules(person)] == ["BUDGET_OVERSPENT"]
    assert await notifications(person) == [alert]
    again = await execute(DELETE, {"id": rule["id"]}, user_id=person.id)
    assert error_codes(again) == ["NOT_FOUND"]


async def test_another_users_rule_can_be_neither_changed_nor_deleted() -> None:
    owner = await sign_up(ledger=False)
    stranger = await sign_up(ledger=False)
    rule = await create_rule(owner, kind="LARGE_TRANSACTION", threshold="100")

    changed = await execute(
        UPDATE, {"input": {"id": rule["id"], "threshold": "1"}}, user_id=stranger.id
    )
    deleted = await execute(DELETE, {"id": rule["id"]}, user_id=stranger.id)

    assert error_codes(changed) == ["NOT_FOUND"]
    assert error_codes(deleted) == ["NOT_FOUND"]
    assert (await rules(owner))[1] == rule
