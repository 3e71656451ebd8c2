"""LARGE_TRANSACTION: money out at or above a threshold (a transfer between the user's own
accounts is not money out), alerted once per transaction."""

from __future__ import annotations

from collections.abc import Sequence

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, Evaluation
from services.notifier.rules.service import AlertKind, AlertRuleView
from shared.db import UnitOfWork
from shared.money import Money
from shared.sql import chunked

# The ledger may announce a whole bank history at once; ask for it in bounded batches.
TRANSACTION_BATCH = 500


def _rule_reached(
    rules: Sequence[AlertRuleView], transaction: ledger.TransactionView
) -> tuple[AlertRuleView, Money] | None:
    """The most specific, highest threshold the money out reaches (same currency), if any,
    with that threshold."""
    if transaction.amount.minor >= 0 or transaction.is_transfer:
        return None  # money in, or money moved between the user's own accounts
    out = -transaction.amount.minor
    reached = [
        (rule, rule.threshold)
        for rule in rules
        if rule.threshold is not None
        and rule.threshold.currency == transaction.amount.currency
        and out >= rule.threshold.minor
        and rule.category_id in (None, transaction.category_id)
    ]
    if not reached:
        return None
    return max(reached, key=lambda pair: (pair[0].category_id is not None, pair[1].minor))


async def alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    change, rules = evaluation.change, evaluation.rules
    if not rules or not change.transaction_ids:
        return []
    found = []
    for batch in chunked(change.transaction_ids, TRANSACTION_BATCH):
        for transaction in await ledger.transactions_by_ids(work, change.user_id, batch):
            reached = _rule_reached(rules, transaction)
            if reached is None:
                continue
            rule, threshold = reached
            found.append(
                Alert(
                    rule=rule,
                    dedupe_key=f"{AlertKind.LARGE_TRANSACTION}:{transaction.id.hex}",
                    text=wording.large_transaction(
                        transaction.description,
                        transaction.date,
                        transaction.amount,
                        threshold,
                        transaction.pending,
                        today=evaluation.today,
                    ),
                )
            )
    return found
