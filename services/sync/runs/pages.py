"""One page of /transactions/sync as the ledger takes it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.ledger import api as ledger
from services.sync.plaid import mapping
from services.sync.plaid.records import SyncPage


@dataclass(frozen=True)
class PageChanges:
    """A page's accounts and transaction changes, each transaction once in its last state
    (a page may list one as added, then modified or removed), and every id it mentions with
    whether it was reported added."""

    accounts: list[ledger.BankAccount]
    batch: ledger.BankTransactionBatch
    reported: dict[str, bool]

    @property
    def has_changes(self) -> bool:
        return bool(self.reported)


def page_changes(page: SyncPage, user_id: uuid.UUID, item_ref: uuid.UUID) -> PageChanges:
    changes: dict[str, tuple[str, ledger.BankTransaction | None]] = {}
    for reported_as, transactions in (("added", page.added), ("modified", page.modified)):
        for transaction in transactions:
            converted = mapping.bank_transaction(transaction)
            previous = changes.get(converted.provider_transaction_id)
            # Added, then modified on the same page: still new to the ledger.
            kind = "added" if previous is not None and previous[0] == "added" else reported_as
            changes[converted.provider_transaction_id] = (kind, converted)
    added = {tid for tid, (kind, _) in changes.items() if kind == "added"}
    for transaction_id in page.removed:
        changes[transaction_id] = ("removed", None)
    return PageChanges(
        accounts=[mapping.bank_account(account) for account in page.accounts],
        batch=ledger.BankTransactionBatch(
            user_id=user_id,
            item_ref=item_ref,
            added=tuple(t for kind, t in changes.values() if kind == "added" and t),
            modified=tuple(t for kind, t in changes.values() if kind == "modified" and t),
            removed=tuple(tid for tid, (kind, _) in changes.items() if kind == "removed"),
        ),
        reported={tid: tid in added for tid in changes},
    )
