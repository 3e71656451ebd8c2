"""The Rule type (its conditions and actions), the `rules` connection and `rule` query, and
making, changing, deleting and reordering rules. Trying a rule on history and applying it:
graphql/rule_history.py. The input types live with the ledger's others (inputs.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

import strawberry

from services.ledger import models
from services.ledger.graphql import loaders
from services.ledger.graphql.accounts import Account
from services.ledger.graphql.categories import Category, load_category
from services.ledger.graphql.inputs import (
    CreateRuleInput,
    DeleteRuleInput,
    ReorderRulesInput,
    RuleActionsInput,
    RuleConditionsInput,
    TransactionDirection,
    UpdateRuleInput,
)
from services.ledger.graphql.payees import Payee, load_payee
from services.ledger.graphql.tags import Tag
from services.ledger.rules import service as rule_service
from services.ledger.rules.conditions import Conditions
from services.ledger.transactions.filters import Direction
from services.ledger.transactions.service import KEEP
from shared.db import read_session, unit_of_work
from shared.errors import BadUserInput, NotFound
from shared.graphql import INPUT, After, First, Info, Node, PageInfo
from shared.ids import decode_id, encode_id
from shared.pagination import page_size

_DIRECTIONS = {
    TransactionDirection.MONEY_IN: Direction.MONEY_IN,
    TransactionDirection.MONEY_OUT: Direction.MONEY_OUT,
}
_BY_DIRECTION = {value: key for key, value in _DIRECTIONS.items()}


@strawberry.type(
    name="RuleConditions",
    description="Which transactions a rule matches: every condition that is not null holds.",
)
class RuleConditions:
    description_contains: str | None = strawberry.field(
        description="Text anywhere in the description, ignoring case."
    )
    description_matches: str | None = strawberry.field(
        description="A regular expression (RE2) found in the description, ignoring case."
    )
    payee_contains: str | None = strawberry.field(
        description="Text anywhere in the payee's name, ignoring case."
    )
    payee_matches: str | None = strawberry.field(
        description="A regular expression (RE2) found in the payee's name, ignoring case."
    )
    min_amount: Decimal | None = strawberry.field(
        description="The smallest size matched, whatever the sign, in the transaction's currency."
    )
    max_amount: Decimal | None = strawberry.field(description="The largest size matched.")
    direction: TransactionDirection | None = strawberry.field(
        description="Money in only, or money out only."
    )
    payee_ids: strawberry.Private[tuple[uuid.UUID, ...] | None]
    account_ids: strawberry.Private[tuple[uuid.UUID, ...] | None]

    @classmethod
    def of(cls, conditions: Conditions) -> RuleConditions:
        return cls(
            description_contains=conditions.description_contains,
            description_matches=conditions.description_matches,
            payee_contains=conditions.payee_contains,
            payee_matches=conditions.payee_matches,
            min_amount=conditions.min_amount,
            max_amount=conditions.max_amount,
            direction=_BY_DIRECTION[conditions.direction] if conditions.direction else None,
            payee_ids=conditions.payee_ids,
            account_ids=conditions.account_ids,
        )

    @strawberry.field
    async def payees(self, info: Info) -> list[Payee] | None:
        """Only these payees' transactions; null when the rule names none. A payee merged
        into another or deleted since is left out (with none left, the rule matches nothing)."""
        if self.payee_ids is None:
            return None
        found = await loaders.payees(info).load_many(self.payee_ids)
        return [Payee.from_row(row) for row in found if row is not None]

    @strawberry.field
    async def accounts(self, info: Info) -> list[Account] | None:
        """Only these accounts' transactions; null when the rule names none (a deleted account
        is left out)."""
        if self.account_ids is None:
            return None
        found = await loaders.accounts(info).load_many(self.account_ids)
        return [Account.from_row(row) for row in found if row is not None]


@strawberry.type(name="RuleActions", description="What a rule does to the transactions it matches.")
class RuleActions:
    mark_as_transfer: bool = strawberry.field(
        description="Whether it gives them the user's transfer category."
    )
    rule_id: strawberry.Private[uuid.UUID]
    category_id: strawberry.Private[uuid.UUID | None]
    payee_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    async def set_category(self, info: Info) -> Category | None:
        """The category it gives them; null when it sets none (or the category was deleted)."""
        return await load_category(info, self.category_id)

    @strawberry.field
    async def set_payee(self, info: Info) -> Payee | None:
        """The payee it gives them; null when it sets none (or the payee was merged away)."""
        return await load_payee(info, self.payee_id)

    @strawberry.field
    async def add_tags(self, info: Info) -> list[Tag]:
        """The tags it puts on them, by name."""
        return [Tag.from_row(row) for row in await loaders.rule_tags(info).load(self.rule_id)]


@strawberry.type(
    name="Rule",
    description="Conditions on a transaction and what to do to those they match, applied in "
    "the user's order to every new bank transaction (and to history on demand). What the user "
    "chose on a transaction is never changed by a rule.",
)
class Rule(Node):
    name: str = strawberry.field(description="What the user calls it.")
    position: int = strawberry.field(
        description="Its place among the user's rules, from 0: for each thing rules set, the "
        "first matching rule that sets it wins; tags add up."
    )
    enabled: bool = strawberry.field(description="Whether new bank transactions go through it.")
    applied_count: int = strawberry.field(
        description="How many times it changed a transaction (arriving from the bank, or "
        "applied to history)."
    )
    last_applied_at: dt.datetime | None = strawberry.field(
        description="When it last changed one; null if it never did."
    )
    created_at: dt.datetime = strawberry.field(description="When it was made.")
    updated_at: dt.datetime = strawberry.field(description="When it was last changed.")
    row: strawberry.Private[models.Rule]

    @classmethod
    def from_row(cls, row: models.Rule) -> Rule:
        return cls(
            id=strawberry.ID(encode_id("Rule", row.id)),
            name=row.name,
            position=row.position,
            enabled=row.enabled,
            applied_count=row.applied_count,
            last_applied_at=row.last_applied_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field
    def conditions(self) -> RuleConditions:
        """Which transactions it matches."""
        return RuleConditions.of(Conditions.from_json(self.row.conditions))

    @strawberry.field
    def actions(self) -> RuleActions:
        """What it does to them."""
        return RuleActions(
            mark_as_transfer=self.row.mark_as_transfer,
            rule_id=self.row.id,
            category_id=self.row.set_category_id,
            payee_id=self.row.set_payee_id,
        )


async def resolve_rule(info: Info, rule_id: uuid.UUID) -> Rule:
    """The caller's rule (for `rule(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    info.context.require_user()
    row = await loaders.rules(info).load(rule_id)
    if row is None:
        raise NotFound("Rule")
    return Rule.from_row(row)


