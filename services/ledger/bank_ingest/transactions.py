"""One sync run's transaction changes for a linked item, applied to the ledger.

Idempotent: applying the same batch again changes nothing (and announces nothing). The rules
for a pending transaction that posts:

- The posted transaction names its pending one (`pending_transaction_id`). If that pending
  row exists for the item, it becomes the posted one in place: same ledger id, the bank's new
  id, amount, date and description, pending false, and the user's category and notes kept.
- Plaid may report the pending one's removal in the same batch (handled: updates run before
  removals) or in an earlier batch. A removed pending row leaves a tombstone with its ledger id
  and the user's edits; a posted transaction arriving later takes them over, so the edits and
  the id survive that ordering too. Tombstones are pruned after TOMBSTONE_RETENTION.
- A removal reported in the same batch as an add of the same id wins (the row is gone).

The user's other edits follow the same path: the payee they chose, tags, split parts, the
reviewed flag and a transfer link stay on the row when it posts in place, and travel on the
tombstone otherwise (pending_edits.py). A payee the user did not choose follows the bank's
merchant name or description (found or created in bulk: a few queries per batch). The user's
rules come first (rule_choices.py): a rule's category before the bank's hint, a rule's payee
before the derived one, and rules' tags added, never over the user's choices. When the
bank changes the amount of a split transaction, its parts are fitted or dropped
(transactions/splits.py). A removed transaction that was half of a transfer leaves the other
half an ordinary transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field

from services.ledger import events, rows
from services.ledger.accounts import service as account_service
from services.ledger.bank_ingest import pending_edits, repository, rule_choices
from services.ledger.bank_ingest.bank_data import (
    BankDataError,
    BankTransaction,
    BankTransactionBatch,
    bank_text,
    check_currency,
    check_provider_id,
    exact_money,
)
from services.ledger.bank_ingest.rule_choices import NO_OUTCOME, Outcome
from services.ledger.categories import service as category_service
from services.ledger.categories.defaults import category_name_for_hint
from services.ledger.currencies import service as currency_service
from services.ledger.events import announce_transactions_changed
from services.ledger.models import (
    CATEGORY_SOURCE_BANK,
    CATEGORY_SOURCE_RULE,
    CATEGORY_SOURCE_USER,
    MAX_DESCRIPTION,
    PAYEE_SOURCE_DERIVED,
    PAYEE_SOURCE_RULE,
    PAYEE_SOURCE_USER,
    Account,
    PendingTombstone,
    Transaction,
)
from services.ledger.payees import service as payee_service
from services.ledger.transactions import service as transaction_service
from services.ledger.transactions import splits
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.money import Money

TOMBSTONE_RETENTION = dt.timedelta(days=90)


@dataclass(frozen=True)
class IngestResult:
    """How many of the item's transactions one batch added, updated and removed."""

    added: int
    updated: int
    removed: int


_KINDS = ("added", "updated", "removed")


@dataclass(frozen=True)
class _Incoming:
    """A bank transaction checked and resolved against the ledger."""

    provider_id: str
    pending_of: str | None
    account: Account
    date: dt.date
    amount: Money
    description: str
    pending: bool
    category_id: uuid.UUID | None
    payee_text: str  # the merchant's name, else the description: what the payee comes from


