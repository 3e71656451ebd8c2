"""Transfers between the user's own accounts: two transactions, money out of one account and
into another, each naming the other. Made by hand (createTransfer makes both halves), or
matched from two transactions already there (two bank transactions, typically) that the user
confirms (linkTransfer); unlinking makes them ordinary transactions again.

A transfer counts in balances and net worth, never in spending, income or budgets (see
counted.py). Matching proposes pairs (transfer_candidates): two unlinked transactions of the
user in different accounts, one money out and one money in, of the same size in the same
currency, dated at most MATCH_WINDOW_DAYS apart; each transaction is proposed once, with its
closest match.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.events import announce_transactions_changed
from services.ledger.models import (
    CATEGORY_SOURCE_USER,
    MAX_DESCRIPTION,
    MAX_NOTES,
    Account,
    Transaction,
)
from services.ledger.periods import check_date, check_range
from services.ledger.transactions import repository
from services.ledger.transactions import service as transaction_service
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money
from shared.validation import clean_text

# Bank transfers take a few business days to arrive.
MATCH_WINDOW_DAYS = 5
# As wide as a report may be (it reads two columns of each transaction in the range).
MAX_CANDIDATE_YEARS = 10
# The category a transfer made by hand gets, when the user has it (cosmetic: a transfer
# counts nowhere whatever its category).
TRANSFERS_CATEGORY = "Transfers"


@dataclass(frozen=True)
class NewTransfer:
    from_account_id: uuid.UUID
    to_account_id: uuid.UUID
    date: dt.date
    amount: Decimal  # leaving the first account, in its currency, more than zero
    to_amount: Decimal | None = None  # arriving, in the second's (needed if it differs)
    description: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Transfer:
    outflow: Transaction
    inflow: Transaction


async def create_transfer(work: UnitOfWork, user_id: uuid.UUID, new: NewTransfer) -> Transfer:
    """Record money moved between two of the user's accounts: both halves, linked."""
    session = work.session
    source = await account_service.require_account(session, user_id, new.from_account_id)
    target = await account_service.require_account(session, user_id, new.to_account_id)
    if source.id == target.id:
        raise BadUserInput("input.toAccountId", "must be another account than input.fromAccountId")
    day = check_date(new.date, "input.date")
    out_amount = _positive(Money.parse(new.amount, source.currency, "input.amount"), "input.amount")
    in_amount = _arriving(new, source, target, out_amount)
    notes = None
    if new.notes is not None:
        notes = clean_text(
            new.notes, "input.notes", max_length=MAX_NOTES, required=False, multiline=True
        )
    described = None
    if new.description is not None:
        described = clean_text(new.description, "input.description", max_length=MAX_DESCRIPTION)
    category_id = next(
        (c.id for c in await category_service.list_categories(session, user_id)
         if c.name == TRANSFERS_CATEGORY),
        None,
    )  # fmt: skip
    halves = [
        Transaction(
            user_id=user_id,
            account_id=account.id,
            date=day,
            amount_minor=money.minor,
            currency=money.currency,
            description=described or _default_description(source, target, outgoing=outgoing),
            notes=notes or None,
            category_id=category_id,
            category_source=CATEGORY_SOURCE_USER if category_id else None,
            pending=False,
            reviewed=True,
        )
        for account, money, outgoing in (
            (source, Money(-out_amount.minor, out_amount.currency), True),
            (target, in_amount, False),
        )
    ]
    await currency_service.convert_transactions(session, user_id, halves)
    rows.add(session, *halves)
    # Inserted first, linked after: each half's link names a row that must exist.
    await session.flush()
    outflow, inflow = halves
    _link(outflow, inflow)
    await session.flush()
    announce_transactions_changed(work, user_id, [outflow.id, inflow.id], [day])
    return Transfer(outflow, inflow)


def _positive(money: Money, field: str) -> Money:
    if money.minor <= 0:
        raise BadUserInput(field, "must be more than zero (the money moved)")
    return money


def _arriving(new: NewTransfer, source: Account, target: Account, out_amount: Money) -> Money:
    if target.currency == source.currency:
        if new.to_amount is not None:
            arriving = Money.parse(new.to_amount, target.currency, "input.toAmount")
            if arriving != out_amount:
                raise BadUserInput(
                    "input.toAmount",
                    "must equal input.amount between accounts of one currency (or be left out)",
                )
        return out_amount
    if new.to_amount is None:
        raise BadUserInput(
            "input.toAmount",
            f"is needed: the accounts are in {source.currency} and {target.currency}",
        )
    return _positive(
        Money.parse(new.to_amount, target.currency, "input.toAmount"), "input.toAmount"
    )


def _default_description(source: Account, target: Account, *, outgoing: bool) -> str:
    text = f"Transfer to {target.name}" if outgoing else f"Transfer from {source.name}"
    return text[:MAX_DESCRIPTION]