def conditions_from_input(given: RuleConditionsInput) -> Conditions:
    """The conditions as the service reads them; an id that is not one names its field."""
    field = "input.conditions"
    return Conditions(
        description_contains=given.description_contains,
        description_matches=given.description_matches,
        payee_contains=given.payee_contains,
        payee_matches=given.payee_matches,
        payee_ids=_ids("Payee", given.payee_ids, f"{field}.payeeIds"),
        account_ids=_ids("Account", given.account_ids, f"{field}.accountIds"),
        min_amount=given.min_amount,
        max_amount=given.max_amount,
        direction=_DIRECTIONS[given.direction] if given.direction is not None else None,
    )


def actions_from_input(given: RuleActionsInput) -> rule_service.RuleActions:
    field = "input.actions"
    return rule_service.RuleActions(
        category_id=_id("Category", given.set_category_id, f"{field}.setCategoryId"),
        payee_id=_id("Payee", given.set_payee_id, f"{field}.setPayeeId"),
        tag_ids=_ids("Tag", given.add_tag_ids, f"{field}.addTagIds") or (),
        mark_as_transfer=given.mark_as_transfer,
    )


def _id(kind: str, value: strawberry.ID | None, field: str) -> uuid.UUID | None:
    return decode_id(kind, value, field) if value is not None else None


def _ids(kind: str, values: list[strawberry.ID] | None, field: str) -> tuple[uuid.UUID, ...] | None:
    return tuple(decode_id(kind, value, field) for value in values) if values is not None else None


@strawberry.type(name="RuleEdge", description="A rule in a page of rules.")
class RuleEdge:
    cursor: str = strawberry.field(description="Pass as `after` to list what comes after it.")
    node: Rule = strawberry.field(description="The rule.")


