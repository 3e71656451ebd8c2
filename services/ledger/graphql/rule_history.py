"""Trying a rule on the caller's history (`previewRule`: what would change, page by page,
writing nothing) and applying it (`applyRule`)."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.ledger.graphql import loaders
from services.ledger.graphql.categories import Category, load_category
from services.ledger.graphql.inputs import ApplyRuleInput, PreviewRuleInput
from services.ledger.graphql.payees import Payee, load_payee
from services.ledger.graphql.rules import Rule, actions_from_input, conditions_from_input
from services.ledger.graphql.tags import Tag
from services.ledger.graphql.transactions import Transaction
from services.ledger.rules import history
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import INPUT, After, First, Info, PageInfo
from shared.ids import decode_id
from shared.pagination import page_size


@strawberry.type(name="CategoryChange", description="A category a rule would replace.")
class CategoryChange:
    before_id: strawberry.Private[uuid.UUID | None]
    after_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def before(self, info: Info) -> Category | None:
        """Its category now; null when uncategorized."""
        return await load_category(info, self.before_id)

    @strawberry.field
    async def after(self, info: Info) -> Category:
        """The category the rule gives it."""
        category = await load_category(info, self.after_id)
        if category is None:
            raise NotFound("Category")
        return category


@strawberry.type(name="PayeeChange", description="A payee a rule would replace.")
class PayeeChange:
    before_id: strawberry.Private[uuid.UUID | None]
    after_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def before(self, info: Info) -> Payee | None:
        """Its payee now; null when it has none."""
        return await load_payee(info, self.before_id)

    @strawberry.field
    async def after(self, info: Info) -> Payee:
        """The payee the rule gives it."""
        payee = await load_payee(info, self.after_id)
        if payee is None:
            raise NotFound("Payee")
        return payee


@strawberry.type(
    name="RuleChange",
    description="What a rule would change on one transaction; what it would leave is null "
    "(already so, or the user's own choice).",
)
class RuleChange:
    category: CategoryChange | None = strawberry.field(
        description="Its category before and after; null when the rule leaves it."
    )
    payee: PayeeChange | None = strawberry.field(
        description="Its payee before and after; null when the rule leaves it."
    )
    transaction_id: strawberry.Private[uuid.UUID]
    added_tag_ids: strawberry.Private[tuple[uuid.UUID, ...]]

    @classmethod
    def of(cls, change: history.Change) -> RuleChange:
        return cls(
            category=CategoryChange(before_id=change.category[0], after_id=change.category[1])
            if change.category is not None
            else None,
            payee=PayeeChange(before_id=change.payee[0], after_id=change.payee[1])
            if change.payee is not None
            else None,
            transaction_id=change.transaction_id,
            added_tag_ids=change.added_tag_ids,
        )

    @strawberry.field
    async def transaction(self, info: Info) -> Transaction:
        """The transaction, as it is now."""
        row = await loaders.transactions(info).load(self.transaction_id)
        if row is None:
            raise NotFound("Transaction")
        return Transaction.from_row(row)

    @strawberry.field
    async def added_tags(self, info: Info) -> list[Tag]:
        """The tags the rule would put on it (it has none of them yet)."""
        found = await loaders.tags(info).load_many(self.added_tag_ids)
        return [Tag.from_row(row) for row in found if row is not None]


@strawberry.type(name="RuleChangeEdge", description="A change in a page of a rule's preview.")
class RuleChangeEdge:
    cursor: str = strawberry.field(description="Pass as `after` to list what comes after it.")
    node: RuleChange = strawberry.field(description="The change.")


@strawberry.type(
    name="RuleChangeConnection",
    description="What a rule would change in the user's history, newest transaction first.",
)
class RuleChangeConnection:
    edges: list[RuleChangeEdge] = strawberry.field(description="This page's changes.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    total_count: int = strawberry.field(
        description="How many transactions the rule would change (all pages): what applyRule "
        "would then change."
    )
    matched_count: int = strawberry.field(
        description="How many transactions its conditions match, changed or not (those already "
        "so, and those whose category, payee or tags the user chose, are left)."
    )


@strawberry.type(name="ApplyRulePayload", description="What applyRule did.")
class ApplyRulePayload:
    rule: Rule = strawberry.field(description="The rule, with its counts updated.")
    matched_count: int = strawberry.field(
        description="How many transactions its conditions matched."
    )
    changed_count: int = strawberry.field(description="How many of them it changed.")


def _period(given: PreviewRuleInput | ApplyRuleInput) -> history.Period:
    return history.Period(date_from=given.from_, date_to=given.to)


@strawberry.type
class RuleHistoryQueries:
    @strawberry.field
    async def preview_rule(
        self,
        info: Info,
        input: Annotated[PreviewRuleInput, INPUT],
        first: First = None,
        after: After = None,
    ) -> RuleChangeConnection:
        """What applying a rule (stored, or conditions and actions not stored yet) to the
        caller's history would change, exactly as applyRule then does. Writes nothing."""
        user_id = info.context.require_user()
        size = page_size(first)
        tried = history.Tried(
            rule_id=decode_id("Rule", input.rule_id, "input.ruleId") if input.rule_id else None,
            conditions=conditions_from_input(input.conditions) if input.conditions else None,
            actions=actions_from_input(input.actions) if input.actions else None,
        )
        async with read_session() as session:
            found = await history.preview_rule(
                session, user_id, tried, _period(input), first=size, after=after
            )
        edges = [
            RuleChangeEdge(cursor=change.cursor(), node=RuleChange.of(change))
            for change in found.page
        ]
        return RuleChangeConnection(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next_page=found.has_next_page, after=after
            ),
            total_count=found.total,
            matched_count=found.matched,
        )


@strawberry.type
class RuleHistoryMutations:
    @strawberry.mutation
    async def apply_rule(
        self, info: Info, input: Annotated[ApplyRuleInput, INPUT]
    ) -> ApplyRulePayload:
        """Apply a rule (enabled or not) to the caller's transactions already there, all or
        none: what previewRule shows. Never changes what the user chose; a rule that would
        change more than 10000 transactions at once is refused (give a shorter period)."""
        user_id = info.context.require_user()
        rule_id = decode_id("Rule", input.rule_id, "input.ruleId")
        async with unit_of_work() as work:
            applied = await history.apply_rule(work, user_id, rule_id, _period(input))
        return ApplyRulePayload(
            rule=Rule.from_row(applied.rule),
            matched_count=applied.matched,
            changed_count=applied.changed,
        )
