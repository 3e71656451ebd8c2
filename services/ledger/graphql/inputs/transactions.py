"""Transactions: recording and editing them, the filter language, splits, transfers, bulk edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import strawberry

from shared.graphql import patch_field


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
    payee_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="One of the caller's payees; if null, the payee the description names "
        "(found, or made on first sight).",
    )
    tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The caller's tags to put on it (at most 100)."
    )


@strawberry.input(
    description="Omitted fields stay as they are; a null categoryId or notes clears it. "
    "A bank transaction's date, amount and description come from the bank."
)
class UpdateTransactionInput:
    id: strawberry.ID = strawberry.field(description="The transaction to change.")
    date: dt.date | None = patch_field("A new date.")
    amount: Decimal | None = patch_field("A new amount, money out negative.")
    description: str | None = patch_field("A new description.")
    category_id: strawberry.ID | None = patch_field(
        "A new category; null makes it uncategorized (and no bank hint replaces it)."
    )
    notes: str | None = patch_field("New notes; null removes them.")
    payee_id: strawberry.ID | None = patch_field(
        "The payee the user picks (descriptions no longer change it); null: none."
    )
    tag_ids: list[strawberry.ID] | None = patch_field(
        "Its tags from now on (at most 100); an empty list takes them all off."
    )
    reviewed: bool | None = patch_field("Whether the user has looked at it.")


@strawberry.input(description="The transaction to delete.")
class DeleteTransactionInput:
    id: strawberry.ID = strawberry.field(
        description="A transaction recorded by hand (a bank's comes and goes with the bank)."
    )


@strawberry.enum(description="Which way money moved.")
class TransactionDirection(Enum):
    MONEY_IN = strawberry.enum_value("in", description="Money in (a positive amount).")
    MONEY_OUT = strawberry.enum_value("out", description="Money out (a negative amount).")


@strawberry.input(
    description="Which transactions: every condition given must hold; a list matches any of "
    "its entries (at most 100 ids each). The same filter serves the list, its totalCount and "
    "bulkEditTransactions. A split transaction has its parts' categories."
)
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
        default=None,
        description="Case-insensitive text in the description, the notes or the payee's name "
        "(up to 200 characters).",
    )
    account_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these accounts'."
    )
    category_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these categories' (a split one: any of its parts')."
    )
    payee_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these payees'."
    )
    tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only those carrying at least one of these tags."
    )
    min_amount: Decimal | None = strawberry.field(
        default=None,
        description="Only those at least this large, whatever the sign (12.50 matches -12.50), "
        "in their own currency.",
    )
    max_amount: Decimal | None = strawberry.field(
        default=None, description="Only those at most this large, whatever the sign."
    )
    direction: TransactionDirection | None = strawberry.field(
        default=None, description="Only money in, or only money out."
    )
    pending: bool | None = strawberry.field(
        default=None, description="Only pending ones (true) or only settled ones (false)."
    )
    reviewed: bool | None = strawberry.field(
        default=None, description="Only reviewed ones (true) or only unreviewed ones (false)."
    )
    uncategorized: bool | None = strawberry.field(
        default=None,
        description="Only uncategorized ones (true: a split one with a part without category) "
        "or only categorized ones (false).",
    )
    is_transfer: bool | None = strawberry.field(
        default=None,
        description="Only halves of transfers between the user's accounts (true), or none (false).",
    )


@strawberry.input(description="One part of a split transaction.")
class TransactionSplitInput:
    amount: Decimal = strawberry.field(
        description="In the transaction's currency, of its sign (money out negative), not zero."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of the caller's categories; uncategorized if null."
    )
    notes: str | None = strawberry.field(default=None, description="The user's notes on it.")


@strawberry.input(description="A transaction and the parts to split it into.")
class SplitTransactionInput:
    id: strawberry.ID = strawberry.field(
        description="The transaction (not half of a transfer); any parts it had are replaced."
    )
    parts: list[TransactionSplitInput] = strawberry.field(
        description="2 to 50 parts adding up exactly to the transaction's amount."
    )


@strawberry.input(description="The split transaction to make whole again.")
class UnsplitTransactionInput:
    id: strawberry.ID = strawberry.field(description="The transaction.")


@strawberry.input(description="Money moved between two of the caller's accounts.")
class CreateTransferInput:
    from_account_id: strawberry.ID = strawberry.field(description="The account money left.")
    to_account_id: strawberry.ID = strawberry.field(description="The account money went to.")
    date: dt.date = strawberry.field(description="When (1900-01-01..2100-12-31).")
    amount: Decimal = strawberry.field(
        description="How much left, in the first account's currency, more than zero."
    )
    to_amount: Decimal | None = strawberry.field(
        default=None,
        description="How much arrived, in the second account's currency: needed when the "
        "currencies differ; otherwise the same as amount.",
    )
    description: str | None = strawberry.field(
        default=None, description='What it was; "Transfer to/from <account>" if null.'
    )
    notes: str | None = strawberry.field(default=None, description="The user's notes on both.")


@strawberry.input(description="Two transactions that are one transfer.")
class LinkTransferInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="Exactly two unlinked transactions in different accounts: one money out, "
        "one money in (of the same size when in one currency)."
    )


@strawberry.input(description="The transfer to undo.")
class UnlinkTransferInput:
    id: strawberry.ID = strawberry.field(description="Either of its transactions.")


@strawberry.input(
    description="Change many transactions at once: those named by ids, or every one a filter "
    "matches (not both; at most 10000). Omitted changes are not made."
)
class BulkEditTransactionsInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The transactions to change."
    )
    filter: TransactionFilter | None = strawberry.field(
        default=None, description="Change every transaction it matches."
    )
    set_category_id: strawberry.ID | None = patch_field(
        "Their category from now on (null: uncategorized); split transactions "
        "keep their parts' categories."
    )
    add_tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Tags to put on them."
    )
    remove_tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Tags to take off them."
    )
    set_reviewed: bool | None = patch_field("Mark them reviewed (true) or unreviewed (false).")
