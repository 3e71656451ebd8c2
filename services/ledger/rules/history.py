"""A rule applied to the transactions already there, on demand, or previewed first.

The filter-language part of the conditions (accounts, payees, amounts, direction) and the dates
asked for narrow the history in SQL; the text conditions are then tested in Python
(matching.py: the same code ingest uses) over batches of SCAN_BATCH candidates, newest first.
So a preview says exactly what applying the rule then does, and a user's choice is never
changed: a category, payee or tags the user set are left as they are, and a split transaction
keeps its parts' categories (its own would not count).

Applying is one unit of work, all or nothing: a rule that would change more than MAX_APPLY
transactions at once is refused (apply it to a shorter period: from/to). The category changes
are announced, so alerts and budgets see them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.events import announce_transactions_changed, transactions_regrouped
from services.ledger.models import (
    CATEGORY_SOURCE_USER,
    PAYEE_SOURCE_USER,
    TAGS_SOURCE_USER,
    Rule,
    Transaction,
)
from services.ledger.payees import service as payee_service
from services.ledger.periods import check_date
from services.ledger.rules import repository
from services.ledger.rules import service as rule_service
from services.ledger.rules.conditions import Conditions
from services.ledger.rules.matching import CompiledRule, Facts
from services.ledger.transactions.filters import compile_filter
from shared.db import UnitOfWork
from shared.errors import BadUserInput
from shared.pagination import Keyset

MAX_APPLY = 10_000
SCAN_BATCH = 1_000


@dataclass(frozen=True)
class Period:
    """The dates a preview or an application covers (either end open when None)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def checked(self) -> Period:
        if self.date_from is not None:
            check_date(self.date_from, "input.from")
        if self.date_to is not None:
            check_date(self.date_to, "input.to")
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise BadUserInput("input.to", "must not be before input.from")
        return self

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.date_from is not None:
            found.append(Transaction.date >= self.date_from)
        if self.date_to is not None:
            found.append(Transaction.date <= self.date_to)
        return found


@dataclass(frozen=True)
class Change:
    """What a rule changes on one transaction: each field's value before and after (None when
    the rule leaves it), and the tags it adds."""

    transaction_id: uuid.UUID
    date: dt.date
    category: tuple[uuid.UUID | None, uuid.UUID] | None
    payee: tuple[uuid.UUID | None, uuid.UUID] | None
    added_tag_ids: tuple[uuid.UUID, ...]

    def cursor(self) -> str:
        return Keyset(self.date, self.transaction_id).cursor()


async def checked_stored_rule(
    session: AsyncSession, user_id: uuid.UUID, rule: Rule
) -> rule_service.CheckedRule:
    """A stored rule ready for history. What its conditions named may be gone since (an
    account deleted, a payee merged): a list with none of its entries left matches nothing."""
    conditions = Conditions.from_json(rule.conditions)
    tags = await rule_service.tags_of_rules(session, user_id, [rule.id])
    actions = rule_service.RuleActions(
        rule.set_category_id, rule.set_payee_id, tuple(tags.get(rule.id, ())), rule.mark_as_transfer
    )
    category_id = rule.set_category_id
    if rule.mark_as_transfer:
        category_id = await rule_service.transfer_category_id(session, user_id)
    accounts = payees = None
    if conditions.account_ids is not None:
        found = await account_service.accounts_by_ids(session, user_id, conditions.account_ids)
        accounts = tuple(a.id for a in found)
    if conditions.payee_ids is not None:
        named = await payee_service.payees_by_ids(session, user_id, conditions.payee_ids)
        payees = tuple(p.id for p in named)
    if accounts == () or payees == ():
        return rule_service.CheckedRule(conditions, None, actions, category_id)
    present = replace(conditions, account_ids=accounts, payee_ids=payees)
    query = await compile_filter(session, user_id, present.as_filter())
    return rule_service.CheckedRule(present, query, actions, category_id)


async def _changes(
    session: AsyncSession, checked: rule_service.CheckedRule, period: Period
) -> AsyncIterator[Change | None]:
    """For every transaction the rule matches, newest first: what it would change (None when
    nothing: already so, or the user's choice)."""
    if checked.query is None:
        return
    rule = checked.compiled(None)
    extra = period.conditions()
    after: Keyset[dt.date] | None = None
    while True:
        batch = await repository.candidates(
            session, checked.query, extra, after=after, limit=SCAN_BATCH
        )
        if not batch:
            return
        after = Keyset(batch[-1].date, batch[-1].id)
        matched = [row for row in batch if rule.matcher.matches(_facts(row))]
        tagged = await _existing_tags(session, rule, matched)
        for row in matched:
            yield _change(rule, row, tagged)
        if len(batch) < SCAN_BATCH:
            return


def _facts(row: repository.Candidate) -> Facts:
    return Facts(
        row.account_id,
        row.amount_minor,
        row.currency,
        row.description,
        row.payee_id,
        row.payee_name,
    )


