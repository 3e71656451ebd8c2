"""The ledger's GraphQL object types. Scalar fields are plain values copied from the rows;
only object fields (an account's balance, a transaction's account and category) resolve
through the request's DataLoaders.
"""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from services.ledger import loaders, models
from services.ledger.accounts import service as account_service
from services.ledger.budgets import service as budget_service
from services.ledger.goals import service as goal_service
from services.ledger.reports import service as report_service
from services.ledger.transactions import service as transaction_service
from shared.db import read_session
from shared.errors import NotFound
from shared.graphql import Info, MoneyType, PageInfo
from shared.ids import encode_id
from shared.money import Money


@strawberry.type(name="Category")
class Category:
    id: strawberry.ID
    name: str
    group: str

    @classmethod
    def from_row(cls, row: models.Category) -> Category:
        return cls(id=strawberry.ID(encode_id("Category", row.id)), name=row.name, group=row.group)


@strawberry.type(name="Account")
class Account:
    id: strawberry.ID
    name: str
    type: str
    currency: str
    mask: str | None = strawberry.field(description="Last digits of a bank account's number.")
    linked: bool = strawberry.field(description="Whether the account comes from a linked bank.")
    row: strawberry.Private[models.Account]

    @classmethod
    def from_row(cls, row: models.Account) -> Account:
        return cls(
            id=strawberry.ID(encode_id("Account", row.id)),
            name=row.name,
            type=row.type,
            currency=row.currency,
            mask=row.mask,
            linked=row.item_ref is not None,
            row=row,
        )

    @strawberry.field
    async def balance(self, info: Info) -> MoneyType:
        """Opening balance plus every transaction (pending included); for a linked account,
        what the bank last reported, when it did."""
        total = 0
        if account_service.balance_needs_transactions(self.row):
            total = await loaders.transaction_sums(info).load(self.row.id)
        return MoneyType.of(account_service.balance_of(self.row, total))


async def load_account(info: Info, account_id: uuid.UUID) -> Account:
    row = await loaders.accounts(info).load(account_id)
    if row is None:
        raise NotFound("Account")
    return Account.from_row(row)


async def load_category(info: Info, category_id: uuid.UUID | None) -> Category | None:
    if category_id is None:
        return None
    row = await loaders.categories(info).load(category_id)
    return Category.from_row(row) if row is not None else None


@strawberry.type(name="Transaction")
class Transaction:
    id: strawberry.ID
    date: dt.date
    amount: MoneyType
    description: str
    pending: bool
    notes: str | None
    account_id: strawberry.Private[uuid.UUID]
    category_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.Transaction) -> Transaction:
        return cls(
            id=strawberry.ID(encode_id("Transaction", row.id)),
            date=row.date,
            amount=MoneyType.of(Money(row.amount_minor, row.currency)),
            description=row.description,
            pending=row.pending,
            notes=row.notes,
            account_id=row.account_id,
            category_id=row.category_id,
        )

    @strawberry.field
    async def account(self, info: Info) -> Account:
        return await load_account(info, self.account_id)

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        return await load_category(info, self.category_id)


@strawberry.type(name="TransactionEdge")
class TransactionEdge:
    cursor: str
    node: Transaction


@strawberry.type(name="TransactionConnection")
class TransactionConnection:
    edges: list[TransactionEdge]
    page_info: PageInfo
    query: strawberry.Private[transaction_service.TransactionQuery]

    @classmethod
    def from_page(cls, page: transaction_service.TransactionPage) -> TransactionConnection:
        return cls(
            edges=[
                TransactionEdge(
                    cursor=transaction_service.transaction_cursor(row),
                    node=Transaction.from_row(row),
                )
                for row in page.rows
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            query=page.query,
        )

    @strawberry.field
    async def total_count(self) -> int:
        """How many transactions match the filter (all pages)."""
        async with read_session() as session:
            return await transaction_service.count_transactions(session, self.query)


@strawberry.type(name="Budget")
class Budget:
    id: strawberry.ID
    month: str
    amount: MoneyType
    spent: MoneyType = strawberry.field(
        description="Money out in the category that month (pending included); refunds reduce it."
    )
    remaining: MoneyType
    category_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_report(cls, report: budget_service.BudgetReport) -> Budget:
        return cls(
            id=strawberry.ID(encode_id("Budget", report.budget_id)),
            month=report.month,
            amount=MoneyType.of(report.amount),
            spent=MoneyType.of(report.spent),
            remaining=MoneyType.of(report.remaining),
            category_id=report.category_id,
        )

    @strawberry.field
    async def category(self, info: Info) -> Category:
        category = await load_category(info, self.category_id)
        if category is None:
            raise NotFound("Category")
        return category


@strawberry.type(name="Goal")
class Goal:
    id: strawberry.ID
    name: str
    target_amount: MoneyType
    saved_amount: MoneyType
    target_date: dt.date | None
    progress: float = strawberry.field(description="Saved / target, 0..1, for display only.")
    projected_date: dt.date | None = strawberry.field(
        description="When the target is reached at the average rate since the first "
        "contribution; null before there is a rate and once the goal is reached."
    )

    @classmethod
    def from_report(cls, report: goal_service.GoalReport) -> Goal:
        return cls(
            id=strawberry.ID(encode_id("Goal", report.goal.id)),
            name=report.goal.name,
            target_amount=MoneyType.of(report.target),
            saved_amount=MoneyType.of(report.saved),
            target_date=report.goal.target_date,
            progress=report.progress,
            projected_date=report.projected_date,
        )


@strawberry.type(name="CategorySpending")
class CategorySpending:
    amount: MoneyType = strawberry.field(description="Net money out, positive.")
    category_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_report(cls, report: report_service.CategorySpending) -> CategorySpending:
        return cls(amount=MoneyType.of(report.amount), category_id=report.category_id)

    @strawberry.field
    async def category(self, info: Info) -> Category:
        category = await load_category(info, self.category_id)
        if category is None:
            raise NotFound("Category")
        return category


@strawberry.type(name="CashFlowPoint")
class CashFlowPoint:
    month: str
    income: MoneyType
    expenses: MoneyType = strawberry.field(description="Money out, positive.")
    net: MoneyType

    @classmethod
    def from_report(cls, report: report_service.CashFlow) -> CashFlowPoint:
        return cls(
            month=report.month,
            income=MoneyType.of(report.income),
            expenses=MoneyType.of(report.expenses),
            net=MoneyType.of(report.net),
        )


@strawberry.type(name="NetWorthPoint")
class NetWorthPoint:
    date: dt.date = strawberry.field(description="The month's last day (or the range's end).")
    month: str
    amount: MoneyType

    @classmethod
    def from_report(cls, report: report_service.NetWorth) -> NetWorthPoint:
        return cls(date=report.date, month=report.month, amount=MoneyType.of(report.amount))
