"""Bulk edit: recategorize, tag and mark reviewed a selection or everything a filter matches,
all or nothing, bounded."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.ledger.transactions import bulk_edit
from shared.ids import decode_id
from tests.ledger.support import (
    add_transaction,
    bank_account,
    bank_transaction,
    category_ids,
    create_account,
    ingest,
    link_item,
    new_user,
    rejected_field,
)
from tests.support.graphql import data, error_codes, execute

BULK = """mutation($input: BulkEditTransactionsInput!) {
  bulkEditTransactions(input: $input) { matchedCount changedCount } }"""
LISTED = """{ transactions(first: 100) { edges { node {
  id description reviewed category { name } tags { name } } } } }"""


async def _tag(user: uuid.UUID, name: str) -> str:
    result = await data(
        "mutation($n: String!) { createTag(input: {name: $n}) { tag { id } } }",
        {"n": name},
        user_id=user,
    )
    return str(result["createTag"]["tag"]["id"])


async def _bulk(user: uuid.UUID, **given: Any) -> dict[str, int]:
    result = await data(BULK, {"input": given}, user_id=user)
    counts: dict[str, int] = result["bulkEditTransactions"]
    return counts


async def _listed(user: uuid.UUID) -> dict[str, dict[str, Any]]:
    result = await data(LISTED, user_id=user)
    return {edge["node"]["description"]: edge["node"] for edge in result["transactions"]["edges"]}


async def test_recategorizing_a_selection_changes_each_once_and_announces_the_changes(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    categories = await category_ids(user)
    dining = categories["Dining"]
    a = await add_transaction(user, account, "-1.00", date="2026-01-05", description="a")
    b = await add_transaction(
        user, account, "-2.00", date="2026-02-05", description="b", category_id=dining
    )
    c = await add_transaction(user, account, "-3.00", date="2026-02-06", description="c")
    await add_transaction(user, account, "-4.00", date="2026-02-07", description="untouched")
    announcements.clear()

    counts = await _bulk(user, ids=[a["id"], b["id"], c["id"]], setCategoryId=dining)

    assert counts == {"matchedCount": 3, "changedCount": 2}
    listed = await _listed(user)
    assert {name: row["category"] for name, row in listed.items()} == {
        "a": {"name": "Dining"},
        "b": {"name": "Dining"},
        "c": {"name": "Dining"},
        "untouched": None,
    }
    [announced] = announcements
    assert announced["transaction_ids"] == sorted(
        str(decode_id("Transaction", row["id"])) for row in (a, c)
    )
    assert announced["months"] == ["2026-01", "2026-02"]


async def test_a_filter_tags_and_reviews_every_transaction_it_matches() -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    item = await link_item(user, bank_account())
    await ingest(
        user,
        item,
        added=(
            bank_transaction("t1", "-9.00", description="SQ *TACO BAR"),
            bank_transaction("t2", "-19.00", description="TST* TACO BAR"),
            bank_transaction("t3", "-5.00", description="Bakery"),
        ),
    )
    await add_transaction(user, account, "-7.00", description="Taco night (cash)")
    food, old = await _tag(user, "food"), await _tag(user, "old")
    await _bulk(user, filter={"search": "bakery"}, addTagIds=[old])

    tagged = await _bulk(user, filter={"search": "taco"}, addTagIds=[food])
    reviewed = await _bulk(
        user, filter={"reviewed": False, "tagIds": [food]}, setReviewed=True, removeTagIds=[old]
    )
    untagged = await _bulk(user, filter={}, removeTagIds=[old])

    assert tagged == {"matchedCount": 3, "changedCount": 3}
    assert reviewed == {"matchedCount": 2, "changedCount": 2}
    assert untagged == {"matchedCount": 4, "changedCount": 1}
    listed = await _listed(user)
    assert {
        name: (row["reviewed"], [t["name"] for t in row["tags"]]) for name, row in listed.items()
    } == {
        "SQ *TACO BAR": (True, ["food"]),
        "TST* TACO BAR": (True, ["food"]),
        "Taco night (cash)": (True, ["food"]),
        "Bakery": (False, []),
    }


async def test_a_split_transaction_keeps_its_parts_categories_but_takes_the_rest() -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    categories = await category_ids(user)
    split = await add_transaction(user, account, "-10.00", description="split")
    whole = await add_transaction(user, account, "-10.00", description="whole")
    await data(
        "mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {"
        " transaction { id } } }",
        {"i": {"id": split["id"], "parts": [
            {"amount": "-4.00", "categoryId": categories["Dining"]}, {"amount": "-6.00"}]}},
        user_id=user,
    )  # fmt: skip
    tag = await _tag(user, "checked")

    counts = await _bulk(
        user,
        ids=[split["id"], whole["id"]],
        setCategoryId=categories["Home"],
        addTagIds=[tag],
        setReviewed=False,
    )

    assert counts == {"matchedCount": 2, "changedCount": 2}
    listed = await _listed(user)
    assert listed["split"]["category"] is None
    assert listed["whole"]["category"] == {"name": "Home"}
    assert all(row["tags"] == [{"name": "checked"}] for row in listed.values())
    assert not any(row["reviewed"] for row in listed.values())


async def test_more_than_the_limit_at_once_is_refused_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk_edit, "MAX_BULK_EDIT", 3)
    user = await new_user()
    account = (await create_account(user))["id"]
    rows = [await add_transaction(user, account, "-1.00", description=f"r{i}") for i in range(4)]
    tag = await _tag(user, "t")

    field = await rejected_field(BULK, {"input": {"filter": {}, "addTagIds": [tag]}}, user_id=user)
    ids_field = await rejected_field(
        BULK, {"input": {"ids": [row["id"] for row in rows], "addTagIds": [tag]}}, user_id=user
    )
    allowed = await _bulk(user, filter={"search": "r1"}, addTagIds=[tag])

    assert (field, ids_field) == ("input.filter", "input.ids")
    assert allowed == {"matchedCount": 1, "changedCount": 1}


async def test_bad_bulk_edits_are_refused_naming_the_field_and_change_nothing() -> None:
    user = await new_user()
    account = (await create_account(user))["id"]
    row = await add_transaction(user, account, "-1.00", description="row")
    tag = await _tag(user, "t")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"addTagIds": [tag]}, "input.ids"),
        ({"ids": [row["id"]], "filter": {}, "addTagIds": [tag]}, "input.ids"),
        ({"ids": [], "addTagIds": [tag]}, "input.ids"),
        ({"ids": ["nonsense"], "addTagIds": [tag]}, "input.ids"),
        ({"ids": [row["id"]]}, "input"),
        ({"ids": [row["id"]], "setReviewed": None}, "input.setReviewed"),
        ({"ids": [row["id"]], "setCategoryId": "nonsense"}, "input.setCategoryId"),
        ({"ids": [row["id"]], "addTagIds": ["nonsense"]}, "input.addTagIds"),
        ({"ids": [row["id"]], "removeTagIds": ["nonsense"]}, "input.removeTagIds"),
        ({"filter": {"minAmount": "-1"}, "addTagIds": [tag]}, "input.filter.minAmount"),
        ({"filter": {"accountId": "nonsense"}, "addTagIds": [tag]}, "input.filter.accountId"),
        (
            {"filter": {"from": "2026-02-01", "to": "2026-01-01"}, "setReviewed": True},
            "input.filter.to",
        ),
    ]
    for given, field in cases:
        assert await rejected_field(BULK, {"input": given}, user_id=user) == field, given

    assert (await _listed(user))["row"]["tags"] == []


async def test_another_users_ids_are_not_found_and_nothing_changes() -> None:
    owner, intruder = await new_user(), await new_user()
    owners_account = (await create_account(owner))["id"]
    owners = await add_transaction(owner, owners_account, "-1.00", description="owner's")
    owners_tag = await _tag(owner, "owner's")
    owners_category = (await category_ids(owner))["Rent"]
    account = (await create_account(intruder))["id"]
    mine = await add_transaction(intruder, account, "-1.00", description="mine")
    my_tag = await _tag(intruder, "mine")
    attempts: list[dict[str, Any]] = [
        {"ids": [owners["id"]], "setReviewed": False},
        {"ids": [mine["id"], owners["id"]], "addTagIds": [my_tag]},
        {"ids": [mine["id"]], "addTagIds": [owners_tag]},
        {"ids": [mine["id"]], "removeTagIds": [owners_tag]},
        {"ids": [mine["id"]], "setCategoryId": owners_category},
        {"filter": {"accountId": owners_account}, "addTagIds": [my_tag]},
        {"filter": {"tagIds": [owners_tag]}, "setReviewed": False},
    ]
    for given in attempts:
        result = await execute(BULK, {"input": given}, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], given

    everything = await _bulk(intruder, filter={}, setReviewed=False)
    assert everything == {"matchedCount": 1, "changedCount": 1}
    assert (await _listed(intruder))["mine"]["tags"] == []
    assert (await _listed(owner))["owner's"]["reviewed"] is True
