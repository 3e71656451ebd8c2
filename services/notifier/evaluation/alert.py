"""What an alert kind's evaluator is given and what it finds: the notifications its rules
call for."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.ledger import api as ledger
from services.notifier.evaluation.announcement import TransactionsChanged
from services.notifier.evaluation.wording import Wording
from services.notifier.rules.service import AlertRuleView
from shared.db import UnitOfWork
from shared.money import Money
from shared.sql import chunked

# The ledger may announce a whole bank history at once; ask for it in bounded batches.
TRANSACTION_BATCH = 500


@dataclass(frozen=True)
class Alert:
    """One notification to store under `rule`, at most once per user and `dedupe_key`, with
    the alert's structured facts (`data`: amounts as strings, ids as global ids) for channels
    that send data rather than prose."""

    rule: AlertRuleView
    dedupe_key: str
    text: Wording
    data: dict[str, Any] = field(default_factory=dict)


class ChangedTransactions:
    """The announced transactions as alert rules read them, fetched once per evaluation
    (however many kinds look at them) in bounded batches."""

    def __init__(self, change: TransactionsChanged) -> None:
        self._change = change
        self._found: list[ledger.AlertTransactionView] | None = None

    async def load(self, work: UnitOfWork) -> list[ledger.AlertTransactionView]:
        if self._found is None:
            found: list[ledger.AlertTransactionView] = []
            for batch in chunked(self._change.transaction_ids, TRANSACTION_BATCH):
                found += await ledger.alert_transactions(work, self._change.user_id, batch)
            self._found = found
        return self._found


@dataclass(frozen=True)
class Evaluation:
    """What every evaluator of an announcement is given: the change, the user's enabled rules
    of its kind (none, possibly: then it finds nothing), the user's today where they live, and
    the changed transactions (read at most once)."""

    change: TransactionsChanged
    rules: Sequence[AlertRuleView]
    today: date
    transactions: ChangedTransactions | None = None

    async def changed_transactions(self, work: UnitOfWork) -> list[ledger.AlertTransactionView]:
        found = self.transactions or ChangedTransactions(self.change)
        return await found.load(work)


@dataclass(frozen=True)
class ScheduledEvaluation:
    """What every evaluator on the scheduler's pass is given: whose rules, the enabled ones of
    its kind, and the moment of the pass, with its date where the user lives."""

    user_id: uuid.UUID
    rules: Sequence[AlertRuleView]
    today: date
    now: datetime


# An alert kind's evaluator: the alerts a change calls for.
Evaluator = Callable[[UnitOfWork, Evaluation], Awaitable[list[Alert]]]
# An alert kind's evaluator on the scheduler's pass: the alerts the day calls for.
ScheduledEvaluator = Callable[[UnitOfWork, ScheduledEvaluation], Awaitable[list[Alert]]]


def money_fact(money: Money) -> dict[str, str]:
    """Money in an alert's data: the exact decimal as a string, and its currency."""
    return {"amount": str(money.amount), "currency": money.currency}
