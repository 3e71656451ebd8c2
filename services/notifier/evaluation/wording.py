"""What notifications say: short, human text with exact money, independent of the locale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.money import Money

# Symbols people recognise; any other currency is written after the amount ("12.00 CHF").
_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "MXN": "MX$",
    "HKD": "HK$",
    "SGD": "S$",
    "BRL": "R$",
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MAX_NAME = 60


@dataclass(frozen=True)
class Wording:
    title: str
    body: str


def money_text(money: Money) -> str:
    """'$1,234.50', '-$12.00', '1,500 ISK' — exact, from the integer minor units."""
    amount = money.amount
    digits = format(abs(amount), ",")
    sign = "-" if amount < 0 else ""
    symbol = _SYMBOLS.get(money.currency)
    if symbol is None:
        return f"{sign}{digits} {money.currency}"
    return f"{sign}{symbol}{digits}"


def month_text(month: str) -> str:
    """'2026-11' -> 'November 2026'."""
    year, _, number = month.partition("-")
    return f"{_MONTHS[int(number) - 1]} {year}"


def date_text(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def when_text(day: date, today: date) -> str:
    """'today', 'yesterday' (where the user lives), else 'on November 3, 2026'."""
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    return f"on {date_text(day)}"


def _short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= _MAX_NAME else name[: _MAX_NAME - 1].rstrip() + "…"


def budget_overspent(category: str, month: str, amount: Money, spent: Money) -> Wording:
    name = _short(category)
    return Wording(
        title=f"{name} budget overspent",
        body=(
            f"You've spent {money_text(spent)} of your {money_text(amount)} {name} budget "
            f"for {month_text(month)}. That's {money_text(spent - amount)} over."
        ),
    )


def large_transaction(
    description: str, day: date, amount: Money, threshold: Money, pending: bool, *, today: date
) -> Wording:
    spent = money_text(-amount)
    what = _short(description) or "A transaction"
    state = " (pending)" if pending else ""
    return Wording(
        title=f"Large transaction: {spent}",
        body=(
            f"{what}{state} took {spent} out of your account {when_text(day, today)}, "
            f"at or above your large-transaction alert of {money_text(threshold)}."
        ),
    )


def budget_threshold(
    category: str | None, month: str, percent: int, amount: Money, spent: Money
) -> Wording:
    """`category` None: the whole month's budgets together."""
    name = f"{_short(category)} budget" if category is not None else "monthly budget"
    return Wording(
        title=f"{percent}% of your {name} used",
        body=(
            f"You've spent {money_text(spent)} of your {money_text(amount)} {name} for "
            f"{month_text(month)}: {percent}% or more of it."
        ),
    )


def low_balance(account: str, balance: Money, threshold: Money) -> Wording:
    name = _short(account)
    return Wording(
        title=f"Low balance: {name}",
        body=(
            f"{name} is down to {money_text(balance)}, below your low-balance alert of "
            f"{money_text(threshold)}."
        ),
    )


def goal_milestone(goal: str, percent: int, saved: Money, target: Money) -> Wording:
    name = _short(goal)
    if percent >= 100:
        return Wording(
            title=f"Goal reached: {name}",
            body=f"You've saved {money_text(saved)} toward {name}: the whole {money_text(target)}.",
        )
    return Wording(
        title=f"{percent}% of the way to {name}",
        body=f"You've saved {money_text(saved)} of the {money_text(target)} for {name}.",
    )


def goal_behind(
    goal: str, saved: Money, target: Money, target_date: date, projected: date | None
) -> Wording:
    name = _short(goal)
    pace = (
        f"at your pace so far you'd get there on {date_text(projected)}"
        if projected is not None
        else "you haven't been saving toward it lately"
    )
    return Wording(
        title=f"Behind schedule: {name}",
        body=(
            f"You've saved {money_text(saved)} of {money_text(target)} for {name}, due "
            f"{date_text(target_date)}; {pace}."
        ),
    )


def bill_due(name: str, due: date, expected: Money, *, today: date) -> Wording:
    bill = _short(name)
    when = when_due_text(due, today)
    return Wording(
        title=f"{bill} is due {when}",
        body=f"{bill} is expected {when}: about {money_text(_size(expected))}.",
    )


def when_due_text(day: date, today: date) -> str:
    """'today', 'tomorrow' (where the user lives), else 'on November 3, 2026'."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return f"on {date_text(day)}"


def bill_larger_than_usual(name: str, amount: Money, expected: Money, largest: Money) -> Wording:
    bill = _short(name)
    return Wording(
        title=f"{bill} is larger than usual",
        body=(
            f"{bill} came to {money_text(_size(amount))}; it usually is about "
            f"{money_text(_size(expected))} (at most {money_text(_size(largest))} lately)."
        ),
    )


def unusual_spending(
    category: str, month: str, spent: Money, average: Money, months: int
) -> Wording:
    name = _short(category)
    return Wording(
        title=f"Unusual spending on {name}",
        body=(
            f"You've spent {money_text(spent)} on {name} in {month_text(month)}, against "
            f"{money_text(average)} a month on average over the {months} months before."
        ),
    )


def bank_connection_attention(institution: str, login_required: bool) -> Wording:
    bank = _short(institution) or "Your bank"
    if login_required:
        return Wording(
            title=f"Reconnect {bank}",
            body=f"{bank} wants you to sign in again: new transactions won't arrive until you do.",
        )
    return Wording(
        title=f"{bank} connection needs attention",
        body=f"{bank} stopped sending transactions because of an error; relink it to fix it.",
    )


def new_merchant(payee: str, amount: Money, day: date, *, today: date) -> Wording:
    name = _short(payee)
    return Wording(
        title=f"New merchant: {name}",
        body=(
            f"Your first transaction with {name}: {money_text(_size(amount))} "
            f"{when_text(day, today)}."
        ),
    )


def weekly_summary(
    first: date, last: date, money_in: Money, money_out: Money, top: tuple[tuple[str, Money], ...]
) -> Wording:
    spending = (
        " Most went to "
        + ", ".join(f"{_short(name)} ({money_text(amount)})" for name, amount in top)
        + "."
        if top
        else ""
    )
    return Wording(
        title=f"Your week: {money_text(money_out)} out, {money_text(money_in)} in",
        body=(
            f"From {date_text(first)} to {date_text(last)} you spent {money_text(money_out)} "
            f"and received {money_text(money_in)}.{spending}"
        ),
    )


def _size(amount: Money) -> Money:
    return -amount if amount.minor < 0 else amount
