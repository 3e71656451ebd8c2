"""Accounts: their kinds, opening, editing, closing, deleting and reconciling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import strawberry

from shared.graphql import patch_field


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
    institution_label: str | None = strawberry.field(
        default=None,
        description='Where the account is held, in the user\'s words (e.g. "Credit union"), '
        "up to 100 characters; none if null.",
    )


@strawberry.input(
    description="Omitted fields stay as they are. A linked account's name, type and opening "
    "balance come from the bank (each sync writes them again) and are refused."
)
class UpdateAccountInput:
    id: strawberry.ID = strawberry.field(description="The account to change.")
    name: str | None = patch_field("A new name, up to 100 characters.")
    type: AccountType | None = patch_field("A new kind of account.")
    institution_label: str | None = patch_field(
        "Where the account is held, in the user's words; null removes it."
    )
    opening_balance: Decimal | None = patch_field(
        "A new balance before the first recorded transaction, in the account's currency."
    )


@strawberry.input(description="The account to close.")
class CloseAccountInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's accounts.")
    date: dt.date | None = strawberry.field(
        default=None,
        description="The day it closed, from which it leaves net worth: not in the future, not "
        "before its last transaction; the caller's today if null.",
    )


@strawberry.input(description="The closed account to open again.")
class ReopenAccountInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's accounts.")


@strawberry.input(description="The manual account to delete, with all its transactions.")
class DeleteAccountInput:
    id: strawberry.ID = strawberry.field(
        description="An account recorded by hand (a linked one goes with its bank link) that "
        "funds no goal."
    )


@strawberry.input(description="A bank statement to match an account against.")
class ReconcileAccountInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's accounts.")
    statement_date: dt.date = strawberry.field(
        description="The statement's closing day, not in the future."
    )
    statement_balance: Decimal = strawberry.field(
        description="The statement's closing balance, in the account's currency."
    )
    transaction_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="The account's posted transactions the statement shows, to mark cleared "
        "(at most 500; an empty list marks none). When null, every uncleared posted "
        "transaction dated on or before the statement date is marked.",
    )


@strawberry.input(description="Transactions to mark cleared, or not cleared.")
class SetTransactionsClearedInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="The caller's transactions, at most 500 (a pending bank transaction cannot "
        "be cleared)."
    )
    cleared: bool = strawberry.field(description="Whether they match a statement.")
