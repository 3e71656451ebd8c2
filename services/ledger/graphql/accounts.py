"""The Account type (its balance resolves through the request's loaders), the `accounts` query
and the `createAccount` mutation. `load_item_accounts` serves other services' types, such as
sync's `LinkedInstitution.accounts`."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.ledger import models
from services.ledger.accounts import service as account_service
from services.ledger.graphql import loaders
from services.ledger.graphql.inputs import AccountType, CreateAccountInput
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import INPUT, Info, MoneyType, Node
from shared.ids import decode_id, encode_id


@strawberry.type(name="Account", description="Where money is kept: recorded by hand or linked.")
class Account(Node):
    name: str = strawberry.field(description="How the user calls it (or the bank's name for it).")
    type: AccountType = strawberry.field(description="What kind of account it is.")
    currency: str = strawberry.field(description="ISO 4217 code of everything in it.")
    mask: str | None = strawberry.field(description="Last digits of a bank account's number.")
    linked: bool = strawberry.field(description="Whether the account comes from a linked bank.")
    row: strawberry.Private[models.Account]

    @classmethod
    def from_row(cls, row: models.Account) -> Account:
        return cls(
            id=strawberry.ID(encode_id("Account", row.id)),
            name=row.name,
            type=AccountType(row.type),
            currency=row.currency,
            mask=row.mask,
            linked=row.item_ref is not None,
            row=row,
        )

    @strawberry.field
    async def balance(self, info: Info) -> MoneyType:
        """Opening balance plus every transaction (pending included); for a linked account,
        what the bank last reported, when it did."""
        total = 0
        if account_service.balance_needs_transactions(self.row):
            total = await loaders.transaction_sums(info).load(self.row.id)
        return MoneyType.of(account_service.balance_of(self.row, total))


async def load_account(info: Info, account_id: uuid.UUID) -> Account:
    row = await loaders.accounts(info).load(account_id)
    if row is None:
        raise NotFound("Account")
    return Account.from_row(row)


async def load_item_accounts(info: Info, item_ref: uuid.UUID) -> list[Account]:
    """The requesting user's ledger accounts of a linked item, as GraphQL `Account`s.

    For resolvers such as `LinkedInstitution.accounts`: goes through a per-request DataLoader
    keyed by item_ref, so listing many institutions costs one query.
    """
    rows = await loaders.item_accounts(info).load(item_ref)
    return [Account.from_row(row) for row in rows]


async def resolve_account(info: Info, account_id: uuid.UUID) -> Account:
    """The caller's account (for `account(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    info.context.require_user()
    return await load_account(info, account_id)


@strawberry.type(description="What createAccount made.")
class CreateAccountPayload:
    account: Account = strawberry.field(description="The new account.")


@strawberry.type
class AccountQueries:
    @strawberry.field
    async def accounts(self, info: Info) -> list[Account]:
        """The caller's accounts, oldest first."""
        user_id = info.context.require_user()
        async with read_session() as session:
            rows = await account_service.list_accounts(session, user_id)
        return [Account.from_row(row) for row in rows]

    @strawberry.field
    async def account(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Account:
        """One of the caller's accounts."""
        return await resolve_account(info, decode_id("Account", id))


@strawberry.type
class AccountMutations:
    @strawberry.mutation
    async def create_account(
        self, info: Info, input: Annotated[CreateAccountInput, INPUT]
    ) -> CreateAccountPayload:
        """Open a manual account."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            row = await account_service.create_account(
                work,
                user_id,
                name=input.name,
                type=str(input.type.value),
                currency=input.currency,
                opening_balance=input.opening_balance,
            )
        return CreateAccountPayload(account=Account.from_row(row))
