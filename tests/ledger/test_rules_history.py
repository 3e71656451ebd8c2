"""A rule tried on the transactions already there (a preview that writes nothing) and applied
to them: exactly what the preview said, all or nothing, never over the user's choices, and
announced."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.ledger.rules import history
from shared.ids import decode_id
from tests.ledger.rules_support import (
    category_of,
    create_rule,
    edit_transaction,
    listed,
    make_tag,
    payee_ids,
    tags_of,
)
from tests.ledger.support import (
    add_transaction,
    category_ids,
    create_account,
    new_user,
    rejected_field,
)
from tests.support.graphql import data, error_codes, execute

PREVIEW = """query($input: PreviewRuleInput!, $first: Int, $after: String) {
  previewRule(input: $input, first: $first, after: $after) {
    totalCount matchedCount pageInfo { hasNextPage endCursor }
    edges { cursor node { transaction { id description }
      category { before { name } after { name } } payee { before { name } after { name } }
      addedTags { name } } } } }"""
APPLY = """mutation($input: ApplyRuleInput!) { applyRule(input: $input) {
  matchedCount changedCount rule { id appliedCount lastAppliedAt updatedAt } } }"""


async def _preview(user: uuid.UUID, given: dict[str, Any], **paging: Any) -> dict[str, Any]:
    result = await data(PREVIEW, {"input": given, **paging}, user_id=user)
    found: dict[str, Any] = result["previewRule"]
    return found


async def _apply(user: uuid.UUID, given: dict[str, Any]) -> dict[str, Any]:
    result = await data(APPLY, {"input": given}, user_id=user)
    found: dict[str, Any] = result["applyRule"]
    return found


def _changes(preview: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        edge["node"]["transaction"]["description"]: {
            "category": edge["node"]["category"],
            "payee": edge["node"]["payee"],
            "tags": [tag["name"] for tag in edge["node"]["addedTags"]],
        }
        for edge in preview["edges"]
    }


async def _history(user: uuid.UUID) -> tuple[str, dict[str, str]]:
    """An account with coffee bought many ways, and the user's categories."""
    account = (await create_account(user))["id"]
    categories = await category_ids(user)
    for day, description, category in (
        ("2026-03-01", "Coffee Roasters", None),
        ("2026-03-02", "Coffee at the station", categories["Dining"]),
        ("2026-03-03", "Coffee for the office", categories["Health"]),
        ("2026-03-04", "Tea house", None),
        ("2026-03-05", "Coffee Roasters", None),
    ):
        await add_transaction(user, account, "-4.00", date=day, description=description,
                              category_id=category)  # fmt: skip
    return account, categories


