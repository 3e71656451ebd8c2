"""Whether a transaction matches a rule, and what the user's rules make of it. Pure: the
caller reads what it needs (in bulk) and passes plain values, so bank ingest, a preview and
applying a rule to history all decide with this one code.

The user's rules apply in their order; for each thing a rule may set, the first matching rule
that sets it wins (a later rule never overrides an earlier one), and tags add up: every
matching rule's tags go on. Conditions are read on the transaction as it is (or as the bank
reports it), before any rule acts: a rule's new payee does not make a later rule match.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR

from services.ledger.rules.conditions import Conditions, Pattern, compile_pattern, folded
from services.ledger.transactions.filters import Direction
from shared.errors import BadUserInput
from shared.money import currency_exponent


@dataclass(frozen=True)
class Facts:
    """What conditions read of a transaction."""

    account_id: uuid.UUID
    amount_minor: int
    currency: str
    description: str
    payee_id: uuid.UUID | None
    payee_name: str | None


class Matcher:
    """A rule's conditions, ready to test many transactions."""

    def __init__(self, conditions: Conditions) -> None:
        self.conditions = conditions
        self._description = _folded(conditions.description_contains)
        self._payee = _folded(conditions.payee_contains)
        self._description_pattern = _pattern(conditions.description_matches)
        self._payee_pattern = _pattern(conditions.payee_matches)
        self._accounts = _set(conditions.account_ids)
        self._payees = _set(conditions.payee_ids)
        self._bounds: dict[str, tuple[int | None, int | None]] = {}
        # A stored pattern RE2 no longer accepts (another version) matches nothing.
        self._broken = (
            conditions.description_matches is not None and self._description_pattern is None
        ) or (conditions.payee_matches is not None and self._payee_pattern is None)

    @property
    def reads_payee_names(self) -> bool:
        return self._payee is not None or self._payee_pattern is not None

    def matches(self, facts: Facts) -> bool:
        if self._broken:
            return False
        if self._accounts is not None and facts.account_id not in self._accounts:
            return False
        if self._payees is not None and facts.payee_id not in self._payees:
            return False
        if not self._amount_matches(facts):
            return False
        described = self._text_matches(
            facts.description, self._description, self._description_pattern
        )
        return described and self._payee_matches(facts)

    def _payee_matches(self, facts: Facts) -> bool:
        if self._payee is None and self._payee_pattern is None:
            return True
        if facts.payee_name is None:
            return False
        return self._text_matches(facts.payee_name, self._payee, self._payee_pattern)

    @staticmethod
    def _text_matches(text: str, needle: str | None, pattern: Pattern | None) -> bool:
        if needle is not None and needle not in folded(text):
            return False
        return pattern is None or pattern.found_in(text)

    def _amount_matches(self, facts: Facts) -> bool:
        """As the filter language compiles it (filters._amounts): the same bounds, rounded the
        same way, and zero counts as money out."""
        direction = self.conditions.direction
        if direction is Direction.MONEY_IN and facts.amount_minor <= 0:
            return False
        if direction is Direction.MONEY_OUT and facts.amount_minor > 0:
            return False
        low, high = self._bounds_in(facts.currency)
        size = abs(facts.amount_minor)
        return (low is None or size >= low) and (high is None or size <= high)

    def _bounds_in(self, currency: str) -> tuple[int | None, int | None]:
        found = self._bounds.get(currency)
        if found is None:
            exponent = currency_exponent(currency)
            low, high = self.conditions.min_amount, self.conditions.max_amount
            found = (
                int(low.scaleb(exponent).to_integral_value(ROUND_CEILING))
                if low is not None
                else None,
                int(high.scaleb(exponent).to_integral_value(ROUND_FLOOR))
                if high is not None
                else None,
            )
            self._bounds[currency] = found
        return found


def _folded(text: str | None) -> str | None:
    return folded(text) if text is not None else None


def _pattern(text: str | None) -> Pattern | None:
    if text is None:
        return None
    try:
        return compile_pattern(text, "conditions")
    except BadUserInput:
        return None


def _set(ids: tuple[uuid.UUID, ...] | None) -> frozenset[uuid.UUID] | None:
    return frozenset(ids) if ids is not None else None


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to apply: its matcher and what it sets (the category already resolved
    for a rule marking transfers; None when it sets none)."""

    id: uuid.UUID
    matcher: Matcher
    category_id: uuid.UUID | None
    payee_id: uuid.UUID | None
    tag_ids: tuple[uuid.UUID, ...]

    @property
    def acts(self) -> bool:
        return self.category_id is not None or self.payee_id is not None or bool(self.tag_ids)


@dataclass(frozen=True)
class Choice:
    """A value a rule chose, and which rule."""

    value: uuid.UUID
    rule_id: uuid.UUID


@dataclass(frozen=True)
class Outcome:
    """What the rules make of a transaction: the first category and payee set, and every tag
    added (each with the first rule adding it)."""

    category: Choice | None = None
    payee: Choice | None = None
    tags: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.category is not None or self.payee is not None or bool(self.tags)


NO_OUTCOME = Outcome()


@dataclass(frozen=True)
class RuleSet:
    """The user's enabled rules, in order."""

    rules: tuple[CompiledRule, ...] = ()

    @property
    def reads_payee_names(self) -> bool:
        return any(rule.matcher.reads_payee_names for rule in self.rules)

    def outcome(self, facts: Facts) -> Outcome:
        category: Choice | None = None
        payee: Choice | None = None
        tags: dict[uuid.UUID, uuid.UUID] = {}
        for rule in self.rules:
            if not rule.matcher.matches(facts):
                continue
            if category is None and rule.category_id is not None:
                category = Choice(rule.category_id, rule.id)
            if payee is None and rule.payee_id is not None:
                payee = Choice(rule.payee_id, rule.id)
            for tag_id in rule.tag_ids:
                tags.setdefault(tag_id, rule.id)
        if category is None and payee is None and not tags:
            return NO_OUTCOME
        return Outcome(category, payee, tags)