@dataclass
class _Ingestion:
    """The state of one batch being applied: the item's known rows and tombstones by provider
    id, and what changed."""

    work: UnitOfWork
    user_id: uuid.UUID
    item_ref: uuid.UUID
    known: dict[str | None, Transaction]
    tombstones: dict[str, PendingTombstone]
    payees: dict[str, uuid.UUID]
    # What the user's rules make of each reported transaction, by provider id.
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    consumed: list[PendingTombstone] = field(default_factory=list)
    # New rows that took over a removed pending row's tombstone (and its edits).
    restored: list[tuple[Transaction, PendingTombstone]] = field(default_factory=list)
    # Rows whose amount the bank changed: split ones must be fitted again.
    refit: list[Transaction] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    changed_ids: set[uuid.UUID] = field(default_factory=set)
    added_ids: set[uuid.UUID] = field(default_factory=set)
    changed_days: set[dt.date] = field(default_factory=set)
    # New rows, and rows whose money or date the bank changed: converted together at the end.
    to_convert: list[Transaction] = field(default_factory=list)
    # How many rows each rule changed.
    credits: Counter[uuid.UUID] = field(default_factory=Counter)

    def record(self, kind: str, row: Transaction, *days: dt.date) -> None:
        self.counts[kind] += 1
        self.changed_ids.add(row.id)
        self.changed_days.update(days or (row.date,))

    def upsert(self, tx: _Incoming) -> None:
        row = self.known.get(tx.provider_id)
        if row is not None:
            old_date = row.date
            if changed := self._apply(row, tx):
                self.record("updated", row, old_date, row.date)
                self._reconvert(row, changed)
            return
        pending_row = self.known.get(tx.pending_of) if tx.pending_of else None
        if pending_row is not None and pending_row.pending:
            self._post(pending_row, tx)
            return
        self._insert(tx)

    def _post(self, pending_row: Transaction, tx: _Incoming) -> None:
        """The pending row becomes the posted one in place, keeping its id and user edits."""
        old_date = pending_row.date
        del self.known[pending_row.provider_transaction_id]
        pending_row.provider_transaction_id = tx.provider_id
        self.known[tx.provider_id] = pending_row
        self._reconvert(pending_row, self._apply(pending_row, tx))
        self.record("updated", pending_row, old_date, pending_row.date)

    def _reconvert(self, row: Transaction, changed: set[str]) -> None:
        """A changed amount, currency or date is a new figure; other changes keep it."""
        if changed & {"amount_minor", "currency", "date"}:
            self.to_convert.append(row)
        if "amount_minor" in changed:
            self.refit.append(row)

    def _apply(self, row: Transaction, tx: _Incoming) -> set[str]:
        outcome = self.outcomes.get(tx.provider_id, NO_OUTCOME)
        changed = _apply(row, tx, self.payees, outcome)
        self._credit(outcome, changed)
        return changed

    def _credit(self, outcome: Outcome, changed: set[str]) -> None:
        if outcome.category is not None and "category_id" in changed:
            self.credits[outcome.category.rule_id] += 1
        if outcome.payee is not None and "payee_id" in changed:
            self.credits[outcome.payee.rule_id] += 1

    def _insert(self, tx: _Incoming) -> None:
        tombstone = self.tombstones.pop(tx.pending_of, None) if tx.pending_of else None
        outcome = self.outcomes.get(tx.provider_id, NO_OUTCOME)
        category_id, category_source = _category(tx, outcome)
        payee_id, payee_source = _payee(tx, outcome, self.payees)
        row = Transaction(
            id=tombstone.transaction_id if tombstone else uuid.uuid4(),
            user_id=self.user_id,
            item_ref=self.item_ref,
            provider_transaction_id=tx.provider_id,
            account_id=tx.account.id,
            date=tx.date,
            amount_minor=tx.amount.minor,
            currency=tx.amount.currency,
            description=tx.description,
            pending=tx.pending,
            category_id=category_id,
            category_source=category_source,
            notes=None,
            payee_id=payee_id,
            payee_source=payee_source,
            # New from the bank: the user has not seen it yet.
            reviewed=False,
        )
        if tombstone is not None:
            # Its pending version was removed before this posted one arrived.
            self.consumed.append(tombstone)
            self.restored.append((row, tombstone))
            row.notes = tombstone.notes
            if tombstone.category_source == CATEGORY_SOURCE_USER:
                row.category_id = tombstone.category_id
                row.category_source = CATEGORY_SOURCE_USER
        written = {"category_id"} if row.category_source == CATEGORY_SOURCE_RULE else set()
        if row.payee_source == PAYEE_SOURCE_RULE:
            written.add("payee_id")
        self._credit(outcome, written)
        rows.add(self.work.session, row)
        self.known[tx.provider_id] = row
        self.to_convert.append(row)
        self.record("added", row)
        self.added_ids.add(row.id)

    def remove(self, row: Transaction) -> PendingTombstone | None:
        """Count a removal; the tombstone that keeps a pending row's edits, if it is one."""
        self.record("removed", row)
        return self._remember(row) if row.pending else None

    def _remember(self, row: Transaction) -> PendingTombstone:
        provider_id = row.provider_transaction_id
        assert provider_id is not None
        tombstone = self.tombstones.get(provider_id)
        if tombstone is None:
            tombstone = PendingTombstone(
                user_id=self.user_id, item_ref=self.item_ref, provider_transaction_id=provider_id
            )
            rows.add(self.work.session, tombstone)
            self.tombstones[provider_id] = tombstone
        tombstone.transaction_id = row.id
        tombstone.category_id = row.category_id
        tombstone.category_source = row.category_source
        tombstone.notes = row.notes
        tombstone.removed_at = utcnow()
        return tombstone


