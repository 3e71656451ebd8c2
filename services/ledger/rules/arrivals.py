"""The user's enabled rules applied to transactions just written (a file import's rows), in
bulk: read back in chunks, decided by the same code as bank ingest (matching.RuleSet), written
a few statements per chunk. (Bank ingest decides before it writes: bank_ingest/rule_choices.py.)

What changes is decided as for history (history.change_of): nothing the user chose, nor the
category of a split transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.rules import repository
from services.ledger.rules import service as rule_service
from services.ledger.rules.history import change_of
from services.ledger.rules.matching import Facts
from shared.sql import chunked


async def apply_to_new_transactions(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, dt.date]]:
    """Apply the user's enabled rules to these (new) transactions of theirs; the ones whose
    category changed, with their dates (for the caller to announce)."""
    rules = await rule_service.enabled_rules(session, user_id)
    if not rules.rules:
        return []
    recategorized: list[tuple[uuid.UUID, dt.date]] = []
    credits: Counter[uuid.UUID] = Counter()
    for chunk in chunked(transaction_ids):
        categories: defaultdict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        payees: defaultdict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        tags: dict[uuid.UUID, dict[uuid.UUID, uuid.UUID]] = {}
        for row in await repository.candidates_by_ids(session, user_id, chunk):
            outcome = rules.outcome(
                Facts(row.account_id, row.amount_minor, row.currency, row.description,
                      row.payee_id, row.payee_name)
            )  # fmt: skip
            category, payee = outcome.category, outcome.payee
            # Existing tags are left to add_tags: these rows are new, most have none.
            change = change_of(
                row,
                category.value if category else None,
                payee.value if payee else None,
                tuple(outcome.tags),
                set(),
            )
            if change is None:
                continue
            if change.category is not None and category is not None:
                categories[category.value].append(row.id)
                credits[category.rule_id] += 1
                recategorized.append((row.id, row.date))
            if change.payee is not None and payee is not None:
                payees[payee.value].append(row.id)
                credits[payee.rule_id] += 1
            if change.added_tag_ids:
                tags[row.id] = outcome.tags
        for category_id, ids in categories.items():
            await repository.set_rule_category(session, user_id, ids, category_id)
        for payee_id, ids in payees.items():
            await repository.set_rule_payee(session, user_id, ids, payee_id)
        if tags:
            credits += await rule_service.add_tags(session, user_id, tags)
    await rule_service.credit(session, user_id, credits)
    return recategorized
