"""The ledger's GraphQL input types (shapes only; the service validates the values)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry


@strawberry.input(name="CreateAccountInput")
class CreateAccountInput:
    name: str
    type: str = strawberry.field(description="checking, savings, credit, loan, investment, cash")
    currency: str = strawberry.field(description="ISO 4217 code, e.g. USD")
    opening_balance: Decimal | None = None


@strawberry.input(name="CreateTransactionInput")
class CreateTransactionInput:
    account_id: strawberry.ID
    date: dt.date
    amount: Decimal = strawberry.field(description="Money in positive, money out negative.")
    description: str
    category_id: strawberry.ID | None = None
    notes: str | None = None


@strawberry.input(
    name="UpdateTransactionInput",
    description="Omitted fields stay as they are; a null categoryId or notes clears it. "
    "A bank transaction's date, amount and description come from the bank.",
)
class UpdateTransactionInput:
    date: dt.date | None = strawberry.UNSET
    amount: Decimal | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input(name="TransactionFilter")
class TransactionFilter:
    account_id: strawberry.ID | None = None
    category_id: strawberry.ID | None = None
    from_: dt.date | None = strawberry.field(name="from", default=None)
    to: dt.date | None = None
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive text in the description or notes."
    )


@strawberry.input(name="SetBudgetInput")
class SetBudgetInput:
    category_id: strawberry.ID
    month: str = strawberry.field(description='"YYYY-MM"')
    amount: Decimal


@strawberry.input(name="CreateGoalInput")
class CreateGoalInput:
    name: str
    target_amount: Decimal
    currency: str | None = strawberry.field(
        default=None, description="Defaults to the user's base currency."
    )
    target_date: dt.date | None = None
