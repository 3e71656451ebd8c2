"""The default categories every user starts with, and how bank category hints map onto them."""

from __future__ import annotations

# (name, group), in the order a new user sees them.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("Groceries", "Food"),
    ("Dining", "Food"),
    ("Rent", "Housing"),
    ("Home", "Housing"),
    ("Utilities", "Bills"),
    ("Fees", "Bills"),
    ("Transport", "Transport"),
    ("Travel", "Transport"),
    ("Shopping", "Lifestyle"),
    ("Entertainment", "Lifestyle"),
    ("Personal Care", "Lifestyle"),
    ("Health", "Health"),
    ("Income", "Income"),
    ("Transfers", "Transfers"),
)

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
    """The default category a bank's hint points to, or None when it means nothing to us.

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
