"""The per-Item change log behind /transactions/sync: how it grows, how it is read in pages.

Each Item keeps an append-only list of changes ("added", "modified", "removed"), stored a row
per change (see `state`). A cursor is a position in that list; a page reads only the changes
after it. While a paginated run is in progress (has_more was true), the cursor
also carries the log's length when the run's pages were cut; if the log grew since, the next
page would mix old and new data, so the call fails with
TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION and the client restarts from the cursor the run
began with, which carries no length and so always works.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from plaid_sandbox import errors
from plaid_sandbox.history import plaid_id, seeded_rng
from plaid_sandbox.state import ItemRecord, LogEntry, Session, TxnRecord

# Reads the changes at positions start..stop-1 of one Item's log.
ChangesBetween = Callable[[int, int], list[LogEntry]]


@dataclass(frozen=True)
class Cursor:
    item_id: str
    position: int
    run_log_length: int | None


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps(
        {"i": cursor.item_id, "p": cursor.position, "s": cursor.run_log_length},
        separators=(",", ":"),
    ).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(text: str, item_id: str, log_length: int) -> Cursor:
    invalid = errors.invalid_field("cursor is not valid for this item")
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid from None
    if not isinstance(data, dict):
        raise invalid
    position, run_length = data.get("p"), data.get("s")
    if (
        data.get("i") != item_id
        or not isinstance(position, int)
        or not 0 <= position <= log_length
        or not (run_length is None or isinstance(run_length, int))
    ):
        raise invalid
    return Cursor(item_id, position, run_length)


def new_transaction_id(item: ItemRecord) -> str:
    """The id of the Item's next new transaction (deterministic per Item)."""
    seq = item["next_seq"]
    item["next_seq"] = seq + 1
    return plaid_id(seeded_rng("transaction", item["item_id"], str(seq)))


def append(
    session: Session, item: ItemRecord, op: Literal["added", "removed"], txn: TxnRecord
) -> None:
    session.append_change(item, op, txn)


def post_pending(session: Session, item: ItemRecord, today: date) -> int:
    """Settle every pending transaction: the pending id is removed, a posted one is added."""
    pending = session.pending_transactions(item["item_id"])
    for txn in pending:
        posted: TxnRecord = {
            **txn,
            "transaction_id": new_transaction_id(item),
            "date": max(today, date.fromisoformat(txn["date"])).isoformat(),
            "pending": False,
            "pending_transaction_id": txn["transaction_id"],
        }
        append(session, item, "removed", txn)
        append(session, item, "added", posted)
    return len(pending)


@dataclass
class Page:
    added: list[TxnRecord]
    modified: list[TxnRecord]
    removed: list[TxnRecord]
    next_cursor: str
    has_more: bool


def read_page(
    changes_between: ChangesBetween,
    log_length: int,
    item_id: str,
    cursor_text: str,
    count: int,
    account_id: str | None,
) -> Page:
    """Up to `count` log entries after the cursor, folded into added/modified/removed (only
    those entries are read, through `changes_between`)."""
    if cursor_text:
        cursor = decode_cursor(cursor_text, item_id, log_length)
        if cursor.run_log_length is not None and cursor.run_log_length != log_length:
            raise errors.mutation_during_pagination()
        start = cursor.position
    else:
        start = 0
    end = min(start + count, log_length)
    has_more = end < log_length
    added: dict[str, TxnRecord] = {}
    modified: dict[str, TxnRecord] = {}
    removed: dict[str, TxnRecord] = {}
    # Fold several changes to one transaction within the page into its net effect, as a client
    # applying added, then modified, then removed must end up with the right state.
    for entry in changes_between(start, end):
        txn = entry["txn"]
        if account_id is not None and txn["account_id"] != account_id:
            continue
        txn_id = txn["transaction_id"]
        if entry["op"] == "added":
            added[txn_id] = txn
        elif entry["op"] == "modified":
            if txn_id in added:
                added[txn_id] = txn
            else:
                modified[txn_id] = txn
        elif added.pop(txn_id, None) is None:
            modified.pop(txn_id, None)
            removed[txn_id] = txn
    next_cursor = encode_cursor(Cursor(item_id, end, log_length if has_more else None))
    return Page(
        list(added.values()), list(modified.values()), list(removed.values()), next_cursor, has_more
    )
