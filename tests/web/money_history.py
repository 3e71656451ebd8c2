"""A few months of someone's money, recorded through the API as a client would: enough
transactions for the transaction list to read a second page, several payees, a tag, and
budgets in more than one month. Used by the money pages' browser tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support.client import TallyClient
from tests.web.browser import seed_money, today_in

ZONE = "Europe/Paris"

# (description, amount, category): repeated over the months, a payee each.
EVERY_MONTH = (
    ("Salary", "3000.00", "Income"),
    ("Rent", "-1200.00", "Rent"),
    ("Trader Joe's", "-64.20", "Groceries"),
    ("Blue Bottle Coffee", "-4.75", "Dining"),
    ("Blue Bottle Coffee", "-5.25", "Dining"),
    ("Shell", "-41.10", "Transport"),
    ("Netflix", "-15.49", "Entertainment"),
    ("City Power", "-88.30", "Utilities"),
    ("Corner Bistro", "-38.00", "Dining"),
    ("Pharmacy", "-12.99", "Health"),
    ("Bookshop", "-23.50", None),
    ("Hardware store", "-17.85", None),
    ("Metro card", "-30.00", "Transport"),
    ("Cinema", "-24.00", "Entertainment"),
    ("Costco", "-152.36", None),
    ("Bakery", "-7.40", "Groceries"),
    ("Gym", "-45.00", "Health"),
    ("Phone bill", "-35.00", "Utilities"),
    ("Lunch at work", "-11.80", "Dining"),
    ("Taxi", "-19.60", "Transport"),
)

CREATE = """mutation($input: CreateTransactionInput!) {
  createTransaction(input: $input) { transaction { id } } }"""


def months_back(today: dt.date, count: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def seed_history(api: TallyClient) -> dict[str, Any]:
    """Three months of the same life (60 transactions and the dashboard's seed), a "vacation"
    tag, and this month's groceries budget. Returns ids by name."""
    today = today_in(ZONE)
    month = today.strftime("%Y-%m")
    ids: dict[str, Any] = seed_money(api, {month})
    categories = {c["name"]: c["id"] for c in api("{ categories { id name } }")["categories"]}
    for back in (2, 1, 0):
        first = months_back(today, back)
        for day, (description, amount, category) in enumerate(EVERY_MONTH, start=1):
            date = first + dt.timedelta(days=min(day, 27))
            if date > today:
                date = today
            api(
                CREATE,
                {
                    "input": {
                        "accountId": ids["account"],
                        "date": date.isoformat(),
                        "amount": amount,
                        "description": description,
                        "categoryId": categories[category] if category else None,
                    }
                },
            )
    tag = api("""mutation { createTag(input: {name: "vacation"}) { tag { id } } }""")
    ids["vacation"] = tag["createTag"]["tag"]["id"]
    ids["categories"] = categories
    ids["month"] = month
    return ids