async def test_a_preview_shows_exactly_what_applying_then_does_and_applying_announces(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    account, categories = await _history(user)
    await add_transaction(user, account, "-6.00", date="2026-03-06", description="Coffee beans")
    coffee = await make_tag(user, "coffee")
    beans = (await listed(user))["Coffee beans"]
    # The user's own choices: no category, no payee, no tags.
    await edit_transaction(user, beans["id"], categoryId=None, payeeId=None, tagIds=[])
    rule = await create_rule(
        user,
        {"descriptionContains": "coffee"},
        {"setCategoryId": categories["Dining"], "addTagIds": [coffee],
         "setPayeeId": (await payee_ids(user))["Coffee Roasters"]},
    )  # fmt: skip
    announcements.clear()
    before = await listed(user)

    preview = await _preview(user, {"ruleId": rule["id"]})
    first = await _preview(user, {"ruleId": rule["id"]}, first=2)
    second = await _preview(user, {"ruleId": rule["id"]}, first=2,
                            after=first["pageInfo"]["endCursor"])  # fmt: skip
    assert await listed(user) == before  # nothing written yet
    assert announcements == []
    applied = await _apply(user, {"ruleId": rule["id"]})

    dining_to = {"before": None, "after": {"name": "Dining"}}
    payee_to = {"after": {"name": "Coffee Roasters"}}
    changes = _changes(preview)
    assert preview["matchedCount"] == 5
    assert preview["totalCount"] == 4
    assert [edge["node"]["transaction"]["description"] for edge in preview["edges"]] == [
        "Coffee Roasters", "Coffee for the office", "Coffee at the station", "Coffee Roasters",
    ]  # newest first  # fmt: skip
    assert changes["Coffee for the office"] == {
        "category": None,  # the user's Health stays
        "payee": {"before": {"name": "Coffee for the office"}, **payee_to},
        "tags": ["coffee"],
    }
    assert changes["Coffee at the station"] == {
        "category": None,  # Dining already
        "payee": {"before": {"name": "Coffee at the station"}, **payee_to},
        "tags": ["coffee"],
    }
    assert changes["Coffee Roasters"] == {"category": dining_to, "payee": None, "tags": ["coffee"]}
    assert "Coffee beans" not in changes and "Tea house" not in changes
    assert [e["node"]["transaction"]["id"] for e in first["edges"] + second["edges"]] == [
        e["node"]["transaction"]["id"] for e in preview["edges"]
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False
    assert first["totalCount"] == second["totalCount"] == 4

    assert applied["matchedCount"] == 5
    assert applied["changedCount"] == 4
    assert applied["rule"]["appliedCount"] == 4
    assert applied["rule"]["lastAppliedAt"] is not None
    assert applied["rule"]["updatedAt"] == rule["updatedAt"]  # applied, not edited
    rows = await listed(user)
    assert category_of(rows["Coffee for the office"]) == "Health"
    assert category_of(rows["Coffee at the station"]) == "Dining"
    assert category_of(rows["Coffee beans"]) is None
    assert tags_of(rows["Coffee beans"]) == []
    assert category_of(rows["Tea house"]) is None
    assert {row["payee"]["name"] for name, row in rows.items() if name.startswith("Coffee ")
            and name != "Coffee beans"} == {"Coffee Roasters"}  # fmt: skip
    assert rows["Coffee beans"]["payee"] is None
    [announced] = announcements
    roasters = [e["node"]["transaction"]["id"] for e in preview["edges"]
                if e["node"]["category"] is not None]  # fmt: skip
    assert announced["transaction_ids"] == sorted(
        str(decode_id("Transaction", value)) for value in roasters
    )
    assert announced["months"] == ["2026-03"]
    again = await _preview(user, {"ruleId": rule["id"]})
    assert (again["matchedCount"], again["totalCount"], again["edges"]) == (5, 0, [])


async def test_a_user_who_changes_what_a_rule_set_keeps_their_choice_when_the_rule_runs_again() -> (
    None
):
    user = await new_user()
    _, categories = await _history(user)
    rule = await create_rule(user, {"descriptionContains": "roasters"},
                             {"setCategoryId": categories["Dining"]})  # fmt: skip
    await _apply(user, {"ruleId": rule["id"]})
    roasters = [row for row in (await data(
        "{ transactions { edges { node { id description } } } }", user_id=user)
    )["transactions"]["edges"] if row["node"]["description"] == "Coffee Roasters"]  # fmt: skip
    await edit_transaction(user, roasters[0]["node"]["id"], categoryId=categories["Groceries"])

    again = await _apply(user, {"ruleId": rule["id"]})

    assert again["changedCount"] == 0
    ids = await data(
        "query($c: ID!) { transactions(filter: {categoryIds: [$c]}) { totalCount } }",
        {"c": categories["Groceries"]},
        user_id=user,
    )
    assert ids["transactions"]["totalCount"] == 1


async def test_conditions_not_stored_yet_can_be_previewed_for_a_period() -> None:
    user = await new_user()
    _, categories = await _history(user)

    preview = await _preview(
        user,
        {"conditions": {"descriptionMatches": "^coffee r"},
         "actions": {"setCategoryId": categories["Groceries"]},
         "from": "2026-03-02", "to": "2026-03-31"},
    )  # fmt: skip

    assert preview["matchedCount"] == 1
    assert [edge["node"]["transaction"]["description"] for edge in preview["edges"]] == [
        "Coffee Roasters"
    ]
    assert (await data("{ rules { totalCount } }", user_id=user))["rules"]["totalCount"] == 0


async def test_applying_is_refused_whole_beyond_the_limit_and_a_period_narrows_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(history, "MAX_APPLY", 2)
    user = await new_user()
    _, categories = await _history(user)
    rule = await create_rule(user, {"descriptionContains": "o"},
                             {"setCategoryId": categories["Fees"]})  # fmt: skip
    before = await listed(user)

    field = await rejected_field(APPLY, {"input": {"ruleId": rule["id"]}}, user_id=user)
    assert field == "input.from"
    assert await listed(user) == before

    narrowed = await _apply(user, {"ruleId": rule["id"], "from": "2026-03-04"})
    assert narrowed["changedCount"] == 2
    rows = await listed(user)
    assert category_of(rows["Tea house"]) == "Fees"
    assert category_of(rows["Coffee at the station"]) == "Dining"


async def test_a_rule_whose_payee_was_merged_away_looks_for_the_payee_it_became() -> None:
    user = await new_user()
    _, categories = await _history(user)
    payees = await payee_ids(user)
    rule = await create_rule(user, {"payeeIds": [payees["Tea house"]]},
                             {"setCategoryId": categories["Fees"]})  # fmt: skip
    before = await _preview(user, {"ruleId": rule["id"]})
    await data(
        """mutation($s: ID!, $t: ID!) { mergePayees(input: {sourceIds: [$s], targetId: $t}) {
             payee { id } } }""",
        {"s": payees["Tea house"], "t": payees["Coffee Roasters"]},
        user_id=user,
    )

    preview = await _preview(user, {"ruleId": rule["id"]})
    shown = await data("query($id: ID!) { rule(id: $id) { conditions { payees { id } } } }",
                       {"id": rule["id"]}, user_id=user)  # fmt: skip

    # The tea house's transactions, and the roasters' too, are the one payee's now.
    assert preview["matchedCount"] > before["matchedCount"] > 0
    assert shown["rule"]["conditions"]["payees"] == [{"id": payees["Coffee Roasters"]}]


async def test_a_preview_or_an_application_asked_wrongly_names_the_field() -> None:
    user = await new_user()
    _, categories = await _history(user)
    rule = await create_rule(user, {"descriptionContains": "o"},
                             {"setCategoryId": categories["Fees"]})  # fmt: skip
    conditions = {"descriptionContains": "coffee"}
    actions = {"setCategoryId": categories["Fees"]}
    cases: list[tuple[str, dict[str, Any], str]] = [
        (PREVIEW, {"ruleId": rule["id"], "conditions": conditions, "actions": actions},
         "input.ruleId"),
        (PREVIEW, {"conditions": conditions}, "input.actions"),
        (PREVIEW, {"actions": actions}, "input.conditions"),
        (PREVIEW, {}, "input.conditions"),
        (PREVIEW, {"conditions": {"descriptionMatches": "a**"}, "actions": actions},
         "input.conditions.descriptionMatches"),
        (PREVIEW, {"conditions": {"maxAmount": "1", "minAmount": "2"}, "actions": actions},
         "input.conditions.maxAmount"),
        (PREVIEW, {"conditions": conditions, "actions": {}}, "input.actions"),
        (PREVIEW, {"ruleId": rule["id"], "from": "2026-03-05", "to": "2026-03-01"}, "input.to"),
        (APPLY, {"ruleId": rule["id"], "from": "1800-01-01"}, "input.from"),
    ]  # fmt: skip

    for operation, given, field in cases:
        assert await rejected_field(operation, {"input": given}, user_id=user) == field, given
    paged = await execute(PREVIEW, {"input": {"ruleId": rule["id"]}, "after": "nonsense"},
                          user_id=user)  # fmt: skip
    assert error_codes(paged) == ["BAD_USER_INPUT"]


async def test_another_users_rule_or_ids_are_not_found_in_a_preview_or_an_application() -> None:
    owner, intruder = await new_user(), await new_user()
    _, owners = await _history(owner)
    tag = await make_tag(owner, "private")
    rule = await create_rule(owner, {"descriptionContains": "o"}, {"addTagIds": [tag]})
    before = await listed(owner)
    mine = await category_ids(intruder)
    attempts: list[tuple[str, dict[str, Any]]] = [
        (PREVIEW, {"ruleId": rule["id"]}),
        (PREVIEW, {"conditions": {"descriptionContains": "o"},
                   "actions": {"setCategoryId": owners["Fees"]}}),
        (PREVIEW, {"conditions": {"payeeIds": list((await payee_ids(owner)).values())[:1]},
                   "actions": {"setCategoryId": mine["Fees"]}}),
        (APPLY, {"ruleId": rule["id"]}),
    ]  # fmt: skip

    for operation, given in attempts:
        result = await execute(operation, {"input": given}, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], given

    assert await listed(owner) == before
