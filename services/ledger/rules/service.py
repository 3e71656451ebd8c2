"""The user's rules: made, changed, deleted and put in order; listed a page at a time; and
compiled for bank ingest, which applies the enabled ones to every transaction the bank reports.

A rule has a name, a place among the user's rules (0, 1, 2...: every change renumbers them),
an enabled flag, conditions (conditions.py) and at least one action: set a category, set a
payee, add tags, or mark it a transfer (it gets the user's transfer category: the one the
default "Transfers" became, else their first category of the TRANSFER kind; linking the two
halves stays the user's confirmation, through transferCandidates and linkTransfer).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.categories import service as category_service
from services.ledger.models import CATEGORY_KIND_TRANSFER, MAX_RULE_NAME, Rule
from services.ledger.payees import service as payee_service
from services.ledger.rules import repository
from services.ledger.rules.conditions import Conditions, check_conditions
from services.ledger.rules.matching import CompiledRule, Matcher, RuleSet
from services.ledger.tags import service as tag_service
from services.ledger.transactions.service import KEEP, Keep, TransactionQuery
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.pagination import decode_cursor, encode_cursor
from shared.validation import clean_text

# Ingest tests every new bank transaction against every enabled rule: this bounds that work.
MAX_RULES = 200
# The default category that transfers go to (categories/defaults.py).
TRANSFERS_PRESET = "Transfers"


@dataclass(frozen=True)
class RuleActions:
    """What a rule does (ids decoded): at least one of these."""

    category_id: uuid.UUID | None = None
    payee_id: uuid.UUID | None = None
    tag_ids: tuple[uuid.UUID, ...] = ()
    mark_as_transfer: bool = False


@dataclass(frozen=True)
class NewRule:
    name: str
    conditions: Conditions
    actions: RuleActions
    enabled: bool = True
    position: int | None = None  # at the end when None


@dataclass(frozen=True)
class RuleChanges:
    """Omitted (KEEP) fields stay; conditions and actions are replaced whole."""

    name: str | Keep = KEEP
    conditions: Conditions | Keep = KEEP
    actions: RuleActions | Keep = KEEP
    enabled: bool | Keep | None = KEEP


@dataclass(frozen=True)
class CheckedRule:
    """A rule's conditions and actions, checked: what applying it to history needs."""

    conditions: Conditions
    query: TransactionQuery | None  # None: it can match nothing (what it named is gone)
    actions: RuleActions
    category_id: uuid.UUID | None  # what it sets: its category, or the transfer category

    def compiled(self, rule_id: uuid.UUID | None) -> CompiledRule:
        return CompiledRule(
            id=rule_id or uuid.UUID(int=0),
            matcher=Matcher(self.conditions),
            category_id=self.category_id,
            payee_id=self.actions.payee_id,
            tag_ids=self.actions.tag_ids,
        )


def _name(name: str, field: str) -> str:
    return clean_text(name, field, max_length=MAX_RULE_NAME)


async def check_rule(
    session: AsyncSession,
    user_id: uuid.UUID,
    conditions: Conditions,
    actions: RuleActions,
    field: str = "input",
) -> CheckedRule:
    """Conditions and actions as given (to a new rule, a change, a preview): BAD_USER_INPUT
    naming `field`.conditions.<name> or `field`.actions.<name>, NOT_FOUND for ids that are not
    the user's."""
    cleaned, query = await check_conditions(session, user_id, conditions, f"{field}.conditions")
    return CheckedRule(cleaned, query, *await _check_actions(session, user_id, actions, field))


async def _check_actions(
    session: AsyncSession, user_id: uuid.UUID, actions: RuleActions, field: str
) -> tuple[RuleActions, uuid.UUID | None]:
    field = f"{field}.actions"
    if actions.category_id is not None:
        await category_service.require_category(session, user_id, actions.category_id)
    if actions.payee_id is not None:
        await payee_service.require_payee(session, user_id, actions.payee_id)
    tag_ids = await tag_service.require_tags(
        session, user_id, actions.tag_ids, f"{field}.addTagIds"
    )
    category_id = actions.category_id
    if actions.mark_as_transfer:
        if actions.category_id is not None:
            raise BadUserInput(
                f"{field}.markAsTransfer",
                "conflicts with setCategoryId: a transfer gets your transfer category",
            )
        category_id = await transfer_category_id(session, user_id)
        if category_id is None:
            raise BadUserInput(
                f"{field}.markAsTransfer", "needs a category of the TRANSFER kind: you have none"
            )
    cleaned = RuleActions(
        actions.category_id, actions.payee_id, tuple(tag_ids), actions.mark_as_transfer
    )
    if category_id is None and cleaned.payee_id is None and not cleaned.tag_ids:
        raise BadUserInput(
            field, "give at least one action (setCategoryId, setPayeeId, addTagIds, markAsTransfer)"
        )
    return cleaned, category_id


