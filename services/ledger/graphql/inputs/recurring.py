"""Recurring series: their intervals and statuses, and the user's verdicts on them."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry

from shared.graphql import patch_field


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
    name: str | None = patch_field("A name of the user's, up to 100 characters.")
    interval: RecurringInterval | None = patch_field("How often it really recurs.")
    expected_amount: Decimal | None = patch_field(
        "What it really amounts to, in the series' currency, signed like its "
        "transactions (negative for money out), not zero."
    )


@strawberry.input(description="The series to delete.")
class DeleteRecurringInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's series.")
