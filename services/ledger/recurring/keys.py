"""Which transactions belong to one series: THE one place that decides it.

A series is a payee: a transaction with one (every new one gets one, derived from its
description or the bank's merchant name, or chosen by the user) is keyed "payee:<id>", so
"NETFLIX.COM 866-579-7172" and "Netflix" recur together, and merging two payees merges their
series at the next detection. A transaction without a payee (recorded before payees existed)
falls back to its normalised description (see `series_key`). Series stored under an earlier
key are keyed anew by the next detection: old suggestions vanish, confirmed and dismissed ones
stay until the user removes them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy import ColumnElement, String, cast, func, literal

from services.ledger.models import Transaction

# What `series_key` reads; queries select it labelled "key_source". Concatenating with a null
# payee gives null (on PostgreSQL and SQLite alike), and the description stands in.
PAYEE_PREFIX = "payee:"
KEY_SOURCE: ColumnElement[str] = func.coalesce(
    literal(PAYEE_PREFIX).concat(cast(Transaction.payee_id, String)), Transaction.description
)

MAX_KEY = 200

# Card processors and payment platforms that put their name before the merchant's:
# "SQ *BLUE BOTTLE", "TST* JOE'S DINER", "PAYPAL *SPOTIFY", "GOOGLE *YOUTUBE".
_PROCESSOR_PREFIX = re.compile(
    r"^(?:sq|tst|toast|paypal|pp|sp|py|ddl|google|ggl|goog|apl|in|ic|bt|pos|cke|sqc)\s*\*\s*"
)
# Spelled-out prefixes that banks put before any merchant.
_WORDY_PREFIX = re.compile(
    r"^(?:pos (?:purchase|debit|withdrawal)|debit card purchase|purchase authorized on"
    r"(?: [0-9/]+)?|recurring payment|ach (?:debit|credit)|checkcard(?: [0-9]+)?) +"
)
# A trailing token with a digit in it: a store number, a reference, a date, a phone number
# ("#1234", "57444", "p1a2b3c4", "03/15", "800-266-2278").
_TRAILING_REFERENCE = re.compile(r"\s+\S*[0-9]\S*$")
_WHITESPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = " *#-_.,;:/"


@lru_cache(maxsize=8192)
def series_key(key_source: str) -> str:
    """The key that groups a user's transactions into candidate series: the description in
    lower case with whitespace collapsed, a card processor's prefix ("sq *", "tst*",
    "paypal *"...) removed, and trailing store numbers and reference digits dropped (the
    first word stays even if it has digits: "7-eleven" is a merchant). Empty text gives "".

    The one place that decides what a series is (see the module's docstring): a payee's key
    source ("payee:<id>") is its own key.
    """
    if key_source.startswith(PAYEE_PREFIX):
        return key_source[:MAX_KEY]
    text = _WHITESPACE.sub(" ", key_source.lower()).strip()
    text = _WORDY_PREFIX.sub("", text)
    text = _PROCESSOR_PREFIX.sub("", text).strip(_EDGE_PUNCTUATION)
    while " " in text:
        shorter = _TRAILING_REFERENCE.sub("", text).strip(_EDGE_PUNCTUATION)
        if shorter == text:
            break
        text = shorter
    return text[:MAX_KEY]
