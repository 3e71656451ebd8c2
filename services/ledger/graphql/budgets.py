"""The Budget type and the month view (BudgetMonth, its lines and what is ready to assign);
the `budgets`, `budget` and `budgetMonth` queries; and the mutations `setBudget`,
`copyBudgets`, `moveBudget` and `setBudgetStyle`."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.ledger import models
from services.ledger.budgets import month_view
from services.ledger.budgets import service as budget_service
from services.ledger.graphql import loaders
from services.ledger.graphql.categories import Category, category_of_row, load_category
from services.ledger.graphql.currencies import LedgerSettings, MissingExchangeRate
from services.ledger.graphql.inputs import (
    BudgetStyle,
    CopyBudgetsInput,
    MoveBudgetInput,
    SetBudgetInput,
    SetBudgetStyleInput,
)
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import INPUT, Info, MoneyType, Month, Node, loaded, selected_under
from shared.ids import decode_id, encode_id


@strawberry.type(name="Budget", description="How much a category may spend in one month.")
class Budget(Node):
    month: Month = strawberry.field(description="The month it is for.")
    amount: MoneyType = strawberry.field(
        description="How much may be spent (in envelope budgeting: assigned). Negative only "
        "after moveBudget took more out than was assigned that month (money carried in)."
    )
    spent: MoneyType = strawberry.field(
        description="Money out in the category that month (pending included), in the budget's "
        "currency (other currencies at their converted figure); refunds reduce it."
    )
    remaining: MoneyType = strawberry.field(
        description="Amount minus spent: negative once overspent. (What carries in from "
        "earlier months is in budgetMonth's lines.)"
    )
    missing_rates: list[MissingExchangeRate] = strawberry.field(
        description="Transactions of the category and month that `spent` leaves out, per "
        "currency: they have no figure in the budget's currency yet (a rate will give them "
        "one; a budget set in an earlier base currency counts them once set again)."
    )
    category_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_report(cls, report: month_view.BudgetReport) -> Budget:
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
    def category(self, info: Info) -> Category:
        """The category it limits."""
        # A plain function: `budgets` loads the categories first, then each completes at once.
        return loaded(loaders.categories(info), self.category_id, _budget_category)  # type: ignore[no-any-return]


def _budget_category(row: models.Category | None) -> Category:
    category = category_of_row(row)
    if category is None:
        raise NotFound("Category")
    return category


async def resolve_budget(info: Info, budget_id: uuid.UUID) -> Budget:
    """The caller's budget (for `budget(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        return Budget.from_report(await budget_service.budget_report(session, user_id, budget_id))


@strawberry.type(
    name="BudgetLine",
    description="One expense category in a month of budgeting: available = budgeted + "
    "carried - spent.",
)
class BudgetLine:
    budget: Budget | None = strawberry.field(
        description="The category's budget of the month; null when none is set (it budgets zero)."
    )
    budgeted: MoneyType = strawberry.field(
        description="Budgeted (envelope: assigned) this month; zero without a budget."
    )
    carried: MoneyType = strawberry.field(
        description="What the previous month passes on. Limits: nothing, or with rollover the "
        "previous month's available whole (negative when overspent), from the first month "
        "the category was budgeted. Envelope: the previous month's available when positive, "
        "else zero (the overspending comes out of ready to assign instead)."
    )
    spent: MoneyType = strawberry.field(
        description="Net money out in the category this month (refunds reduce it; pending "
        "counts), other currencies at their converted figure."
    )
    available: MoneyType = strawberry.field(
        description="Budgeted + carried - spent: negative when the category is overspent."
    )
    rollover: bool = strawberry.field(
        description="Whether anything carries into the category: its rollover flag in limits "
        "budgeting, always in envelope budgeting."
    )
    missing_rates: list[MissingExchangeRate] = strawberry.field(
        description="Transactions of the category this month that `spent` leaves out: they "
        "wait for an exchange rate."
    )
    category_id: strawberry.Private[uuid.UUID]

    @classmethod
    def of(cls, line: month_view.BudgetLine) -> BudgetLine:
        return cls(
            budget=Budget.from_report(line.budget) if line.budget is not None else None,
            budgeted=MoneyType.of(line.budgeted),
            carried=MoneyType.of(line.carried),
            spent=MoneyType.of(line.spent),
            available=MoneyType.of(line.available),
            rollover=line.rollover,
            missing_rates=[MissingExchangeRate.of(missing) for missing in line.missing_rates],
            category_id=line.category.id,
        )

    @strawberry.field
    async def category(self, info: Info) -> Category:
        """The expense category."""
        category = await load_category(info, self.category_id)
        if category is None:
            raise NotFound("Category")
        return category


