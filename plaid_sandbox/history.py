"""Sandbox data: the accounts of an Item and a realistic, deterministic transaction history.

Everything an Item holds is derived from its item_id (the seed), so two emulators that link the
same Item produce the same accounts and history. Money is integer cents throughout; the JSON
renderer turns cents into Plaid's two-decimal numbers.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from plaid_sandbox.state import AccountRecord, TxnRecord

HISTORY_DAYS = 90
PENDING_DAYS = 3

_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def seeded_rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(("tally-plaid-emulator", *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def plaid_id(rng: random.Random) -> str:
    """An identifier shaped like Plaid's item, account and transaction ids."""
    return "".join(rng.choice(_ID_ALPHABET) for _ in range(37))


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


def sandbox_accounts(item_id: str) -> list[AccountRecord]:
    """Plaid's standard sandbox accounts, with ids that stay the same for the Item."""
    rng = seeded_rng("accounts", item_id)

    def account(
        name: str,
        official: str,
        mask: str,
        kind: str,
        subtype: str,
        available: int | None,
        current: int,
        limit: int | None,
    ) -> AccountRecord:
        return {
            "account_id": plaid_id(rng),
            "name": name,
            "official_name": official,
            "mask": mask,
            "type": kind,
            "subtype": subtype,
            "available_cents": available,
            "current_cents": current,
            "limit_cents": limit,
        }

    return [
        account(
            "Plaid Checking",
            "Plaid Gold Standard 0% Interest Checking",
            "0000",
            "depository",
            "checking",
            10000,
            11000,
            None,
        ),
        account(
            "Plaid Saving",
            "Plaid Silver Standard 0.1% Interest Saving",
            "1111",
            "depository",
            "savings",
            20000,
            21000,
            None,
        ),
        account(
            "Plaid Credit Card",
            "Plaid Diamond 12.5% APR Interest Credit Card",
            "3333",
            "credit",
            "credit card",
            None,
            41000,
            200000,
        ),
        account(
            "Plaid Money Market",
            "Plaid Platinum Standard 1.85% Interest Money Market",
            "4444",
            "depository",
            "money market",
            4320000,
            4320000,
            None,
        ),
    ]


def account_with_subtype(accounts: Sequence[AccountRecord], subtype: str) -> AccountRecord:
    for account in accounts:
        if account["subtype"] == subtype:
            return account
    raise LookupError(f"no {subtype} account")


def _paydays(start: date, end: date) -> set[date]:
    """The 1st and the 15th, moved back to the Friday when they fall on a weekend."""
    days: set[date] = set()
    year, month = start.year, start.month
    while date(year, month, 1) <= end + timedelta(days=3):
        for day_of_month in (1, 15):
            payday = date(year, month, day_of_month)
            while payday.weekday() >= 5:
                payday -= timedelta(days=1)
            if start <= payday <= end:
                days.add(payday)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def generate_history(item_id: str, accounts: Sequence[AccountRecord], end: date) -> list[TxnRecord]:
    """The Item's transactions over the HISTORY_DAYS days ending on `end`, oldest first.

    Card and debit purchases of the last PENDING_DAYS days are still pending; everything else
    has posted. The same (item_id, accounts, end) always gives the same list.
    """
    rng = seeded_rng("history", item_id)
    checking = account_with_subtype(accounts, "checking")["account_id"]
    card = account_with_subtype(accounts, "credit card")["account_id"]
    start = end - timedelta(days=HISTORY_DAYS - 1)
    pending_from = end - timedelta(days=PENDING_DAYS - 1)
    paydays = _paydays(start, end)
    rent = rng.randrange(1650, 2401, 25) * 100
    pay = rng.randrange(210_000, 320_000)
    out: list[TxnRecord] = []

    def record(
        day: date, account_id: str, merchant: Merchant, cents: int, *, purchase: bool
    ) -> TxnRecord:
        pending = purchase and day >= pending_from
        lag = 0 if pending or not purchase else rng.choice((0, 1, 1, 2))
        txn = make_transaction(
            transaction_id=plaid_id(rng),
            account_id=account_id,
            merchant=merchant,
            amount_cents=cents,
            posted=day,
            authorized=day - timedelta(days=lag),
            pending=pending,
        )
        out.append(txn)
        return txn

    next_fuel = start + timedelta(days=rng.randrange(0, 8))
    refund_done = False
    amazon_orders: list[tuple[date, int]] = []
    day = start
    while day <= end:
        if day in paydays:
            record(day, checking, PAYROLL, -pay, purchase=False)
        if day.day == 1:
            record(day, checking, RENT, rent, purchase=False)
        if day.day == 5:
            record(day, checking, PGE, rng.randrange(6800, 14200), purchase=False)
        if day.day == 8:
            record(day, card, NETFLIX, 1549, purchase=False)
        if day.day == 12:
            record(day, checking, COMCAST, 7999, purchase=False)
        if day.day == 17:
            record(day, card, SPOTIFY, 1199, purchase=False)
        if day.day == 22:
            settled = rng.randrange(45_000, 90_000)
            record(day, checking, CARD_PAYMENT_OUT, settled, purchase=False)
            record(day, card, CARD_PAYMENT_IN, -settled, purchase=False)
        if rng.random() < 0.32:
            grocer = rng.choice(GROCERS)
            account_id = card if rng.random() < 0.7 else checking
            record(day, account_id, grocer, rng.randrange(2500, 14500), purchase=True)
        if rng.random() < 0.40:
            record(day, card, STARBUCKS, rng.randrange(450, 876), purchase=True)
        if rng.random() < 0.15:
            record(day, card, CHIPOTLE, rng.randrange(1100, 1851), purchase=True)
        if rng.random() < 0.14:
            record(day, card, UBER, rng.randrange(1200, 3801), purchase=True)
        if day >= next_fuel:
            record(day, card, SHELL, rng.randrange(3500, 6201), purchase=True)
            next_fuel = day + timedelta(days=rng.randrange(8, 13))
        if rng.random() < 0.14:
            cents = rng.randrange(1500, 12001)
            record(day, card, AMAZON, cents, purchase=True)
            amazon_orders.append((day, cents))
        if rng.random() < 0.07:
            record(day, card, TARGET, rng.randrange(2000, 9001), purchase=True)
        if rng.random() < 0.05:
            record(day, checking, CVS, rng.randrange(800, 4501), purchase=True)
        if not refund_done and amazon_orders and day >= amazon_orders[0][0] + timedelta(days=9):
            record(day, card, AMAZON, -amazon_orders[0][1], purchase=False)
            refund_done = True
        day += timedelta(days=1)
    if not any(txn["pending"] for txn in out):
        record(end, card, STARBUCKS, rng.randrange(450, 876), purchase=True)
    return out
