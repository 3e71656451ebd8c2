"""Alert rules: the kinds, the default rule, creating, listing, changing and deleting rules.

Functions take a session or a unit of work and never commit.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import api as ledger
from services.notifier.models import AlertRule
from services.notifier.rules import repository
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, Conflict, NotFound
from shared.ids import decode_id
from shared.money import Money, parse_currency

MAX_RULES_PER_USER = 50


class AlertKind(StrEnum):
    BUDGET_OVERSPENT = "BUDGET_OVERSPENT"
    LARGE_TRANSACTION = "LARGE_TRANSACTION"


@dataclass(frozen=True)
class AlertRuleView:
    id: uuid.UUID
    kind: str
    enabled: bool
    threshold: Money | None
    category_id: uuid.UUID | None


def _rule_view(rule: AlertRule) -> AlertRuleView:
    threshold = None
    if rule.threshold_minor is not None and rule.threshold_currency is not None:
        threshold = Money(rule.threshold_minor, rule.threshold_currency)
    return AlertRuleView(
        id=rule.id,
        kind=rule.kind,
        enabled=rule.enabled,
        threshold=threshold,
        category_id=rule.category_id,
    )


async def ensure_default_rule(work: UnitOfWork, user_id: uuid.UUID) -> None:
    """Turn on overspending alerts for every budget, unless the user already has that rule."""
    existing = await repository.rules(work.session, user_id)
    if any(r.kind == AlertKind.BUDGET_OVERSPENT and r.category_id is None for r in existing):
        return
    repository.add(
        work.session,
        AlertRule(
            id=uuid.uuid4(),
            user_id=user_id,
            kind=AlertKind.BUDGET_OVERSPENT.value,
            enabled=True,
            category_id=None,
            created_at=utcnow(),
        ),
    )


async def alert_rules(session: AsyncSession, user_id: uuid.UUID) -> list[AlertRuleView]:
    return [_rule_view(rule) for rule in await repository.rules(session, user_id)]


async def alert_rule(
    session: AsyncSession, user_id: uuid.UUID, rule_id: uuid.UUID
) -> AlertRuleView:
    """One of the user's rules; NOT_FOUND for anyone else's."""
    rule = await repository.rule(session, user_id, rule_id)
    if rule is None:
        raise NotFound("AlertRule")
    return _rule_view(rule)


async def enabled_rules(session: AsyncSession, user_id: uuid.UUID) -> list[AlertRuleView]:
    """The rules evaluation applies, oldest first."""
    rules = await repository.rules(session, user_id, enabled_only=True)
    return [_rule_view(rule) for rule in rules]


def _parse_kind(text: str) -> AlertKind:
    try:
        return AlertKind(text.strip().upper())
    except ValueError:
        known = ", ".join(kind.value for kind in AlertKind)
        raise BadUserInput("input.kind", f"must be one of {known}") from None


def _parse_threshold(
    kind: AlertKind, threshold: Decimal | None, currency: str | None, base_currency: str
) -> Money | None:
    if kind is not AlertKind.LARGE_TRANSACTION:
        if threshold is not None:
            raise BadUserInput("input.threshold", f"is not used by {kind.value} rules")
        if currency is not None:
            raise BadUserInput("input.currency", f"is not used by {kind.value} rules")
        return None
    if threshold is None:
        raise BadUserInput("input.threshold", f"is required for {kind.value} rules")
    code = parse_currency(currency or base_currency, "input.currency")
    money = Money.parse(threshold, code, "input.threshold")
    if money.minor <= 0:
        raise BadUserInput("input.threshold", "must be greater than zero")
    return money


async def create_alert_rule(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    kind: str,
    threshold: Decimal | None = None,
    currency: str | None = None,
    category_id: str | None = None,
) -> AlertRuleView:
    """A new enabled rule. LARGE_TRANSACTION needs a positive threshold, in `currency` or else
    the user's base currency (the ledger's); `category_id` narrows a rule to one category.
    """
    alert_kind = _parse_kind(kind)
    category = (
        await _owned_category(work, user_id, category_id) if category_id is not None else None
    )
    base = "USD"
    if alert_kind is AlertKind.LARGE_TRANSACTION and currency is None:
        base = await ledger.base_currency(work, user_id)
    limit = _parse_threshold(alert_kind, threshold, currency, base)
    existing = await repository.rules(work.session, user_id)
    if len(existing) >= MAX_RULES_PER_USER:
        raise Conflict(f"You can have at most {MAX_RULES_PER_USER} alert rules.")
    if alert_kind is AlertKind.BUDGET_OVERSPENT and any(
        r.kind == alert_kind and r.category_id == category for r in existing
    ):
        raise Conflict("That overspending alert already exists; enable it instead.")
    rule = AlertRule(
        id=uuid.uuid4(),
        user_id=user_id,
        kind=alert_kind.value,
        enabled=True,
        threshold_minor=limit.minor if limit else None,
        threshold_currency=limit.currency if limit else None,
        category_id=category,
        created_at=utcnow(),
    )
    repository.add(work.session, rule)
    return _rule_view(rule)


class Keep(enum.Enum):
    """A field of an update the caller left out (as opposed to setting it to null)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class AlertRuleChanges:
    """What to change about a rule; KEEP leaves a field as it is. A category of None widens
    the rule to every category."""

    enabled: bool | Keep = KEEP
    threshold: Decimal | Keep = KEEP
    currency: str | Keep = KEEP
    category_id: str | Keep | None = KEEP