@strawberry.type(
    name="ReadyToAssign",
    description="Envelope budgeting: income not yet given a job. amount = income - assigned - "
    "overspent, each counted up to the month.",
)
class ReadyToAssign:
    amount: MoneyType = strawberry.field(
        description="What is left to assign; negative when more was assigned than received."
    )
    income: MoneyType = strawberry.field(
        description="Money in to income categories in every month up to and including this "
        "one (accounts' opening balances are not income)."
    )
    assigned: MoneyType = strawberry.field(
        description="Budgeted to expense categories in every month up to and including this "
        "one (months ahead are not counted until they come)."
    )
    overspent: MoneyType = strawberry.field(
        description="The overspending (negative available) of every category in every month "
        "before this one: each month's is taken from the following months' ready to assign."
    )

    @classmethod
    def of(cls, ready: month_view.ReadyToAssign) -> ReadyToAssign:
        return cls(
            amount=MoneyType.of(ready.amount),
            income=MoneyType.of(ready.income),
            assigned=MoneyType.of(ready.assigned),
            overspent=MoneyType.of(ready.overspent),
        )


@strawberry.type(
    name="BudgetMonth",
    description="A month of budgeting in the user's style, counted in their base currency. "
    "Its totals are the sums of its lines, to the cent.",
)
class BudgetMonth:
    month: Month = strawberry.field(description="The month.")
    style: BudgetStyle = strawberry.field(description="How the month adds up.")
    currency: str = strawberry.field(
        description="ISO 4217 code every amount here is in: the user's base currency."
    )
    income: MoneyType = strawberry.field(
        description="Net money in to income categories this month."
    )
    budgeted: MoneyType = strawberry.field(description="The lines' budgeted, added up.")
    carried: MoneyType = strawberry.field(description="The lines' carried, added up.")
    spent: MoneyType = strawberry.field(description="The lines' spent, added up.")
    available: MoneyType = strawberry.field(description="The lines' available, added up.")
    uncategorized: MoneyType = strawberry.field(
        description="Net money out this month of transactions without a category (in no "
        "line): categorize them to budget them."
    )
    ready_to_assign: ReadyToAssign | None = strawberry.field(
        description="Envelope budgeting: income not yet assigned. Null in limits budgeting."
    )
    lines: list[BudgetLine] = strawberry.field(
        description="Every expense category in the user's order; a hidden one only when it "
        "has a budget, a carry or spending this month. Income and transfer categories are "
        "not budgeted."
    )
    missing_rates: list[MissingExchangeRate] = strawberry.field(
        description="This month's transactions that its figures leave out: they wait for an "
        "exchange rate (earlier months' are left out of the carries too)."
    )
    other_currency_budgets: list[Budget] = strawberry.field(
        description="This month's budgets set in an earlier base currency: they count as "
        "nothing here until set again in the base currency."
    )

    @classmethod
    def of(cls, view: month_view.BudgetMonth) -> BudgetMonth:
        return cls(
            month=Month(view.month),
            style=BudgetStyle(view.style),
            currency=view.currency,
            income=MoneyType.of(view.income),
            budgeted=MoneyType.of(view.total("budgeted")),
            carried=MoneyType.of(view.total("carried")),
            spent=MoneyType.of(view.total("spent")),
            available=MoneyType.of(view.total("available")),
            uncategorized=MoneyType.of(view.uncategorized),
            ready_to_assign=(
                ReadyToAssign.of(view.ready_to_assign) if view.ready_to_assign is not None else None
            ),
            lines=[BudgetLine.of(line) for line in view.lines],
            missing_rates=[MissingExchangeRate.of(missing) for missing in view.missing_rates],
            other_currency_budgets=[Budget.from_report(r) for r in view.other_currency_budgets],
        )


@strawberry.type(description="What setBudget stored.")
class SetBudgetPayload:
    budget: Budget = strawberry.field(description="The budget as it is now.")


@strawberry.type(description="What copyBudgets stored.")
class CopyBudgetsPayload:
    budgets: list[Budget] = strawberry.field(
        description="Every budget of toMonth now, by category name."
    )
    copied_count: int = strawberry.field(
        description="Budgets of toMonth created or replaced by the copy."
    )