async def _existing_tags(
    session: AsyncSession, rule: CompiledRule, matched: Sequence[repository.Candidate]
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    if not rule.tag_ids:
        return set()
    ids = [row.id for row in matched if row.tags_source != TAGS_SOURCE_USER]
    return await repository.links_among(session, ids, rule.tag_ids)


def _change(
    rule: CompiledRule, row: repository.Candidate, tagged: set[tuple[uuid.UUID, uuid.UUID]]
) -> Change | None:
    return change_of(row, rule.category_id, rule.payee_id, rule.tag_ids, tagged)


def change_of(
    row: repository.Candidate,
    category_id: uuid.UUID | None,
    payee_id: uuid.UUID | None,
    tag_ids: Sequence[uuid.UUID],
    tagged: set[tuple[uuid.UUID, uuid.UUID]],
) -> Change | None:
    """What setting this category and payee and adding these tags (None, None, () for none)
    changes on a transaction, `tagged` holding the (transaction, tag) pairs that exist: never
    what the user chose, nor the category of a split transaction (its parts' count)."""
    category = None
    if (
        category_id is not None
        and not row.split
        and row.category_source != CATEGORY_SOURCE_USER
        and row.category_id != category_id
    ):
        category = (row.category_id, category_id)
    payee = None
    if payee_id is not None and row.payee_source != PAYEE_SOURCE_USER and row.payee_id != payee_id:
        payee = (row.payee_id, payee_id)
    added: tuple[uuid.UUID, ...] = ()
    if row.tags_source != TAGS_SOURCE_USER:
        added = tuple(tag for tag in tag_ids if (row.id, tag) not in tagged)
    if category is None and payee is None and not added:
        return None
    return Change(row.id, row.date, category, payee, added)


@dataclass(frozen=True)
class Preview:
    matched: int  # transactions the conditions match (in the period)
    total: int  # of those, the ones the rule would change
    page: list[Change]  # the first of those changes (after the cursor), newest first
    has_next_page: bool


async def preview(
    session: AsyncSession,
    user_id: uuid.UUID,
    checked: rule_service.CheckedRule,
    period: Period,
    *,
    first: int,
    after: str | None,
) -> Preview:
    """What applying the rule to the period's transactions would change; writes nothing."""
    start = Keyset.parse(after, dt.date.fromisoformat) if after is not None else None
    matched = total = 0
    page: list[Change] = []
    async for change in _changes(session, checked, period.checked()):
        matched += 1
        if change is None:
            continue
        total += 1
        if len(page) <= first and (start is None or _is_after(change, start)):
            page.append(change)
    return Preview(matched, total, page[:first], len(page) > first)


def _is_after(change: Change, start: Keyset[dt.date]) -> bool:
    """Newest first: older, or as old with a smaller id."""
    return (change.date, change.transaction_id) < (start.position, start.id)


@dataclass(frozen=True)
class Applied:
    rule: Rule
    matched: int
    changed: int


async def apply_rule(
    work: UnitOfWork, user_id: uuid.UUID, rule_id: uuid.UUID, period: Period
) -> Applied:
    """Apply a rule (enabled or not) to the period's transactions, in one unit of work."""
    session = work.session
    rule = await rule_service.require_rule(session, user_id, rule_id)
    checked = await checked_stored_rule(session, user_id, rule)
    matched = 0
    changes: list[Change] = []
    async for change in _changes(session, checked, period.checked()):
        matched += 1
        if change is None:
            continue
        changes.append(change)
        if len(changes) > MAX_APPLY:
            raise BadUserInput(
                "input.from",
                f"the rule would change more than {MAX_APPLY} transactions at once: apply it "
                "to a shorter period (from, to)",
            )
    await _write(work, user_id, checked, changes)
    if changes:
        await rule_service.credit(session, user_id, {rule.id: len(changes)})
        await session.refresh(rule)
    return Applied(rule, matched, len(changes))


async def _write(
    work: UnitOfWork,
    user_id: uuid.UUID,
    checked: rule_service.CheckedRule,
    changes: Sequence[Change],
) -> None:
    session = work.session
    recategorized = [change for change in changes if change.category is not None]
    if checked.category_id is not None and recategorized:
        ids = [change.transaction_id for change in recategorized]
        await repository.set_rule_category(session, user_id, ids, checked.category_id)
        announce_transactions_changed(work, user_id, ids, [change.date for change in recategorized])
    if checked.actions.payee_id is not None:
        repaid = [change for change in changes if change.payee is not None]
        ids = [change.transaction_id for change in repaid]
        await repository.set_rule_payee(session, user_id, ids, checked.actions.payee_id)
        # Other services do not group by payee; the ledger's reports do.
        transactions_regrouped(work, user_id, [change.date for change in repaid])
    links = [(c.transaction_id, tag) for c in changes for tag in c.added_tag_ids]
    if links:
        await repository.add_rule_tags(session, user_id, links)
    await session.flush()


@dataclass(frozen=True)
class Tried:
    """The rule a preview tries: a stored one, or conditions and actions not stored yet."""

    rule_id: uuid.UUID | None = None
    conditions: Conditions | None = None
    actions: rule_service.RuleActions | None = None


async def preview_rule(
    session: AsyncSession,
    user_id: uuid.UUID,
    tried: Tried,
    period: Period,
    *,
    first: int,
    after: str | None,
) -> Preview:
    """What applying a rule (stored, or as given and checked like a new rule) to the period's
    transactions would change; writes nothing."""
    if tried.rule_id is not None:
        if tried.conditions is not None or tried.actions is not None:
            raise BadUserInput(
                "input.ruleId", "give either ruleId, or conditions and actions (not both)"
            )
        rule = await rule_service.require_rule(session, user_id, tried.rule_id)
        checked = await checked_stored_rule(session, user_id, rule)
    else:
        if tried.conditions is None:
            raise BadUserInput("input.conditions", "give a ruleId, or conditions and actions")
        if tried.actions is None:
            raise BadUserInput("input.actions", "give a ruleId, or conditions and actions")
        checked = await rule_service.check_rule(session, user_id, tried.conditions, tried.actions)
    return await preview(session, user_id, checked, period, first=first, after=after)
