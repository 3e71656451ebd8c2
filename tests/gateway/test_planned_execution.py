"""Planned completion (services/gateway/execution.py) gives exactly graphql-core's answers:
the same data and the same errors at the same paths, whether a plan completes an object or
steps aside for graphql-core; and Tally's pages really are completed by plans."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.types import Info

from services.gateway import execution
from services.gateway.execution import PlannedExecutor
from tests.support.factories import add_transaction, category_ids, create_account, new_user
from tests.support.graphql import data


@strawberry.enum
class Mood(Enum):
    CALM = "calm"
    BUSY = "busy"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Leaf:
    amount: Decimal
    when: dt.date
    mood: Mood


@strawberry.type
class Item(Named):
    leaf: Leaf
    maybe: Leaf | None
    tags: list[str]
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def label(self) -> str:
        return f"<{self.name}>"

    @strawberry.field
    def from_context(self, info: Info) -> str:
        return f"{self.name}@{info.context['where']}"

    @strawberry.field
    def field_name(self, info: Info) -> str:
        # Reads more of info than its context: a plan steps aside for it.
        return info.field_name

    @strawberry.field
    def strict(self) -> str:
        # Non-null, but null for one item: graphql-core's error, and the item nulled.
        return self.raw.get("strict")  # type: ignore[return-value]

    @strawberry.field
    def failing(self) -> str | None:
        if self.raw.get("fail"):
            raise ValueError(f"{self.name} failed")
        return "fine"

    @strawberry.field
    def later(self) -> str:
        # A plain function returning an awaitable (as `loaded` does before its batch ran).
        async def value() -> str:
            return "later"

        return value()  # type: ignore[return-value]

    @strawberry.field
    def with_argument(self, times: int = 2) -> str:
        return self.name * times

    @strawberry.field
    async def slow(self) -> str:
        await asyncio.sleep(0)
        return "slow"


def _item(name: str, **raw: Any) -> Item:
    leaf = Leaf(amount=Decimal("-12.34"), when=dt.date(2026, 11, 26), mood=Mood.BUSY)
    return Item(name=name, leaf=leaf, maybe=None, tags=["a", "b"], raw=raw)


@strawberry.type
class Query:
    @strawberry.field
    async def items(self) -> list[Item | None]:
        return [_item("one", strict="s"), _item("two", fail=True), _item("three")]

    @strawberry.field
    async def first(self) -> Item:
        return _item("one", strict="s")

    @strawberry.field
    async def named(self) -> list[Named]:
        return [_item("one", strict="s")]


PLANNED = strawberry.Schema(query=Query, execution_context_class=PlannedExecutor)
PLAIN = strawberry.Schema(query=Query)

QUERIES = [
    "{ first { name label leaf { amount when mood } maybe { amount } tags __typename } }",
    "{ first { fromContext alias: label } }",
    "{ first { fieldName } }",
    "{ items { name strict } }",
    "{ items { name failing } }",
    "{ first { later } }",
    "{ first { withArgument(times: 3) } }",
    "{ first { slow } }",
    "query($yes: Boolean!) { first { name label @include(if: $yes) } }",
    "{ first { ...F } } fragment F on Item { name leaf { ...L } } fragment L on Leaf { mood }",
    "{ first { ... on Item { name } } }",
    "{ named { name ... on Item { label } } }",
    "{ items { name leaf { amount } } a: first { name } b: first { label } }",
]


def _answer(result: Any) -> Any:
    errors = [(error.message, error.path) for error in result.errors or []]
    return result.data, sorted(errors, key=repr)


@pytest.mark.parametrize("query", QUERIES)
async def test_a_planned_answer_is_graphql_cores_answer(query: str) -> None:
    for variables in ({"yes": True}, {"yes": False}):
        context = {"where": "here"}
        planned = await PLANNED.execute(query, variable_values=variables, context_value=context)
        plain = await PLAIN.execute(query, variable_values=variables, context_value=context)
        assert _answer(planned) == _answer(plain)
        # And again, from the plans compiled the first time.
        again = await PLANNED.execute(query, variable_values=variables, context_value=context)
        assert _answer(again) == _answer(plain)


async def test_plans_complete_the_plain_parts_and_step_aside_for_the_rest() -> None:
    before = PlannedExecutor.planned, PlannedExecutor.unplanned
    result = await PLANNED.execute("{ items { name strict } }", context_value={})
    assert result.data == {"items": [{"name": "one", "strict": "s"}, None, None]}
    planned = PlannedExecutor.planned - before[0]
    unplanned = PlannedExecutor.unplanned - before[1]
    # The list as a whole is tried, steps aside at the null `strict`, then each item is tried.
    assert planned == 1
    assert unplanned == 3


async def test_a_page_of_transactions_is_completed_by_plans() -> None:
    user = await new_user()
    account = await create_account(user)
    groceries = (await category_ids(user))["Groceries"]
    for day in range(1, 21):
        await add_transaction(
            user, account["id"], "-1.25", dt.date(2026, 10, day), category_id=groceries
        )
    query = """{ transactions(first: 20) {
        edges { cursor node { id date description pending amount { amount currency }
                              account { id name } category { id name } } }
        pageInfo { hasNextPage endCursor } } }"""
    before = PlannedExecutor.planned, PlannedExecutor.unplanned
    page = await data(query, user_id=user)
    assert len(page["transactions"]["edges"]) == 20
    amounts = {edge["node"]["amount"]["amount"] for edge in page["transactions"]["edges"]}
    assert amounts == {"-1.25"}
    # The connection is one plan, all of it: edges, their nodes, accounts and categories.
    assert PlannedExecutor.planned - before[0] == 1
    assert PlannedExecutor.unplanned == before[1]
    assert len(execution.PLANS) > 0