@strawberry.type(description="What moveBudget changed.")
class MoveBudgetPayload:
    from_budget: Budget = strawberry.field(description="The source category's budget now.")
    to_budget: Budget = strawberry.field(description="The target category's budget now.")


@strawberry.type(description="What setBudgetStyle stored.")
class SetBudgetStylePayload:
    ledger_settings: LedgerSettings = strawberry.field(description="The settings now.")


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
        # Each budget's category was read with it: kept for the request, so `category`
        # completes at once and a sibling field's categories need not wait for these.
        categories = loaders.categories(info)
        for report in reports:
            if report.category is not None:
                categories.prime(report.category_id, report.category)
        if "category" in selected_under(info):
            await categories.load_many([report.category_id for report in reports])
        return [Budget.from_report(report) for report in reports]

    @strawberry.field
    async def budget(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Budget:
        """One of the caller's budgets."""
        return await resolve_budget(info, decode_id("Budget", id))

    @strawberry.field
    async def budget_month(
        self,
        info: Info,
        month: Annotated[
            Month, strawberry.argument(description="The month to show (past or ahead).")
        ],
    ) -> BudgetMonth:
        """A month of the caller's budgeting in their style: a line per expense category
        (budgeted, carried, spent, available), the totals, and in envelope budgeting what is
        ready to assign."""
        user_id = info.context.require_user()
        async with read_session() as session:
            view = await month_view.budget_month(session, user_id, month)
        categories = loaders.categories(info)
        for line in view.lines:
            categories.prime(line.category.id, line.category)
        return BudgetMonth.of(view)


@strawberry.type
class BudgetMutations:
    @strawberry.mutation
    async def set_budget(
        self, info: Info, input: Annotated[SetBudgetInput, INPUT]
    ) -> SetBudgetPayload:
        """Set how much an expense category may spend (envelope: is assigned) in a month, in
        any month before or ahead, replacing what was set."""
        user_id = info.context.require_user()
        category_id = decode_id("Category", input.category_id, "input.categoryId")
        async with unit_of_work() as work:
            report = await budget_service.set_budget(
                work, user_id, category_id=category_id, month=input.month, amount=input.amount
            )
        return SetBudgetPayload(budget=Budget.from_report(report))

    @strawberry.mutation
    async def copy_budgets(
        self, info: Info, input: Annotated[CopyBudgetsInput, INPUT]
    ) -> CopyBudgetsPayload:
        """Copy one month's budgets into another (e.g. last month's into this one, or this
        one's into months ahead). Amounts set in an earlier base currency, and negative ones
        left by moveBudget, are not copied."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            copy = await budget_service.copy_budgets(
                work,
                user_id,
                from_month=input.from_month,
                to_month=input.to_month,
                overwrite=input.overwrite,
            )
        return CopyBudgetsPayload(
            budgets=[Budget.from_report(report) for report in copy.budgets],
            copied_count=copy.copied,
        )

    @strawberry.mutation
    async def move_budget(
        self, info: Info, input: Annotated[MoveBudgetInput, INPUT]
    ) -> MoveBudgetPayload:
        """Move money between two expense categories' budgets of a month: at most what the
        source has available that month (its carry included, so its budget may go below
        zero). Ready to assign does not change."""
        user_id = info.context.require_user()
        from_id = decode_id("Category", input.from_category_id, "input.fromCategoryId")
        to_id = decode_id("Category", input.to_category_id, "input.toCategoryId")
        async with unit_of_work() as work:
            move = await budget_service.move_budget(
                work,
                user_id,
                from_category_id=from_id,
                to_category_id=to_id,
                month=input.month,
                amount=input.amount,
            )
        return MoveBudgetPayload(
            from_budget=Budget.from_report(move.source), to_budget=Budget.from_report(move.target)
        )

    @strawberry.mutation
    async def set_budget_style(
        self, info: Info, input: Annotated[SetBudgetStyleInput, INPUT]
    ) -> SetBudgetStylePayload:
        """Budget in limits or envelope style from now on. Every amount stays as it is; only
        how months add up changes, so switching back shows what it showed before."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            settings = await budget_service.set_budget_style(work, user_id, str(input.style.value))
        return SetBudgetStylePayload(
            ledger_settings=LedgerSettings(base_currency=settings.base_currency)
        )
