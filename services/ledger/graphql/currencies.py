"""The base currency and exchange rates: `ledgerSettings`, `exchangeRates` (a connection),
`missingExchangeRates`, and the mutations that set the base currency and set, delete or
import rates. Also the types other ledger types show conversions with (`ConvertedAmount` on a
transaction, `MissingExchangeRate` on budgets and reports)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

import strawberry

from services.ledger import models
from services.ledger.budgets import month_view
from services.ledger.currencies import service as currency_service
from services.ledger.currencies.conversion import MissingRate
from services.ledger.graphql.inputs import BudgetStyle
from shared.db import read_session, unit_of_work
from shared.graphql import After, First, Info, MoneyType, Node, PageInfo
from shared.ids import decode_id, encode_id
from shared.money import Money
from shared.pagination import page_size


@strawberry.type(name="LedgerSettings", description="The signed-in user's ledger settings.")
class LedgerSettings:
    base_currency: str = strawberry.field(
        description="ISO 4217 code of the currency budgets and reports count in; transactions "
        "in other currencies are converted into it at the user's exchange rates."
    )

    @strawberry.field
    async def budget_style(self, info: Info) -> BudgetStyle:
        """How the user budgets: LIMITS or ENVELOPE (setBudgetStyle changes it)."""
        user_id = info.context.require_user()
        async with read_session() as session:
            return BudgetStyle(await month_view.budget_style(session, user_id))


@strawberry.type(
    name="ExchangeRate",
    description="What one unit of `currency` is worth in `quoteCurrency` (the base currency "
    "when the rate was stored), from `date` until the pair's next rate. Entered or imported "
    "by the user; nothing is fetched.",
)
class ExchangeRate(Node):
    currency: str = strawberry.field(description="ISO 4217 code of the currency priced.")
    quote_currency: str = strawberry.field(
        description="ISO 4217 code of the currency the price is in."
    )
    date: dt.date = strawberry.field(description="The first day the rate is in force.")
    rate: Decimal = strawberry.field(
        description='Units of the quote currency per unit of the currency, exact ("1.0825").'
    )

    @classmethod
    def from_row(cls, row: models.ExchangeRate) -> ExchangeRate:
        return cls(
            id=strawberry.ID(encode_id("ExchangeRate", row.id)),
            currency=row.currency,
            quote_currency=row.quote_currency,
            date=row.date,
            rate=row.rate,
        )


@strawberry.type(name="ExchangeRateEdge", description="A rate in a page of rates.")
class ExchangeRateEdge:
    cursor: str = strawberry.field(description="Where the page continues after this rate.")
    node: ExchangeRate = strawberry.field(description="The rate.")


@strawberry.type(name="ExchangeRateConnection", description="A page of the user's rates.")
class ExchangeRateConnection:
    edges: list[ExchangeRateEdge] = strawberry.field(description="The rates, newest first.")
    page_info: PageInfo = strawberry.field(description="Whether more rates follow, and where.")

    @classmethod
    def from_page(
        cls, page: currency_service.RatePage, after: str | None
    ) -> ExchangeRateConnection:
        edges = [
            ExchangeRateEdge(
                cursor=currency_service.rate_cursor(row), node=ExchangeRate.from_row(row)
            )
            for row in page.rows
        ]
        return cls(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next_page=page.has_next_page, after=after
            ),
        )


async def resolve_exchange_rate(info: Info, rate_id: uuid.UUID) -> ExchangeRate:
    """The caller's rate (for `exchangeRate(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        return ExchangeRate.from_row(
            await currency_service.exchange_rate(session, user_id, rate_id)
        )


@strawberry.type(
    name="ConvertedAmount",
    description="A transaction's amount in the base currency, with the rate it was converted "
    "at (the latest on or before its date; the product rounded once to the minor unit, half "
    "to even): fixed when it was converted, so rates added later never change it.",
)
class ConvertedAmount:
    amount: MoneyType = strawberry.field(description="The amount in the base currency.")
    rate: Decimal = strawberry.field(description="Units of the base currency per unit.")
    rate_date: dt.date = strawberry.field(description="The date of the rate used.")

    @classmethod
    def from_row(cls, row: models.Transaction) -> ConvertedAmount | None:
        if (
            row.converted_minor is None
            or row.converted_currency is None
            or row.conversion_rate is None
            or row.conversion_rate_date is None
        ):
            return None
        return cls(
            amount=MoneyType.of(Money(row.converted_minor, row.converted_currency)),
            rate=row.conversion_rate,
            rate_date=row.conversion_rate_date,
        )


