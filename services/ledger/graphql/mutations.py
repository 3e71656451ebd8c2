"""The ledger's mutations: each is one unit of work (all or nothing, messages after commit)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import strawberry

from services.ledger.accounts import service as account_service
from services.ledger.budgets import service as budget_service
from services.ledger.goals import service as goal_service
from services.ledger.graphql.inputs import (
    CreateAccountInput,
    CreateGoalInput,
    CreateTransactionInput,
    SetBudgetInput,
    UpdateTransactionInput,
)
from services.ledger.graphql.types import Account, Budget, Goal, Transaction
from services.ledger.transactions import service as transaction_service
from shared.db import unit_of_work
from shared.graphql import Info
from shared.ids import decode_id


def _optional_id(kind: str, value: strawberry.ID | None, field: str) -> uuid.UUID | None:
    return decode_id(kind, value, field) if value is not None else None


def _kept(value: Any) -> Any:
    return transaction_service.KEEP if value is strawberry.UNSET else value


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_account(self, info: Info, input: CreateAccountInput) -> Account:
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            row = await account_service.create_account(
                work,
                user_id,
                name=input.name,
                type=input.type,
                currency=input.currency,
                opening_balance=input.opening_balance,
            )
        return Account.from_row(row)

    @strawberry.mutation
    async def create_transaction(self, info: Info, input: CreateTransactionInput) -> Transaction:
        user_id = info.context.require_user()
        new = transaction_service.NewTransaction(
            account_id=decode_id("Account", input.account_id, "input.accountId"),
            date=input.date,
            amount=input.amount,
            description=input.description,
            category_id=_optional_id("Category", input.category_id, "input.categoryId"),
            notes=input.notes,
        )
        async with unit_of_work() as work:
            row = await transaction_service.create_transaction(work, user_id, new)
        return Transaction.from_row(row)

    @strawberry.mutation
    async def update_transaction(
        self, info: Info, id: strawberry.ID, input: UpdateTransactionInput
    ) -> Transaction:
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", id, "id")
        category_id = _kept(input.category_id)
        if isinstance(category_id, str):
            category_id = decode_id("Category", category_id, "input.categoryId")
        changes = transaction_service.TransactionChanges(
            date=_kept(input.date),
            amount=_kept(input.amount),
            description=_kept(input.description),
            category_id=category_id,
            notes=_kept(input.notes),
        )
        async with unit_of_work() as work:
            row = await transaction_service.update_transaction(
                work, user_id, transaction_id, changes
            )
        return Transaction.from_row(row)

    @strawberry.mutation
    async def delete_transaction(self, info: Info, id: strawberry.ID) -> bool:
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", id, "id")
        async with unit_of_work() as work:
            await transaction_service.delete_transaction(work, user_id, transaction_id)
        return True

    @strawberry.mutation
    async def set_budget(self, info: Info, input: SetBudgetInput) -> Budget:
        user_id = info.context.require_user()
        category_id = decode_id("Category", input.category_id, "input.categoryId")
        async with unit_of_work() as work:
            report = await budget_service.set_budget(
                work, user_id, category_id=category_id, month=input.month, amount=input.amount
            )
        return Budget.from_report(report)

    @strawberry.mutation
    async def create_goal(self, info: Info, input: CreateGoalInput) -> Goal:
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            report = await goal_service.create_goal(
                work,
                user_id,
                name=input.name,
                target_amount=input.target_amount,
                currency=input.currency,
                target_date=input.target_date,
            )
        return Goal.from_report(report)

    @strawberry.mutation
    async def contribute_to_goal(
        self, info: Info, goal_id: strawberry.ID, amount: Decimal, date: dt.date | None = None
    ) -> Goal:
        """Put money aside for a goal (a positive amount); `date` defaults to today."""
        user_id = info.context.require_user()
        goal_uuid = decode_id("Goal", goal_id, "goalId")
        async with unit_of_work() as work:
            report = await goal_service.contribute_to_goal(
                work, user_id, goal_uuid, amount, contributed_on=date
            )
        return Goal.from_report(report)
