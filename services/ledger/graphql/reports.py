"""Report types and queries: spending by category, cash flow, net worth over a range at any
interval, and spending or income by category, group, payee or tag at any interval."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

import strawberry

from services.ledger import models
from services.ledger.graphql.categories import Category, CategoryGroup, load_category
from services.ledger.graphql.currencies import MissingExchangeRate
from services.ledger.graphql.inputs import (
    ReportDirection,
    ReportGrouping,
    ReportInterval,
    TransactionFilter,
)
from services.ledger.graphql.payees import Payee
from services.ledger.graphql.tags import Tag
from services.ledger.graphql.transactions import filter_from_input
from services.ledger.reports import grouped
from services.ledger.reports import service as report_service
from services.ledger.reports.intervals import Interval
from shared.db import read_session
from shared.errors import NotFound
from shared.graphql import Info, MoneyType, Month
from shared.money import currency_exponent

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
    date: dt.date = strawberry.field(
        description="The last day of its period (a day, week, month or year), or the range's end."
    )
    month: Month = strawberry.field(description="The month its date is in.")
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


ReportKey = Annotated[
    Category | CategoryGroup | Payee | Tag,
    strawberry.union(
        "ReportKey", description="What a report row is about: a category, group, payee or tag."
    ),
]


def _key(key: grouped.Key | None) -> Category | CategoryGroup | Payee | Tag | None:
    if isinstance(key, models.Category):
        return Category.from_row(key)
    if isinstance(key, models.CategoryGroup):
        return CategoryGroup.from_row(key)
    if isinstance(key, models.Payee):
        return Payee.from_row(key)
    if isinstance(key, models.Tag):
        return Tag.from_row(key)
    return None


@strawberry.type(name="ReportRow", description="One key's money in one period of a report.")
class ReportRow:
    row_key: strawberry.Private[grouped.Key | None]
    name: str = strawberry.field(
        description='The key\'s name, or "Uncategorized", "No payee" or "Untagged".'
    )
    amount: MoneyType = strawberry.field(
        description="The net money out (SPENDING) or in (INCOME), positive, in the base currency."
    )
    transaction_count: int = strawberry.field(
        description="How many transactions make it up (a split transaction once for each "
        "category its parts are in)."
    )

    @strawberry.field
    def key(self) -> ReportKey | None:
        """The category, group, payee or tag; null for money without one (uncategorized, no
        payee, untagged)."""
        return _key(self.row_key)


@strawberry.type(name="ReportPeriod", description="One period of a report: its rows and total.")
class ReportPeriod:
    report: strawberry.Private[grouped.SpendingReport]
    index: strawberry.Private[int]
    start: dt.date = strawberry.field(description="Its first day (clipped to the range).")
    end: dt.date = strawberry.field(description="Its last day (clipped to the range).")
    label: str = strawberry.field(
        description='"2026-11-26", "2026-W48", "2026-11", "2026" or "2026-01-01/2026-06-30".'
    )

    @strawberry.field
    def total(self) -> MoneyType:
        """The period's money in the report's direction: the sum of its rows (by TAG: each transaction once)."""  # noqa: E501 (one line: the contract's description as before)
        return MoneyType.of(self.report.period_total(self.index))

    @strawberry.field
    def rows(self) -> list[ReportRow]:
        """Largest first, then by name."""
        return [
            ReportRow(
                row_key=row.key,
                name=row.name,
                amount=MoneyType.of(row.amount),
                transaction_count=row.transaction_count,
            )
            for row in self.report.rows(self.index)
        ]


@strawberry.type(
    name="ReportSeries",
    description="One key across a report's periods: the report read as a table, a row per key "
    "(a chart's series).",
)
class ReportSeries:
    series_key: strawberry.Private[grouped.Key | None]
    name: str = strawberry.field(
        description='The key\'s name, or "Uncategorized", "No payee" or "Untagged".'
    )
    amounts: list[Decimal] = strawberry.field(
        description="Its money in each period, in the order of `periods`, in the report's "
        "currency (`total.currency`): positive, and 0 where it had none in the report's "
        "direction."
    )
    total: MoneyType = strawberry.field(description="The sum of its amounts.")
    transaction_count: int = strawberry.field(
        description="How many transactions make it up over the periods it counts in."
    )

    @strawberry.field
    def key(self) -> ReportKey | None:
        """The category, group, payee or tag; null for money without one."""
        return _key(self.series_key)


@strawberry.type(
    name="SpendingReport",
    description="Spending or income over a range, period by period and grouped, exact, in the "
    "user's base currency.",
)
class SpendingReport:
    report: strawberry.Private[grouped.SpendingReport]
    from_: dt.date = strawberry.field(name="from", description="The range's first day.")
    to: dt.date = strawberry.field(description="The range's last day.")
    group_by: ReportGrouping = strawberry.field(description="What the rows are told apart by.")
    interval: ReportInterval = strawberry.field(description="How the range is cut.")
    direction: ReportDirection = strawberry.field(description="Spending or income.")
    total: MoneyType = strawberry.field(description="The sum of the periods' totals.")
    missing_exchange_rates: list[MissingExchangeRate] = strawberry.field(
        description="Transactions of the range left out, per currency: they wait for a rate."
    )

    @strawberry.field
    def periods(self) -> list[ReportPeriod]:
        """Every period of the range in order, empty ones included."""
        return [
            ReportPeriod(
                report=self.report,
                index=index,
                start=period.start,
                end=period.end,
                label=period.label,
            )
            for index, period in enumerate(self.report.periods)
        ]

    @strawberry.field
    def series(self) -> list[ReportSeries]:
        """The same money key by key: every key with money in some period, largest total
        first, then by name; each series' amounts line up with `periods`. By CATEGORY (or
        GROUP, or PAYEE) a period's amounts add up to its total; by TAG see ReportGrouping.TAG."""
        exponent = currency_exponent(self.report.base)
        return [
            ReportSeries(
                series_key=series.key,
                name=series.name,
                amounts=[Decimal(minor).scaleb(-exponent) for minor in series.amounts],
                total=MoneyType.of(series.total),
                transaction_count=series.transaction_count,
            )
            for series in self.report.series()
        ]

    @classmethod
    def of(cls, report: grouped.SpendingReport) -> SpendingReport:
        return cls(
            report=report,
            from_=report.date_from,
            to=report.date_to,
            group_by=ReportGrouping(report.grouping.value),
            interval=ReportInterval(report.interval.value),
            direction=ReportDirection(report.direction.value),
            total=MoneyType.of(report.total),
            missing_exchange_rates=[MissingExchangeRate.of(m) for m in report.missing_rates],
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
        interval: Annotated[
            ReportInterval,
            strawberry.argument(
                description="One point at the end of each period; MONTH if omitted."
            ),
        ] = ReportInterval.MONTH,
    ) -> list[NetWorthPoint]:
        """The sum of the user's balances at the end of each period of the range (the last point
        at `to`), from daily balances: an account's opening balance plus its transactions up to
        that day; a linked account's history reconstructed backwards from the balance its bank
        reports today through its transactions; a closed account up to the day before it
        closed. In the base currency: a balance in another currency at the rate in force on the
        point's date."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await report_service.net_worth(
                session, user_id, from_, to, Interval(interval.value)
            )
        return [NetWorthPoint.from_report(report) for report in reports]

    @strawberry.field
    async def spending_report(
        self,
        info: Info,
        from_: Annotated[dt.date, FROM],
        to: Annotated[dt.date, TO],
        group_by: Annotated[
            ReportGrouping, strawberry.argument(description="What the rows are told apart by.")
        ],
        interval: Annotated[
            ReportInterval, strawberry.argument(description="How the range is cut into periods.")
        ],
        direction: Annotated[
            ReportDirection,
            strawberry.argument(description="Spending (money out) or income; SPENDING if omitted."),
        ] = ReportDirection.SPENDING,
        filter: Annotated[
            TransactionFilter | None,
            strawberry.argument(
                description="Which transactions count (the transaction list's filter language; "
                "its dates narrow the range); all when null."
            ),
        ] = None,
    ) -> SpendingReport:
        """Spending or income in the range (inclusive), period by period, grouped, exact, in
        the base currency. Transfers between the user's own accounts and categories of kind
        TRANSFER never count; a split transaction counts by its parts; a foreign transaction at
        its converted figure (those waiting for a rate are left out and listed). Each row is
        the net of its money in and out in its period: refunds reduce spending. Totals add up
        the rows they cover to the cent, except by TAG (see ReportGrouping.TAG)."""
        user_id = info.context.require_user()
        given = filter_from_input(filter) if filter is not None else None
        async with read_session() as session:
            report = await grouped.spending_report(
                session,
                user_id,
                from_,
                to,
                grouping=grouped.Grouping(group_by.value),
                interval=Interval(interval.value),
                direction=grouped.Direction(direction.value),
                given=given,
            )
        return SpendingReport.of(report)