@strawberry.type(
    name="MissingExchangeRate",
    description="Transactions of one currency that a total leaves out: no rate of their "
    "currency on or before their date exists yet. Storing one counts them.",
)
class MissingExchangeRate:
    currency: str = strawberry.field(description="ISO 4217 code of their currency.")
    transaction_count: int = strawberry.field(description="How many transactions wait.")
    amount: MoneyType = strawberry.field(description="Their net amount, in their currency.")
    first_date: dt.date = strawberry.field(description="The earliest date among them.")
    last_date: dt.date = strawberry.field(description="The latest date among them.")

    @classmethod
    def of(cls, missing: MissingRate) -> MissingExchangeRate:
        return cls(
            currency=missing.currency,
            transaction_count=missing.transaction_count,
            amount=MoneyType.of(missing.amount),
            first_date=missing.first_date,
            last_date=missing.last_date,
        )


# --- inputs and payloads -------------------------------------------------------------------


@strawberry.input(name="SetBaseCurrencyInput", description="The new base currency.")
class SetBaseCurrencyInput:
    currency: str = strawberry.field(description="ISO 4217 code, e.g. EUR.")


@strawberry.type(name="SetBaseCurrencyPayload", description="The base currency, once set.")
class SetBaseCurrencyPayload:
    ledger_settings: LedgerSettings = strawberry.field(description="The settings now.")
    converted_transaction_count: int = strawberry.field(
        description="Transactions in other currencies converted into the new base currency."
    )
    waiting_transaction_count: int = strawberry.field(
        description="Transactions in other currencies that wait for a rate into it."
    )


@strawberry.input(
    name="SetExchangeRateInput",
    description="A rate into the base currency; one already stored for that currency and "
    "day is replaced.",
)
class SetExchangeRateInput:
    currency: str = strawberry.field(
        description="ISO 4217 code of the currency priced (not the base currency)."
    )
    date: dt.date = strawberry.field(description="The first day the rate is in force.")
    rate: Decimal = strawberry.field(
        description='Units of the base currency per unit, greater than zero ("1.0825").'
    )


@strawberry.type(name="SetExchangeRatePayload", description="The rate, once stored.")
class SetExchangeRatePayload:
    exchange_rate: ExchangeRate = strawberry.field(description="The stored rate.")
    converted_transaction_count: int = strawberry.field(
        description="Transactions that waited for a rate and are now converted at this one."
    )


@strawberry.input(name="DeleteExchangeRateInput", description="The rate to delete.")
class DeleteExchangeRateInput:
    id: strawberry.ID = strawberry.field(description="The rate's id.")


@strawberry.type(name="DeleteExchangeRatePayload", description="What was deleted.")
class DeleteExchangeRatePayload:
    deleted_exchange_rate_id: strawberry.ID = strawberry.field(
        description="The id of the rate that no longer exists."
    )


@strawberry.input(name="ImportExchangeRatesInput", description="Rates as CSV text.")
class ImportExchangeRatesInput:
    csv: str = strawberry.field(
        description="One rate a row: date,currency,rate (e.g. 2026-03-01,EUR,1.0825), rates "
        "into the base currency; an optional first row names those columns, in any order. "
        "At most 10000 rows. All are stored, or none: an error names the row and column."
    )


@strawberry.type(name="ImportExchangeRatesPayload", description="What the import stored.")
class ImportExchangeRatesPayload:
    created_count: int = strawberry.field(description="Rates stored for a new day.")
    replaced_count: int = strawberry.field(
        description="Rates that replaced one stored for the same currency and day."
    )
    converted_transaction_count: int = strawberry.field(
        description="Transactions that waited for a rate and are now converted."
    )


# --- root fields (resolvers first: `strawberry.field(resolver=..., description=...)` keeps
# them typed, where a described decorator would not be) -------------------------------------


async def _ledger_settings(info: Info) -> LedgerSettings:
    user_id = info.context.require_user()
    async with read_session() as session:
        base = await currency_service.base_currency(session, user_id)
    return LedgerSettings(base_currency=base)


async def _exchange_rates(
    info: Info,
    currency: Annotated[
        str | None, strawberry.argument(description="Only the rates of this currency.")
    ] = None,
    first: First = None,
    after: After = None,
) -> ExchangeRateConnection:
    user_id = info.context.require_user()
    size = page_size(first)
    async with read_session() as session:
        page = await currency_service.rate_page(
            session, user_id, currency=currency, first=size, after=after
        )
    return ExchangeRateConnection.from_page(page, after)


async def _exchange_rate(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
) -> ExchangeRate:
    return await resolve_exchange_rate(info, decode_id("ExchangeRate", id))


