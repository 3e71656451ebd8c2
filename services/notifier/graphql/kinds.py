"""The alert kinds in the graph: the rules room's kinds, each with what it is about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.notifier.rules import service as rules
from shared.graphql import described_enum

_ABOUT = {
    rules.AlertKind.BUDGET_THRESHOLD: "A category's month (or, with no category, the whole "
    "month's budgets together) reached a percent of its budget (`percents`, by default 80 and "
    "100; once per category, month and percent).",
    rules.AlertKind.BUDGET_OVERSPENT: "A category spent more than its budget in a month (once "
    "per month).",
    rules.AlertKind.LARGE_TRANSACTION: "Money out at or above a threshold (once per "
    "transaction); a transaction in another currency counts at the ledger's converted figure "
    "when the threshold is in the user's currency.",
    rules.AlertKind.LOW_BALANCE: "An account's balance below a threshold in its currency (once "
    "per account and month while it stays low).",
    rules.AlertKind.GOAL_MILESTONE: "A goal reached a percent of its target (`percents`, by "
    "default 25, 50, 75 and 100; once per goal and percent).",
    rules.AlertKind.GOAL_BEHIND: "A goal with a target date is behind schedule (once per goal "
    "and month).",
    rules.AlertKind.BILL_DUE: "A confirmed recurring bill is due within `daysAhead` days (once "
    "per bill and due date).",
    rules.AlertKind.BILL_LARGER_THAN_USUAL: "A recurring bill came in larger than its usual "
    "range (once per transaction).",
    rules.AlertKind.UNUSUAL_SPENDING: "A category's month reached `factor` times its average "
    "over the `trailingMonths` months before (once per category and month).",
    rules.AlertKind.BANK_CONNECTION_ATTENTION: "A linked bank needs the user: sign in again, or "
    "relink after an error (once per bank, status and day).",
    rules.AlertKind.NEW_MERCHANT: "Money out to a payee the user never had a transaction with "
    "(once per payee).",
    rules.AlertKind.WEEKLY_SUMMARY: "Last week's money in and out and where most of it went, on "
    "Monday where the user lives (once per week).",
}

# The graph's enum has the rules room's members, names and values, one for one (a kind left
# out of _ABOUT fails at import), so the type checker may read it as that enum.
if TYPE_CHECKING:
    AlertKind = rules.AlertKind
else:
    AlertKind = described_enum(
        "AlertKind", rules.AlertKind, _ABOUT, description="What an alert is about."
    )
