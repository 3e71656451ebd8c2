"""The emulator's persistent state: a SQLite file.

Items, tokens and the webhook signing key are stored as JSON records in a few tables, so a
change rewrites only the records it touched: a single JSON document would have to be rewritten
whole on every change, which grows slow as Items accumulate. An Item's change log (what
/transactions/sync pages through) is kept apart, one row per change keyed by its position, so
that a page reads only its own rows and a new change writes only itself, whatever the size of
the Item: a 100,000-transaction Item costs a page what a small one does. The transactions
pending now are indexed beside the log (settling them must not replay it). SQLite makes each
session atomic (a crash never leaves half a change behind) and serialises writers, also
between several apps on one file (a test builds a second app on the file of the first; uvicorn
may serve the emulator next to other apps in one process) and between processes.

A session loads what a handler asks for; a writing session saves every Item and public token it
loaded (and what was added) when it ends without error, and discards everything otherwise.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypedDict

# Version 1 kept an Item's change log inside its record; version 2 keeps it in `changes`
# (a version 1 file is converted when opened).
STATE_VERSION = "2"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (item_id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS changes (
    item_id TEXT NOT NULL, position INTEGER NOT NULL, op TEXT NOT NULL, txn TEXT NOT NULL,
    PRIMARY KEY (item_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending (
    item_id TEXT NOT NULL, transaction_id TEXT NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (item_id, transaction_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS access_tokens (token TEXT PRIMARY KEY, item_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS access_tokens_item ON access_tokens (item_id);
CREATE TABLE IF NOT EXISTS public_tokens (
    token TEXT PRIMARY KEY, item_id TEXT NOT NULL, created_at TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS public_tokens_created ON public_tokens (created_at);
CREATE TABLE IF NOT EXISTS link_tokens (
    token TEXT PRIMARY KEY, created_at TEXT NOT NULL, data TEXT NOT NULL
);
"""


class TxnRecord(TypedDict):
    transaction_id: str
    account_id: str
    amount_cents: int
    iso_currency_code: str
    date: str
    authorized_date: str
    name: str
    merchant_name: str | None
    website: str | None
    category_primary: str
    category_detailed: str
    category_confidence: str
    payment_channel: str
    city: str | None
    region: str | None
    pending: bool
    pending_transaction_id: str | None


class LogEntry(TypedDict):
    op: Literal["added", "modified", "removed"]
    txn: TxnRecord


class AccountRecord(TypedDict):
    account_id: str
    name: str
    official_name: str
    mask: str
    type: str
    subtype: str
    available_cents: int | None
    current_cents: int | None
    limit_cents: int | None


class WebhookStatus(TypedDict):
    sent_at: str
    code_sent: str


class ItemRecord(TypedDict):
    item_id: str
    institution_id: str
    products: list[str]
    webhook: str | None
    username: str
    created_at: str
    access_token: str | None
    error: dict[str, Any] | None
    accounts: list[AccountRecord]
    # How many changes the Item's log holds (the rows of `changes` are at 0..log_length-1).
    log_length: int
    next_seq: int
    last_webhook: WebhookStatus | None
    last_successful_update: str


class PublicTokenRecord(TypedDict):
    item_id: str
    created_at: str
    used: bool


class LinkTokenRecord(TypedDict):
    """What a Link token opens Link for: a new Item (item_id None) or an Item's update mode."""

    created_at: str
    expiration: str
    item_id: str | None
    products: list[str]
    webhook: str | None
    client_name: str


class SigningKeyRecord(TypedDict):
    kid: str
    private_key_pem: str
    created_at: int