async def _missing_exchange_rates(
    info: Info,
    from_: Annotated[
        dt.date | None, strawberry.argument(name="from", description="The first day.")
    ] = None,
    to: Annotated[dt.date | None, strawberry.argument(description="The last day.")] = None,
) -> list[MissingExchangeRate]:
    user_id = info.context.require_user()
    async with read_session() as session:
        missing = await currency_service.missing_rates(session, user_id, from_, to)
    return [MissingExchangeRate.of(rate) for rate in missing]


@strawberry.type
class CurrencyQueries:
    ledger_settings: LedgerSettings = strawberry.field(
        resolver=_ledger_settings,
        description="The signed-in user's ledger settings (the base currency).",
    )
    exchange_rates: ExchangeRateConnection = strawberry.field(
        resolver=_exchange_rates,
        description="The user's exchange rates (into every base currency they have had), "
        "newest first.",
    )
    exchange_rate: ExchangeRate = strawberry.field(
        resolver=_exchange_rate, description="One of the user's exchange rates."
    )
    missing_exchange_rates: list[MissingExchangeRate] = strawberry.field(
        resolver=_missing_exchange_rates,
        description="Per currency, the transactions (dated in the range, when given) that "
        "budgets and reports leave out because no rate into the base currency on or before "
        "their date exists yet.",
    )


async def _set_base_currency(
    info: Info,
    input: Annotated[
        SetBaseCurrencyInput, strawberry.argument(description="The new base currency.")
    ],
) -> SetBaseCurrencyPayload:
    user_id = info.context.require_user()
    async with unit_of_work() as work:
        change = await currency_service.set_base_currency(work, user_id, input.currency)
    return SetBaseCurrencyPayload(
        ledger_settings=LedgerSettings(base_currency=change.base_currency),
        converted_transaction_count=change.converted,
        waiting_transaction_count=change.waiting,
    )


async def _set_exchange_rate(
    info: Info,
    input: Annotated[SetExchangeRateInput, strawberry.argument(description="The rate to store.")],
) -> SetExchangeRatePayload:
    user_id = info.context.require_user()
    async with unit_of_work() as work:
        change = await currency_service.set_exchange_rate(
            work, user_id, currency=input.currency, date=input.date, rate=input.rate
        )
    return SetExchangeRatePayload(
        exchange_rate=ExchangeRate.from_row(change.rate),
        converted_transaction_count=change.converted,
    )


async def _delete_exchange_rate(
    info: Info,
    input: Annotated[
        DeleteExchangeRateInput, strawberry.argument(description="The rate to delete.")
    ],
) -> DeleteExchangeRatePayload:
    user_id = info.context.require_user()
    rate_id = decode_id("ExchangeRate", input.id, "input.id")
    async with unit_of_work() as work:
        await currency_service.delete_exchange_rate(work, user_id, rate_id)
    return DeleteExchangeRatePayload(deleted_exchange_rate_id=input.id)


async def _import_exchange_rates(
    info: Info,
    input: Annotated[
        ImportExchangeRatesInput, strawberry.argument(description="The CSV text of the rates.")
    ],
) -> ImportExchangeRatesPayload:
    user_id = info.context.require_user()
    async with unit_of_work() as work:
        imported = await currency_service.import_exchange_rates(work, user_id, input.csv)
    return ImportExchangeRatesPayload(
        created_count=imported.created,
        replaced_count=imported.replaced,
        converted_transaction_count=imported.converted,
    )


@strawberry.type
class CurrencyMutations:
    set_base_currency: SetBaseCurrencyPayload = strawberry.mutation(
        resolver=_set_base_currency,
        description="Count the user's money in another currency from now on. Every "
        "transaction in another currency is converted anew at the stored rates into it "
        "(setting the same currency again re-applies the stored rates); those without one "
        "wait. Budgets keep the currency they were set in; reports follow the new one.",
    )
    set_exchange_rate: SetExchangeRatePayload = strawberry.mutation(
        resolver=_set_exchange_rate,
        description="Store a rate into the base currency (replacing one of the same currency "
        "and day) and convert the transactions waiting for it. Figures already converted "
        "keep their rate.",
    )
    delete_exchange_rate: DeleteExchangeRatePayload = strawberry.mutation(
        resolver=_delete_exchange_rate,
        description="Delete a rate. Transactions converted at it keep their figure and rate.",
    )
    import_exchange_rates: ImportExchangeRatesPayload = strawberry.mutation(
        resolver=_import_exchange_rates,
        description="Store every rate of a CSV text, or none, and convert the transactions "
        "waiting for them.",
    )
