"""Transaction rules: conditions, actions, and applying them to history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from services.ledger.graphql.inputs.transactions import TransactionDirection
from shared.graphql import patch_field


@strawberry.input(
    name="RuleConditionsInput",
    description="Which transactions a rule matches: every condition given must hold, at least "
    "one must be given. The ids, amounts and direction mean what they mean in "
    "TransactionFilter; the texts are matched ignoring case.",
)
class RuleConditionsInput:
    description_contains: str | None = strawberry.field(
        default=None, description="Text anywhere in the description (up to 200 characters)."
    )
    description_matches: str | None = strawberry.field(
        default=None,
        description="A regular expression (RE2 syntax, up to 200 characters) found anywhere in "
        "the description; anchor it with ^ and $ to match from its start or to its end.",
    )
    payee_contains: str | None = strawberry.field(
        default=None, description="Text anywhere in the payee's name (up to 200 characters)."
    )
    payee_matches: str | None = strawberry.field(
        default=None,
        description="A regular expression (RE2 syntax, up to 200 characters) found anywhere in "
        "the payee's name.",
    )
    payee_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these payees' (1 to 100)."
    )
    account_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these accounts' (1 to 100)."
    )
    min_amount: Decimal | None = strawberry.field(
        default=None,
        description="Only those at least this large, whatever the sign, in their own currency.",
    )
    max_amount: Decimal | None = strawberry.field(
        default=None, description="Only those at most this large, whatever the sign."
    )
    direction: TransactionDirection | None = strawberry.field(
        default=None, description="Only money in, or only money out."
    )


@strawberry.input(
    name="RuleActionsInput",
    description="What a rule does to the transactions it matches: at least one action. A "
    "category, payee or tags the user chose are never changed.",
)
class RuleActionsInput:
    set_category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Give them this category of the caller's."
    )
    set_payee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Give them this payee of the caller's."
    )
    add_tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Put these tags of the caller's on them (at most 100)."
    )
    mark_as_transfer: bool = strawberry.field(
        default=False,
        description="Give them the caller's transfer category (the default Transfers, else "
        "their first category of the TRANSFER kind); not with setCategoryId.",
    )


@strawberry.input(name="CreateRuleInput", description="A new rule.")
class CreateRuleInput:
    name: str = strawberry.field(description="What the user calls it, up to 100 characters.")
    conditions: RuleConditionsInput = strawberry.field(description="Which transactions.")
    actions: RuleActionsInput = strawberry.field(description="What to do to them.")
    enabled: bool = strawberry.field(
        default=True, description="Whether new bank transactions go through it."
    )
    position: int | None = strawberry.field(
        default=None,
        description="Its place among the caller's rules, from 0 (earlier rules win); last if null.",
    )


@strawberry.input(
    name="UpdateRuleInput",
    description="Omitted fields stay as they are; conditions and actions given replace the "
    "rule's whole.",
)
class UpdateRuleInput:
    id: strawberry.ID = strawberry.field(description="The rule to change.")
    name: str | None = patch_field("A new name.")
    conditions: RuleConditionsInput | None = patch_field("Its conditions from now on.")
    actions: RuleActionsInput | None = patch_field("Its actions from now on.")
    enabled: bool | None = patch_field("Turn it on (true) or off (false).")


@strawberry.input(name="DeleteRuleInput", description="The rule to delete.")
class DeleteRuleInput:
    id: strawberry.ID = strawberry.field(
        description="The rule's id (what it did to transactions stays)."
    )


@strawberry.input(name="ReorderRulesInput", description="The caller's rules in a new order.")
class ReorderRulesInput:
    rule_ids: list[strawberry.ID] = strawberry.field(
        description="Every one of the caller's rules, once each, first one first."
    )


@strawberry.input(
    name="PreviewRuleInput",
    description="A rule to try on the caller's history: a stored one (ruleId), or conditions "
    "and actions not stored yet (not both).",
)
class PreviewRuleInput:
    rule_id: strawberry.ID | None = strawberry.field(
        default=None, description="A rule of the caller's."
    )
    conditions: RuleConditionsInput | None = strawberry.field(
        default=None, description="Conditions to try (with actions)."
    )
    actions: RuleActionsInput | None = strawberry.field(
        default=None, description="Actions to try (with conditions)."
    )
    from_: dt.date | None = strawberry.field(
        name="from", default=None, description="Only transactions on or after this date."
    )
    to: dt.date | None = strawberry.field(
        default=None, description="Only transactions on or before this date."
    )


@strawberry.input(
    name="ApplyRuleInput",
    description="Apply a rule to the caller's history (at most 10000 changes at once).",
)
class ApplyRuleInput:
    rule_id: strawberry.ID = strawberry.field(description="A rule of the caller's.")
    from_: dt.date | None = strawberry.field(
        name="from", default=None, description="Only transactions on or after this date."
    )
    to: dt.date | None = strawberry.field(
        default=None, description="Only transactions on or before this date."
    )
