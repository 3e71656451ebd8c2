"""The alert kinds: what each one watches, which parameters it takes (checked here, each
error naming its field), what it may be limited to, and whether a clock drives it.

A rule's parameters are stored as JSON (`AlertRule.parameters`) in the shape `Parameters`
writes: {"percents": [80, 100], "daysAhead": 3, "factor": "1.5", "trailingMonths": 3}.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from shared.errors import BadUserInput

T = TypeVar("T")
G = TypeVar("G")


class AlertKind(StrEnum):
    BUDGET_THRESHOLD = "BUDGET_THRESHOLD"
    BUDGET_OVERSPENT = "BUDGET_OVERSPENT"
    LARGE_TRANSACTION = "LARGE_TRANSACTION"
    LOW_BALANCE = "LOW_BALANCE"
    GOAL_MILESTONE = "GOAL_MILESTONE"
    GOAL_BEHIND = "GOAL_BEHIND"
    BILL_DUE = "BILL_DUE"
    BILL_LARGER_THAN_USUAL = "BILL_LARGER_THAN_USUAL"
    UNUSUAL_SPENDING = "UNUSUAL_SPENDING"
    BANK_CONNECTION_ATTENTION = "BANK_CONNECTION_ATTENTION"
    NEW_MERCHANT = "NEW_MERCHANT"
    WEEKLY_SUMMARY = "WEEKLY_SUMMARY"


class Scope(StrEnum):
    """What a rule may be limited to (a ledger id of that kind, checked to be the user's)."""

    ACCOUNT = "accountId"
    CATEGORY = "categoryId"
    TAG = "tagId"


# Where notifications may go: the names of delivery.outgoing.Channel (the rules room sits
# below delivery, so it names them rather than importing them).
CHANNELS = ("IN_APP", "EMAIL", "PUSH", "WEBHOOK")
DEFAULT_CHANNELS = ("IN_APP", "EMAIL")

MAX_PERCENTS = 10
MAX_PERCENT = 1000
MAX_DAYS_AHEAD = 30
MAX_TRAILING_MONTHS = 12
MAX_FACTOR = Decimal(100)


@dataclass(frozen=True)
class KindSpec:
    """What rules of a kind take. A parameter a kind does not take is refused; one it takes
    and the caller left out gets the default here."""

    # Takes a money threshold (required): LARGE_TRANSACTION, LOW_BALANCE.
    threshold: bool = False
    # Takes percents (of a budget, of a goal), with these by default.
    percents: tuple[int, ...] | None = None
    days_ahead: int | None = None
    factor: Decimal | None = None
    trailing_months: int | None = None
    scopes: frozenset[Scope] = frozenset()
    # Evaluated on the scheduler's pass (a clock), not (only) on the ledger's announcements.
    scheduled: bool = False


SPECS: dict[AlertKind, KindSpec] = {
    AlertKind.BUDGET_THRESHOLD: KindSpec(percents=(80, 100), scopes=frozenset({Scope.CATEGORY})),
    AlertKind.BUDGET_OVERSPENT: KindSpec(scopes=frozenset({Scope.CATEGORY})),
    AlertKind.LARGE_TRANSACTION: KindSpec(
        threshold=True, scopes=frozenset({Scope.ACCOUNT, Scope.CATEGORY, Scope.TAG})
    ),
    AlertKind.LOW_BALANCE: KindSpec(
        threshold=True, scopes=frozenset({Scope.ACCOUNT}), scheduled=True
    ),
    AlertKind.GOAL_MILESTONE: KindSpec(percents=(25, 50, 75, 100), scheduled=True),
    AlertKind.GOAL_BEHIND: KindSpec(scheduled=True),
    AlertKind.BILL_DUE: KindSpec(days_ahead=3, scheduled=True),
    AlertKind.BILL_LARGER_THAN_USUAL: KindSpec(scopes=frozenset({Scope.ACCOUNT})),
    AlertKind.UNUSUAL_SPENDING: KindSpec(
        factor=Decimal("1.50"), trailing_months=3, scopes=frozenset({Scope.CATEGORY})
    ),
    AlertKind.BANK_CONNECTION_ATTENTION: KindSpec(),
    AlertKind.NEW_MERCHANT: KindSpec(scopes=frozenset({Scope.ACCOUNT})),
    AlertKind.WEEKLY_SUMMARY: KindSpec(scheduled=True),
}

SCHEDULED_KINDS = frozenset(kind for kind, spec in SPECS.items() if spec.scheduled)


@dataclass(frozen=True)
class Parameters:
    """A rule's parameters beyond threshold and scope; None where its kind takes none."""

    percents: tuple[int, ...] | None = None
    days_ahead: int | None = None
    factor: Decimal | None = None
    trailing_months: int | None = None

    def stored(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.percents is not None:
            found["percents"] = list(self.percents)
        if self.days_ahead is not None:
            found["daysAhead"] = self.days_ahead
        if self.factor is not None:
            found["factor"] = str(self.factor)
        if self.trailing_months is not None:
            found["trailingMonths"] = self.trailing_months
        return found

    @classmethod
    def of_stored(cls, stored: dict[str, Any] | None) -> Parameters:
        stored = stored or {}
        percents = stored.get("percents")
        factor = stored.get("factor")
        return cls(
            percents=tuple(int(p) for p in percents) if percents is not None else None,
            days_ahead=stored.get("daysAhead"),
            factor=Decimal(factor) if factor is not None else None,
            trailing_months=stored.get("trailingMonths"),
        )


def parse_kind(text: str) -> AlertKind:
    try:
        return AlertKind(text.strip().upper())
    except ValueError:
        known = ", ".join(kind.value for kind in AlertKind)
        raise BadUserInput("input.kind", f"must be one of {known}") from None


def _unused(kind: AlertKind, name: str) -> BadUserInput:
    return BadUserInput(f"input.{name}", f"is not used by {kind.value} rules")


def parse_parameters(
    kind: AlertKind,
    *,
    percents: Sequence[int] | None,
    days_ahead: int | None,
    factor: Decimal | None,
    trailing_months: int | None,
    current: Parameters | None = None,
) -> Parameters:
    """The kind's parameters: the ones given, checked, else `current`'s, else the defaults.
    Raises BadUserInput naming the field for one the kind does not take or a value out of
    range."""
    spec = SPECS[kind]
    was = current or Parameters()
    for name, value, default in (
        ("percents", percents, spec.percents),
        ("daysAhead", days_ahead, spec.days_ahead),
        ("factor", factor, spec.factor),
        ("trailingMonths", trailing_months, spec.trailing_months),
    ):
        if value is not None and default is None:
            raise _unused(kind, name)
    return Parameters(
        percents=_chosen(spec.percents, percents, _percents, was.percents),
        days_ahead=_chosen(spec.days_ahead, days_ahead, _days_ahead, was.days_ahead),
        factor=_chosen(spec.factor, factor, _factor, was.factor),
        trailing_months=_chosen(
            spec.trailing_months, trailing_months, _trailing_months, was.trailing_months
        ),
    )


def _chosen(default: T | None, given: G | None, parse: Callable[[G], T], was: T | None) -> T | None:
    """None for a kind without the parameter; else the given value parsed, else the rule's,
    else the kind's default."""
    if default is None:
        return None
    if given is not None:
        return parse(given)
    return was if was is not None else default


def _days_ahead(value: int) -> int:
    return _whole(value, "daysAhead", 0, MAX_DAYS_AHEAD)


def _trailing_months(value: int) -> int:
    return _whole(value, "trailingMonths", 1, MAX_TRAILING_MONTHS)


def _percents(values: Sequence[int]) -> tuple[int, ...]:
    field = "input.percents"
    if not values:
        raise BadUserInput(field, "must list at least one percent")
    if len(values) > MAX_PERCENTS:
        raise BadUserInput(field, f"must list at most {MAX_PERCENTS} percents")
    if any(not 1 <= value <= MAX_PERCENT for value in values):
        raise BadUserInput(field, f"must each be between 1 and {MAX_PERCENT}")
    if len(set(values)) != len(values):
        raise BadUserInput(field, "must not repeat a percent")
    return tuple(sorted(values))


def _whole(value: int, name: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadUserInput(f"input.{name}", f"must be between {low} and {high}")
    return value


def _factor(value: Decimal) -> Decimal:
    field = "input.factor"
    try:
        exact = Decimal(value)
        if not exact.is_finite():
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        raise BadUserInput(field, 'must be a decimal number such as "1.5"') from None
    if exact != exact.quantize(Decimal("0.01")):
        raise BadUserInput(field, "must have at most two decimal places")
    if not Decimal(1) < exact <= MAX_FACTOR:
        raise BadUserInput(field, f"must be more than 1 and at most {MAX_FACTOR}")
    return exact.quantize(Decimal("0.01"))


def parse_channels(values: Sequence[str]) -> tuple[str, ...]:
    """Channel names, checked: at least one, each known, none twice; in CHANNELS' order."""
    field = "input.channels"
    if not values:
        raise BadUserInput(field, "must list at least one channel")
    unknown = [value for value in values if value not in CHANNELS]
    if unknown:
        raise BadUserInput(field, f"must each be one of {', '.join(CHANNELS)}")
    if len(set(values)) != len(values):
        raise BadUserInput(field, "must not repeat a channel")
    return tuple(channel for channel in CHANNELS if channel in values)
