"""Each row's identity in its account, and which rows the ledger already has.

- An OFX/QFX row is its FITID, the bank's id of the transaction.
- A CSV or QIF row is a fingerprint of its date, amount and normalised description, with its
  occurrence among identical rows of the file: two identical coffees on one day are two rows
  (0 and 1), and importing the file again finds both.

The identity is stored with the transaction (unique per account), so re-importing a file adds
nothing even when two imports race. Beside it, a row whose date and amount match a transaction
already in the account that no row of this file claims by identity (entered by hand, synced
from the bank, or imported from another kind of file) is a duplicate too, one for one.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.ledger.imports.fields import ParsedRow
from services.ledger.models import MAX_IMPORT_KEY


class Duplicate(enum.Enum):
    ALREADY_IMPORTED = "already_imported"  # its FITID or fingerprint is in the account
    MATCHES_EXISTING = "matches_existing"  # same date and amount as a transaction there
    REPEATED_IN_FILE = "repeated_in_file"  # the file repeats a FITID


@dataclass(frozen=True)
class ExistingRow:
    """What matching needs of a transaction already in the account."""

    date: dt.date
    amount_minor: int
    import_key: str | None


@dataclass(frozen=True)
class MatchedRow:
    row: ParsedRow
    key: str
    duplicate: Duplicate | None


def import_keys(rows: Iterable[ParsedRow]) -> list[str]:
    occurrences: Counter[tuple[dt.date, int, str]] = Counter()
    keys = []
    for row in rows:
        if row.reference is not None:
            keys.append(_fitid_key(row.reference))
            continue
        identity = (row.date, row.amount_minor, " ".join(row.description.casefold().split()))
        occurrence = occurrences[identity]
        occurrences[identity] += 1
        text = f"{row.date.isoformat()}|{row.amount_minor}|{identity[2]}|{occurrence}"
        keys.append("fp:" + hashlib.sha256(text.encode()).hexdigest()[:40])
    return keys


def _fitid_key(fitid: str) -> str:
    key = f"ofx:{fitid}"
    if len(key) <= MAX_IMPORT_KEY:
        return key
    return "ofx#" + hashlib.sha256(fitid.encode()).hexdigest()[:40]


def match(rows: Sequence[ParsedRow], existing: Iterable[ExistingRow]) -> list[MatchedRow]:
    """Every row with its key, and why it is a duplicate (None: it is new)."""
    keys = import_keys(rows)
    claimed = set(keys)
    existing_keys: set[str] = set()
    unclaimed: Counter[tuple[dt.date, int]] = Counter()
    for found in existing:
        if found.import_key is not None and found.import_key in claimed:
            existing_keys.add(found.import_key)
        else:
            unclaimed[(found.date, found.amount_minor)] += 1
    seen: set[str] = set()
    matched = []
    for row, key in zip(rows, keys, strict=True):
        duplicate = None
        if key in seen:
            duplicate = Duplicate.REPEATED_IN_FILE
        elif key in existing_keys:
            duplicate = Duplicate.ALREADY_IMPORTED
        elif unclaimed[(row.date, row.amount_minor)] > 0:
            unclaimed[(row.date, row.amount_minor)] -= 1
            duplicate = Duplicate.MATCHES_EXISTING
        seen.add(key)
        matched.append(MatchedRow(row, key, duplicate))
    return matched


def date_range(rows: Sequence[ParsedRow]) -> tuple[dt.date, dt.date] | None:
    if not rows:
        return None
    dates = [row.date for row in rows]
    return min(dates), max(dates)
