"""What an alert kind's evaluator finds: the notifications its rules call for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True)
class Evaluation:
    """What every evaluator is given: the change, the user's enabled rules of its kind (none,
    possibly: then it finds nothing), and the user's today where they live (for wording)."""

    change: TransactionsChanged
    rules: Sequence[AlertRuleView]
    today: date


# An alert kind's evaluator: the alerts a change calls for.
Evaluator = Callable[[UnitOfWork, Evaluation], Awaitable[list[Alert]]]
