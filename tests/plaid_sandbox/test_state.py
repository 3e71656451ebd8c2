"""The state file: stores on one file see each other's writes; other files are refused."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from plaid_sandbox.state import StateStore
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
