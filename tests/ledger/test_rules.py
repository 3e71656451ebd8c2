"""Transaction rules: made, listed, changed, reordered and deleted; applied to every new bank
transaction in the user's order, before the bank's hint, never over the user's own choices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shared.db import count_statements
from tests.ledger.imports_support import GIROKONTO, file_text, import_file
from tests.ledger.rules_support import (
    CREATE,
    RULE_FIELDS,
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

RULES = f"""query($after: String) {{ rules(first: 2, after: $after) {{ totalCount
  edges {{ cursor node {{ {RULE_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"""


async def test_a_rule_categorises_new_bank_transactions_and_the_banks_hint_stays_the_suggestion_otherwise() -> (  # noqa: E501
    None
):
    user = await new_user()
    categories = await category_ids(user)
    rule = await create_rule(
        user,
        {"descriptionContains": "sparkfun"},
        {"setCategoryId": categories["Entertainment"]},
        name="Electronics are fun",
    )
    item = await link_item(user, bank_account())

    await ingest(
        user,
        item,
        added=(
            bank_transaction("t1", "-30.00", description="SPARKFUN ELECTRONICS"),
            bank_transaction("t2", "-12.00", description="Hardware store"),
            bank_transaction("t3", "-4.00", description="Corner cafe", hint=None),
        ),
    )

    rows = await listed(user)
    assert category_of(rows["SPARKFUN ELECTRONICS"]) == "Entertainment"
    assert category_of(rows["Hardware store"]) == "Shopping"  # GENERAL_MERCHANDISE, Plaid's hint
    assert category_of(rows["Corner cafe"]) is None
    again = await data("query($id: ID!) { rule(id: $id) { appliedCount lastAppliedAt } }",
                       {"id": rule["id"]}, user_id=user)  # fmt: skip
    assert rule["appliedCount"] == 0
    assert again["rule"]["appliedCount"] == 1
    assert again["rule"]["lastAppliedAt"] is not None


async def test_a_users_category_survives_a_rule_and_a_resync_and_a_rule_replaces_the_hint_on_resync() -> (  # noqa: E501
    None
):
    user = await new_user()
    categories = await category_ids(user)
    item = await link_item(user, bank_account())
    await ingest(
        user,
        item,
        added=(
            bank_transaction("mine", "-10.00", description="Pharmacy shop"),
            bank_transaction("banks", "-20.00", description="Pet shop"),
        ),
    )
    await edit_transaction(user, (await listed(user))["Pharmacy shop"]["id"],
                           categoryId=categories["Health"])  # fmt: skip
    await create_rule(user, {"descriptionContains": "shop"}, {"setCategoryId": categories["Home"]})

    again = await ingest(
        user,
        item,
        modified=(
            bank_transaction("mine", "-10.50", description="Pharmacy shop"),
            bank_transaction("banks", "-20.00", description="Pet shop"),
        ),
    )
    replay = await ingest(
        user,
        item,
        modified=(
            bank_transaction("mine", "-10.50", description="Pharmacy shop"),
            bank_transaction("banks", "-20.00", description="Pet shop"),
        ),
    )

    rows = await listed(user)
    assert category_of(rows["Pharmacy shop"]) == "Health"
    assert category_of(rows["Pet shop"]) == "Home"
    assert again.updated == 2
    assert replay.updated == 0  # the rule's choice is not a change every time


async def test_a_rule_never_overwrites_a_users_payee_or_tags() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-8.00", description="Blue Bottle"),))
    coffee, treat = await make_tag(user, "coffee"), await make_tag(user, "treat")
    [mine] = (await listed(user)).values()
    payees = await payee_ids(user)
    await edit_transaction(user, mine["id"], payeeId=None, tagIds=[treat])
    await create_rule(
        user,
        {"descriptionContains": "bottle"},
        {"setPayeeId": payees["Blue Bottle"], "addTagIds": [coffee]},
    )

    await ingest(
        user,
        item,
        added=(bank_transaction("t2", "-6.00", description="Blue Bottle Oakland"),),
        modified=(bank_transaction("t1", "-8.00", description="Blue Bottle"),),
    )

    rows = await listed(user)
    assert rows["Blue Bottle"]["payee"] is None
    assert tags_of(rows["Blue Bottle"]) == ["treat"]
    assert rows["Blue Bottle Oakland"]["payee"]["name"] == "Blue Bottle"
    assert tags_of(rows["Blue Bottle Oakland"]) == ["coffee"]


async def test_a_user_who_takes_a_rules_tag_off_keeps_it_off() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    coffee = await make_tag(user, "coffee")
    await create_rule(user, {"descriptionContains": "bottle"}, {"addTagIds": [coffee]})
    await ingest(user, item, added=(bank_transaction("t1", "-8.00", description="Blue Bottle"),))
    [tagged] = (await listed(user)).values()
    assert tags_of(tagged) == ["coffee"]

    await edit_transaction(user, tagged["id"], tagIds=[])
    await ingest(user, item, modified=(bank_transaction("t1", "-8.50", description="Blue Bottle"),))

    assert tags_of((await listed(user))["Blue Bottle"]) == []


async def test_a_pending_transaction_posting_after_its_removal_keeps_the_users_tags_against_rules() -> (  # noqa: E501
    None
):
    user = await new_user()
    item = await link_item(user, bank_account())
    coffee, treat = await make_tag(user, "coffee"), await make_tag(user, "treat")
    await create_rule(user, {"descriptionContains": "bottle"}, {"addTagIds": [coffee]})
    await ingest(user, item, added=(bank_transaction("p1", "-8.00", description="Blue Bottle",
                                                     pending=True),))  # fmt: skip
    [pending] = (await listed(user)).values()
    await edit_transaction(user, pending["id"], tagIds=[treat])

    await ingest(user, item, removed=("p1",))
    await ingest(user, item, added=(bank_transaction("t1", "-8.20", description="Blue Bottle",
                                                     pending_of="p1"),))  # fmt: skip

    [posted] = (await listed(user)).values()
    assert posted["id"] == pending["id"]
    assert tags_of(posted) == ["treat"]


async def test_description_and_payee_conditions_contain_or_match_ignoring_case() -> None:
    user = await new_user()
    categories = await category_ids(user)
    await create_rule(
        user,
        {"descriptionMatches": r"^amzn\s+mktp"},
        {"setCategoryId": categories["Shopping"]},
        name="Amazon",
    )
    await create_rule(user, {"payeeContains": "UBER"}, {"setCategoryId": categories["Transport"]})
    await create_rule(user, {"payeeMatches": r"^netflix$"},
                      {"setCategoryId": categories["Entertainment"]})  # fmt: skip
    item = await link_item(user, bank_account())

    await ingest(
        user,
        item,
        added=tuple(
            bank_transaction(f"t{i}", "-5.00", description=text, hint=None, merchant=merchant)
            for i, (text, merchant) in enumerate(
                [
                    ("AMZN Mktp US*2K4", None),
                    ("Payment to AMZN MKTP", None),
                    ("UBER *TRIP 8004", "Uber"),
                    ("NETFLIX.COM", "Netflix"),
                    ("Netflix and more", "Netflix and more"),
                ]
            )
        ),
    )

    rows = await listed(user)
    assert {text: category_of(row) for text, row in rows.items()} == {
        "AMZN Mktp US*2K4": "Shopping",
        "Payment to AMZN MKTP": None,  # the pattern is anchored at the start
        "UBER *TRIP 8004": "Transport",
        "NETFLIX.COM": "Entertainment",
        "Netflix and more": None,
    }


async def test_amount_range_direction_and_account_conditions() -> None:
    user = await new_user()
    categories = await category_ids(user)
    item = await link_item(user, bank_account("acc-1"), bank_account("acc-2", name="Savings"))
    found = await data("{ accounts { id name } }", user_id=user)
    accounts = {row["name"]: row["id"] for row in found["accounts"]}
    await create_rule(
        user,
        {"minAmount": "10", "maxAmount": "20.00", "direction": "MONEY_OUT",
         "accountIds": [accounts["Plaid Checking"]]},
        {"setCategoryId": categories["Fees"]},
    )  # fmt: skip

    await ingest(
        user,
        item,
        added=(
            bank_transaction("low", "-9.99", description="low", hint=None),
            bank_transaction("edge-low", "-10.00", description="edge low", hint=None),
            bank_transaction("edge-high", "-20.00", description="edge high", hint=None),
            bank_transaction("high", "-20.01", description="high", hint=None),
            bank_transaction("in", "15.00", description="money in", hint=None),
            bank_transaction("other", "-15.00", description="other account", account="acc-2",
                             hint=None),
        ),
    )  # fmt: skip

    rows = await listed(user)
    assert {text for text, row in rows.items() if category_of(row) == "Fees"} == {
        "edge low",
        "edge high",
    }


async def test_rules_apply_in_order_the_first_sets_each_field_and_tags_add_up() -> None:
    user = await new_user()
    categories = await category_ids(user)
    coffee, morning = await make_tag(user, "coffee"), await make_tag(user, "morning")
    first = await create_rule(
        user,
        {"descriptionContains": "coffee"},
        {"setCategoryId": categories["Dining"], "addTagIds": [coffee]},
    )
    second = await create_rule(
        user,
        {"descriptionContains": "beans"},
        {"setCategoryId": categories["Groceries"], "addTagIds": [morning, coffee]},
    )
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-9.00", description="Coffee beans"),))
    row = (await listed(user))["Coffee beans"]
    assert category_of(row) == "Dining"
    assert tags_of(row) == ["coffee", "morning"]

    reordered = await data(
        "mutation($ids: [ID!]!) { reorderRules(input: {ruleIds: $ids}) { rules { id position } } }",
        {"ids": [second["id"], first["id"]]},
        user_id=user,
    )
    await ingest(user, item, added=(bank_transaction("t2", "-9.00", description="Coffee beans 2"),))

    assert reordered["reorderRules"]["rules"] == [
        {"id": second["id"], "position": 0},
        {"id": first["id"], "position": 1},
    ]
    assert category_of((await listed(user))["Coffee beans 2"]) == "Groceries"


async def test_a_disabled_rule_leaves_new_transactions_alone() -> None:
    user = await new_user()
    categories = await category_ids(user)
    rule = await create_rule(user, {"descriptionContains": "spark"},
                             {"setCategoryId": categories["Health"]}, enabled=False)  # fmt: skip
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-1.00"),))
    assert category_of((await listed(user))["SparkFun"]) == "Shopping"

    await data(
        "mutation($id: ID!) { updateRule(input: {id: $id, enabled: true}) { rule { id } } }",
        {"id": rule["id"]},
        user_id=user,
    )
    await ingest(user, item, modified=(bank_transaction("t1", "-1.00"),))
    assert category_of((await listed(user))["SparkFun"]) == "Health"


async def test_marking_transfers_gives_the_transfer_category_whatever_it_is_called() -> None:
    user = await new_user()
    categories = await category_ids(user)
    await data(
        """mutation($id: ID!) { updateCategory(input: {id: $id, name: "Moving money"}) {
             category { id } } }""",
        {"id": categories["Transfers"]},
        user_id=user,
    )
    rule = await create_rule(user, {"descriptionContains": "to savings"}, {"markAsTransfer": True})
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-100.00", description="Move to savings",
                                                     hint="GENERAL_MERCHANDISE"),))  # fmt: skip

    assert rule["actions"] == {"markAsTransfer": True, "setCategory": None, "setPayee": None,
                               "addTags": []}  # fmt: skip
    assert category_of((await listed(user))["Move to savings"]) == "Moving money"


async def test_rules_are_listed_in_order_a_page_at_a_time_and_deleting_one_closes_the_gap() -> None:
    user = await new_user()
    categories = await category_ids(user)
    fees = {"setCategoryId": categories["Fees"]}
    made = [
        await create_rule(user, {"descriptionContains": text}, fees, name=text)
        for text in ("one", "two", "three")
    ]
    first_in_line = await create_rule(
        user, {"descriptionContains": "zero"}, {"setCategoryId": categories["Fees"]},
        name="zero", position=0,
    )  # fmt: skip

    page = (await data(RULES, user_id=user))["rules"]
    rest = (await data(RULES, {"after": page["pageInfo"]["endCursor"]}, user_id=user))["rules"]
    await data(
        "mutation($id: ID!) { deleteRule(input: {id: $id}) { deletedRuleId } }",
        {"id": made[1]["id"]},
        user_id=user,
    )
    after = (await data("{ rules { edges { node { name position } } } }", user_id=user))["rules"]

    assert page["totalCount"] == 4
    assert [edge["node"]["name"] for edge in page["edges"] + rest["edges"]] == [
        "zero", "one", "two", "three",
    ]  # fmt: skip
    assert page["pageInfo"]["hasNextPage"] is True
    assert rest["pageInfo"]["hasNextPage"] is False
    assert first_in_line["position"] == 0
    assert [edge["node"] for edge in after["edges"]] == [
        {"name": "zero", "position": 0},
        {"name": "one", "position": 1},
        {"name": "three", "position": 2},
    ]


async def test_updating_a_rule_replaces_its_conditions_and_actions_whole() -> None:
    user = await new_user()
    categories = await category_ids(user)
    tag = await make_tag(user, "mine")
    rule = await create_rule(user, {"descriptionContains": "a", "minAmount": "1"},
                             {"setCategoryId": categories["Fees"], "addTagIds": [tag]})  # fmt: skip

    changed = await data(
        f"""mutation($input: UpdateRuleInput!) {{ updateRule(input: $input) {{
              rule {{ {RULE_FIELDS} }} }} }}""",
        {"input": {"id": rule["id"], "name": "Renamed",
                   "conditions": {"descriptionMatches": "b+"},
                   "actions": {"markAsTransfer": True}}},
        user_id=user,
    )  # fmt: skip

    after = changed["updateRule"]["rule"]
    assert after["name"] == "Renamed"
    assert after["conditions"]["descriptionContains"] is None
    assert after["conditions"]["minAmount"] is None
    assert after["conditions"]["descriptionMatches"] == "b+"
    assert after["actions"] == {"markAsTransfer": True, "setCategory": None, "setPayee": None,
                                "addTags": []}  # fmt: skip
    node = await data("query($id: ID!) { node(id: $id) { __typename id } }", {"id": rule["id"]},
                      user_id=user)  # fmt: skip
    assert node["node"] == {"__typename": "Rule", "id": rule["id"]}


async def test_bad_input_is_refused_naming_the_field_and_stores_nothing() -> None:
    user = await new_user()
    categories = await category_ids(user)
    category = {"setCategoryId": categories["Fees"]}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": "x", "conditions": {"descriptionMatches": "(a"}, "actions": category},
         "input.conditions.descriptionMatches"),
        ({"name": "x", "conditions": {"payeeMatches": r"(a)\1"}, "actions": category},
         "input.conditions.payeeMatches"),
        ({"name": "x", "conditions": {"descriptionMatches": "a" * 201}, "actions": category},
         "input.conditions.descriptionMatches"),
        ({"name": "x", "conditions": {"minAmount": "20", "maxAmount": "10"}, "actions": category},
         "input.conditions.maxAmount"),
        ({"name": "x", "conditions": {"minAmount": "-1"}, "actions": category},
         "input.conditions.minAmount"),
        ({"name": "x", "conditions": {"descriptionContains": "  "}, "actions": category},
         "input.conditions.descriptionContains"),
        ({"name": "x", "conditions": {"accountIds": []}, "actions": category},
         "input.conditions.accountIds"),
        ({"name": "x", "conditions": {}, "actions": category}, "input.conditions"),
        ({"name": "x", "conditions": {"descriptionContains": "a"}, "actions": {}},
         "input.actions"),
        ({"name": "x", "conditions": {"descriptionContains": "a"},
          "actions": {**category, "markAsTransfer": True}}, "input.actions.markAsTransfer"),
        ({"name": " ", "conditions": {"descriptionContains": "a"}, "actions": category},
         "input.name"),
        ({"name": "x", "conditions": {"descriptionContains": "a"}, "actions": category,
          "position": 3}, "input.position"),
        ({"name": "x", "conditions": {"accountIds": ["not an id"]}, "actions": category},
         "input.conditions.accountIds"),
    ]  # fmt: skip

    for given, field in cases:
        assert await rejected_field(CREATE, {"input": given}, user_id=user) == field, given

    rule = await create_rule(user, {"descriptionContains": "a"}, category)
    update = """mutation($input: UpdateRuleInput!) { updateRule(input: $input) { rule { id } } }"""
    reorder = """mutation($ids: [ID!]!) { reorderRules(input: {ruleIds: $ids}) { rules { id } } }"""
    assert await rejected_field(update, {"input": {"id": rule["id"], "name": None}},
                                user_id=user) == "input.name"  # fmt: skip
    assert (
        await rejected_field(
            update,
            {"input": {"id": rule["id"], "conditions": {"descriptionMatches": "*"}}},
            user_id=user,
        )
        == "input.conditions.descriptionMatches"
    )
    assert await rejected_field(reorder, {"ids": [rule["id"], rule["id"]]},
                                user_id=user) == "input.ruleIds"  # fmt: skip
    assert (await data(RULES, user_id=user))["rules"]["totalCount"] == 1


async def test_another_users_ids_are_not_found_and_change_nothing() -> None:
    owner, intruder = await new_user(), await new_user()
    owners = await category_ids(owner)
    tag = await make_tag(owner, "private")
    account = (await create_account(owner))["id"]
    rule = await create_rule(owner, {"descriptionContains": "a"}, {"setCategoryId": owners["Fees"]})
    mine = await category_ids(intruder)
    own_category = {"setCategoryId": mine["Fees"]}
    update = """mutation($input: UpdateRuleInput!) { updateRule(input: $input) { rule { id } } }"""
    attempts: list[tuple[str, dict[str, Any]]] = [
        (CREATE, {"input": {"name": "x", "conditions": {"descriptionContains": "a"},
                            "actions": {"setCategoryId": owners["Fees"]}}}),
        (CREATE, {"input": {"name": "x", "conditions": {"descriptionContains": "a"},
                            "actions": {"addTagIds": [tag]}}}),
        (CREATE, {"input": {"name": "x", "conditions": {"accountIds": [account]},
                            "actions": own_category}}),
        (update, {"input": {"id": rule["id"], "enabled": False}}),
        ("mutation($id: ID!) { deleteRule(input: {id: $id}) { deletedRuleId } }",
         {"id": rule["id"]}),
        ("mutation($ids: [ID!]!) { reorderRules(input: {ruleIds: $ids}) { rules { id } } }",
         {"ids": [rule["id"]]}),
        ("query($id: ID!) { rule(id: $id) { id } }", {"id": rule["id"]}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": rule["id"]}),
    ]  # fmt: skip

    for operation, variables in attempts:
        result = await execute(operation, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], operation

    seen = await data(RULES, user_id=owner)
    assert [edge["node"]["enabled"] for edge in seen["rules"]["edges"]] == [True]
    assert (await data(RULES, user_id=intruder))["rules"]["totalCount"] == 0


async def test_ingesting_500_rows_through_20_rules_costs_a_fixed_number_of_statements() -> None:
    user = await new_user()
    categories = await category_ids(user)
    tags = [await make_tag(user, f"tag {n}") for n in range(5)]
    for n in range(19):
        letter = chr(ord("a") + n)
        await create_rule(
            user,
            {"payeeContains": f"shop {letter}"}
            if n % 2
            else {"descriptionMatches": f"^shop [a-z]+ {letter}$", "maxAmount": "100"},
            {"setCategoryId": categories["Shopping"], "addTagIds": [tags[n % 5]]},
        )
    await create_rule(user, {"descriptionContains": "shop"}, {"addTagIds": [tags[0]]})
    item = await link_item(user, bank_account())

    async def statements_for(prefix: str, count: int) -> int:
        batch = tuple(
            bank_transaction(
                f"{prefix}-{index}",
                "-1.00",
                description=f"SHOP {prefix} {chr(ord('a') + index % 20)}",
                date=dt.date(2026, 3, 1) + dt.timedelta(days=index % 28),
                hint=None,
            )
            for index in range(count)
        )
        async with count_statements() as statements:
            result = await ingest(user, item, added=batch)
        assert result.added == count
        return len(statements)

    few, many = await statements_for("a", 5), await statements_for("b", 500)

    assert many == few
    counts = await data(
        """query($c: ID!, $t: [ID!]) {
             shopping: transactions(filter: {categoryIds: [$c]}) { totalCount }
             tagged: transactions(filter: {tagIds: $t}) { totalCount } }""",
        {"c": categories["Shopping"], "t": tags},
        user_id=user,
    )
    # Batch b: all by the payee rule "shop b"; batch a: a, c and e by the patterns.
    assert counts == {"shopping": {"totalCount": 503}, "tagged": {"totalCount": 505}}


async def test_text_is_compared_whatever_its_case_or_accents_and_no_pattern_can_backtrack_forever() -> (  # noqa: E501
    None
):
    user = await new_user()
    categories = await category_ids(user)
    await create_rule(
        user, {"descriptionContains": "café"}, {"setCategoryId": categories["Dining"]}
    )
    # Exponential for a backtracking engine on the text below; RE2 answers in linear time.
    await create_rule(
        user, {"descriptionMatches": "^(a+)+$"}, {"setCategoryId": categories["Fees"]}
    )
    item = await link_item(user, bank_account())

    await ingest(
        user,
        item,
        added=(
            bank_transaction("t1", "-3.00", description="CAFÉ DU MONDE", hint=None),
            bank_transaction("t2", "-3.00", description="a" * 400 + "!", hint=None),
            bank_transaction("t3", "-3.00", description="aaaa", hint=None),
        ),
    )

    rows = await listed(user)
    assert category_of(rows["CAFÉ DU MONDE"]) == "Dining"
    assert category_of(rows["a" * 400 + "!"]) is None
    assert category_of(rows["aaaa"]) == "Fees"


@pytest.mark.usefixtures("ledger_worker")
async def test_rules_apply_to_the_rows_a_file_import_adds() -> None:
    user = await new_user()
    categories = await category_ids(user)
    coffee = await make_tag(user, "coffee")
    await create_rule(
        user,
        {"descriptionMatches": "^kaffee$"},
        {"setCategoryId": categories["Dining"], "addTagIds": [coffee]},
    )
    account = await create_account(user, currency="EUR")

    done = await import_file(user, account["id"], "CSV", file_text("girokonto.csv"), GIROKONTO)

    assert done["added"] == 5
    found = await data(
        "{ transactions(first: 10) { edges { node { description category { name } tags { name } "
        "} } } }",
        user_id=user,
    )
    rows = [edge["node"] for edge in found["transactions"]["edges"]]
    assert sorted((row["description"], category_of(row), tags_of(row)) for row in rows) == [
        ('=HYPERLINK("x")', None, []),
        ("Bäckerei Schmidt; Filiale 3", None, []),
        ("Gehalt März", None, []),
        ("Kaffee", "Dining", ["coffee"]),
        ("Kaffee", "Dining", ["coffee"]),
    ]


async def test_rules_follow_a_payee_merge_and_a_category_merge() -> None:
    user = await new_user()
    account = await create_account(user)
    await add_transaction(user, account["id"], "-4.00", description="Blue Bottle")
    await add_transaction(user, account["id"], "-5.00", description="BLUE BOTTLE COFFEE OAKLAND")
    payees = await payee_ids(user)
    [short, long] = sorted(payees.values(), key=lambda value: value == payees["Blue Bottle"])
    categories = await category_ids(user)
    rule = await create_rule(
        user, {"payeeIds": [short]}, {"setPayeeId": short, "setCategoryId": categories["Dining"]}
    )

    await data(
        """mutation($s: ID!, $t: ID!) { mergePayees(input: {sourceIds: [$s], targetId: $t}) {
             payee { id } } }""",
        {"s": short, "t": long},
        user_id=user,
    )
    await data(
        """mutation($s: ID!, $t: ID!) { mergeCategories(input: {sourceId: $s, targetId: $t}) {
             category { id } } }""",
        {"s": categories["Dining"], "t": categories["Groceries"]},
        user_id=user,
    )

    followed = await data(
        f"query($id: ID!) {{ rule(id: $id) {{ {RULE_FIELDS} }} }}", {"id": rule["id"]}, user_id=user
    )
    assert [p["id"] for p in followed["rule"]["conditions"]["payees"]] == [long]
    assert followed["rule"]["actions"]["setPayee"]["id"] == long
    assert followed["rule"]["actions"]["setCategory"]["name"] == "Groceries"
