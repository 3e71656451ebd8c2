"""The default categories every user starts with, and how bank category hints map onto them.

A default is a starting point: the user may rename, move, hide or merge it. Each of the user's
defaults is remembered as a preset (by the default's name, below), so hints keep landing in
the category the user made of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.ledger.models import (
    CATEGORY_KIND_EXPENSE,
    CATEGORY_KIND_INCOME,
    CATEGORY_KIND_TRANSFER,
)


@dataclass(frozen=True)
class DefaultCategory:
    name: str  # also its preset: what bank hints name
    group: str
    kind: str = CATEGORY_KIND_EXPENSE


# In the order a new user sees them; groups in the order they first appear.
DEFAULT_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory("Groceries", "Food"),
    DefaultCategory("Dining", "Food"),
    DefaultCategory("Rent", "Housing"),
    DefaultCategory("Home", "Housing"),
    DefaultCategory("Utilities", "Bills"),
    DefaultCategory("Fees", "Bills"),
    DefaultCategory("Transport", "Transport"),
    DefaultCategory("Travel", "Transport"),
    DefaultCategory("Shopping", "Lifestyle"),
    DefaultCategory("Entertainment", "Lifestyle"),
    DefaultCategory("Personal Care", "Lifestyle"),
    DefaultCategory("Health", "Health"),
    DefaultCategory("Income", "Income", CATEGORY_KIND_INCOME),
    DefaultCategory("Transfers", "Transfers", CATEGORY_KIND_TRANSFER),
)
DEFAULT_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(d.group for d in DEFAULT_CATEGORIES))

# Plaid personal_finance_category codes (primary or detailed) -> default category name.
# The longest matching prefix wins, so a detailed code can override its primary.
_HINT_PREFIXES: dict[str, str] = {
    "FOOD_AND_DRINK_GROCERIES": "Groceries",
    "FOOD_AND_DRINK": "Dining",
    "RENT_AND_UTILITIES_RENT": "Rent",
    "RENT_AND_UTILITIES": "Utilities",
    "HOME_IMPROVEMENT": "Home",
    "BANK_FEES": "Fees",
    "TRANSPORTATION": "Transport",
    "TRAVEL": "Travel",
    "GENERAL_MERCHANDISE": "Shopping",
    "ENTERTAINMENT": "Entertainment",
    "PERSONAL_CARE": "Personal Care",
    "MEDICAL": "Health",
    "INCOME": "Income",
    "TRANSFER_IN": "Transfers",
    "TRANSFER_OUT": "Transfers",
    "LOAN_PAYMENTS": "Transfers",
}
_PREFIXES_LONGEST_FIRST = sorted(_HINT_PREFIXES, key=len, reverse=True)


def category_name_for_hint(hint: str | None) -> str | None:
    """The default category (its name, the preset) a bank's hint points to, or None when it
    means nothing to us.

    Hints are normalised ("Food and Drink" and "food_and_drink" both read FOOD_AND_DRINK);
    a prefix only matches on a word boundary, so TRAVELX is not TRAVEL.
    """
    if not hint:
        return None
    code = "_".join(hint.strip().upper().replace("-", " ").replace("_", " ").split())
    for prefix in _PREFIXES_LONGEST_FIRST:
        if code == prefix or code.startswith(prefix + "_"):
            return _HINT_PREFIXES[prefix]
    return None
