"""The public GraphQL contract: published as `schema.graphql`, identical to what the code serves,
described everywhere, every breaking change since the baseline in the changelog, and every node
fetchable again by its id. (`make graphql-contract` compiles a Relay client against it and lints
it with graphql-schema-linter.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    find_breaking_changes,
)
from graphql import build_schema as parse_sdl

from tests.support.factories import add_transaction, category_ids, create_account, new_user
from tests.support.graphql import data, schema

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "schema.graphql"
BASELINE = ROOT / "contract" / "baseline.graphql"
CHANGELOG = ROOT / "docs" / "schema-changelog.md"
BUILT_IN = {"String", "Boolean", "Int", "Float", "ID"}


def test_the_published_schema_is_the_one_the_code_serves() -> None:
    published = PUBLISHED.read_text(encoding="utf-8")
    assert published == schema().as_str() + "\n", (
        "schema.graphql is stale: run `make schema` and list any breaking change in "
        "docs/schema-changelog.md"
    )


def _undescribed() -> list[str]:
    missing = []
    for name, named in schema()._schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not named.description:
            missing.append(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({arg})"
                    for arg, argument in field.args.items()
                    if not argument.description
                ]
        elif isinstance(named, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in named.fields.items() if not field.description]
        elif isinstance(named, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in named.values.items() if not value.description]
    return missing


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    assert _undescribed() == []


def _coordinate(description: str) -> str:
    """'Argument Mutation.signUp(email:) was removed.' -> 'Mutation.signUp'."""
    dotted = re.search(r"\b([A-Z]\w*\.\w+)", description)
    if dotted:
        return dotted.group(1)
    named = re.match(r"(\w+) was removed", description)
    assert named, description
    return named.group(1)


def test_every_breaking_change_since_the_baseline_is_in_the_changelog() -> None:
    baseline = parse_sdl(BASELINE.read_text(encoding="utf-8"))
    current = parse_sdl(PUBLISHED.read_text(encoding="utf-8"))
    changelog = CHANGELOG.read_text(encoding="utf-8")

    breaking = {
        _coordinate(change.description) for change in find_breaking_changes(baseline, current)
    }

    assert breaking, "the baseline predates the Relay conventions: there are breaking changes"
    assert sorted(c for c in breaking if c not in changelog) == []


async def _one_of_each(user_id: Any) -> dict[str, str]:
    """The ids of one of each of the ledger's node types, owned by the user."""
    account = await create_account(user_id)
    categories = await category_ids(user_id)
    transaction = await add_transaction(user_id, account["id"], "-4.20", "2026-11-02")
    budget = await data(
        """mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }""",
        {"i": {"categoryId": categories["Dining"], "month": "2026-11", "amount": "50"}},
        user_id=user_id,
    )
    goal = await data(
        """mutation { createGoal(input: {name: "Bike", targetAmount: "300"}) { goal { id } } }""",
        user_id=user_id,
    )
    tag = await data(
        """mutation { createTag(input: {name: "bike"}) { tag { id } } }""", user_id=user_id
    )
    payees = await data("{ payees { edges { node { id } } } }", user_id=user_id)
    rule = await data(
        """mutation($c: ID) { createRule(input: {name: "Coffee",
             conditions: {descriptionContains: "coffee"}, actions: {setCategoryId: $c}}) {
             rule { id } } }""",
        {"c": categories["Dining"]},
        user_id=user_id,
    )
    return {
        "Account": account["id"],
        "Category": categories["Dining"],
        "Transaction": transaction["id"],
        "Budget": budget["setBudget"]["budget"]["id"],
        "Goal": goal["createGoal"]["goal"]["id"],
        "Tag": tag["createTag"]["tag"]["id"],
        "Payee": payees["payees"]["edges"][0]["node"]["id"],
        "Rule": rule["createRule"]["rule"]["id"],
    }


async def test_node_fetches_each_kind_again_by_its_id_as_its_own_type() -> None:
    user_id = await new_user()
    ids = await _one_of_each(user_id)

    for typename, node_id in ids.items():
        found = await data(
            "query($id: ID!) { node(id: $id) { __typename id } }", {"id": node_id}, user_id=user_id
        )
        assert found["node"] == {"__typename": typename, "id": node_id}

    single = await data(
        """query($a: ID!, $t: ID!) { account(id: $a) { id name } transaction(id: $t) {
             id amount { amount } account { id } } }""",
        {"a": ids["Account"], "t": ids["Transaction"]},
        user_id=user_id,
    )
    assert single["account"]["id"] == ids["Account"]
    assert single["transaction"]["amount"] == {"amount": "-4.20"}
    assert single["transaction"]["account"] == {"id": ids["Account"]}


async def test_a_page_says_where_it_starts_and_whether_one_came_before() -> None:
    user_id = await new_user()
    account = await create_account(user_id)
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        await add_transaction(user_id, account["id"], "-1.00", day)
    page = """query($after: String) { transactions(first: 2, after: $after) {
      edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""

    first = (await data(page, user_id=user_id))["transactions"]
    second = (await data(page, {"after": first["pageInfo"]["endCursor"]}, user_id=user_id))[
        "transactions"
    ]

    cursors = [edge["cursor"] for edge in first["edges"]]
    assert first["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": cursors[0],
        "endCursor": cursors[-1],
    }
    assert second["pageInfo"]["hasNextPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["pageInfo"]["startCursor"] == second["edges"][0]["cursor"]


def test_tally_schema_writes_the_contract(tmp_path: Path) -> None:
    from tally.cli import main

    written = tmp_path / "schema.graphql"
    main(["schema", "--output", str(written)])

    assert written.read_text(encoding="utf-8") == PUBLISHED.read_text(encoding="utf-8")
