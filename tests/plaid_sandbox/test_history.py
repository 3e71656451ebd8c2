"""Sandbox data: the generated history and the categorisation of custom transactions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from plaid_sandbox.history import HISTORY_DAYS, generate_history, sandbox_accounts
from plaid_sandbox.merchants import categorize


def test_history_shape() -> None:
    end = date(2025, 6, 30)
    for n in range(12):
        item_id = f"item-{n}"
        history = generate_history(item_id, sandbox_accounts(item_id), end)
        assert 100 <= len(history) <= 200
        days = [date.fromisoformat(txn["date"]) for txn in history]
        assert days == sorted(days)
        assert min(days) >= end - timedelta(days=HISTORY_DAYS - 1) and max(days) <= end
        pending = [txn for txn in history if txn["pending"]]
        assert pending and all(txn["date"] >= "2025-06-28" for txn in pending)
        assert all(isinstance(txn["amount_cents"], int) for txn in history)
        assert len({txn["transaction_id"] for txn in history}) == len(history)
        income = [txn for txn in history if txn["category_detailed"] == "INCOME_WAGES"]
        assert 5 <= len(income) <= 7 and all(txn["amount_cents"] < 0 for txn in income)


@pytest.mark.parametrize(
    ("description", "cents", "merchant", "detailed"),
    [
        ("Whole Foods Market #123", 4217, "Whole Foods", "FOOD_AND_DRINK_GROCERIES"),
        ("TRADER JOE'S #55", 1999, "Trader Joe's", "FOOD_AND_DRINK_GROCERIES"),
        ("Starbucks Coffee", 575, "Starbucks", "FOOD_AND_DRINK_COFFEE"),
        ("CHIPOTLE ONLINE", 1450, "Chipotle Mexican Grill", "FOOD_AND_DRINK_RESTAURANT"),
        ("Uber 063015 SF**POOL**", 1200, "Uber", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES"),
        ("SHELL OIL 1234", 4000, "Shell", "TRANSPORTATION_GAS"),
        ("Netflix.com", 1549, "Netflix", "ENTERTAINMENT_TV_AND_MOVIES"),
        (
            "PG&E utility",
            9000,
            "Pacific Gas and Electric",
            "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
        ),
        ("Amazon.com*AB12", 2599, "Amazon", "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES"),
        ("CVS/PHARMACY", 899, "CVS", "MEDICAL_PHARMACIES_AND_SUPPLEMENTS"),
        ("Corner grocery store", 1000, None, "FOOD_AND_DRINK_GROCERIES"),
        ("McDonald's", 850, None, "FOOD_AND_DRINK_FAST_FOOD"),
        ("Monthly rent", 180000, None, "RENT_AND_UTILITIES_RENT"),
        ("Gusto payroll", -250000, None, "INCOME_WAGES"),
        ("Venmo from Sam", -2000, None, "TRANSFER_IN_DEPOSIT"),
        ("Targeted ads llc", 100, None, "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE"),
    ],
)
def test_categorize(description: str, cents: int, merchant: str | None, detailed: str) -> None:
    guess = categorize(description, cents)
    assert (guess.merchant_name, guess.detailed, guess.name) == (merchant, detailed, description)
    assert detailed.startswith(guess.primary)
