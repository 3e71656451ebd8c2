"""The ledger's root queries. Each opens its own read session; nested fields use loaders."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from services.ledger.accounts import service as account_service
from services.ledger.budgets import service as budget_service
from services.ledger.categories import service as category_service
from services.ledger.goals import service as goal_service
from services.ledger.graphql.inputs import TransactionFilter
from services.ledger.graphql.types import (
    Account,
    Budget,
    CashFlowPoint,
    Category,
    CategorySpending,
    Goal,
    NetWorthPoint,
    TransactionConnection,
)
from services.ledger.reports import service as report_service
from services.ledger.transactions import service as transaction_service
from shared.db import read_session
from shared.graphql import Info
from shared.ids import decode_id
from shared.pagination import page_size


@strawberry.type
class Query:
    @strawberry.field
    async def accounts(self, info: Info) -> list[Account]:
        user_id = info.context.require_user()
        async with read_session() as session:
            rows = await account_service.list_accounts(session, user_id)
        return [Account.from_row(row) for row in rows]

    @strawberry.field
    async def transactions(
        self,
        info: Info,
        filter: TransactionFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> TransactionConnection:
        """Newest first (by date, then id); at most 100 a page."""
        user_id = info.context.require_user()
        size = page_size(first)
        given = _filter(filter)
        async with read_session() as session:
            page = await transaction_service.transaction_page(
                session, user_id, given, first=size, after=after
            )
        return TransactionConnection.from_page(page)

    @strawberry.field
    async def categories(self, info: Info) -> list[Category]:
        user_id = info.context.require_user()
        async with read_session() as session:
            rows = await category_service.list_categories(session, user_id)
        return [Category.from_row(row) for row in rows]

    @strawberry.field
    async def budgets(self, info: Info, month: str) -> list[Budget]:
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await budget_service.budget_reports(session, user_id, [month])
        return [Budget.from_report(report) for report in reports]

    @strawberry.field
    async def goals(self, info: Info) -> list[Goal]:
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await goal_service.list_goals(session, user_id)
        return [Goal.from_report(report) for report in reports]

    @strawberry.field
    async def spending_by_category(
        self,
        info: Info,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: dt.date,
    ) -> list[CategorySpending]:
        """Net money out per category in the range (inclusive), largest first; uncategorized
        transactions and categories without net spending are left out."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await report_service.spending_by_category(session, user_id, from_, to)
        return [CategorySpending.from_report(report) for report in reports]

    @strawberry.field
    async def cash_flow(
        self,
        info: Info,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: dt.date,
    ) -> list[CashFlowPoint]:
        """Money in and out per month of the range, in the currency of the user's first
        account (USD without accounts; other currencies are not converted). Transfers between
        the user's own accounts (the Transfers group) are left out."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await report_service.cash_flow(session, user_id, from_, to)
        return [CashFlowPoint.from_report(report) for report in reports]

    @strawberry.field
    async def net_worth(
        self,
        info: Info,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: dt.date,
    ) -> list[NetWorthPoint]:
        """The sum of the user's balances at each month's end in the range, in the currency of
        the user's first account (accounts in other currencies are left out)."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await report_service.net_worth(session, user_id, from_, to)
        return [NetWorthPoint.from_report(report) for report in reports]


def _filter(given: TransactionFilter | None) -> transaction_service.TransactionFilter:
    if given is None:
        return transaction_service.TransactionFilter()
    return transaction_service.TransactionFilter(
        account_id=(
            decode_id("Account", given.account_id, "filter.accountId")
            if given.account_id is not None
            else None
        ),
        category_id=(
            decode_id("Category", given.category_id, "filter.categoryId")
            if given.category_id is not None
            else None
        ),
        date_from=given.from_,
        date_to=given.to,
        search=given.search,
    )