class Session:
    """One transaction on the state; get one from `StateStore.read()` or `.write()`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._items: dict[str, ItemRecord] = {}
        self._deleted_items: set[str] = set()
        self._public_tokens: dict[str, PublicTokenRecord] = {}
        self._access_tokens: dict[str, str] = {}

    def item(self, item_id: str) -> ItemRecord | None:
        if item_id in self._deleted_items:
            return None
        if item_id not in self._items:
            row = self._db.execute(
                "SELECT data FROM items WHERE item_id = ?", (item_id,)
            ).fetchone()
            if row is None:
                return None
            self._items[item_id] = json.loads(row[0])
        return self._items[item_id]

    def item_for_token(self, access_token: str) -> ItemRecord | None:
        item_id = self._access_tokens.get(access_token)
        if item_id is None:
            row = self._db.execute(
                "SELECT item_id FROM access_tokens WHERE token = ?", (access_token,)
            ).fetchone()
            if row is None:
                return None
            item_id = str(row[0])
        return self.item(item_id)

    def add_item(self, item: ItemRecord) -> None:
        self._deleted_items.discard(item["item_id"])
        self._items[item["item_id"]] = item

    def delete_item(self, item_id: str) -> None:
        """Forget the Item and every token that leads to it."""
        self._items.pop(item_id, None)
        self._deleted_items.add(item_id)
        for token, owner in list(self._access_tokens.items()):
            if owner == item_id:
                del self._access_tokens[token]

    def append_change(
        self, item: ItemRecord, op: Literal["added", "modified", "removed"], txn: TxnRecord
    ) -> None:
        """Add a change at the end of the Item's log (and keep the pending index current)."""
        position = item["log_length"]
        item["log_length"] = position + 1
        item_id, txn_id = item["item_id"], txn["transaction_id"]
        self._db.execute(
            "INSERT INTO changes (item_id, position, op, txn) VALUES (?, ?, ?, ?)",
            (item_id, position, op, _dumps(txn)),
        )
        if op != "removed" and txn["pending"]:
            self._db.execute(
                "INSERT OR REPLACE INTO pending (item_id, transaction_id, position) "
                "VALUES (?, ?, ?)",
                (item_id, txn_id, position),
            )
        else:
            self._db.execute(
                "DELETE FROM pending WHERE item_id = ? AND transaction_id = ?", (item_id, txn_id)
            )

    def changes(self, item_id: str, start: int, stop: int) -> list[LogEntry]:
        """The Item's changes at positions start..stop-1, in order."""
        rows = self._db.execute(
            "SELECT op, txn FROM changes WHERE item_id = ? AND position >= ? AND position < ? "
            "ORDER BY position",
            (item_id, start, stop),
        )
        return [{"op": op, "txn": json.loads(txn)} for op, txn in rows]

    def pending_transactions(self, item_id: str) -> list[TxnRecord]:
        """The Item's transactions that are pending now, in the order they arrived."""
        rows = self._db.execute(
            "SELECT changes.txn FROM pending JOIN changes "
            "ON changes.item_id = pending.item_id AND changes.position = pending.position "
            "WHERE pending.item_id = ? ORDER BY pending.position",
            (item_id,),
        )
        return [json.loads(txn) for (txn,) in rows]

    def add_access_token(self, access_token: str, item_id: str) -> None:
        self._access_tokens[access_token] = item_id

    def public_token(self, token: str) -> PublicTokenRecord | None:
        if token not in self._public_tokens:
            row = self._db.execute(
                "SELECT data FROM public_tokens WHERE token = ?", (token,)
            ).fetchone()
            if row is None:
                return None
            self._public_tokens[token] = json.loads(row[0])
        return self._public_tokens[token]

    def add_public_token(self, token: str, record: PublicTokenRecord) -> None:
        self._public_tokens[token] = record

    def forget_public_tokens_before(self, created_before: str) -> None:
        self._db.execute("DELETE FROM public_tokens WHERE created_at < ?", (created_before,))

    def link_token(self, token: str) -> LinkTokenRecord | None:
        row = self._db.execute("SELECT data FROM link_tokens WHERE token = ?", (token,)).fetchone()
        return None if row is None else json.loads(row[0])

    def add_link_token(self, token: str, record: LinkTokenRecord) -> None:
        """Stored at once: a Link token never changes after it is made."""
        self._db.execute(
            "INSERT INTO link_tokens (token, created_at, data) VALUES (?, ?, ?)",
            (token, record["created_at"], _dumps(record)),
        )

    def forget_link_tokens_before(self, created_before: str) -> None:
        self._db.execute("DELETE FROM link_tokens WHERE created_at < ?", (created_before,))

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def save(self) -> None:
        """Write what the session loaded or added (the store calls this before COMMIT)."""
        for item_id in self._deleted_items:
            self._db.execute("DELETE FROM items WHERE item_id = ?", (item_id,))
            self._db.execute("DELETE FROM changes WHERE item_id = ?", (item_id,))
            self._db.execute("DELETE FROM pending WHERE item_id = ?", (item_id,))
            self._db.execute("DELETE FROM access_tokens WHERE item_id = ?", (item_id,))
            self._db.execute("DELETE FROM public_tokens WHERE item_id = ?", (item_id,))
        self._db.executemany(
            "INSERT INTO items (item_id, data) VALUES (?, ?) "
            "ON CONFLICT (item_id) DO UPDATE SET data = excluded.data",
            [(item_id, _dumps(item)) for item_id, item in self._items.items()],
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO access_tokens (token, item_id) VALUES (?, ?)",
            [
                (token, item_id)
                for token, item_id in self._access_tokens.items()
                if item_id not in self._deleted_items
            ],
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO public_tokens (token, item_id, created_at, data) "
            "VALUES (?, ?, ?, ?)",
            [
                (token, record["item_id"], record["created_at"], _dumps(record))
                for token, record in self._public_tokens.items()
                if record["item_id"] not in self._deleted_items
            ],
        )


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _upgrade_from_version_1(session: Session) -> None:
    """Move each Item's change log out of its record into `changes` (positions, and so the
    cursors handed out, stay the same)."""
    item_ids = [row[0] for row in session._db.execute("SELECT item_id FROM items")]
    for item_id in item_ids:
        item = session.item(item_id)
        assert item is not None
        log: list[LogEntry] = item.pop("log", [])  # type: ignore[typeddict-item]
        item["log_length"] = 0
        for entry in log:
            session.append_change(item, entry["op"], entry["txn"])


