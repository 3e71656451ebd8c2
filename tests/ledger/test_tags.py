"""Tags: the user's own labels, many on a transaction."""

from __future__ import annotations

import uuid
from typing import Any

from tests.ledger.support import create_account, new_user, rejected_field
from tests.support.graphql import data, error_codes, execute

CREATE_TAG = "mutation($input: CreateTagInput!) { createTag(input: $input) { tag { id name } } }"
RENAME_TAG = "mutation($input: RenameTagInput!) { renameTag(input: $input) { tag { id name } } }"
DELETE_TAG = "mutation($input: DeleteTagInput!) { deleteTag(input: $input) { deletedTagId } }"
CREATE = """mutation($input: CreateTransactionInput!) {
  createTransaction(input: $input) { transaction { id tags { id name } } } }"""
UPDATE = """mutation($input: UpdateTransactionInput!) {
  updateTransaction(input: $input) { transaction { id tags { id name } } } }"""
TAGGED = """query($f: TransactionFilter) { transactions(filter: $f, first: 100) {
  totalCount edges { node { description tags { name } } } } }"""


async def _tag(user: uuid.UUID, name: str) -> str:
    result = await data(CREATE_TAG, {"input": {"name": name}}, user_id=user)
    return str(result["createTag"]["tag"]["id"])


async def _entry(account: str, description: str, **given: Any) -> dict[str, Any]:
    return {
        "accountId": account,
        "date": "2026-03-01",
        "amount": "-1.00",
        "description": description,
        **given,
    }


async def _tags_by_description(user: uuid.UUID, **filter: Any) -> dict[str, list[str]]:
    result = await data(TAGGED, {"f": filter}, user_id=user)
    return {
        edge["node"]["description"]: [tag["name"] for tag in edge["node"]["tags"]]
        for edge in result["transactions"]["edges"]
    }


async def test_a_transaction_carries_many_tags_listed_by_name() -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    vacation, work = await _tag(user, "vacation"), await _tag(user, "2026 Lisbon")

    created = await data(
        CREATE, {"input": await _entry(account, "Hotel", tagIds=[vacation, work])}, user_id=user
    )
    tags = await data("{ tags { id name } }", user_id=user)

    assert [tag["name"] for tag in created["createTransaction"]["transaction"]["tags"]] == [
        "2026 Lisbon",
        "vacation",
    ]
    assert tags["tags"] == [
        {"id": work, "name": "2026 Lisbon"},
        {"id": vacation, "name": "vacation"},
    ]


async def test_editing_tags_replaces_them_and_an_empty_list_takes_them_all_off() -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    a, b, c = await _tag(user, "a"), await _tag(user, "b"), await _tag(user, "c")
    created = await data(
        CREATE, {"input": await _entry(account, "Shop", tagIds=[a, b])}, user_id=user
    )
    tx = created["createTransaction"]["transaction"]["id"]

    replaced = await data(UPDATE, {"input": {"id": tx, "tagIds": [c, b, c]}}, user_id=user)
    kept = await data(UPDATE, {"input": {"id": tx, "notes": "hi"}}, user_id=user)
    cleared = await data(UPDATE, {"input": {"id": tx, "tagIds": []}}, user_id=user)

    names = [t["name"] for t in replaced["updateTransaction"]["transaction"]["tags"]]
    assert names == ["b", "c"]
    assert [t["name"] for t in kept["updateTransaction"]["transaction"]["tags"]] == ["b", "c"]
    assert cleared["updateTransaction"]["transaction"]["tags"] == []


