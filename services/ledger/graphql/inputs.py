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
    institution_label: str | None = strawberry.field(
        default=None,
        description='Where the account is held, in the user\'s words (e.g. "Credit union"), '
        "up to 100 characters; none if null.",
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
    payee_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The payee the user picks (descriptions no longer change it); null: none.",
    )
    tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Its tags from now on (at most 100); an empty list takes them all off.",
    )
    reviewed: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether the user has looked at it."
    )


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


@strawberry.input(description="A category's budget for one month; setting it again replaces it.")
class SetBudgetInput:
    category_id: strawberry.ID = strawberry.field(description="One of the caller's categories.")
    month: Month = strawberry.field(description="The month it is for.")
    amount: Decimal = strawberry.field(
        description="How much may be spent, zero or more, in the user's currency."
    )


@strawberry.enum(description="How a goal is funded: what counts as saved toward it.")
class GoalFunding(Enum):
    CONTRIBUTIONS = strawberry.enum_value(
        "contributions", description="The money the user puts aside for it (contributeToGoal)."
    )
    ACCOUNT = strawberry.enum_value(
        "account", description="The balance of one of the user's accounts, in its currency."
    )
    CATEGORY = strawberry.enum_value(
        "category",
        description="A budget category's envelope since the goal started counting it: what was "
        "budgeted for it, month by month through the current one, plus the net of its "
        "transactions over those days (spending lowers it, refunds and money in raise it).",
    )


GOAL_FUNDING_DEFAULT = GoalFunding.CONTRIBUTIONS


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
    funding: GoalFunding = strawberry.field(
        default=GOAL_FUNDING_DEFAULT,
        description="What counts as saved toward it; CONTRIBUTIONS unless told.",
    )
    account_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="With ACCOUNT funding: the caller's open account whose balance counts, in "
        "the goal's currency (the goal takes the account's currency when `currency` is null).",
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="With CATEGORY funding: the caller's category whose budgets, less what was "
        "spent in it, count (the goal is then in the base currency).",
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


@strawberry.input(
    description="Omitted fields stay as they are. A linked account's name, type and opening "
    "balance come from the bank (each sync writes them again) and are refused."
)
class UpdateAccountInput:
    id: strawberry.ID = strawberry.field(description="The account to change.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new name, up to 100 characters."
    )
    type: AccountType | None = strawberry.field(
        default=strawberry.UNSET, description="A new kind of account."
    )
    institution_label: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where the account is held, in the user's words; null removes it.",
    )
    opening_balance: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new balance before the first recorded transaction, in the account's "
        "currency.",
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


@strawberry.input(
    description="Omitted fields stay as they are; a null targetDate removes it. A new funding, "
    "or a new account or category for it, counts from the caller's today."
)
class UpdateGoalInput:
    id: strawberry.ID = strawberry.field(description="The goal to change.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new name, up to 100 characters."
    )
    target_amount: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new target, more than zero, in the goal's currency.",
    )
    target_date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="A new target date, today or later; null removes it."
    )
    funding: GoalFunding | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new funding: ACCOUNT needs accountId, CATEGORY needs categoryId.",
    )
    account_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="With ACCOUNT funding: the caller's open account in the goal's currency.",
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="With CATEGORY funding: one of the caller's categories (the goal must be "
        "in the base currency).",
    )


@strawberry.input(description="The goal to pause.")
class PauseGoalInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's goals.")


@strawberry.input(description="The paused goal to resume.")
class ResumeGoalInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's goals.")


@strawberry.input(description="The goal to delete, with its contributions.")
class DeleteGoalInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's goals.")


# --- categories and budgeting styles -------------------------------------------------------


