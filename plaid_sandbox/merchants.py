"""The counterparties of sandbox transactions: merchants, how Plaid categorises them, and the
transaction record built from one.

`categorize` guesses Plaid's enrichment of a /sandbox/transactions/create description with
keyword rules; `make_transaction` is the one way a transaction record is built. Money is
integer cents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from plaid_sandbox.state import TxnRecord


@dataclass(frozen=True)
class Merchant:
    """How a counterparty appears on a statement, and how Plaid would categorise it."""

    name: str
    merchant_name: str | None
    website: str | None
    primary: str
    detailed: str
    channel: str
    city: str | None = None
    region: str | None = None
    confidence: str = "VERY_HIGH"


def _in_store(name: str, merchant: str, website: str, primary: str, detailed: str) -> Merchant:
    return Merchant(name, merchant, website, primary, detailed, "in store", "San Francisco", "CA")


def _online(
    name: str, merchant: str | None, website: str | None, primary: str, detailed: str
) -> Merchant:
    return Merchant(name, merchant, website, primary, detailed, "online")


def _other(name: str, primary: str, detailed: str) -> Merchant:
    return Merchant(name, None, None, primary, detailed, "other")


_FOOD = "FOOD_AND_DRINK"
_GROCERIES = "FOOD_AND_DRINK_GROCERIES"
WHOLE_FOODS = _in_store(
    "Whole Foods Market #10234", "Whole Foods", "wholefoodsmarket.com", _FOOD, _GROCERIES
)
TRADER_JOES = _in_store("TRADER JOE'S #236", "Trader Joe's", "traderjoes.com", _FOOD, _GROCERIES)
SAFEWAY = _in_store("SAFEWAY #1507", "Safeway", "safeway.com", _FOOD, _GROCERIES)
STARBUCKS = _in_store(
    "STARBUCKS STORE 05798", "Starbucks", "starbucks.com", _FOOD, "FOOD_AND_DRINK_COFFEE"
)
CHIPOTLE = _in_store(
    "CHIPOTLE 1923", "Chipotle Mexican Grill", "chipotle.com", _FOOD, "FOOD_AND_DRINK_RESTAURANT"
)
UBER = _online(
    "UBER *TRIP HELP.UBER.COM",
    "Uber",
    "uber.com",
    "TRANSPORTATION",
    "TRANSPORTATION_TAXIS_AND_RIDE_SHARES",
)
SHELL = _in_store(
    "SHELL OIL 57444159400", "Shell", "shell.com", "TRANSPORTATION", "TRANSPORTATION_GAS"
)
NETFLIX = _online(
    "NETFLIX.COM", "Netflix", "netflix.com", "ENTERTAINMENT", "ENTERTAINMENT_TV_AND_MOVIES"
)
SPOTIFY = _online(
    "Spotify USA", "Spotify", "spotify.com", "ENTERTAINMENT", "ENTERTAINMENT_MUSIC_AND_AUDIO"
)
PGE = _online(
    "PGANDE WEB ONLINE PAYMENT",
    "Pacific Gas and Electric",
    "pge.com",
    "RENT_AND_UTILITIES",
    "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
)
COMCAST = _online(
    "COMCAST CABLE COMM",
    "Comcast",
    "xfinity.com",
    "RENT_AND_UTILITIES",
    "RENT_AND_UTILITIES_INTERNET_AND_CABLE",
)
RENT = _other("RENT PAYMENT AVALON APTS WEB PMT", "RENT_AND_UTILITIES", "RENT_AND_UTILITIES_RENT")
AMAZON = _online(
    "AMAZON MKTPL*2K4RT8QX3",
    "Amazon",
    "amazon.com",
    "GENERAL_MERCHANDISE",
    "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
)
TARGET = _in_store(
    "TARGET 00027797",
    "Target",
    "target.com",
    "GENERAL_MERCHANDISE",
    "GENERAL_MERCHANDISE_SUPERSTORES",
)
CVS = _in_store(
    "CVS/PHARMACY #09582", "CVS", "cvs.com", "MEDICAL", "MEDICAL_PHARMACIES_AND_SUPPLEMENTS"
)
PAYROLL = _other("ACME CORP PAYROLL PPD ID: 9111111102", "INCOME", "INCOME_WAGES")
CARD_PAYMENT_OUT = _other(
    "PAYMENT TO PLAID CREDIT CARD ****3333", "LOAN_PAYMENTS", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"
)
CARD_PAYMENT_IN = _other(
    "PAYMENT - THANK YOU", "LOAN_PAYMENTS", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"
)

GROCERS = (WHOLE_FOODS, TRADER_JOES, SAFEWAY)
# What a new purchase made "today" (a /transactions/refresh) may be: (merchant, min, max cents).
EVERYDAY_PURCHASES = (
    (STARBUCKS, 450, 875),
    (CHIPOTLE, 1100, 1850),
    (UBER, 1200, 3800),
    (AMAZON, 1500, 12000),
    (TARGET, 2000, 9000),
)


def _generic(primary: str, detailed: str, channel: str = "in store") -> Merchant:
    return Merchant("", None, None, primary, detailed, channel, confidence="HIGH")


# Keyword rules for /sandbox/transactions/create descriptions: the first match wins.
_RULES: tuple[tuple[str, Merchant], ...] = (
    (r"whole ?foods", WHOLE_FOODS),
    (r"trader joe", TRADER_JOES),
    (r"safeway", SAFEWAY),
    (r"starbucks", STARBUCKS),
    (r"chipotle", CHIPOTLE),
    (r"\buber\b", UBER),
    (r"\bshell\b", SHELL),
    (r"netflix", NETFLIX),
    (r"spotify", SPOTIFY),
    (r"pg ?& ?e|pgande|pacific gas", PGE),
    (r"comcast|xfinity", COMCAST),
    (r"amazon", AMAZON),
    (r"\btarget\b", TARGET),
    (r"\bcvs\b", CVS),
    (r"\blyft\b", _generic("TRANSPORTATION", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES", "online")),
    (r"mcdonald|\bkfc\b|burger king", _generic(_FOOD, "FOOD_AND_DRINK_FAST_FOOD")),
    (r"walgreens|pharmacy", _generic("MEDICAL", "MEDICAL_PHARMACIES_AND_SUPPLEMENTS")),
    (r"walmart|costco", _generic("GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_SUPERSTORES")),
    (r"airlines|\bairways\b", _generic("TRAVEL", "TRAVEL_FLIGHTS", "online")),
    (r"grocer|supermarket|\bmarket\b", _generic(_FOOD, _GROCERIES)),
    (r"coffee|\bcafe\b", _generic(_FOOD, "FOOD_AND_DRINK_COFFEE")),
    (r"restaurant|pizza|sushi|diner|grill", _generic(_FOOD, "FOOD_AND_DRINK_RESTAURANT")),
    (r"\brent\b", _generic("RENT_AND_UTILITIES", "RENT_AND_UTILITIES_RENT", "other")),
    (r"payroll|direct dep|salary|gusto", _generic("INCOME", "INCOME_WAGES", "other")),
    (r"chevron|exxon|gas station", _generic("TRANSPORTATION", "TRANSPORTATION_GAS")),
)


def categorize(description: str, amount_cents: int) -> Merchant:
    """Guess Plaid's enrichment of a custom sandbox transaction from its description."""
    lowered = description.lower()
    for pattern, template in _RULES:
        if re.search(pattern, lowered):
            return Merchant(
                name=description,
                merchant_name=template.merchant_name,
                website=template.website,
                primary=template.primary,
                detailed=template.detailed,
                channel=template.channel,
                city=template.city,
                region=template.region,
                confidence=template.confidence,
            )
    if amount_cents < 0:
        return Merchant(
            description, None, None, "TRANSFER_IN", "TRANSFER_IN_DEPOSIT", "other", confidence="LOW"
        )
    return Merchant(
        description,
        None,
        None,
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
        "other",
        confidence="LOW",
    )


def make_transaction(
    *,
    transaction_id: str,
    account_id: str,
    merchant: Merchant,
    amount_cents: int,
    posted: date,
    authorized: date,
    pending: bool = False,
    pending_transaction_id: str | None = None,
    iso_currency_code: str = "USD",
) -> TxnRecord:
    return {
        "transaction_id": transaction_id,
        "account_id": account_id,
        "amount_cents": amount_cents,
        "iso_currency_code": iso_currency_code,
        "date": posted.isoformat(),
        "authorized_date": authorized.isoformat(),
        "name": merchant.name,
        "merchant_name": merchant.merchant_name,
        "website": merchant.website,
        "category_primary": merchant.primary,
        "category_detailed": merchant.detailed,
        "category_confidence": merchant.confidence,
        "payment_channel": merchant.channel,
        "city": merchant.city,
        "region": merchant.region,
        "pending": pending,
        "pending_transaction_id": pending_transaction_id,
    }