class StateStore:
    """The state file, opened on first use; every session holds this store's lock."""

    def __init__(self, path: Path, new_signing_key: Callable[[], SigningKeyRecord]) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            with self.write() as session:
                key = self._initialise(session, new_signing_key)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise RuntimeError(
                f"{path} is not a Plaid emulator state file (SQLite): {exc}; "
                "remove it or choose another state path"
            ) from exc
        self.signing_key: SigningKeyRecord = json.loads(key)

    def _initialise(self, session: Session, new_signing_key: Callable[[], SigningKeyRecord]) -> str:
        """Stamp a new state file, or check an existing one; returns its signing key (JSON)."""
        version = session.meta("version")
        if version is None:
            version = STATE_VERSION
            session.set_meta("version", version)
            session.set_meta("signing_key", _dumps(new_signing_key()))
        elif version == "1":
            _upgrade_from_version_1(session)
            session.set_meta("version", STATE_VERSION)
        elif version != STATE_VERSION:
            raise RuntimeError(f"{self._path}: unsupported Plaid emulator state version {version}")
        key = session.meta("signing_key")
        if key is None:
            raise RuntimeError(f"{self._path}: the Plaid emulator state has no signing key")
        return key

    @property
    def path(self) -> Path:
        return self._path

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: sessions issue BEGIN/COMMIT themselves. The connection is used by
            # one worker thread at a time, under the store's lock.
            db = sqlite3.connect(
                self._path, timeout=30, isolation_level=None, check_same_thread=False
            )
            try:
                db.execute("PRAGMA journal_mode = WAL")
                db.executescript(_SCHEMA)
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent view of the state; changes made through it are not saved."""
        with self._lock:
            db = self._connection()
            db.execute("BEGIN")
            try:
                yield Session(db)
            finally:
                db.execute("ROLLBACK")

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose changes are saved together when the block ends without error."""
        with self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            try:
                session = Session(db)
                yield session
                session.save()
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