@strawberry.enum(description="What a category's money means to reports and budgets.")
class CategoryKind(Enum):
    EXPENSE = strawberry.enum_value(
        "expense", description="Spending: budgeted, and counted as expenses in cash flow."
    )
    INCOME = strawberry.enum_value(
        "income",
        description="Money earned: counted as income in cash flow; in envelope budgeting, "
        "what there is to assign. Not budgeted.",
    )
    TRANSFER = strawberry.enum_value(
        "transfer",
        description="Money moved between the user's own accounts (or paying a card or loan): "
        "left out of cash flow and budgets.",
    )


@strawberry.enum(description="How the user budgets; amounts stay as they are when it changes.")
class BudgetStyle(Enum):
    LIMITS = strawberry.enum_value(
        "limits",
        description="A limit per category and month; a category with rollover carries what "
        "is left (or overspent) into the next month.",
    )
    ENVELOPE = strawberry.enum_value(
        "envelope",
        description="Zero-based: income is assigned to categories until nothing is ready to "
        "assign; what is left in a category carries on, overspending comes out of the next "
        "month's ready to assign.",
    )


@strawberry.input(description="A new group to put categories in.")
class CreateCategoryGroupInput:
    name: str = strawberry.field(
        description="Up to 60 characters, unique among the user's groups (ignoring case)."
    )
    position: int | None = strawberry.field(
        default=None, description="Its place among the groups, from 0; last if null."
    )


@strawberry.input(description="What to change about a group; null fields stay as they are.")
class UpdateCategoryGroupInput:
    id: strawberry.ID = strawberry.field(description="The group to change.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    position: int | None = strawberry.field(
        default=None, description="A new place among the groups, from 0 (past the end: last)."
    )


@strawberry.input(description="The group to delete; it must hold no category.")
class DeleteCategoryGroupInput:
    id: strawberry.ID = strawberry.field(description="The group's id.")


@strawberry.input(description="A new category of the user's own.")
class CreateCategoryInput:
    name: str = strawberry.field(
        description="Up to 60 characters, unique among the user's categories (ignoring case)."
    )
    group_id: strawberry.ID = strawberry.field(description="The group it goes in.")
    kind: CategoryKind = strawberry.field(
        default=CategoryKind.EXPENSE, description="What its money means; EXPENSE if omitted."
    )
    position: int | None = strawberry.field(
        default=None, description="Its place in the group, from 0; last if null."
    )
    rollover: bool = strawberry.field(
        default=False, description="Limits budgeting: whether each month's rest carries on."
    )


@strawberry.input(description="What to change about a category; null fields stay as they are.")
class UpdateCategoryInput:
    id: strawberry.ID = strawberry.field(description="The category to change.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    group_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another group to move it to (last there unless a position)."
    )
    position: int | None = strawberry.field(
        default=None, description="A new place in its group, from 0 (past the end: last)."
    )
    hidden: bool | None = strawberry.field(
        default=None,
        description="Hide it from pickers (it stays on its transactions, budgets and reports), "
        "or show it again.",
    )
    kind: CategoryKind | None = strawberry.field(
        default=None,
        description="A new kind; an expense category with budgets other than zero stays one.",
    )
    rollover: bool | None = strawberry.field(
        default=None, description="Limits budgeting: whether each month's rest carries on."
    )


@strawberry.input(description="Two categories of the same kind to make one.")
class MergeCategoriesInput:
    source_id: strawberry.ID = strawberry.field(
        description="The category that goes away; everything of it moves to the target."
    )
    target_id: strawberry.ID = strawberry.field(description="The category that stays.")


@strawberry.input(description="The category to delete.")
class DeleteCategoryInput:
    id: strawberry.ID = strawberry.field(
        description="Its transactions stay, uncategorized; its budgets are deleted."
    )


@strawberry.input(description="The budgeting style to use from now on.")
class SetBudgetStyleInput:
    style: BudgetStyle = strawberry.field(description="LIMITS or ENVELOPE.")


