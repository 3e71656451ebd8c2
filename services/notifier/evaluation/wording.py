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
