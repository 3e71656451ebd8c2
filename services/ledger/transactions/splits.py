"""Split transactions: one transaction in several parts, each with its own amount, category
and notes, counted by budgets and reports in place of the transaction (see counted.py).

The rules:
- at least two parts and at most MAX_PARTS; each part is non-zero money of the transaction's
  sign (money out split into money out), exact in its currency;
- the parts add up to the transaction's amount exactly, always;
- half of a transfer is not split (a transfer counts nowhere, so its parts would not either).

A bank transaction stays split through re-syncs and when it posts (it keeps its ledger id).
When the bank changes its amount, the parts must follow: the difference goes to the first
part (the one the user listed first, usually the main one) when that leaves it non-zero and
of the transaction's sign; otherwise the split is dropped, since no part can absorb the
change without a guess. Either way the transaction becomes unreviewed, so the user sees it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.categories import service as category_service
from services.ledger.currencies.conversion import share_figure
from services.ledger.events import announce_transactions_changed
from services.ledger.models import MAX_NOTES, Transaction, TransactionSplit
from services.ledger.transactions import repository
from services.ledger.transactions import service as transaction_service
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money
from shared.validation import clean_text

MAX_PARTS = 50


@dataclass(frozen=True)
class NewPart:
    amount: Decimal
    category_id: uuid.UUID | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Part:
    """A part as kept (on the transaction, or remembered for a pending one that was removed)."""

    amount_minor: int
    category_id: uuid.UUID | None
    notes: str | None

    def remembered(self) -> dict[str, Any]:
        return {
            "amount_minor": self.amount_minor,
            "category_id": self.category_id.hex if self.category_id else None,
            "notes": self.notes,
        }

    @classmethod
    def from_remembered(cls, value: dict[str, Any]) -> Part:
        category = value.get("category_id")
        return cls(
            amount_minor=int(value["amount_minor"]),
            category_id=uuid.UUID(hex=category) if category else None,
            notes=value.get("notes"),
        )


async def split_transaction(
    work: UnitOfWork, user_id: uuid.UUID, transaction_id: uuid.UUID, parts: Sequence[NewPart]
) -> Transaction:
    """Split a transaction into parts (replacing any it had)."""
    session = work.session
    transaction = await transaction_service.require_transaction(session, user_id, transaction_id)
    checked = _checked_parts(transaction, parts)
    categories = sorted({part.category_id for part in checked if part.category_id is not None})
    if len(await category_service.categories_by_ids(session, user_id, categories)) != len(
        categories
    ):
        raise NotFound("Category")
    await _replace_parts(session, user_id, transaction, checked)
    announce_transactions_changed(work, user_id, [transaction.id], [transaction.date])
    return transaction


def _checked_parts(transaction: Transaction, parts: Sequence[NewPart]) -> list[Part]:
    if transaction.transfer_counterpart_id is not None:
        raise BadUserInput("input.id", "is half of a transfer: unlink it before splitting it")
    if transaction.amount_minor == 0:
        raise BadUserInput("input.id", "has no amount to split")
    if len(parts) < 2:
        raise BadUserInput("input.parts", "must have at least two parts")
    if len(parts) > MAX_PARTS:
        raise BadUserInput("input.parts", f"must have at most {MAX_PARTS} parts")
    money_in = transaction.amount_minor > 0
    checked = []
    for index, part in enumerate(parts):
        field = f"input.parts[{index}]"
        minor = Money.parse(part.amount, transaction.currency, f"{field}.amount").minor
        if minor == 0 or (minor > 0) != money_in:
            raise BadUserInput(
                f"{field}.amount",
                "must be money "
                + ("in (positive)" if money_in else "out (negative)")
                + " like the transaction it is part of",
            )
        notes = None
        if part.notes is not None:
            notes = clean_text(
                part.notes, f"{field}.notes", max_length=MAX_NOTES, required=False, multiline=True
            )
        checked.append(Part(minor, part.category_id, notes or None))
    total = sum(part.amount_minor for part in checked)
    if total != transaction.amount_minor:
        whole = Money(transaction.amount_minor, transaction.currency)
        given = Money(total, transaction.currency)
        raise BadUserInput(
            "input.parts",
            f"must add up to the transaction's {whole.amount} {whole.currency} exactly "
            f"(they add up to {given.amount})",
        )
    return checked


async def _replace_parts(
    session: AsyncSession, user_id: uuid.UUID, transaction: Transaction, parts: Sequence[Part]
) -> None:
    await repository.delete_parts(session, [transaction.id])
    _add_parts(session, user_id, transaction, parts)
    await session.flush()


def _add_parts(
    session: AsyncSession, user_id: uuid.UUID, transaction: Transaction, parts: Sequence[Part]
) -> None:
    rows.add(
        session,
        *(
            TransactionSplit(
                user_id=user_id,
                transaction_id=transaction.id,
                position=position,
                amount_minor=part.amount_minor,
                category_id=part.category_id,
                notes=part.notes,
            )
            for position, part in enumerate(parts)
        ),
    )


async def unsplit_transaction(
    work: UnitOfWork, user_id: uuid.UUID, transaction_id: uuid.UUID
) -> Transaction:
    """Make a split transaction whole again: it counts by its own category from now on.
    A transaction that is not split stays as it is."""
    session = work.session
    transaction = await transaction_service.require_transaction(session, user_id, transaction_id)
    if await repository.has_parts(session, transaction.id):
        await repository.delete_parts(session, [transaction.id])
        announce_transactions_changed(work, user_id, [transaction.id], [transaction.date])
    return transaction


async def parts_of(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TransactionSplit]]:
    """Each split transaction's parts, in order (transactions not split are absent)."""
    found: defaultdict[uuid.UUID, list[TransactionSplit]] = defaultdict(list)
    for part in await repository.parts_of(session, user_id, transaction_ids):
        found[part.transaction_id].append(part)
    return dict(found)