@strawberry.input(description="Copy one month's budgets into another month.")
class CopyBudgetsInput:
    from_month: Month = strawberry.field(description="The month to copy from.")
    to_month: Month = strawberry.field(
        description="The month to copy into (before or ahead): another month."
    )
    overwrite: bool = strawberry.field(
        default=False,
        description="Whether a category already budgeted in toMonth takes the copied amount "
        "(false: it keeps its own).",
    )


@strawberry.input(description="Money moved from one category's budget to another's, in a month.")
class MoveBudgetInput:
    from_category_id: strawberry.ID = strawberry.field(
        description="The expense category the money leaves."
    )
    to_category_id: strawberry.ID = strawberry.field(description="The expense category it goes to.")
    month: Month = strawberry.field(description="The month whose budgets change.")
    amount: Decimal = strawberry.field(
        description="How much, more than zero and at most what fromCategory has available "
        "that month, in the base currency."
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
    set_category_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Their category from now on (null: uncategorized); split transactions "
        "keep their parts' categories.",
    )
    add_tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Tags to put on them."
    )
    remove_tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Tags to take off them."
    )
    set_reviewed: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Mark them reviewed (true) or unreviewed (false)."
    )


# --- transaction rules -------------------------------------------------------------------------


@strawberry.input(
    name="RuleConditionsInput",
    description="Which transactions a rule matches: every condition given must hold, at least "
    "one must be given. The ids, amounts and direction mean what they mean in "
    "TransactionFilter; the texts are matched ignoring case.",
)
class RuleConditionsInput:
    description_contains: str | None = strawberry.field(
        default=None, description="Text anywhere in the description (up to 200 characters)."
    )
    description_matches: str | None = strawberry.field(
        default=None,
        description="A regular expression (RE2 syntax, up to 200 characters) found anywhere in "
        "the description; anchor it with ^ and $ to match from its start or to its end.",
    )
    payee_contains: str | None = strawberry.field(
        default=None, description="Text anywhere in the payee's name (up to 200 characters)."
    )
    payee_matches: str | None = strawberry.field(
        default=None,
        description="A regular expression (RE2 syntax, up to 200 characters) found anywhere in "
        "the payee's name.",
    )
    payee_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these payees' (1 to 100)."
    )
    account_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these accounts' (1 to 100)."
    )
    min_amount: Decimal | None = strawberry.field(
        default=None,
        description="Only those at least this large, whatever the sign, in their own currency.",
    )
    max_amount: Decimal | None = strawberry.field(
        default=None, description="Only those at most this large, whatever the sign."
    )
    direction: TransactionDirection | None = strawberry.field(
        default=None, description="Only money in, or only money out."
    )


@strawberry.input(
    name="RuleActionsInput",
    description="What a rule does to the transactions it matches: at least one action. A "
    "category, payee or tags the user chose are never changed.",
)
class RuleActionsInput:
    set_category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Give them this category of the caller's."
    )
    set_payee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Give them this payee of the caller's."
    )
    add_tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Put these tags of the caller's on them (at most 100)."
    )
    mark_as_transfer: bool = strawberry.field(
        default=False,
        description="Give them the caller's transfer category (the default Transfers, else "
        "their first category of the TRANSFER kind); not with setCategoryId.",
    )


@strawberry.input(name="CreateRuleInput", description="A new rule.")
class CreateRuleInput:
    name: str = strawberry.field(description="What the user calls it, up to 100 characters.")
    conditions: RuleConditionsInput = strawberry.field(description="Which transactions.")
    actions: RuleActionsInput = strawberry.field(description="What to do to them.")
    enabled: bool = strawberry.field(
        default=True, description="Whether new bank transactions go through it."
    )
    position: int | None = strawberry.field(
        default=None,
        description="Its place among the caller's rules, from 0 (earlier rules win); last if null.",
    )