async def ingest_bank_transactions(work: UnitOfWork, batch: BankTransactionBatch) -> IngestResult:
    session = work.session
    user_id, item_ref = batch.user_id, batch.item_ref
    accounts = {
        row.provider_account_id: row
        for row in await account_service.accounts_of_items(session, user_id, [item_ref], lock=True)
    }
    # Hints name default categories: each lands in the category the user made of it.
    category_ids = await category_service.hint_targets(session, user_id)
    # Everything is checked before the first write. One entry per provider id (the last
    # report wins); pending ones first, so a posted one finds the pending row it replaces.
    latest = {tx.provider_transaction_id: tx for tx in [*batch.added, *batch.modified]}
    incoming = sorted(
        (_resolve(tx, accounts, category_ids) for tx in latest.values()),
        key=lambda tx: not tx.pending,
    )
    removed_ids = list(dict.fromkeys(check_provider_id(pid, "removed id") for pid in batch.removed))

    pending_refs = {tx.pending_of for tx in incoming if tx.pending_of}
    wanted = sorted({tx.provider_id for tx in incoming} | pending_refs | set(removed_ids))
    known: dict[str | None, Transaction] = {
        row.provider_transaction_id: row
        for row in await repository.bank_transactions(session, user_id, item_ref, wanted)
    }
    tombstone_ids = sorted((pending_refs - known.keys()) | set(removed_ids))
    tombstones = {
        row.provider_transaction_id: row
        for row in await repository.tombstones(session, user_id, item_ref, tombstone_ids)
    }
    payees = await payee_service.payee_ids_for_texts(
        session, user_id, [tx.payee_text for tx in incoming]
    )
    outcomes = await rule_choices.rule_outcomes(session, user_id, incoming, known, payees)
    ingestion = _Ingestion(work, user_id, item_ref, known, tombstones, payees, outcomes)

    for tx in incoming:
        ingestion.upsert(tx)
    # The whole batch at once: the rates it needs are read in one query.
    await currency_service.convert_transactions(session, user_id, ingestion.to_convert)
    await pending_edits.restore_payees(session, user_id, ingestion.restored)
    # Read as they were before their changes are written: the report totals follow the batch's
    # own rows by difference, instead of summing again the months it touches.
    await events.transactions_changing(work, user_id, ingestion.changed_ids - ingestion.added_ids)
    events.transactions_added(work, user_id, ingestion.added_ids)
    await session.flush()
    relinked = await pending_edits.restore_links(session, user_id, ingestion.restored)
    ingestion.credits += await rule_choices.add_tags(
        session,
        user_id,
        [(known[pid], outcome) for pid, outcome in outcomes.items() if pid in known],
    )
    await rule_choices.credit(session, user_id, ingestion.credits)
    await rows.delete(session, ingestion.consumed)
    for row in await splits.refit_parts(session, user_id, ingestion.refit):
        ingestion.changed_ids.add(row.id)

    # Removals last: a pending row already turned into its posted one is no longer found.
    doomed = [known[pid] for pid in removed_ids if pid in known]
    remembered = [(row, tombstone) for row in doomed if (tombstone := ingestion.remove(row))]
    await pending_edits.remember(session, user_id, remembered)
    await events.transactions_changing(work, user_id, _with_counterparts(doomed))
    unlinked = await transaction_service.unlink_transfers(session, user_id, doomed)
    await rows.delete(session, doomed)
    await repository.prune_tombstones(session, item_ref, utcnow() - TOMBSTONE_RETENTION)
    await session.flush()

    # The other halves of transfers linked again or undone count differently now.
    for row in (*relinked, *unlinked):
        ingestion.changed_ids.add(row.id)
        ingestion.changed_days.add(row.date)
    announce_transactions_changed(work, user_id, ingestion.changed_ids, ingestion.changed_days)
    return IngestResult(**ingestion.counts)


