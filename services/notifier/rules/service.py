"""Alert rules: the default rule, creating, listing, changing, snoozing and deleting rules, and
the channels a rule's notifications go to (the kinds and their parameters: kinds.py).

Functions take a session or a unit of work and never commit.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import api as ledger
from services.notifier.models import AlertRule
from services.notifier.rules import repository
from services.notifier.rules.kinds import (
    DEFAULT_CHANNELS,
    SCHEDULED_KINDS,
    SPECS,
    AlertKind,
    Parameters,
    Scope,
    parse_channels,
    parse_kind,
    parse_parameters,
)
from shared.clock import as_utc, utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, Conflict, NotFound
from shared.ids import decode_id
from shared.money import Money, parse_currency

__all__ = ["AlertKind", "AlertRuleView", "Parameters"]

MAX_RULES_PER_USER = 50
# How long a rule may be snoozed at most.
MAX_SNOOZE = timedelta(days=366)


@dataclass(frozen=True)
class AlertRuleView:
    id: uuid.UUID
    kind: str
    enabled: bool
    threshold: Money | None
    category_id: uuid.UUID | None
    account_id: uuid.UUID | None = None
    tag_id: uuid.UUID | None = None
    parameters: Parameters = field(default_factory=Parameters)
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    snoozed_until: datetime | None = None

    def covers(
        self,
        *,
        account_id: uuid.UUID | None = None,
        category_id: uuid.UUID | None = None,
        tag_ids: frozenset[uuid.UUID] = frozenset(),
    ) -> bool:
        """Whether something of that account, category and tags is within the rule's scope
        (a rule not limited to one covers every one)."""
        return (
            (self.account_id is None or self.account_id == account_id)
            and (self.category_id is None or self.category_id == category_id)
            and (self.tag_id is None or self.tag_id in tag_ids)
        )


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
        account_id=rule.account_id,
        tag_id=rule.tag_id,
        parameters=Parameters.of_stored(rule.parameters),
        channels=tuple(rule.channels or DEFAULT_CHANNELS),
        snoozed_until=rule.snoozed_until,
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
            parameters={},
            channels=list(DEFAULT_CHANNELS),
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


async def enabled_rules(
    session: AsyncSession, user_id: uuid.UUID, now: datetime | None = None
) -> list[AlertRuleView]:
    """The rules evaluation applies at `now` (default: now): enabled and not snoozed, oldest
    first."""
    moment = now or utcnow()
    rules = await repository.rules(session, user_id, enabled_only=True)
    return [
        _rule_view(rule)
        for rule in rules
        if rule.snoozed_until is None or as_utc(rule.snoozed_until) <= moment
    ]


async def users_with_scheduled_rules(session: AsyncSession, now: datetime) -> list[uuid.UUID]:
    """Whoever has an enabled rule of a kind the scheduler's pass evaluates, not snoozed at
    `now`: one query for every user."""
    return await repository.users_with_rules_of(session, sorted(SCHEDULED_KINDS), now)


async def channels_of_rule(session: AsyncSession, rule_id: uuid.UUID | None) -> frozenset[str]:
    """Where the notifications of a rule go (names of delivery.outgoing.Channel); the default
    set for no rule (a notification whose rule was deleted, or one no rule raised)."""
    if rule_id is None:
        return frozenset(DEFAULT_CHANNELS)
    channels = await repository.channels_of(session, rule_id)
    return frozenset(channels if channels is not None else DEFAULT_CHANNELS)


def _parse_threshold(
    kind: AlertKind, threshold: Decimal | None, currency: str | None, base_currency: str
) -> Money | None:
    if not SPECS[kind].threshold:
        if threshold is not None:
            raise BadUserInput("input.threshold", f"is not used by {kind.value} rules")
        if currency is not None:
            raise BadUserInput("input.currency", f"is not used by {kind.value} rules")
        return None
    if threshold is None:
        raise BadUserInput("input.threshold", f"is required for {kind.value} rules")
    code = parse_currency(currency or base_currency, "input.currency")
    money = Money.parse(threshold, code, "input.threshold")
    # A low balance may be watched below zero (an overdraft); money out only above it.
    if kind is AlertKind.LARGE_TRANSACTION and money.minor <= 0:
        raise BadUserInput("input.threshold", "must be greater than zero")
    return money


@dataclass(frozen=True)
class RuleScope:
    """The ledger ids a new rule is limited to, as the caller sent them (global ids)."""

    account_id: str | None = None
    category_id: str | None = None
    tag_id: str | None = None


def _check_scope_allowed(kind: AlertKind, scope: Scope, given: object) -> None:
    if given is not None and scope not in SPECS[kind].scopes:
        raise BadUserInput(f"input.{scope.value}", f"is not used by {kind.value} rules")


async def create_alert_rule(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    kind: str,
    threshold: Decimal | None = None,
    currency: str | None = None,
    category_id: str | None = None,
    account_id: str | None = None,
    tag_id: str | None = None,
    percents: Sequence[int] | None = None,
    days_ahead: int | None = None,
    factor: Decimal | None = None,
    trailing_months: int | None = None,
    channels: Sequence[str] | None = None,
) -> AlertRuleView:
    """A new enabled rule. LARGE_TRANSACTION and LOW_BALANCE need a threshold (positive for
    the first), in `currency` or else the user's base currency (the ledger's); the kind's
    other parameters default (kinds.SPECS); an account, category or tag the kind can be
    limited to narrows it; `channels` default to the inbox and email. Everything is checked
    (BadUserInput naming the field, NOT_FOUND for a ledger id not the caller's) before the
    rule is added.
    """
    alert_kind = parse_kind(kind)
    for scope, given in (
        (Scope.ACCOUNT, account_id),
        (Scope.CATEGORY, category_id),
        (Scope.TAG, tag_id),
    ):
        _check_scope_allowed(alert_kind, scope, given)
    parameters = parse_parameters(
        alert_kind,
        percents=percents,
        days_ahead=days_ahead,
        factor=factor,
        trailing_months=trailing_months,
    )
    chosen_channels = parse_channels(channels) if channels is not None else DEFAULT_CHANNELS
    category = (
        await _owned_category(work, user_id, category_id) if category_id is not None else None
    )
    watched = await _owned_account(work, user_id, account_id) if account_id is not None else None
    account = watched.id if watched is not None else None
    tag = await _owned_tag(work, user_id, tag_id) if tag_id is not None else None
    base = "USD"
    if alert_kind is AlertKind.LOW_BALANCE and currency is None and watched is not None:
        base = watched.balance.currency  # a balance is in its account's currency
    elif SPECS[alert_kind].threshold and currency is None:
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
        account_id=account,
        tag_id=tag,
        parameters=parameters.stored(),
        channels=list(chosen_channels),
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
    account_id: str | Keep | None = KEEP
    tag_id: str | Keep | None = KEEP
    percents: Sequence[int] | Keep = KEEP
    days_ahead: int | Keep = KEEP
    factor: Decimal | Keep = KEEP
    trailing_months: int | Keep = KEEP
    channels: Sequence[str] | Keep = KEEP


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


async def _owned_account(
    work: UnitOfWork, user_id: uuid.UUID, account_id: str
) -> ledger.AccountBalanceView:
    """One of the user's open accounts; NOT_FOUND for anyone else's (or a closed one)."""
    account = decode_id("Account", account_id, "input.accountId")
    found = await ledger.account_balances(work, user_id, [account])
    if not found:
        raise NotFound("Account")
    return found[0]


async def _owned_tag(work: UnitOfWork, user_id: uuid.UUID, tag_id: str) -> uuid.UUID:
    tag = decode_id("Tag", tag_id, "input.tagId")
    if tag not in await ledger.tags_by_ids(work, user_id, [tag]):
        raise NotFound("Tag")
    return tag


async def update_alert_rule(
    work: UnitOfWork, user_id: uuid.UUID, rule_id: str, changes: AlertRuleChanges
) -> AlertRuleView:
    """Switch a rule, or change its parameters: a threshold (its kind's, in `currency` or else
    the one it had), the account, category or tag it is limited to, its kind's other
    parameters, or its channels. Its kind stays; everything is checked before anything
    changes."""
    rule = await _owned_rule(work, user_id, rule_id)
    kind = AlertKind(rule.kind)
    for scope, given in (
        (Scope.ACCOUNT, changes.account_id),
        (Scope.CATEGORY, changes.category_id),
        (Scope.TAG, changes.tag_id),
    ):
        _check_scope_allowed(kind, scope, None if given is KEEP else given)
    parameters = parse_parameters(
        kind,
        percents=None if isinstance(changes.percents, Keep) else changes.percents,
        days_ahead=None if isinstance(changes.days_ahead, Keep) else changes.days_ahead,
        factor=None if isinstance(changes.factor, Keep) else changes.factor,
        trailing_months=(
            None if isinstance(changes.trailing_months, Keep) else changes.trailing_months
        ),
        current=Parameters.of_stored(rule.parameters),
    )
    channels = parse_channels(changes.channels) if not isinstance(changes.channels, Keep) else None
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
    account: uuid.UUID | Keep | None = KEEP
    if not isinstance(changes.account_id, Keep):
        account = (
            (await _owned_account(work, user_id, changes.account_id)).id
            if changes.account_id is not None
            else None
        )
    tag: uuid.UUID | Keep | None = KEEP
    if not isinstance(changes.tag_id, Keep):
        tag = (
            await _owned_tag(work, user_id, changes.tag_id) if changes.tag_id is not None else None
        )
    if changes.enabled is not KEEP:
        rule.enabled = changes.enabled
    if not isinstance(limit, Keep):
        rule.threshold_minor = limit.minor if limit else None
        rule.threshold_currency = limit.currency if limit else None
    if not isinstance(category, Keep):
        rule.category_id = category
    if not isinstance(account, Keep):
        rule.account_id = account
    if not isinstance(tag, Keep):
        rule.tag_id = tag
    rule.parameters = parameters.stored()
    if channels is not None:
        rule.channels = list(channels)
    return _rule_view(rule)


async def snooze_alert_rule(
    work: UnitOfWork, user_id: uuid.UUID, rule_id: str, until: datetime | None
) -> AlertRuleView:
    """Snooze a rule until a moment (it raises nothing before then, and goes on by itself
    after), or wake it now with None. The moment must be in the future, within a year."""
    rule = await _owned_rule(work, user_id, rule_id)
    if until is not None:
        if until.tzinfo is None:
            raise BadUserInput("input.until", "must carry a time zone offset")
        moment = as_utc(until)
        now = utcnow()
        if moment <= now:
            raise BadUserInput("input.until", "must be in the future")
        if moment > now + MAX_SNOOZE:
            raise BadUserInput("input.until", "must be within a year")
        rule.snoozed_until = moment
    else:
        rule.snoozed_until = None
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
