"""Sandbox data: the accounts of an Item and a realistic, deterministic transaction history.

Everything an Item holds is derived from its item_id (the seed), so two emulators that link the
same Item produce the same accounts and history. Money is integer cents throughout; the JSON
renderer turns cents into Plaid's two-decimal numbers. The merchants the history buys from are
in `merchants`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from datetime import date, timedelta

from plaid_sandbox.merchants import (
    AMAZON,
    CARD_PAYMENT_IN,
    CARD_PAYMENT_OUT,
    CHIPOTLE,
    COMCAST,
    CVS,
    GROCERS,
    NETFLIX,
    PAYROLL,
    PGE,
    RENT,
    SHELL,
    SPOTIFY,
    STARBUCKS,
    TARGET,
    UBER,
    Merchant,
    make_transaction,
)
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
    """The first account of that subtype; for an Item that shares none (the user left it out in
    Link's account selection), its first account: where the sandbox puts what it adds."""
    for account in accounts:
        if account["subtype"] == subtype:
            return account
    if accounts:
        return accounts[0]
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