def _with_counterparts(transactions: list[Transaction]) -> list[uuid.UUID]:
    """The transactions' ids and those of their transfers' other halves."""
    ids = [row.id for row in transactions]
    return ids + [
        row.transfer_counterpart_id for row in transactions if row.transfer_counterpart_id
    ]


def _resolve(
    tx: BankTransaction, accounts: dict[str | None, Account], category_ids: dict[str, uuid.UUID]
) -> _Incoming:
    account = accounts.get(tx.provider_account_id)
    if account is None:
        raise BankDataError(
            f"unknown bank account {tx.provider_account_id[:120]!r} for this item: "
            "upsert the item's accounts first"
        )
    if check_currency(tx.currency) != account.currency:
        raise BankDataError(f"transaction in {tx.currency} on an account in {account.currency}")
    hint_name = category_name_for_hint(tx.category_hint)
    description = (
        bank_text(tx.description, MAX_DESCRIPTION)
        or bank_text(tx.merchant_name, MAX_DESCRIPTION)
        or "Bank transaction"
    )
    return _Incoming(
        provider_id=check_provider_id(tx.provider_transaction_id, "provider_transaction_id"),
        pending_of=(
            check_provider_id(tx.pending_transaction_id, "pending_transaction_id")
            if tx.pending_transaction_id
            else None
        ),
        account=account,
        date=tx.date,
        amount=exact_money(tx.amount, account.currency),
        description=description,
        pending=tx.pending,
        category_id=category_ids.get(hint_name) if hint_name else None,
        payee_text=_payee_text(tx),
    )


def _payee_text(tx: BankTransaction) -> str:
    """What the payee is named after: the merchant's name when the bank knows it, else the
    description, with its spacing (fixed-width columns tell the name from the place)."""
    text = tx.merchant_name if tx.merchant_name and tx.merchant_name.strip() else tx.description
    return "".join(ch if ord(ch) >= 32 else " " for ch in text or "")[:MAX_DESCRIPTION]


def _category(tx: _Incoming, outcome: Outcome) -> tuple[uuid.UUID | None, str | None]:
    """A rule's category, else the bank's hint (None, None when neither names one)."""
    if outcome.category is not None:
        return outcome.category.value, CATEGORY_SOURCE_RULE
    if tx.category_id is not None:
        return tx.category_id, CATEGORY_SOURCE_BANK
    return None, None


def _payee(
    tx: _Incoming, outcome: Outcome, payees: dict[str, uuid.UUID]
) -> tuple[uuid.UUID | None, str | None]:
    """A rule's payee, else the one the bank's text names (None, None when none does)."""
    if outcome.payee is not None:
        return outcome.payee.value, PAYEE_SOURCE_RULE
    payee_id = payees.get(tx.payee_text)
    return payee_id, PAYEE_SOURCE_DERIVED if payee_id is not None else None


def _apply(
    row: Transaction, tx: _Incoming, payees: dict[str, uuid.UUID], outcome: Outcome
) -> set[str]:
    """Bring a row up to the bank's report and the user's rules; the user's category, notes
    and chosen payee are never touched. The names of the columns that changed."""
    wanted = {
        "account_id": tx.account.id,
        "date": tx.date,
        "amount_minor": tx.amount.minor,
        "currency": tx.amount.currency,
        "description": tx.description,
        "pending": tx.pending,
    }
    category_id, category_source = _category(tx, outcome)
    if row.category_source != CATEGORY_SOURCE_USER and category_id is not None:
        wanted["category_id"] = category_id
        wanted["category_source"] = category_source
    if row.payee_source != PAYEE_SOURCE_USER:
        wanted["payee_id"], wanted["payee_source"] = _payee(tx, outcome, payees)
    changed = set()
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.add(name)
    return changed