@strawberry.input(
    name="UpdateRuleInput",
    description="Omitted fields stay as they are; conditions and actions given replace the "
    "rule's whole.",
)
class UpdateRuleInput:
    id: strawberry.ID = strawberry.field(description="The rule to change.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="A new name.")
    conditions: RuleConditionsInput | None = strawberry.field(
        default=strawberry.UNSET, description="Its conditions from now on."
    )
    actions: RuleActionsInput | None = strawberry.field(
        default=strawberry.UNSET, description="Its actions from now on."
    )
    enabled: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Turn it on (true) or off (false)."
    )


@strawberry.input(name="DeleteRuleInput", description="The rule to delete.")
class DeleteRuleInput:
    id: strawberry.ID = strawberry.field(
        description="The rule's id (what it did to transactions stays)."
    )


@strawberry.input(name="ReorderRulesInput", description="The caller's rules in a new order.")
class ReorderRulesInput:
    rule_ids: list[strawberry.ID] = strawberry.field(
        description="Every one of the caller's rules, once each, first one first."
    )


@strawberry.input(
    name="PreviewRuleInput",
    description="A rule to try on the caller's history: a stored one (ruleId), or conditions "
    "and actions not stored yet (not both).",
)
class PreviewRuleInput:
    rule_id: strawberry.ID | None = strawberry.field(
        default=None, description="A rule of the caller's."
    )
    conditions: RuleConditionsInput | None = strawberry.field(
        default=None, description="Conditions to try (with actions)."
    )
    actions: RuleActionsInput | None = strawberry.field(
        default=None, description="Actions to try (with conditions)."
    )
    from_: dt.date | None = strawberry.field(
        name="from", default=None, description="Only transactions on or after this date."
    )
    to: dt.date | None = strawberry.field(
        default=None, description="Only transactions on or before this date."
    )


@strawberry.input(
    name="ApplyRuleInput",
    description="Apply a rule to the caller's history (at most 10000 changes at once).",
)
class ApplyRuleInput:
    rule_id: strawberry.ID = strawberry.field(description="A rule of the caller's.")
    from_: dt.date | None = strawberry.field(
        name="from", default=None, description="Only transactions on or after this date."
    )
    to: dt.date | None = strawberry.field(
        default=None, description="Only transactions on or before this date."
    )


# --- reports ----------------------------------------------------------------------------------


@strawberry.enum(description="What a spending or income report's rows are told apart by.")
class ReportGrouping(Enum):
    CATEGORY = strawberry.enum_value(
        "category", description="Each category (a split transaction's parts by their own)."
    )
    CATEGORY_GROUP = strawberry.enum_value(
        "category_group", description="Each category group: its categories added up."
    )
    PAYEE = strawberry.enum_value("payee", description="Each payee.")
    TAG = strawberry.enum_value(
        "tag",
        description="Each tag: a transaction with several tags counts under each of them, so "
        "the tag rows may add up to more than the totals (which count it once).",
    )


@strawberry.enum(
    description="How a report's range is cut into periods (the first and last "
    "clipped to the range)."
)
class ReportInterval(Enum):
    DAY = strawberry.enum_value("day", description="Each day.")
    WEEK = strawberry.enum_value(
        "week",
        description="ISO weeks, Monday to Sunday, labelled like 2026-W05 (by ISO week-year); "
        "a range starting or ending mid-week has a partial first or last week, with that "
        "week's label.",
    )
    MONTH = strawberry.enum_value("month", description="Calendar months, labelled like 2026-11.")
    YEAR = strawberry.enum_value("year", description="Calendar years, labelled like 2026.")
    WHOLE_RANGE = strawberry.enum_value(
        "whole_range",
        description="The whole range as one period, labelled like 2026-01-01/2026-06-30.",
    )


@strawberry.enum(description="Which money a report shows.")
class ReportDirection(Enum):
    SPENDING = strawberry.enum_value(
        "spending",
        description="Rows whose net is money out (refunds reduce it), as positive amounts.",
    )
    INCOME = strawberry.enum_value("income", description="Rows whose net is money in.")
