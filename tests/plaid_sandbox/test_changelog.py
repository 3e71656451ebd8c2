"""The per-Item change log: pages fold changes, cursors refuse a log that changed mid-run."""

from __future__ import annotations

from datetime import date

import pytest

from plaid_sandbox import errors
from plaid_sandbox.changelog import Page, read_page
from plaid_sandbox.merchants import categorize, make_transaction
from plaid_sandbox.state import LogEntry, TxnRecord


def _txn(txn_id: str, cents: int = 100) -> TxnRecord:
    return make_transaction(
        transaction_id=txn_id,
        account_id="acct",
        merchant=categorize("Safeway", cents),
        amount_cents=cents,
        posted=date(2025, 1, 2),
        authorized=date(2025, 1, 1),
    )


def _read(log: list[LogEntry], item_id: str, cursor: str, count: int) -> Page:
    return read_page(lambda start, stop: log[start:stop], len(log), item_id, cursor, count, None)


def test_pages_fold_changes_to_one_transaction() -> None:
    log: list[LogEntry] = [
        {"op": "added", "txn": _txn("a")},
        {"op": "added", "txn": _txn("b")},
        {"op": "modified", "txn": _txn("a", 200)},
        {"op": "removed", "txn": _txn("b")},
        {"op": "added", "txn": _txn("c")},
    ]
    page = _read(log, "item", "", 100)
    assert [(t["transaction_id"], t["amount_cents"]) for t in page.added] == [
        ("a", 200),
        ("c", 100),
    ]
    assert page.modified == [] and page.removed == [] and not page.has_more

    first = _read(log, "item", "", 2)
    assert first.has_more
    rest = _read(log, "item", first.next_cursor, 10)
    assert [t["transaction_id"] for t in rest.modified] == ["a"]
    assert [t["transaction_id"] for t in rest.removed] == ["b"]
    assert [t["transaction_id"] for t in rest.added] == ["c"]

    log.append({"op": "added", "txn": _txn("d")})
    with pytest.raises(errors.PlaidApiError) as caught:
        _read(log, "item", first.next_cursor, 10)
    assert caught.value.error_code == "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"
    with pytest.raises(errors.PlaidApiError) as caught:
        _read(log, "other-item", rest.next_cursor, 10)
    assert caught.value.error_code == "INVALID_FIELD"
