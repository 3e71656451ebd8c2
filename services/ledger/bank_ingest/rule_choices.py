"""The user's rules, applied to a batch of bank transactions as it is ingested.

Each transaction the bank reports (new, or reported again) is tested against the user's
enabled rules in order (rules/matching.py) on what the bank says of it: account, amount,
description, and its payee (the user's choice if they made one, else the one its merchant name
or description names). What the rules choose comes before the bank's category hint: a rule's
category, else the hint (Plaid's personal_finance_category), as before rules; a rule's payee,
else the derived one; rules' tags are added. What the user chose is never replaced (ingest
checks the sources). A few queries per batch, whatever its size and the number of rules.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import PAYEE_SOURCE_USER, TAGS_SOURCE_USER, Account, Transaction
from services.ledger.payees import service as payee_service
from services.ledger.rules import service as rule_service
from services.ledger.rules.matching import NO_OUTCOME, Facts, Outcome, RuleSet
from shared.money import Money

__all__ = ["NO_OUTCOME", "Outcome", "add_tags", "credit", "rule_outcomes"]


class Reported(Protocol):
    """What ingest resolved of a bank transaction (bank_ingest.transactions._Incoming)."""

    @property
    def provider_id(self) -> str: ...
    @property
    def pending_of(self) -> str | None: ...
    @property
    def account(self) -> Account: ...
    @property
    def amount(self) -> Money: ...
    @property
    def description(self) -> str: ...
    @property
    def payee_text(self) -> str: ...


async def rule_outcomes(
    session: AsyncSession,
    user_id: uuid.UUID,
    incoming: Sequence[Reported],
    known: Mapping[str | None, Transaction],
    payees: Mapping[str, uuid.UUID],
) -> dict[str, Outcome]:
    """What the user's rules make of each reported transaction, by provider id (those no rule
    acts on are absent)."""
    rules = await rule_service.enabled_rules(session, user_id)
    if not rules.rules:
        return {}
    payee_ids = {tx.provider_id: _payee_of(tx, known, payees) for tx in incoming}
    names = await _payee_names(session, user_id, rules, payee_ids.values())
    outcomes = {}
    for tx in incoming:
        payee_id = payee_ids[tx.provider_id]
        outcome = rules.outcome(
            Facts(
                account_id=tx.account.id,
                amount_minor=tx.amount.minor,
                currency=tx.amount.currency,
                description=tx.description,
                payee_id=payee_id,
                payee_name=names.get(payee_id) if payee_id is not None else None,
            )
        )
        if outcome:
            outcomes[tx.provider_id] = outcome
    return outcomes


def _payee_of(
    tx: Reported, known: Mapping[str | None, Transaction], payees: Mapping[str, uuid.UUID]
) -> uuid.UUID | None:
    """Its payee as rules read it: the user's choice on the row it updates (or the pending row
    it posts), else the one the bank's text names."""
    row = known.get(tx.provider_id) or (known.get(tx.pending_of) if tx.pending_of else None)
    if row is not None and row.payee_source == PAYEE_SOURCE_USER:
        return row.payee_id
    return payees.get(tx.payee_text)


async def _payee_names(
    session: AsyncSession,
    user_id: uuid.UUID,
    rules: RuleSet,
    payee_ids: Iterable[uuid.UUID | None],
) -> dict[uuid.UUID, str]:
    if not rules.reads_payee_names:
        return {}
    wanted = sorted({payee_id for payee_id in payee_ids if payee_id is not None})
    return {p.id: p.name for p in await payee_service.payees_by_ids(session, user_id, wanted)}


async def add_tags(
    session: AsyncSession,
    user_id: uuid.UUID,
    tagged: Iterable[tuple[Transaction, Outcome]],
) -> Counter[uuid.UUID]:
    """Put the rules' tags on the ingested rows (not on those whose tags the user edited);
    how many rows each rule tagged."""
    wanted = {
        row.id: outcome.tags
        for row, outcome in tagged
        if outcome.tags and row.tags_source != TAGS_SOURCE_USER
    }
    if not wanted:
        return Counter()
    return await rule_service.add_tags(session, user_id, wanted)


async def credit(session: AsyncSession, user_id: uuid.UUID, counts: Counter[uuid.UUID]) -> None:
    await rule_service.credit(session, user_id, counts)