async def transfer_category_id(session: AsyncSession, user_id: uuid.UUID) -> uuid.UUID | None:
    """The category a transfer gets: the one the default "Transfers" became while it is of
    the TRANSFER kind, else the user's first category of that kind (None if they have none)."""
    categories = await category_service.list_categories(session, user_id)
    transfers = [c.id for c in categories if c.kind == CATEGORY_KIND_TRANSFER]
    preset = (await category_service.hint_targets(session, user_id)).get(TRANSFERS_PRESET)
    if preset in transfers:
        return preset
    return transfers[0] if transfers else None


async def require_rule(session: AsyncSession, user_id: uuid.UUID, rule_id: uuid.UUID) -> Rule:
    rule = await repository.rule_for_user(session, user_id, rule_id)
    if rule is None:
        raise NotFound("Rule")
    return rule


async def rules_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Rule]:
    """The user's rules among `ids`; others' ids are silently absent."""
    return await repository.rules_by_ids(session, user_id, ids)


async def tags_of_rules(
    session: AsyncSession, user_id: uuid.UUID, rule_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The tag ids each rule adds (rules adding none are absent)."""
    found: defaultdict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for rule_id, tag_id in await repository.tags_of_rules(session, user_id, rule_ids):
        found[rule_id].append(tag_id)
    return dict(found)


async def create_rule(work: UnitOfWork, user_id: uuid.UUID, new: NewRule) -> Rule:
    session = work.session
    await rows.lock_user(session, user_id)
    name = _name(new.name, "input.name")
    checked = await check_rule(session, user_id, new.conditions, new.actions)
    existing = await repository.rules_for_user(session, user_id)
    if len(existing) >= MAX_RULES:
        raise BadUserInput("input", f"you have {MAX_RULES} rules already: delete some first")
    position = len(existing) if new.position is None else new.position
    if not 0 <= position <= len(existing):
        raise BadUserInput("input.position", f"must be between 0 and {len(existing)}")
    rule = Rule(
        id=uuid.uuid4(),
        user_id=user_id,
        name=name,
        enabled=new.enabled,
        position=position,
        conditions=checked.conditions.to_json(),
        **_action_columns(checked.actions),
    )
    rows.add(session, rule)
    _renumber([*existing[:position], rule, *existing[position:]])
    await session.flush()
    await repository.set_rule_tags(session, rule.id, checked.actions.tag_ids)
    await session.flush()
    return rule


def _action_columns(actions: RuleActions) -> dict[str, object]:
    return {
        "set_category_id": actions.category_id,
        "set_payee_id": actions.payee_id,
        "mark_as_transfer": actions.mark_as_transfer,
    }


def _renumber(ordered: Sequence[Rule]) -> None:
    for position, rule in enumerate(ordered):
        if rule.position != position:
            rule.position = position


async def update_rule(
    work: UnitOfWork, user_id: uuid.UUID, rule_id: uuid.UUID, changes: RuleChanges
) -> Rule:
    session = work.session
    rule = await require_rule(session, user_id, rule_id)
    if not isinstance(changes.name, Keep):
        rule.name = _name(changes.name, "input.name")
    if not isinstance(changes.enabled, Keep):
        if changes.enabled is None:
            raise BadUserInput("input.enabled", "must not be null")
        rule.enabled = changes.enabled
    if not isinstance(changes.conditions, Keep):
        cleaned, _ = await check_conditions(
            session, user_id, changes.conditions, "input.conditions"
        )
        rule.conditions = cleaned.to_json()
    if not isinstance(changes.actions, Keep):
        actions, _ = await _check_actions(session, user_id, changes.actions, "input")
        for column, value in _action_columns(actions).items():
            setattr(rule, column, value)
        await repository.set_rule_tags(session, rule.id, actions.tag_ids)
    rule.updated_at = utcnow()
    await session.flush()
    return rule


async def delete_rule(work: UnitOfWork, user_id: uuid.UUID, rule_id: uuid.UUID) -> None:
    """Delete a rule; what it already did to transactions stays."""
    session = work.session
    await rows.lock_user(session, user_id)
    rule = await require_rule(session, user_id, rule_id)
    await rows.delete(session, [rule])
    _renumber(await repository.rules_for_user(session, user_id))
    await session.flush()


async def reorder_rules(
    work: UnitOfWork, user_id: uuid.UUID, rule_ids: Sequence[uuid.UUID]
) -> list[Rule]:
    """Put the user's rules in this order: every one of them, once each."""
    session = work.session
    await rows.lock_user(session, user_id)
    existing = {rule.id: rule for rule in await repository.rules_for_user(session, user_id)}
    if any(rule_id not in existing for rule_id in rule_ids):
        raise NotFound("Rule")
    if len(rule_ids) != len(existing) or len(set(rule_ids)) != len(rule_ids):
        raise BadUserInput(
            "input.ruleIds", "must name every one of your rules once, in their new order"
        )
    ordered = [existing[rule_id] for rule_id in rule_ids]
    _renumber(ordered)
    await session.flush()
    return ordered


# --- listing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulePage:
    rows: list[Rule]
    has_next_page: bool


def rule_cursor(rule: Rule) -> str:
    return encode_cursor([rule.position, rule.id.hex])


def _parse_cursor(cursor: str) -> tuple[int, uuid.UUID]:
    values = decode_cursor(cursor, "after")
    try:
        position, id_hex = values
        if not isinstance(position, int) or isinstance(position, bool):
            raise TypeError(position)
        return position, uuid.UUID(hex=id_hex)
    except (TypeError, ValueError):
        raise BadUserInput("after", "is not a valid cursor") from None


async def rule_page(
    session: AsyncSession, user_id: uuid.UUID, *, first: int, after: str | None
) -> RulePage:
    """A page of the user's rules, in their order."""
    keyset = _parse_cursor(after) if after is not None else None
    fetched = await repository.rule_page(session, user_id, after=keyset, limit=first + 1)
    return RulePage(fetched[:first], len(fetched) > first)


async def count_rules(session: AsyncSession, user_id: uuid.UUID) -> int:
    return await repository.count_rules(session, user_id)


# --- what bank ingest needs --------------------------------------------------------------------


async def enabled_rules(session: AsyncSession, user_id: uuid.UUID) -> RuleSet:
    """The user's enabled rules, compiled, in order: a few queries whatever their number (one
    when they have none)."""
    found = await repository.rules_for_user(session, user_id, enabled_only=True)
    if not found:
        return RuleSet()
    tags = await tags_of_rules(session, user_id, [rule.id for rule in found])
    transfers = None
    if any(rule.mark_as_transfer for rule in found):
        transfers = await transfer_category_id(session, user_id)
    compiled = (
        CompiledRule(
            id=rule.id,
            matcher=Matcher(Conditions.from_json(rule.conditions)),
            category_id=transfers if rule.mark_as_transfer else rule.set_category_id,
            payee_id=rule.set_payee_id,
            tag_ids=tuple(tags.get(rule.id, ())),
        )
        for rule in found
    )
    return RuleSet(tuple(rule for rule in compiled if rule.acts))


async def add_tags(
    session: AsyncSession,
    user_id: uuid.UUID,
    wanted: Mapping[uuid.UUID, Mapping[uuid.UUID, uuid.UUID]],
) -> Counter[uuid.UUID]:
    """Put rules' tags on transactions (transaction id -> {tag id: rule id}; the caller left out
    those whose tags the user edited): the missing ones, in a few queries. How many
    transactions each rule tagged."""
    tag_ids = sorted({tag_id for tags in wanted.values() for tag_id in tags})
    existing = await repository.links_among(session, sorted(wanted), tag_ids)
    missing = [
        (transaction_id, tag_id, rule_id)
        for transaction_id, tags in wanted.items()
        for tag_id, rule_id in tags.items()
        if (transaction_id, tag_id) not in existing
    ]
    if not missing:
        return Counter()
    await repository.add_rule_tags(session, user_id, [(tx, tag) for tx, tag, _ in missing])
    await session.flush()
    return Counter(rule_id for rule_id, _ in {(rule, tx) for tx, _, rule in missing})


async def credit(
    session: AsyncSession, user_id: uuid.UUID, counts: Mapping[uuid.UUID, int]
) -> None:
    """Count the transactions rules changed (one statement)."""
    await repository.credit_rules(
        session, user_id, {rule_id: n for rule_id, n in counts.items() if n}, utcnow()
    )


# --- merges elsewhere that rules follow ----------------------------------------------------


async def follow_payee_merge(
    work: UnitOfWork, user_id: uuid.UUID, sources: Sequence[uuid.UUID], target: uuid.UUID
) -> int:
    """Payees merged into `target`: rules that looked for a source look for the target, and
    rules that set a source set the target (call it in the merge's unit of work). How many
    rules changed."""
    merged = set(sources)
    changed = 0
    for rule in await repository.rules_for_user(work.session, user_id):
        conditions = Conditions.from_json(rule.conditions)
        touched = False
        if conditions.payee_ids and merged & set(conditions.payee_ids):
            kept = [i for i in conditions.payee_ids if i not in merged]
            payees = tuple(dict.fromkeys([*kept, target]))
            rule.conditions = replace(conditions, payee_ids=payees).to_json()
            touched = True
        if rule.set_payee_id in merged:
            rule.set_payee_id = target
            touched = True
        changed += touched
    return changed


async def follow_category_merge(
    work: UnitOfWork, user_id: uuid.UUID, source: uuid.UUID, target: uuid.UUID
) -> int:
    """A category merged into `target`: rules that set the source set the target (call it
    before the source is deleted, in the merge's unit of work). How many rules changed."""
    changed = 0
    for rule in await repository.rules_for_user(work.session, user_id):
        if rule.set_category_id == source:
            rule.set_category_id = target
            changed += 1
    return changed
