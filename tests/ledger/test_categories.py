"""Categories: the defaults every user starts with, and how bank hints map onto them."""

from __future__ import annotations

from services.ledger import api
from services.ledger.categories.defaults import category_name_for_hint
from shared.db import unit_of_work
from tests.ledger.support import new_user
from tests.support.graphql import data


async def test_a_new_user_gets_the_default_categories_in_groups() -> None:
    user = await new_user()

    result = await data("{ categories { name group } }", user_id=user)

    groups = {category["name"]: category["group"] for category in result["categories"]}
    for name in (
        "Groceries",
        "Dining",
        "Rent",
        "Utilities",
        "Transport",
        "Shopping",
        "Entertainment",
        "Health",
        "Income",
        "Transfers",
    ):
        assert name in groups
    assert groups["Groceries"] == groups["Dining"] == "Food"
    assert groups["Rent"] == "Housing"
    assert groups["Income"] == "Income"


async def test_provisioning_a_user_again_adds_no_duplicate_categories() -> None:
    user = await new_user()
    async with unit_of_work() as work:
        await api.provision_user(work, user)

    result = await data("{ categories { name } }", user_id=user)

    names = [category["name"] for category in result["categories"]]
    assert len(names) == len(set(names)) >= 10


def test_bank_category_hints_map_to_the_default_categories() -> None:
    assert category_name_for_hint("FOOD_AND_DRINK_GROCERIES") == "Groceries"
    assert category_name_for_hint("FOOD_AND_DRINK_RESTAURANT") == "Dining"
    assert category_name_for_hint("FOOD_AND_DRINK") == "Dining"
    assert category_name_for_hint("Food and Drink") == "Dining"
    assert category_name_for_hint("TRANSPORTATION_GAS") == "Transport"
    assert category_name_for_hint("RENT_AND_UTILITIES_RENT") == "Rent"
    assert category_name_for_hint("RENT_AND_UTILITIES_GAS_AND_ELECTRICITY") == "Utilities"
    assert category_name_for_hint("GENERAL_MERCHANDISE_ONLINE_MARKETPLACES") == "Shopping"
    assert category_name_for_hint("ENTERTAINMENT_TV_AND_MOVIES") == "Entertainment"
    assert category_name_for_hint("MEDICAL_PHARMACIES_AND_SUPPLEMENTS") == "Health"
    assert category_name_for_hint("INCOME_DIVIDENDS") == "Income"
    assert category_name_for_hint("TRANSFER_IN_DEPOSIT") == "Transfers"
    assert category_name_for_hint("TRANSFER_OUT_ACCOUNT_TRANSFER") == "Transfers"
    assert category_name_for_hint("LOAN_PAYMENTS_CREDIT_CARD_PAYMENT") == "Transfers"
    assert category_name_for_hint("TRAVEL_FLIGHTS") == "Travel"
    assert category_name_for_hint("TRAVELLING") is None
    assert category_name_for_hint("GOVERNMENT_AND_NON_PROFIT_DONATIONS") is None
    assert category_name_for_hint("") is None
    assert category_name_for_hint(None) is None