@strawberry.type(name="RuleConnection", description="A page of the user's rules, in their order.")
class RuleConnection:
    edges: list[RuleEdge] = strawberry.field(description="This page's rules, first one first.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    user_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def total_count(self) -> int:
        """How many rules the user has (all pages)."""
        async with read_session() as session:
            return await rule_service.count_rules(session, self.user_id)


@strawberry.type(name="CreateRulePayload", description="What createRule made.")
class CreateRulePayload:
    rule: Rule = strawberry.field(description="The new rule.")


@strawberry.type(name="UpdateRulePayload", description="What updateRule changed.")
class UpdateRulePayload:
    rule: Rule = strawberry.field(description="The rule as it is now.")


@strawberry.type(name="DeleteRulePayload", description="What deleteRule removed.")
class DeleteRulePayload:
    deleted_rule_id: strawberry.ID = strawberry.field(
        description="The id of the rule that is gone."
    )


@strawberry.type(name="ReorderRulesPayload", description="What reorderRules did.")
class ReorderRulesPayload:
    rules: list[Rule] = strawberry.field(description="The caller's rules, in their new order.")


@strawberry.type
class RuleQueries:
    @strawberry.field
    async def rules(
        self,
        info: Info,
        first: First = None,
        after: After = None,
    ) -> RuleConnection:
        """The caller's rules, in their order (the order they apply in)."""
        user_id = info.context.require_user()
        size = page_size(first)
        async with read_session() as session:
            page = await rule_service.rule_page(session, user_id, first=size, after=after)
        edges = [
            RuleEdge(cursor=rule_service.rule_cursor(row), node=Rule.from_row(row))
            for row in page.rows
        ]
        return RuleConnection(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next_page=page.has_next_page, after=after
            ),
            user_id=user_id,
        )

    @strawberry.field
    async def rule(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Rule:
        """One of the caller's rules."""
        return await resolve_rule(info, decode_id("Rule", id))


@strawberry.type
class RuleMutations:
    @strawberry.mutation
    async def create_rule(
        self, info: Info, input: Annotated[CreateRuleInput, INPUT]
    ) -> CreateRulePayload:
        """Make a rule (a user has at most 200). New bank transactions go through it from now
        on; to apply it to the transactions already there, use applyRule."""
        user_id = info.context.require_user()
        new = rule_service.NewRule(
            name=input.name,
            conditions=conditions_from_input(input.conditions),
            actions=actions_from_input(input.actions),
            enabled=input.enabled,
            position=input.position,
        )
        async with unit_of_work() as work:
            row = await rule_service.create_rule(work, user_id, new)
        return CreateRulePayload(rule=Rule.from_row(row))

    @strawberry.mutation
    async def update_rule(
        self, info: Info, input: Annotated[UpdateRuleInput, INPUT]
    ) -> UpdateRulePayload:
        """Change a rule's name, conditions, actions or enabled flag. What it already did to
        transactions stays."""
        user_id = info.context.require_user()
        rule_id = decode_id("Rule", input.id, "input.id")
        conditions = _given(input.conditions, "input.conditions")
        actions = _given(input.actions, "input.actions")
        changes = rule_service.RuleChanges(
            name=_given(input.name, "input.name"),
            conditions=(
                conditions_from_input(conditions)
                if isinstance(conditions, RuleConditionsInput)
                else KEEP
            ),
            actions=actions_from_input(actions) if isinstance(actions, RuleActionsInput) else KEEP,
            enabled=_given(input.enabled, "input.enabled"),
        )
        async with unit_of_work() as work:
            row = await rule_service.update_rule(work, user_id, rule_id, changes)
        return UpdateRulePayload(rule=Rule.from_row(row))

    @strawberry.mutation
    async def delete_rule(
        self, info: Info, input: Annotated[DeleteRuleInput, INPUT]
    ) -> DeleteRulePayload:
        """Delete a rule; the rules after it move up."""
        user_id = info.context.require_user()
        rule_id = decode_id("Rule", input.id, "input.id")
        async with unit_of_work() as work:
            await rule_service.delete_rule(work, user_id, rule_id)
        return DeleteRulePayload(deleted_rule_id=input.id)

    @strawberry.mutation
    async def reorder_rules(
        self, info: Info, input: Annotated[ReorderRulesInput, INPUT]
    ) -> ReorderRulesPayload:
        """Put the caller's rules in a new order (every one of them, once each)."""
        user_id = info.context.require_user()
        ids = [decode_id("Rule", value, "input.ruleIds") for value in input.rule_ids]
        async with unit_of_work() as work:
            ordered = await rule_service.reorder_rules(work, user_id, ids)
        return ReorderRulesPayload(rules=[Rule.from_row(row) for row in ordered])


def _given(value: Any, field: str) -> Any:
    """KEEP when the field was left out; a field of a rule cannot be null."""
    if value is strawberry.UNSET:
        return KEEP
    if value is None:
        raise BadUserInput(field, "must not be null (leave it out to keep it as it is)")
    return value
