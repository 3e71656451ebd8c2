"""The ledger's GraphQL input types and enums (shapes only; the service validates the values)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import strawberry

from shared.graphql import Month


@strawberry.enum(description="What kind of account it is.")
class AccountType(Enum):
    CHECKING = strawberry.enum_value("checking", description="An everyday bank account.")
    SAVINGS = strawberry.enum_value("savings", description="A savings account.")
    CREDIT = strawberry.enum_value(
        "credit", description="A credit card: its balance is usually negative (money owed)."
    )
    LOAN = strawberry.enum_value("loan", description="A loan or mortgage.")
    INVESTMENT = strawberry.enum_value(
        "investment", description="A brokerage or retirement account."
    )
    CASH = strawberry.enum_value("cash", description="Cash in hand.")


@strawberry.input(description="A manual account to record money in by hand.")
class CreateAccountInput:
    name: str = strawberry.field(description="How the user calls it, up to 100 characters.")
    type: AccountType = strawberry.field(description="What kind of account it is.")
    currency: str = strawberry.field(description="ISO 4217 code, e.g. USD.")
    opening_balance: Decimal | None = strawberry.field(
        default=None, description="The balance before the first recorded transaction; 0 if null."
    )


@strawberry.input(description="A transaction recorded by hand in one of the caller's accounts.")
class CreateTransactionInput:
    account_id: strawberry.ID = strawberry.field(description="The caller's account it is in.")
    date: dt.date = strawberry.field(description="When it happened (1900-01-01..2100-12-31).")
    amount: Decimal = strawberry.field(
        description="In the account's currency: money in positive, money out negative."
    )
    description: str = strawberry.field(description="What it was, e.g. the merchant's name.")
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of the caller's categories; uncategorized if null."
    )
    notes: str | None = strawberry.field(default=None, description="The user's own notes.")


@strawberry.input(
    description="Omitted fields stay as they are; a null categoryId or notes clears it. "
    "A bank transaction's date, amount and description come from the bank."
)
class UpdateTransactionInput:
    id: strawberry.ID = strawberry.field(description="The transaction to change.")
    date: dt.date | None = strawberry.field(default=strawberry.UNSET, description="A new date.")
    amount: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="A new amount, money out negative."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new description."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new category; null makes it uncategorized (and no bank hint replaces it).",
    )
    notes: str | None = strawberry.field(
        default=strawberry.UNSET, description="New notes; null removes them."
    )


@strawberry.input(description="The transaction to delete.")
class DeleteTransactionInput:
    id: strawberry.ID = strawberry.field(
        description="A transaction recorded by hand (a bank's comes and goes with the bank)."
    )


@strawberry.input(description="Which transactions to list; every condition given must hold.")
class TransactionFilter:
    account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this account's."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this category's."
    )
    from_: dt.date | None = strawberry.field(
        name="from", default=None, description="On or after this date."
    )
    to: dt.date | None = strawberry.field(default=None, description="On or before this date.")
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive text in the description or notes."
    )


@strawberry.input(description="A category's budget for one month; setting it again replaces it.")
class SetBudgetInput:
    category_id: strawberry.ID = strawberry.field(description="One of the caller's categories.")
    month: Month = strawberry.field(description="The month it is for.")
    amount: Decimal = strawberry.field(
        description="How much may be spent, zero or more, in the user's currency."
    )


@strawberry.input(description="Something to save toward.")
class CreateGoalInput:
    name: str = strawberry.field(description="What the goal is, up to 100 characters.")
    target_amount: Decimal = strawberry.field(description="How much to save, more than zero.")
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217; defaults to the user's base currency.",
    )
    target_date: dt.date | None = strawberry.field(
        default=None, description="When the user wants to have it, today or later."
    )


@strawberry.input(description="Money put aside for a goal.")
class ContributeToGoalInput:
    goal_id: strawberry.ID = strawberry.field(description="One of the caller's goals.")
    amount: Decimal = strawberry.field(description="How much, more than zero.")
    date: dt.date | None = strawberry.field(
        default=None, description="When; defaults to the caller's today, in their time zone."
    )


@strawberry.enum(description="How often a series recurs.")
class RecurringInterval(Enum):
    WEEKLY = strawberry.enum_value("weekly", description="Every 7 days.")
    BIWEEKLY = strawberry.enum_value("biweekly", description="Every 14 days.")
    MONTHLY = strawberry.enum_value(
        "monthly",
        description="Every calendar month on the same day; a series on the 29th-31st falls on "
        "the last day of shorter months.",
    )
    QUARTERLY = strawberry.enum_value(
        "quarterly", description="Every 3 calendar months on the same day (as monthly)."
    )
    YEARLY = strawberry.enum_value(
        "yearly", description="Every year on the same day (29 February: the 28th otherwise)."
    )


@strawberry.enum(description="The user's verdict on a recurring series.")
class RecurringStatus(Enum):
    SUGGESTED = strawberry.enum_value(
        "suggested",
        description="Found by detection, not yet confirmed: the next detection removes it if "
        "it no longer recurs.",
    )
    CONFIRMED = strawberry.enum_value(
        "confirmed", description="Confirmed (or corrected) by the user: kept until deleted."
    )
    DISMISSED = strawberry.enum_value(
        "dismissed",
        description="Not a series to the user: not suggested again unless it starts recurring "
        "at another interval.",
    )


@strawberry.enum(description="Which way a recurring series moves money.")
class RecurringDirection(Enum):
    MONEY_OUT = strawberry.enum_value("out", description="Bills and subscriptions.")
    MONEY_IN = strawberry.enum_value("in", description="Income, such as a salary.")


@strawberry.input(description="How far back detection reads the history.")
class DetectRecurringInput:
    months: int | None = strawberry.field(
        default=None, description="Months of history to read, 3..24; 18 when null."
    )


@strawberry.input(description="The series to confirm.")
class ConfirmRecurringInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's series.")


@strawberry.input(description="The series to dismiss.")
class DismissRecurringInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's series.")


@strawberry.input(
    description="The user's corrections of a series. Omitted fields stay as they are; null "
    "goes back to what detection found."
)
class UpdateRecurringInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's series.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="A name of the user's, up to 100 characters."
    )
    interval: RecurringInterval | None = strawberry.field(
        default=strawberry.UNSET, description="How often it really recurs."
    )
    expected_amount: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="What it really amounts to, in the series' currency, signed like its "
        "transactions (negative for money out), not zero.",
    )


@strawberry.input(description="The series to delete.")
class DeleteRecurringInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's series.")
