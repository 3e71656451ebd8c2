"""Reports: how they group, at which interval, in which direction."""

from __future__ import annotations

from enum import Enum

import strawberry


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