async def test_renaming_a_tag_shows_on_its_transactions_and_deleting_it_takes_it_off() -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    trip, gift = await _tag(user, "trip"), await _tag(user, "gift")
    await data(CREATE, {"input": await _entry(account, "Hotel", tagIds=[trip, gift])}, user_id=user)

    await data(RENAME_TAG, {"input": {"id": trip, "name": "Lisbon trip"}}, user_id=user)
    after_rename = await _tags_by_description(user)
    deleted = await data(DELETE_TAG, {"input": {"id": gift}}, user_id=user)

    assert after_rename == {"Hotel": ["gift", "Lisbon trip"]}
    assert deleted["deleteTag"]["deletedTagId"] == gift
    assert await _tags_by_description(user) == {"Hotel": ["Lisbon trip"]}
    assert [tag["name"] for tag in (await data("{ tags { name } }", user_id=user))["tags"]] == [
        "Lisbon trip"
    ]


async def test_filtering_by_tags_finds_those_carrying_any_of_them() -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    a, b, c = await _tag(user, "a"), await _tag(user, "b"), await _tag(user, "c")
    for description, tags in (("one", [a]), ("two", [b, c]), ("three", []), ("four", [a, b])):
        await data(CREATE, {"input": await _entry(account, description, tagIds=tags)}, user_id=user)

    assert sorted(await _tags_by_description(user, tagIds=[a])) == ["four", "one"]
    assert sorted(await _tags_by_description(user, tagIds=[c, a])) == ["four", "one", "two"]
    assert await _tags_by_description(user, tagIds=[]) == {}


async def test_bad_tag_input_is_refused_naming_the_field_and_changes_nothing() -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    taken = await _tag(user, "taken")
    other = await _tag(user, "other")
    created = await data(
        CREATE, {"input": await _entry(account, "Shop", tagIds=[taken])}, user_id=user
    )
    tx = created["createTransaction"]["transaction"]["id"]
    cases: list[tuple[str, dict[str, Any], str]] = [
        (CREATE_TAG, {"name": "taken"}, "input.name"),
        (CREATE_TAG, {"name": "  "}, "input.name"),
        (CREATE_TAG, {"name": "t" * 51}, "input.name"),
        (CREATE_TAG, {"name": "bell\x07"}, "input.name"),
        (RENAME_TAG, {"id": other, "name": "taken"}, "input.name"),
        (RENAME_TAG, {"id": "nonsense", "name": "x"}, "input.id"),
        (DELETE_TAG, {"id": "nonsense"}, "input.id"),
        (UPDATE, {"id": tx, "tagIds": None}, "input.tagIds"),
        (UPDATE, {"id": tx, "tagIds": ["nonsense"]}, "input.tagIds"),
        (CREATE, await _entry(account, "x", tagIds=["nonsense"]), "input.tagIds"),
    ]
    for operation, given, field in cases:
        assert await rejected_field(operation, {"input": given}, user_id=user) == field, given

    tags = await data("{ tags { name } }", user_id=user)
    assert [tag["name"] for tag in tags["tags"]] == ["other", "taken"]
    assert await _tags_by_description(user) == {"Shop": ["taken"]}


async def test_another_users_tag_is_not_found_wherever_it_is_named() -> None:
    owner, intruder = await new_user(), await new_user()
    owners = await _tag(owner, "private")
    account = (await create_account(intruder))["id"]
    created = await data(CREATE, {"input": await _entry(account, "Mine")}, user_id=intruder)
    mine = created["createTransaction"]["transaction"]["id"]
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("query($id: ID!) { tag(id: $id) { id } }", {"id": owners}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": owners}),
        (RENAME_TAG, {"input": {"id": owners, "name": "mine"}}),
        (DELETE_TAG, {"input": {"id": owners}}),
        (UPDATE, {"input": {"id": mine, "tagIds": [owners]}}),
        (CREATE, {"input": await _entry(account, "x", tagIds=[owners])}),
        (TAGGED, {"f": {"tagIds": [owners]}}),
    ]
    for operation, variables in attempts:
        result = await execute(operation, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], operation

    assert (await data("{ tags { id name } }", user_id=owner))["tags"] == [
        {"id": owners, "name": "private"}
    ]
    assert (await data("{ tags { id } }", user_id=intruder))["tags"] == []
