"""Report types and queries: spending by category, cash flow and net worth over a range."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from services.ledger.graphql.categories import Category, load_category
from services.ledger.graphql.currencies import MissingExchangeRate
from services.ledger.reports import service as report_service
from shared.db import read_session
from shared.errors import NotFound
from shared.graphql import Info, MoneyType, Month

FROM = strawberry.argument(name="from", description="The range's first day (inclusive).")
TO = strawberry.argument(description="The range's last day (inclusive); at most 10 years on.")


@strawberry.type(name="CategorySpending", description="What one category cost over a range.")
class CategorySpending:
    amount: MoneyType = strawberry.field(description="Net money out, positive.")
    category_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_report(cls, report: report_service.CategorySpending) -> CategorySpending:
        return cls(amount=MoneyType.of(report.amount), category_id=report.category_id)

    @strawberry.field
    async def category(self, info: Info) -> Category:
        """The category."""
        category = await load_category(info, self.category_id)
        if category is None:
            raise NotFound("Category")
        return category


@strawberry.type(name="CashFlowPoint", description="Money in and out over one month.")
class CashFlowPoint:
    month: Month = strawberry.field(description="The month.")
    income: MoneyType = strawberry.field(description="Money in.")
    expenses: MoneyType = strawberry.field(description="Money out, positive.")
    net: MoneyType = strawberry.field(description="Income minus expenses.")
    missing_rates: list[MissingExchangeRate] = strawberry.field(
        description="Transactions of the month left out, per currency: they wait for a rate."
    )

    @classmethod
    def from_report(cls, report: report_service.CashFlow) -> CashFlowPoint:
        return cls(
            month=Month(report.month),
            income=MoneyType.of(report.income),
            expenses=MoneyType.of(report.expenses),
            net=MoneyType.of(report.net),
            missing_rates=[MissingExchangeRate.of(missing) for missing in report.missing_rates],
        )


@strawberry.type(name="NetWorthPoint", description="What the user owns, net, on one day.")
class NetWorthPoint:
    date: dt.date = strawberry.field(description="The month's last day (or the range's end).")
    month: Month = strawberry.field(description="The month the point closes.")
    amount: MoneyType = strawberry.field(description="The sum of the balances that day.")
    unconverted_balances: list[MoneyType] = strawberry.field(
        description="Balances in currencies with no rate on or before the date, per currency: "
        "not in `amount`."
    )

    @classmethod
    def from_report(cls, report: report_service.NetWorth) -> NetWorthPoint:
        return cls(
            date=report.date,
            month=Month(report.month),
            amount=MoneyType.of(report.amount),
            unconverted_balances=[MoneyType.of(money) for money in report.unconverted],
        )


@strawberry.type
class ReportQueries:
    @strawberry.field
    async def spending_by_category(
        self,
        info: Info,
        from_: Annotated[dt.date, FROM],
        to: Annotated[dt.date, TO],
    ) -> list[CategorySpending]:
        """Net money out per category in the range (inclusive), in the base currency, largest
        first; uncategorized transactions, categories without net spending and transactions
        waiting for an exchange rate (see missingExchangeRates) are left out."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await report_service.spending_by_category(session, user_id, from_, to)
        return [CategorySpending.from_report(report) for report in reports]

    @strawberry.field
    async def cash_flow(
        self,
        info: Info,
        from_: Annotated[dt.date, FROM],
        to: Annotated[dt.date, TO],
    ) -> list[CashFlowPoint]:
        """Money in and out per month of the range, in the base currency (other currencies at
        their converted figure). Transfers between the user's own accounts (categories of kind
        TRANSFER, such as the default "Transfers" however renamed) are left out."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await report_service.cash_flow(session, user_id, from_, to)
        return [CashFlowPoint.from_report(report) for report in reports]

    @strawberry.field
    async def net_worth(
        self,
        info: Info,
        from_: Annotated[dt.date, FROM],
        to: Annotated[dt.date, TO],
    ) -> list[NetWorthPoint]:
        """The sum of the user's balances at each month's end in the range, in the base
        currency: a balance in another currency at the rate in force on the point's date."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await report_service.net_worth(session, user_id, from_, to)
        return [NetWorthPoint.from_report(report) for report in reports]
