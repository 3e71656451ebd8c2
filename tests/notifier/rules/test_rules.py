"""Alert rules: the default at sign-up, creating, validating and switching rules."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.notifier import api as notifier_api
from services.notifier.recipients import service as recipients
from shared.db import unit_of_work
from shared.ids import encode_id
from tests.notifier.factories import (
    create_rule,
    open_account,
    rules,
    set_rule_enabled,
    sign_up,
)
from tests.support.graphql import data, error_codes, execute

CREATE = """mutation($input: CreateAlertRuleInput!) {
  createAlertRule(input: $input) {
    alertRule { id kind enabled threshold { amount currency } categoryId } } }"""
UPDATE = """mutation($id: ID!, $enabled: Boolean!) {
  updateAlertRule(input: {id: $id, enabled: $enabled}) { alertRule { id enabled } } }"""


async def test_a_new_user_is_alerted_when_any_budget_is_overspent() -> None:
    person = await sign_up(ledger=False)

    [rule] = await rules(person)
    assert rule["kind"] == "BUDGET_OVERSPENT"
    assert rule["enabled"] is True
    assert rule["threshold"] is None
    assert rule["categoryId"] is None  # every budget


async def test_provisioning_again_keeps_one_default_rule_and_the_newest_address() -> None:
    person = await sign_up(ledger=False)
    async with unit_of_work() as work:
        await notifier_api.provision_user(work, person.id, "again@example.com")
        await recipients.set_recipient_email(work, person.id, "  moved@example.com ")

    assert [rule["kind"] for rule in await rules(person)] == ["BUDGET_OVERSPENT"]


async def test_a_large_transaction_rule_keeps_its_exact_threshold() -> None:
    person = await sign_up(ledger=False)

    dollars = await create_rule(person, kind="LARGE_TRANSACTION", threshold="1000.50")
    euros = await create_rule(person, kind="LARGE_TRANSACTION", threshold="250", currency="eur")

    assert dollars["kind"] == "LARGE_TRANSACTION"
    assert dollars["enabled"] is True
    assert dollars["threshold"] == {"amount": "1000.50", "currency": "USD"}
    assert dollars["categoryId"] is None
    assert euros["threshold"] == {"amount": "250.00", "currency": "EUR"}
    assert [rule["id"] for rule in await rules(person)][1:] == [dollars["id"], euros["id"]]


async def test_a_threshold_without_a_currency_is_in_the_users_base_currency() -> None:
    person = await sign_up()
    await open_account(person, currency="JPY")
    await data(
        'mutation { setBaseCurrency(input: {currency: "EUR"}) { waitingTransactionCount } }',
        user_id=person.id,
    )

    rule = await create_rule(person, kind="LARGE_TRANSACTION", threshold="500")

    assert rule["threshold"] == {"amount": "500.00", "currency": "EUR"}


async def test_a_rule_can_watch_one_category() -> None:
    person = await sign_up()
    categories = await data("{ categories { id } }", user_id=person.id)
    category = categories["categories"][0]["id"]

    rule = await create_rule(person, kind="LARGE_TRANSACTION", threshold="75", categoryId=category)

    assert rule["categoryId"] == category


async def test_a_rule_cannot_watch_someone_elses_category() -> None:
    person = await sign_up(ledger=False)
    result = await execute(
        "mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { alertRule { id } } }",
        {"i": {"kind": "LARGE_TRANSACTION", "threshold": "75",
               "categoryId": encode_id("Category", uuid.uuid4())}},
        user_id=person.id,
    )  # fmt: skip

    assert error_codes(result) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "LOW_BALANCE_SOMEDAY"}, "input.kind"),
        ({"kind": ""}, "input.kind"),
        ({"kind": "LARGE_TRANSACTION"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "abc"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "NaN"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "Infinity"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "1e3"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": 12.5}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "-100"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "0"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "0.001"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "10.005"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "99999999999999"}, "input.threshold"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "5", "currency": "XYZ"}, "input.currency"),
        ({"kind": "LARGE_TRANSACTION", "threshold": "5", "currency": "JPY "}, None),
        ({"kind": "LARGE_TRANSACTION", "threshold": "5.5", "currency": "JPY"}, "input.threshold"),
        ({"kind": "BUDGET_OVERSPENT", "threshold": "5"}, "input.threshold"),
        ({"kind": "BUDGET_OVERSPENT", "currency": "USD"}, "input.currency"),
        (
            {"kind": "LARGE_TRANSACTION", "threshold": "5", "categoryId": "garbage!"},
            "input.categoryId",
        ),
        ({"kind": "LARGE_TRANSACTION", "threshold": "5", "categoryId": ""}, "input.categoryId"),
    ],
)
async def test_creating_a_rule_with_bad_input_names_the_field(
    fields: dict[str, Any], field: str | None
) -> None:
    person = await sign_up(ledger=False)

    result = await execute(CREATE, {"input": fields}, user_id=person.id)

    if field is None:
        assert not result.errors, result.errors
        return
    assert error_codes(result) == ["BAD_USER_INPUT"], result.errors
    assert result.errors is not None
    assert (result.errors[0].extensions or {}).get("field") == field
    assert len(await rules(person)) == 1  # nothing stored


async def test_a_category_id_of_another_kind_is_not_found() -> None:
    person = await sign_up(ledger=False)
    not_a_category = encode_id("Account", uuid.uuid4())

    result = await execute(
        CREATE,
        {"input": {"kind": "LARGE_TRANSACTION", "threshold": "5", "categoryId": not_a_category}},
        user_id=person.id,
    )

    assert error_codes(result) == ["NOT_FOUND"]


async def test_a_second_identical_overspending_rule_is_a_conflict() -> None:
    person = await sign_up()

    result = await execute(CREATE, {"input": {"kind": "BUDGET_OVERSPENT"}}, user_id=person.id)

    assert error_codes(result) == ["CONFLICT"]
    categories = await data("{ categories { id } }", user_id=person.id)
    category = categories["categories"][0]["id"]
    scoped = await create_rule(person, kind="BUDGET_OVERSPENT", categoryId=category)
    assert scoped["categoryId"] == category


async def test_a_rule_can_be_switched_off_and_on() -> None:
    person = await sign_up(ledger=False)
    default = (await rules(person))[0]["id"]

    await set_rule_enabled(person, default, False)
    assert (await rules(person))[0]["enabled"] is False
    await set_rule_enabled(person, default, True)
    assert (await rules(person))[0]["enabled"] is True


async def test_another_users_rule_is_not_found() -> None:
    owner = await sign_up(ledger=False)
    stranger = await sign_up(ledger=False)
    rule = (await rules(owner))[0]["id"]

    result = await execute(UPDATE, {"id": rule, "enabled": False}, user_id=stranger.id)

    assert error_codes(result) == ["NOT_FOUND"]
    assert (await rules(owner))[0]["enabled"] is True
    assert len(await rules(stranger)) == 1


async def test_rules_are_only_for_signed_in_users() -> None:
    listed = await execute("{ alertRules { id } }", user_id=None)
    created = await execute(CREATE, {"input": {"kind": "BUDGET_OVERSPENT"}}, user_id=None)

    assert error_codes(listed) == ["UNAUTHENTICATED"]
    assert error_codes(created) == ["UNAUTHENTICATED"]
