"""What an alert kind's evaluator finds: the notifications its rules call for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from services.notifier.evaluation.announcement import TransactionsChanged
from services.notifier.evaluation.wording import Wording
from services.notifier.rules.service import AlertRuleView
from shared.db import UnitOfWork


@dataclass(frozen=True)
class Alert:
    """One notification to store under `rule`, at most once per user and `dedupe_key`."""

    rule: AlertRuleView
    dedupe_key: str
    text: Wording


# An alert kind's evaluator: the alerts a change calls for, given the user's enabled rules of
# that kind (none, possibly: then it finds nothing).
Evaluator = Callable[
    [UnitOfWork, TransactionsChanged, Sequence[AlertRuleView]], Awaitable[list[Alert]]
]
