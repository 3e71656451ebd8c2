"""The state file: stores on one file see each other's writes; other files are refused; a file of
the previous version is converted."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from plaid_sandbox.merchants import categorize, make_transaction
from plaid_sandbox.state import STATE_VERSION, StateStore, TxnRecord
from plaid_sandbox.webhooks import new_signing_key


def test_stores_on_one_file_see_each_other(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    now = datetime(2025, 1, 1, tzinfo=UTC)
    first = StateStore(path, lambda: new_signing_key(now))
    second = StateStore(path, lambda: new_signing_key(now))
    assert first.signing_key == second.signing_key

    def add(store: StateStore, token: str) -> None:
        with store.write() as session:
            session.add_public_token(token, {"item_id": "i", "created_at": "c", "used": False})

    threads = [
        threading.Thread(target=add, args=(store, f"token-{n}-{m}"))
        for n in range(10)
        for m, store in enumerate((first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with first.read() as session:
        assert all(session.public_token(f"token-{n}-1") for n in range(10))
    with second.read() as session:
        assert all(session.public_token(f"token-{n}-0") for n in range(10))

    with pytest.raises(RuntimeError), second.write() as session:
        session.add_public_token("abandoned", {"item_id": "i", "created_at": "c", "used": False})
        raise RuntimeError("abandoned")
    with first.read() as session:
        assert session.public_token("abandoned") is None
    first.close()
    second.close()
    reopened = StateStore(path, lambda: new_signing_key(now))
    assert reopened.signing_key == first.signing_key
    reopened.close()


def test_a_file_that_is_not_emulator_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plaid-sandbox.json"
    path.write_text('{"not": "sqlite"}\n' * 100)
    with pytest.raises(RuntimeError, match="is not a Plaid emulator state file"):
        StateStore(path, lambda: new_signing_key(datetime.now(UTC)))


def test_a_version_1_file_keeps_its_items_and_their_logs(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    now = datetime(2025, 1, 1, tzinfo=UTC)
    pending = _txn("p", pending=True)
    posted = _txn("q", pending_of="p")
    log = [
        {"op": "added", "txn": _txn("a")},
        {"op": "added", "txn": pending},
        {"op": "added", "txn": _txn("b", pending=True)},
        {"op": "removed", "txn": pending},
        {"op": "added", "txn": posted},
    ]
    # Version 1 kept the log inside the Item's record.
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE items (item_id TEXT PRIMARY KEY, data TEXT NOT NULL);"
    )
    db.execute("INSERT INTO meta VALUES ('version', '1')")
    db.execute("INSERT INTO meta VALUES ('signing_key', ?)", (json.dumps(new_signing_key(now)),))
    db.execute(
        "INSERT INTO items VALUES ('item-1', ?)",
        (json.dumps({"item_id": "item-1", "next_seq": 3, "log": log}),),
    )
    db.commit()
    db.close()

    store = StateStore(path, lambda: new_signing_key(now))
    with store.read() as session:
        item = session.item("item-1")
        assert item is not None and "log" not in item
        assert item["log_length"] == 5 and item["next_seq"] == 3
        assert session.changes("item-1", 0, 5) == log
        assert session.changes("item-1", 1, 3) == log[1:3]
        assert [t["transaction_id"] for t in session.pending_transactions("item-1")] == ["b"]
        assert session.meta("version") == STATE_VERSION
    store.close()


def _txn(txn_id: str, *, pending: bool = False, pending_of: str | None = None) -> TxnRecord:
    return make_transaction(
        transaction_id=txn_id,
        account_id="acct",
        merchant=categorize("Safeway", 1234),
        amount_cents=1234,
        posted=date(2025, 1, 2),
        authorized=date(2025, 1, 1),
        pending=pending,
        pending_transaction_id=pending_of,
    )