def part_figures(transaction: Transaction, parts: Sequence[TransactionSplit]) -> list[int | None]:
    """Each part's share of the transaction's figure in the base currency (None without one)."""
    if transaction.converted_minor is None or not parts:
        return [None] * len(parts)
    try:
        return list(share_figure(transaction.converted_minor, [p.amount_minor for p in parts]))
    except ValueError:  # parts that no longer fit their transaction (never left so: see refit)
        return [None] * len(parts)


def fit_parts(amounts: Sequence[int], total: int) -> list[int] | None:
    """Parts that add up to a transaction's new amount: the difference goes to the first part
    if that keeps it non-zero and of the amount's sign; None when no such fit exists."""
    if not amounts or total == 0:
        return None
    money_in = total > 0
    first = amounts[0] + total - sum(amounts)
    fitted = [first, *amounts[1:]]
    if any(amount == 0 or (amount > 0) != money_in for amount in fitted):
        return None
    return fitted


async def refit_parts(
    session: AsyncSession, user_id: uuid.UUID, transactions: Sequence[Transaction]
) -> list[Transaction]:
    """After the bank changed these transactions' amounts: make the parts of those that are
    split fit again, or drop the split (see the module's rules). The transactions whose split
    changed (now unreviewed)."""
    by_id = {row.id: row for row in transactions}
    changed = []
    for transaction_id, parts in (await parts_of(session, user_id, list(by_id))).items():
        transaction = by_id[transaction_id]
        amounts = [part.amount_minor for part in parts]
        if sum(amounts) == transaction.amount_minor:
            continue
        fitted = fit_parts(amounts, transaction.amount_minor)
        if fitted is None:
            await repository.delete_parts(session, [transaction_id])
        else:
            parts[0].amount_minor = fitted[0]
        transaction.reviewed = False
        changed.append(transaction)
    await session.flush()
    return changed


async def remembered_parts(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """The parts of these transactions as a tombstone keeps them (split ones only)."""
    return {
        transaction_id: [
            Part(part.amount_minor, part.category_id, part.notes).remembered() for part in parts
        ]
        for transaction_id, parts in (await parts_of(session, user_id, transaction_ids)).items()
    }


async def restore_parts(
    session: AsyncSession,
    user_id: uuid.UUID,
    remembered: Sequence[tuple[Transaction, list[dict[str, Any]]]],
) -> None:
    """Split these transactions (new, and already flushed) as their pending versions were: a
    category deleted since is left out, and parts that no longer add up are fitted or dropped
    as on a re-sync."""
    wanted = [
        (row, [Part.from_remembered(value) for value in values]) for row, values in remembered
    ]
    category_ids = sorted({p.category_id for _, parts in wanted for p in parts if p.category_id})
    existing = {
        category.id
        for category in await category_service.categories_by_ids(session, user_id, category_ids)
    }
    for transaction, parts in wanted:
        amounts = [part.amount_minor for part in parts]
        fitted = amounts if sum(amounts) == transaction.amount_minor else None
        fitted = fitted or fit_parts(amounts, transaction.amount_minor)
        if fitted is None or len(fitted) < 2:
            transaction.reviewed = False
            continue
        if fitted != amounts:
            transaction.reviewed = False
        restored = [
            Part(amount, part.category_id if part.category_id in existing else None, part.notes)
            for amount, part in zip(fitted, parts, strict=True)
        ]
        _add_parts(session, user_id, transaction, restored)
    await session.flush()
