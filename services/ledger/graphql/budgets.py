"""The Budget type, the `budgets` and `budget` queries and the `setBudget` mutation."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.ledger.budgets import service as budget_service
from services.ledger.graphql.categories import Category, load_category
from services.ledger.graphql.currencies import MissingExchangeRate
from services.ledger.graphql.inputs import SetBudgetInput
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import INPUT, Info, MoneyType, Month, Node
from shared.ids import decode_id, encode_id


@strawberry.type(name="Budget", description="How much a category may spend in one month.")
class Budget(Node):
    month: Month = strawberry.field(description="The month it is for.")
    amount: MoneyType = strawberry.field(description="How much may be spent.")
    spent: MoneyType = strawberry.field(
        description="Money out in the category that month (pending included), in the budget's "
        "currency (other currencies at their converted figure); refunds reduce it."
    )
    remaining: MoneyType = strawberry.field(
        description="Amount minus spent: negative once overspent."
    )
    missing_rates: list[MissingExchangeRate] = strawberry.field(
        description="Transactions of the category and month that `spent` leaves out, per "
        "currency: they have no figure in the budget's currency yet (a rate will give them "
        "one; a budget set in an earlier base currency counts them once set again)."
    )
    category_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_report(cls, report: budget_service.BudgetReport) -> Budget:
        return cls(
            id=strawberry.ID(encode_id("Budget", report.budget_id)),
            month=Month(report.month),
            amount=MoneyType.of(report.amount),
            spent=MoneyType.of(report.spent),
            remaining=MoneyType.of(report.remaining),
            missing_rates=[MissingExchangeRate.of(missing) for missing in report.missing_rates],
            category_id=report.category_id,
        )

    @strawberry.field
    async def category(self, info: Info) -> Category:
        """The category it limits."""
        category = await load_category(info, self.category_id)
        if category is None:
            raise NotFound("Category")
        return category


async def resolve_budget(info: Info, budget_id: uuid.UUID) -> Budget:
    """The caller's budget (for `budget(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        return Budget.from_report(await budget_service.budget_report(session, user_id, budget_id))


@strawberry.type(description="What setBudget stored.")
class SetBudgetPayload:
    budget: Budget = strawberry.field(description="The budget as it is now.")


@strawberry.type
class BudgetQueries:
    @strawberry.field
    async def budgets(
        self,
        info: Info,
        month: Annotated[Month, strawberry.argument(description="The month to show.")],
    ) -> list[Budget]:
        """The caller's budgets of a month, each with what was spent, by category name."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await budget_service.budget_reports(session, user_id, [month])
        return [Budget.from_report(report) for report in reports]

    @strawberry.field
    async def budget(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Budget:
        """One of the caller's budgets."""
        return await resolve_budget(info, decode_id("Budget", id))


@strawberry.type
class BudgetMutations:
    @strawberry.mutation
    async def set_budget(
        self, info: Info, input: Annotated[SetBudgetInput, INPUT]
    ) -> SetBudgetPayload:
        """Set how much a category may spend in a month (replacing what was set)."""
        user_id = info.context.require_user()
        category_id = decode_id("Category", input.category_id, "input.categoryId")
        async with unit_of_work() as work:
            report = await budget_service.set_budget(
                work, user_id, category_id=category_id, month=input.month, amount=input.amount
            )
        return SetBudgetPayload(budget=Budget.from_report(report))