def _link(first: Transaction, second: Transaction) -> None:
    first.transfer_counterpart_id = second.id
    second.transfer_counterpart_id = first.id


async def link_transfer(work: UnitOfWork, user_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> Transfer:
    """Confirm that two transactions are one transfer (a match, or the user's own pairing)."""
    session = work.session
    unique = list(dict.fromkeys(ids))
    if len(unique) != 2:
        raise BadUserInput("input.ids", "must name exactly two transactions")
    found = await transaction_service.transactions_by_ids(session, user_id, unique)
    if len(found) != 2:
        raise NotFound("Transaction")
    outflow, inflow = sorted(found, key=lambda row: row.amount_minor)
    if outflow.transfer_counterpart_id == inflow.id:
        return Transfer(outflow, inflow)  # linked already
    _check_pair(outflow, inflow)
    if await repository.has_parts(session, outflow.id) or await repository.has_parts(
        session, inflow.id
    ):
        raise BadUserInput("input.ids", "names a split transaction: unsplit it first")
    _link(outflow, inflow)
    await session.flush()
    announce_transactions_changed(
        work, user_id, [outflow.id, inflow.id], [outflow.date, inflow.date]
    )
    return Transfer(outflow, inflow)


def _check_pair(outflow: Transaction, inflow: Transaction) -> None:
    if outflow.account_id == inflow.account_id:
        raise BadUserInput("input.ids", "must be in two different accounts")
    if not outflow.amount_minor < 0 < inflow.amount_minor:
        raise BadUserInput("input.ids", "must be one money out and one money in")
    if outflow.currency == inflow.currency and -outflow.amount_minor != inflow.amount_minor:
        raise BadUserInput(
            "input.ids",
            f"must move the same amount ({Money(-outflow.amount_minor, outflow.currency).amount} "
            f"out, {Money(inflow.amount_minor, inflow.currency).amount} in)",
        )
    if outflow.transfer_counterpart_id is not None or inflow.transfer_counterpart_id is not None:
        raise BadUserInput("input.ids", "names half of another transfer: unlink that one first")


async def unlink_transfer(
    work: UnitOfWork, user_id: uuid.UUID, transaction_id: uuid.UUID
) -> list[Transaction]:
    """Undo a transfer (given either half): both are ordinary transactions again, counted in
    spending and income. A transaction that is no transfer stays as it is."""
    session = work.session
    transaction = await transaction_service.require_transaction(session, user_id, transaction_id)
    others = await transaction_service.unlink_transfers(session, user_id, [transaction])
    changed = [transaction, *others]
    if others:
        announce_transactions_changed(
            work, user_id, [row.id for row in changed], [row.date for row in changed]
        )
    return changed


@dataclass(frozen=True)
class Candidate:
    outflow: Transaction
    inflow: Transaction
    days_apart: int


async def transfer_candidates(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    *,
    limit: int,
) -> list[Candidate]:
    """Pairs that look like a transfer, the money out dated in the range: newest first."""
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_CANDIDATE_YEARS)
    window = dt.timedelta(days=MATCH_WINDOW_DAYS)
    found = await repository.unlinked_in_range(
        session, user_id, date_from - window, date_to + window
    )
    pairs = _pairs(found, date_from, date_to)[:limit]
    loaded = {
        row.id: row
        for row in await transaction_service.transactions_by_ids(
            session, user_id, [tx_id for pair in pairs for tx_id in pair[:2]]
        )
    }
    return [Candidate(loaded[out_id], loaded[in_id], days) for out_id, in_id, days in pairs]


def _pairs(
    found: Sequence[repository.Unlinked], date_from: dt.date, date_to: dt.date
) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """(money out, money in, days apart): the closest pairs first, each transaction once,
    then ordered newest first."""
    by_size: defaultdict[tuple[str, int], list[repository.Unlinked]] = defaultdict(list)
    for row in found:
        by_size[(row.currency, abs(row.amount_minor))].append(row)
    possible = []
    for group in by_size.values():
        outs = [row for row in group if row.amount_minor < 0 and date_from <= row.date <= date_to]
        ins = [row for row in group if row.amount_minor > 0]
        for out in outs:
            for inn in ins:
                days = abs((inn.date - out.date).days)
                if inn.account_id != out.account_id and days <= MATCH_WINDOW_DAYS:
                    possible.append((days, out, inn))
    possible.sort(key=lambda pair: (pair[0], -pair[1].date.toordinal(), pair[1].id, pair[2].id))
    taken: set[uuid.UUID] = set()
    chosen = []
    for days, out, inn in possible:
        if out.id in taken or inn.id in taken:
            continue
        taken.update((out.id, inn.id))
        chosen.append((out, inn, days))
    chosen.sort(key=lambda pair: (pair[0].date, pair[0].id), reverse=True)
    return [(out.id, inn.id, days) for out, inn, days in chosen]