async def _owned_rule(work: UnitOfWork, user_id: uuid.UUID, rule_id: str) -> AlertRule:
    rule = await repository.rule(work.session, user_id, decode_id("AlertRule", rule_id, "input.id"))
    if rule is None:
        raise NotFound("AlertRule")
    return rule


async def _owned_category(work: UnitOfWork, user_id: uuid.UUID, category_id: str) -> uuid.UUID:
    category = decode_id("Category", category_id, "input.categoryId")
    if category not in await ledger.categories_by_ids(work, user_id, [category]):
        raise NotFound("Category")
    return category


async def update_alert_rule(
    work: UnitOfWork, user_id: uuid.UUID, rule_id: str, changes: AlertRuleChanges
) -> AlertRuleView:
    """Switch a rule, or change its parameters: a threshold (its kind's, in `currency` or else
    the one it had) or the category it watches. Its kind stays; everything is checked before
    anything changes."""
    rule = await _owned_rule(work, user_id, rule_id)
    kind = AlertKind(rule.kind)
    limit: Money | Keep | None = KEEP
    if changes.threshold is not KEEP or changes.currency is not KEEP:
        threshold = changes.threshold if changes.threshold is not KEEP else _threshold_amount(rule)
        currency = changes.currency if changes.currency is not KEEP else rule.threshold_currency
        limit = _parse_threshold(kind, threshold, currency, rule.threshold_currency or "USD")
    category: uuid.UUID | Keep | None = KEEP
    if changes.category_id is not KEEP:
        category = (
            await _owned_category(work, user_id, changes.category_id)
            if changes.category_id is not None
            else None
        )
        if kind is AlertKind.BUDGET_OVERSPENT and category != rule.category_id:
            existing = await repository.rules(work.session, user_id)
            if any(r.kind == kind and r.category_id == category for r in existing):
                raise Conflict("That overspending alert already exists; change that one instead.")
    if changes.enabled is not KEEP:
        rule.enabled = changes.enabled
    if not isinstance(limit, Keep):
        rule.threshold_minor = limit.minor if limit else None
        rule.threshold_currency = limit.currency if limit else None
    if not isinstance(category, Keep):
        rule.category_id = category
    return _rule_view(rule)


def _threshold_amount(rule: AlertRule) -> Decimal | None:
    if rule.threshold_minor is None or rule.threshold_currency is None:
        return None
    return Money(rule.threshold_minor, rule.threshold_currency).amount


async def delete_alert_rule(work: UnitOfWork, user_id: uuid.UUID, rule_id: str) -> uuid.UUID:
    """Delete one of the user's rules. The notifications it raised stay (they no longer name a
    rule), and so does the dedupe of what they were about: a rule made again later does not
    repeat them."""
    rule = await _owned_rule(work, user_id, rule_id)
    await repository.delete(work.session, rule)
    return rule.id
