"""Story helpers for the rules' tests: making rules, tags and payees as a client does, and
reading transactions back with what rules set on them."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.graphql import data

RULE_FIELDS = """id name position enabled appliedCount lastAppliedAt updatedAt
  conditions { descriptionContains descriptionMatches payeeContains payeeMatches minAmount
    maxAmount direction payees { id name } accounts { id name } }
  actions { markAsTransfer setCategory { id name } setPayee { id name } addTags { id name } }"""
CREATE = f"""mutation($input: CreateRuleInput!) {{
  createRule(input: $input) {{ rule {{ {RULE_FIELDS} }} }} }}"""
LISTED = """{ transactions(first: 100) { edges { node {
  id description amount { amount } category { name } payee { id name } tags { name } } } } }"""
UPDATE_TRANSACTION = """mutation($input: UpdateTransactionInput!) {
  updateTransaction(input: $input) { transaction { id } } }"""


async def create_rule(
    user: uuid.UUID, conditions: dict[str, Any], actions: dict[str, Any], **given: Any
) -> dict[str, Any]:
    result = await data(
        CREATE,
        {
            "input": {
                "name": given.pop("name", "A rule"),
                "conditions": conditions,
                "actions": actions,
                **given,
            }
        },
        user_id=user,
    )
    rule: dict[str, Any] = result["createRule"]["rule"]
    return rule


async def make_tag(user: uuid.UUID, name: str) -> str:
    result = await data(
        "mutation($n: String!) { createTag(input: {name: $n}) { tag { id } } }",
        {"n": name},
        user_id=user,
    )
    return str(result["createTag"]["tag"]["id"])


async def payee_ids(user: uuid.UUID) -> dict[str, str]:
    result = await data("{ payees(first: 100) { edges { node { id name } } } }", user_id=user)
    return {edge["node"]["name"]: edge["node"]["id"] for edge in result["payees"]["edges"]}


async def listed(user: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The user's transactions by description, with category, payee and tags."""
    result = await data(LISTED, user_id=user)
    return {edge["node"]["description"]: edge["node"] for edge in result["transactions"]["edges"]}


def category_of(row: dict[str, Any]) -> str | None:
    return row["category"]["name"] if row["category"] else None


def tags_of(row: dict[str, Any]) -> list[str]:
    return [tag["name"] for tag in row["tags"]]


async def edit_transaction(user: uuid.UUID, transaction_id: str, **given: Any) -> None:
    await data(UPDATE_TRANSACTION, {"input": {"id": transaction_id, **given}}, user_id=user)
