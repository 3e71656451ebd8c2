"""Categories are the user's: the defaults are a starting point; the user creates, renames,
groups, reorders, hides, merges and deletes them, and bank hints and reports follow."""

from __future__ import annotations

import uuid
from typing import Any

from services.ledger import api
from services.ledger.categories.defaults import category_name_for_hint
from shared.db import unit_of_work
from shared.ids import decode_id
from tests.ledger.support import (
    add_transaction,
    all_transactions,
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

GROUPS = """{ categoryGroups { id name position
  categories(includeHidden: true) { id name position hidden kind } } }"""
CREATE_GROUP = """mutation($input: CreateCategoryGroupInput!) { createCategoryGroup(input: $input) {
  categoryGroup { id name position } } }"""
UPDATE_GROUP = """mutation($input: UpdateCategoryGroupInput!) { updateCategoryGroup(input: $input) {
  categoryGroup { id name position } } }"""
DELETE_GROUP = """mutation($input: DeleteCategoryGroupInput!) { deleteCategoryGroup(input: $input) {
  deletedCategoryGroupId } }"""
CREATE = """mutation($input: CreateCategoryInput!) { createCategory(input: $input) {
  category { id name group position hidden kind rollover categoryGroup { id name } } } }"""
UPDATE = """mutation($input: UpdateCategoryInput!) { updateCategory(input: $input) {
  category { id name group position hidden kind rollover } } }"""
MERGE = """mutation($input: MergeCategoriesInput!) { mergeCategories(input: $input) {
  category { id name } mergedCategoryId movedTransactionCount movedBudgetCount } }"""
DELETE = """mutation($input: DeleteCategoryInput!) { deleteCategory(input: $input) {
  deletedCategoryId uncategorizedTransactionCount deletedBudgetCount } }"""
SET_BUDGET = """mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget {
  id amount { amount } } } }"""
BUDGETS = """query($month: Month!) { budgets(month: $month) {
  id category { name } amount { amount } spent { amount } } }"""


async def _groups(user: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The user's groups by name, in order, each with its categories (hidden ones too)."""
    result = await data(GROUPS, user_id=user)
    return {group["name"]: group for group in result["categoryGroups"]}


async def _names_in(user: uuid.UUID, group: str) -> list[str]:
    return [category["name"] for category in (await _groups(user))[group]["categories"]]


async def _create(user: uuid.UUID, **given: Any) -> dict[str, Any]:
    result = await data(CREATE, {"input": given}, user_id=user)
    category: dict[str, Any] = result["createCategory"]["category"]
    return category


async def _update(user: uuid.UUID, category_id: str, **given: Any) -> dict[str, Any]:
    result = await data(UPDATE, {"input": {"id": category_id, **given}}, user_id=user)
    category: dict[str, Any] = result["updateCategory"]["category"]
    return category


async def _set_budget(user: uuid.UUID, category_id: str, month: str, amount: str) -> None:
    given = {"categoryId": category_id, "month": month, "amount": amount}
    await data(SET_BUDGET, {"input": given}, user_id=user)


async def test_a_new_user_gets_the_default_categories_in_groups() -> None:
    user = await new_user()

    result = await data("{ categories { name group kind } }", user_id=user)
    groups = await _groups(user)

    by_name = {category["name"]: category for category in result["categories"]}
    for name in (
        "Groceries",
        "Dining",
        "Rent",
        "Utilities",
        "Transport",
        "Shopping",
        "Entertainment",
        "Health",
        "Income",
        "Transfers",
    ):
        assert name in by_name
    assert by_name["Groceries"]["group"] == by_name["Dining"]["group"] == "Food"
    assert by_name["Rent"]["group"] == "Housing"
    assert by_name["Income"] == {"name": "Income", "group": "Income", "kind": "INCOME"}
    assert by_name["Transfers"]["kind"] == "TRANSFER"
    assert by_name["Dining"]["kind"] == "EXPENSE"
    assert list(groups)[:3] == ["Food", "Housing", "Bills"]
    assert [g["position"] for g in groups.values()] == list(range(len(groups)))
    assert [c["name"] for c in groups["Food"]["categories"]] == ["Groceries", "Dining"]
    assert [c["position"] for c in groups["Food"]["categories"]] == [0, 1]
    # The flat list follows the groups' order, then each group's.
    assert [c["name"] for c in result["categories"]] == [
        c["name"] for g in groups.values() for c in g["categories"]
    ]


async def test_provisioning_a_user_again_adds_no_duplicate_categories() -> None:
    user = await new_user()
    dining = (await category_ids(user))["Dining"]
    await _update(user, dining, name="Eating out")
    async with unit_of_work() as work:
        await api.provision_user(work, user)

    result = await data("{ categories { name } }", user_id=user)

    names = [category["name"] for category in result["categories"]]
    assert len(names) == len(set(names)) >= 10
    assert "Dining" not in names and "Eating out" in names


def test_bank_category_hints_map_to_the_default_categories() -> None:
    assert category_name_for_hint("FOOD_AND_DRINK_GROCERIES") == "Groceries"
    assert category_name_for_hint("FOOD_AND_DRINK_RESTAURANT") == "Dining"
    assert category_name_for_hint("FOOD_AND_DRINK") == "Dining"
    assert category_name_for_hint("Food and Drink") == "Dining"
    assert category_name_for_hint("TRANSPORTATION_GAS") == "Transport"
    assert category_name_for_hint("RENT_AND_UTILITIES_RENT") == "Rent"
    assert category_name_for_hint("RENT_AND_UTILITIES_GAS_AND_ELECTRICITY") == "Utilities"
    assert category_name_for_hint("GENERAL_MERCHANDISE_ONLINE_MARKETPLACES") == "Shopping"
    assert category_name_for_hint("ENTERTAINMENT_TV_AND_MOVIES") == "Entertainment"
    assert category_name_for_hint("MEDICAL_PHARMACIES_AND_SUPPLEMENTS") == "Health"
    assert category_name_for_hint("INCOME_DIVIDENDS") == "Income"
    assert category_name_for_hint("TRANSFER_IN_DEPOSIT") == "Transfers"
    assert category_name_for_hint("TRANSFER_OUT_ACCOUNT_TRANSFER") == "Transfers"
    assert category_name_for_hint("LOAN_PAYMENTS_CREDIT_CARD_PAYMENT") == "Transfers"
    assert category_name_for_hint("TRAVEL_FLIGHTS") == "Travel"
    assert category_name_for_hint("TRAVELLING") is None
    assert category_name_for_hint("GOVERNMENT_AND_NON_PROFIT_DONATIONS") is None
    assert category_name_for_hint("") is None
    assert category_name_for_hint(None) is None


async def test_a_user_makes_a_group_of_their_own_and_categories_in_it_where_they_want() -> None:
    user = await new_user()

    pets = (await data(CREATE_GROUP, {"input": {"name": "  Pets "}}, user_id=user))[
        "createCategoryGroup"
    ]["categoryGroup"]
    food = await _create(user, name="Pet food", groupId=pets["id"])
    vet = await _create(user, name="Vet", groupId=pets["id"], position=0, rollover=True)
    toys = await _create(user, name="Toys", groupId=pets["id"], position=99)

    assert pets["name"] == "Pets"
    assert pets["position"] == len(await _groups(user)) - 1  # last unless told
    assert food["kind"] == "EXPENSE" and food["group"] == "Pets"
    assert food["categoryGroup"] == {"id": pets["id"], "name": "Pets"}
    assert vet["rollover"] is True and food["rollover"] is False
    assert toys["position"] == 2  # past the end: last
    assert await _names_in(user, "Pets") == ["Vet", "Pet food", "Toys"]
    assert [c["position"] for c in (await _groups(user))["Pets"]["categories"]] == [0, 1, 2]
    found = await data(
        "query($id: ID!) { categoryGroup(id: $id) { name } node(id: $id) { id } }",
        {"id": pets["id"]},
        user_id=user,
    )
    assert found == {"categoryGroup": {"name": "Pets"}, "node": {"id": pets["id"]}}


async def test_renaming_a_default_keeps_its_transactions_budgets_and_bank_hints() -> None:
    user = await new_user()
    account = await create_account(user)
    groceries = (await category_ids(user))["Groceries"]
    await add_transaction(user, account["id"], "-12.00", "2026-03-02", category_id=groceries)
    await _set_budget(user, groceries, "2026-03", "100")

    renamed = await _update(user, groceries, name="Supermarket")
    item = await link_item(user, bank_account())
    await ingest(
        user, item, added=(bank_transaction("t1", "-3.50", hint="FOOD_AND_DRINK_GROCERIES"),)
    )

    assert renamed["name"] == "Supermarket" and renamed["id"] == groceries
    rows = await all_transactions(user)
    assert {row["category"]["name"] for row in rows} == {"Supermarket"}
    [budget] = (await data(BUDGETS, {"month": "2026-03"}, user_id=user))["budgets"]
    assert budget["category"] == {"name": "Supermarket"}
    assert budget["spent"] == {"amount": "15.50"}


async def test_names_are_unique_per_user_whatever_their_case() -> None:
    user, other = await new_user(), await new_user()
    ids = await category_ids(user)
    food = (await _groups(user))["Food"]["id"]

    for name in ("dining", "DINING", " Dining "):
        given = {"name": name, "groupId": food}
        assert await rejected_field(CREATE, {"input": given}, user_id=user) == "input.name"
    renaming = {"id": ids["Groceries"], "name": "dIning"}
    assert await rejected_field(UPDATE, {"input": renaming}, user_id=user) == "input.name"
    assert await rejected_field(CREATE_GROUP, {"input": {"name": "FOOD"}}, user_id=user) == (
        "input.name"
    )
    housing = (await _groups(user))["Housing"]["id"]
    regroup = {"id": housing, "name": "food"}
    assert await rejected_field(UPDATE_GROUP, {"input": regroup}, user_id=user) == "input.name"

    # A name's own case may change, and another user has names of their own.
    assert (await _update(user, ids["Dining"], name="DINING"))["name"] == "DINING"
    other_food = (await _groups(other))["Food"]["id"]
    assert (await _create(other, name="Dining out", groupId=other_food))["name"] == "Dining out"
    names = [name.casefold() for name in await category_ids(user)]
    assert len(names) == len(set(names))


async def test_moving_a_category_to_another_group_closes_the_gap_it_leaves() -> None:
    user = await new_user()
    ids = await category_ids(user)
    lifestyle = (await _groups(user))["Lifestyle"]["id"]

    moved = await _update(user, ids["Dining"], groupId=lifestyle, position=1)
    await _update(user, ids["Entertainment"], position=0)

    assert moved["group"] == "Lifestyle"
    assert await _names_in(user, "Food") == ["Groceries"]
    assert await _names_in(user, "Lifestyle") == [
        "Entertainment",
        "Shopping",
        "Dining",
        "Personal Care",
    ]
    for group in (await _groups(user)).values():
        assert [c["position"] for c in group["categories"]] == list(range(len(group["categories"])))


async def test_groups_are_reordered_and_renamed() -> None:
    user = await new_user()
    groups = await _groups(user)
    transfers = groups["Transfers"]["id"]

    moved = (
        await data(
            UPDATE_GROUP, {"input": {"id": transfers, "position": 0, "name": "Moves"}}, user_id=user
        )
    )["updateCategoryGroup"]["categoryGroup"]

    order = list(await _groups(user))
    assert moved == {"id": transfers, "name": "Moves", "position": 0}
    assert order[:3] == ["Moves", "Food", "Housing"]
    assert [g["position"] for g in (await _groups(user)).values()] == list(range(len(order)))
    assert (await data("{ categories { name } }", user_id=user))["categories"][0] == {
        "name": "Transfers"
    }


async def test_hidden_categories_leave_pickers_but_keep_their_history() -> None:
    user = await new_user()
    account = await create_account(user)
    dining = (await category_ids(user))["Dining"]
    await add_transaction(user, account["id"], "-8.00", "2026-05-02", category_id=dining)

    hidden = await _update(user, dining, hidden=True)

    assert hidden["hidden"] is True
    assert "Dining" not in await category_ids(user)
    everything = await data("{ categories(includeHidden: true) { name hidden } }", user_id=user)
    assert {"name": "Dining", "hidden": True} in everything["categories"]
    food = (await data("{ categoryGroups { name categories { name } } }", user_id=user))[
        "categoryGroups"
    ][0]
    assert food == {"name": "Food", "categories": [{"name": "Groceries"}]}
    [row] = await all_transactions(user)
    assert row["category"]["name"] == "Dining"
    found = await data(
        "query($id: ID!) { category(id: $id) { name } }", {"id": dining}, user_id=user
    )
    assert found == {"category": {"name": "Dining"}}
    spending = await data(
        '{ spendingByCategory(from: "2026-05-01", to: "2026-05-31") { category { name } } }',
        user_id=user,
    )
    assert spending["spendingByCategory"] == [{"category": {"name": "Dining"}}]
    # A hidden category still takes transactions (it is only out of the pickers).
    await add_transaction(user, account["id"], "-1.00", "2026-05-03", category_id=dining)
    assert (await _update(user, dining, hidden=False))["hidden"] is False
    assert "Dining" in await category_ids(user)


async def test_transfers_stay_out_of_cash_flow_whatever_they_are_called_or_wherever_they_sit() -> (
    None
):
    user = await new_user()
    account = await create_account(user)
    ids = await category_ids(user)
    bills = (await _groups(user))["Bills"]["id"]
    await _update(user, ids["Transfers"], name="Between my accounts", groupId=bills)
    card = await _create(user, name="Card payments", groupId=bills, kind="TRANSFER")
    await add_transaction(
        user, account["id"], "-500.00", "2026-01-20", category_id=ids["Transfers"]
    )
    await add_transaction(user, account["id"], "-300.00", "2026-01-21", category_id=card["id"])
    await add_transaction(user, account["id"], "-20.00", "2026-01-22", category_id=ids["Fees"])
    await add_transaction(user, account["id"], "1000.00", "2026-01-25", category_id=ids["Income"])

    flow = await data(
        '{ cashFlow(from: "2026-01-01", to: "2026-01-31") { income { amount } '
        "expenses { amount } } }",
        user_id=user,
    )

    assert flow["cashFlow"] == [{"income": {"amount": "1000.00"}, "expenses": {"amount": "20.00"}}]


async def test_merging_moves_history_budgets_and_bank_hints_into_the_target(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    account = await create_account(user)
    ids = await category_ids(user)
    dining, groceries = ids["Dining"], ids["Groceries"]
    moved = [
        await add_transaction(user, account["id"], amount, day, category_id=dining)
        for amount, day in (("-10.00", "2026-01-05"), ("-2.50", "2026-02-05"))
    ]
    await add_transaction(user, account["id"], "-40.00", "2026-02-06", category_id=groceries)
    await _set_budget(user, dining, "2026-01", "30")
    await _set_budget(user, dining, "2026-02", "20.25")
    await _set_budget(user, groceries, "2026-02", "100")
    announcements.clear()

    merged = (
        await data(MERGE, {"input": {"sourceId": dining, "targetId": groceries}}, user_id=user)
    )["mergeCategories"]
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-1.00", hint="FOOD_AND_DRINK_COFFEE"),))

    assert merged == {
        "category": {"id": groceries, "name": "Groceries"},
        "mergedCategoryId": dining,
        "movedTransactionCount": 2,
        "movedBudgetCount": 2,
    }
    assert "Dining" not in await category_ids(user)
    gone = await execute(
        "query($id: ID!) { category(id: $id) { id } }", {"id": dining}, user_id=user
    )
    assert error_codes(gone) == ["NOT_FOUND"]
    assert {row["category"]["name"] for row in await all_transactions(user)} == {"Groceries"}
    january = (await data(BUDGETS, {"month": "2026-01"}, user_id=user))["budgets"]
    february = (await data(BUDGETS, {"month": "2026-02"}, user_id=user))["budgets"]
    assert [(b["category"]["name"], b["amount"]["amount"]) for b in january] == [
        ("Groceries", "30.00")
    ]
    assert [(b["category"]["name"], b["amount"], b["spent"]) for b in february] == [
        ("Groceries", {"amount": "120.25"}, {"amount": "42.50"})
    ]
    assert await _names_in(user, "Food") == ["Groceries"]
    assert announcements[0] == {
        "user_id": str(user),
        "transaction_ids": sorted(str(decode_id("Transaction", row["id"])) for row in moved),
        "months": ["2026-01", "2026-02"],
    }


async def test_a_pending_bank_transactions_kept_category_follows_a_merge() -> None:
    user = await new_user()
    ids = await category_ids(user)
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("pending-1", "-9.00", pending=True),))
    [pending] = await all_transactions(user)
    update = """mutation($input: UpdateTransactionInput!) {
      updateTransaction(input: $input) { transaction { id } } }"""
    await data(update, {"input": {"id": pending["id"], "categoryId": ids["Dining"]}}, user_id=user)
    await ingest(user, item, removed=("pending-1",))  # the bank drops it before it posts

    await data(
        MERGE, {"input": {"sourceId": ids["Dining"], "targetId": ids["Groceries"]}}, user_id=user
    )
    posted = bank_transaction("posted-1", "-9.00", pending_of="pending-1")
    await ingest(user, item, added=(posted,))

    [row] = await all_transactions(user)
    assert row["id"] == pending["id"]
    assert row["category"]["name"] == "Groceries"


async def test_categories_of_different_kinds_or_one_with_itself_are_not_merged() -> None:
    user = await new_user()
    ids = await category_ids(user)
    before = await data(GROUPS, user_id=user)

    for source, target in (("Dining", "Income"), ("Transfers", "Rent"), ("Rent", "Rent")):
        given = {"sourceId": ids[source], "targetId": ids[target]}
        assert await rejected_field(MERGE, {"input": given}, user_id=user) == "input.targetId"
    malformed = {"sourceId": "not-an-id", "targetId": ids["Rent"]}
    assert await rejected_field(MERGE, {"input": malformed}, user_id=user) == "input.sourceId"

    assert await data(GROUPS, user_id=user) == before


async def test_deleting_a_category_leaves_its_transactions_uncategorized_and_drops_its_budgets(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    account = await create_account(user)
    ids = await category_ids(user)
    kept = await add_transaction(
        user, account["id"], "-5.00", "2026-04-01", category_id=ids["Fees"]
    )
    await _set_budget(user, ids["Fees"], "2026-04", "10")
    await _set_budget(user, ids["Utilities"], "2026-04", "60")
    announcements.clear()

    deleted = (await data(DELETE, {"input": {"id": ids["Fees"]}}, user_id=user))["deleteCategory"]
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-1.00", hint="BANK_FEES_ATM"),))

    assert deleted == {
        "deletedCategoryId": ids["Fees"],
        "uncategorizedTransactionCount": 1,
        "deletedBudgetCount": 1,
    }
    assert {row["id"]: row["category"] for row in await all_transactions(user)}[kept["id"]] is None
    assert [row["category"] for row in await all_transactions(user)] == [None, None]
    budgets = (await data(BUDGETS, {"month": "2026-04"}, user_id=user))["budgets"]
    assert [b["category"]["name"] for b in budgets] == ["Utilities"]
    assert await _names_in(user, "Bills") == ["Utilities"]
    assert announcements[0]["transaction_ids"] == [str(decode_id("Transaction", kept["id"]))]
    assert announcements[0]["months"] == ["2026-04"]


async def test_a_group_is_deleted_only_once_empty() -> None:
    user = await new_user()
    ids = await category_ids(user)
    health = (await _groups(user))["Health"]["id"]

    assert await rejected_field(DELETE_GROUP, {"input": {"id": health}}, user_id=user) == "input.id"
    await data(DELETE, {"input": {"id": ids["Health"]}}, user_id=user)
    await data(DELETE_GROUP, {"input": {"id": health}}, user_id=user)

    groups = await _groups(user)
    assert "Health" not in groups
    assert [g["position"] for g in groups.values()] == list(range(len(groups)))


async def test_an_expense_category_with_budgets_keeps_its_kind_and_income_is_not_budgeted() -> None:
    user = await new_user()
    ids = await category_ids(user)
    await _set_budget(user, ids["Travel"], "2026-06", "250")

    given = {"id": ids["Travel"], "kind": "INCOME"}
    assert await rejected_field(UPDATE, {"input": given}, user_id=user) == "input.kind"
    for name in ("Income", "Transfers"):
        budget = {"categoryId": ids[name], "month": "2026-06", "amount": "5"}
        assert await rejected_field(SET_BUDGET, {"input": budget}, user_id=user) == (
            "input.categoryId"
        )
    await _set_budget(user, ids["Travel"], "2026-06", "0")
    assert (await _update(user, ids["Travel"], kind="INCOME"))["kind"] == "INCOME"


async def test_bad_input_names_the_field_and_stores_nothing() -> None:
    user = await new_user()
    ids = await category_ids(user)
    food = (await _groups(user))["Food"]["id"]
    before = await data(GROUPS, user_id=user)
    too_long = "x" * 61
    cases: list[tuple[str, dict[str, Any], str]] = [
        (CREATE_GROUP, {"name": ""}, "input.name"),
        (CREATE_GROUP, {"name": "\u200b "}, "input.name"),
        (CREATE_GROUP, {"name": too_long}, "input.name"),
        (CREATE_GROUP, {"name": "Kids", "position": -1}, "input.position"),
        (UPDATE_GROUP, {"id": food, "name": "  "}, "input.name"),
        (UPDATE_GROUP, {"id": food, "position": -3}, "input.position"),
        (UPDATE_GROUP, {"id": "bogus"}, "input.id"),
        (DELETE_GROUP, {"id": "bogus"}, "input.id"),
        (CREATE, {"name": "", "groupId": food}, "input.name"),
        (CREATE, {"name": too_long, "groupId": food}, "input.name"),
        (CREATE, {"name": "Snacks\u202e", "groupId": food}, "input.name"),
        (CREATE, {"name": "Snacks", "groupId": food, "position": -1}, "input.position"),
        (CREATE, {"name": "Snacks", "groupId": "bogus"}, "input.groupId"),
        (UPDATE, {"id": ids["Dining"], "name": ""}, "input.name"),
        (UPDATE, {"id": ids["Dining"], "position": -1}, "input.position"),
        (UPDATE, {"id": ids["Dining"], "groupId": "bogus"}, "input.groupId"),
        (UPDATE, {"id": "bogus", "name": "x"}, "input.id"),
        (DELETE, {"id": "bogus"}, "input.id"),
    ]
    for operation, given, field in cases:
        assert await rejected_field(operation, {"input": given}, user_id=user) == field, given
    # An id of another kind is simply not found.
    wrong_kind = await execute(
        CREATE, {"input": {"name": "Snacks", "groupId": ids["Dining"]}}, user_id=user
    )
    assert error_codes(wrong_kind) == ["NOT_FOUND"]

    assert await data(GROUPS, user_id=user) == before


async def test_a_category_that_funds_a_goal_is_not_deleted_and_a_merge_moves_the_goal() -> None:
    user = await new_user()
    categories = await category_ids(user)
    goal = await data(
        """mutation($c: ID) { createGoal(input: {name: "New bike", targetAmount: "900",
             funding: CATEGORY, categoryId: $c}) { goal { id } } }""",
        {"c": categories["Shopping"]},
        user_id=user,
    )
    goal_id = goal["createGoal"]["goal"]["id"]

    refused = await execute(DELETE, {"input": {"id": categories["Shopping"]}}, user_id=user)
    assert error_codes(refused) == ["BAD_USER_INPUT"]
    assert refused.errors is not None and "New bike" in refused.errors[0].message

    given = {"sourceId": categories["Shopping"], "targetId": categories["Entertainment"]}
    await data(MERGE, {"input": given}, user_id=user)
    funded = await data(
        "query($id: ID!) { goal(id: $id) { category { name } } }", {"id": goal_id}, user_id=user
    )
    assert funded["goal"]["category"] == {"name": "Entertainment"}
