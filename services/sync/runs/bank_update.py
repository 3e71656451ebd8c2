"""One pagination of /transactions/sync, folded into the update the ledger stores at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from services.ledger import api as ledger
from services.sync.plaid import mapping
from services.sync.plaid.records import PlaidTransaction, SyncPage


@dataclass
class BankUpdate:
    """Everything one pagination of /transactions/sync reported, folded per transaction.

    A transaction may show up on several pages of one update (added, then modified or
    removed); the ledger gets each id once, in its last state.
    """

    next_cursor: str = ""
    accounts: list[ledger.BankAccount] = field(default_factory=list)
    pages: int = 0
    _changes: dict[str, tuple[str, ledger.BankTransaction | None]] = field(default_factory=dict)

    def add_page(self, page: SyncPage) -> None:
        self.pages += 1
        self.next_cursor = page.next_cursor
        self.accounts = [mapping.bank_account(account) for account in page.accounts]
        for transaction in page.added:
            self._upsert(transaction, "added")
        for transaction in page.modified:
            self._upsert(transaction, "modified")
        for transaction_id in page.removed:
            self._changes[transaction_id] = ("removed", None)

    def _upsert(self, transaction: PlaidTransaction, kind: str) -> None:
        converted = mapping.bank_transaction(transaction)
        previous = self._changes.get(converted.provider_transaction_id)
        if previous is not None and previous[0] == "added":
            kind = "added"
        self._changes[converted.provider_transaction_id] = (kind, converted)

    def batch(self, user_id: uuid.UUID, item_ref: uuid.UUID) -> ledger.BankTransactionBatch:
        added = [t for kind, t in self._changes.values() if kind == "added" and t]
        modified = [t for kind, t in self._changes.values() if kind == "modified" and t]
        removed = [tid for tid, (kind, _) in self._changes.items() if kind == "removed"]
        return ledger.BankTransactionBatch(
            user_id=user_id,
            item_ref=item_ref,
            added=tuple(added),
            modified=tuple(modified),
            removed=tuple(removed),
        )

    @property
    def has_changes(self) -> bool:
        return bool(self._changes)
