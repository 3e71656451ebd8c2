"""The Account type (its balances and reconciliation resolve through the request's loaders),
the `accounts` and `account` queries, and the create, update, close, reopen and delete
mutations. `load_item_accounts` serves other services' types, such as sync's
`LinkedInstitution.accounts`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry

from services.ledger import models
from services.ledger.accounts import reconciliation as reconciliation_service
from services.ledger.accounts import service as account_service
from services.ledger.graphql import loaders
from services.ledger.graphql.inputs import (
    AccountType,
    CloseAccountInput,
    CreateAccountInput,
    DeleteAccountInput,
    ReopenAccountInput,
    UpdateAccountInput,
)
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import INPUT, Info, MoneyType, Node, loaded, selected_under
from shared.ids import decode_id, encode_id
from shared.money import Money


@strawberry.type(
    name="Reconciliation",
    description="An account matched against a bank statement: the statement's closing balance "
    "and the account's cleared balance once the user marked what the statement shows.",
)
class Reconciliation:
    statement_date: dt.date = strawberry.field(description="The statement's closing day.")
    statement_balance: MoneyType = strawberry.field(
        description="The statement's closing balance, in the account's currency."
    )
    cleared_balance: MoneyType = strawberry.field(
        description="The account's cleared balance when it was reconciled."
    )
    difference: MoneyType = strawberry.field(
        description="The statement's balance less the cleared balance: zero when they agree; "
        "otherwise what is left to find (a missing or uncleared transaction, a wrong amount)."
    )
    balanced: bool = strawberry.field(description="Whether the difference is zero.")
    reconciled_at: dt.datetime = strawberry.field(description="When the user reconciled it.")

    @classmethod
    def from_row(cls, row: models.Reconciliation) -> Reconciliation:
        difference = reconciliation_service.difference_of(row)
        return cls(
            statement_date=row.statement_date,
            statement_balance=MoneyType.of(Money(row.statement_balance_minor, row.currency)),
            cleared_balance=MoneyType.of(Money(row.cleared_balance_minor, row.currency)),
            difference=MoneyType.of(difference),
            balanced=difference.minor == 0,
            reconciled_at=row.created_at,
        )


@strawberry.type(name="Account", description="Where money is kept: recorded by hand or linked.")
class Account(Node):
    name: str = strawberry.field(description="How the user calls it (or the bank's name for it).")
    type: AccountType = strawberry.field(description="What kind of account it is.")
    currency: str = strawberry.field(description="ISO 4217 code of everything in it.")
    mask: str | None = strawberry.field(description="Last digits of a bank account's number.")
    linked: bool = strawberry.field(description="Whether the account comes from a linked bank.")
    institution_label: str | None = strawberry.field(
        description="Where the account is held, in the user's words; null if they did not say."
    )
    closed_at: dt.datetime | None = strawberry.field(
        description="When the user closed it; null while it is open. A closed account keeps its "
        "history, is left out of `accounts` unless asked for, and takes no new manual "
        "transactions."
    )
    closed_on: dt.date | None = strawberry.field(
        description="The day it closed: net worth counts it up to the day before."
    )
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
            institution_label=row.institution_label,
            closed_at=row.closed_at,
            closed_on=row.closed_on,
            row=row,
        )

    @strawberry.field
    def balance(self, info: Info) -> MoneyType:
        """Opening balance plus every transaction (pending included); for a linked account,
        what the bank last reported, when it did."""
        # A plain function: `accounts` loads the sums first, then each completes at once.
        if not account_service.balance_needs_transactions(self.row):
            return self._balance(0)
        return loaded(loaders.transaction_sums(info), self.row.id, self._balance)  # type: ignore[no-any-return]

    def _balance(self, total: int) -> MoneyType:
        return MoneyType.of(account_service.balance_of(self.row, total))

    @strawberry.field
    def opening_balance(self) -> MoneyType | None:
        """The balance before its first recorded transaction (what updateAccount sets); null for
        a linked account, whose balance is the bank's."""
        if self.row.item_ref is not None:
            return None
        return MoneyType.of(Money(self.row.opening_balance_minor, self.row.currency))

    @strawberry.field
    async def cleared_balance(self, info: Info) -> MoneyType:
        """The balance less every transaction not cleared yet (pending ones never are): what a
        bank statement should show once every transaction on it is cleared."""
        sums = await loaders.account_sums(info).load(self.row.id)
        return MoneyType.of(account_service.cleared_balance_of(self.row, sums))

    @strawberry.field
    async def last_reconciliation(self, info: Info) -> Reconciliation | None:
        """The latest reconciliation against a statement, balanced or not; null before the
        first."""
        history = await loaders.reconciliation_histories(info).load(self.row.id)
        return Reconciliation.from_row(history.latest) if history.latest is not None else None

    @strawberry.field
    async def last_reconciled_at(self, info: Info) -> dt.datetime | None:
        """When a reconciliation last balanced (its difference was zero); null before."""
        history = await loaders.reconciliation_histories(info).load(self.row.id)
        return history.last_balanced_at


def account_of_row(row: models.Account | None) -> Account:
    """A loaded account as GraphQL's; NOT_FOUND when the loader found none."""
    if row is None:
        raise NotFound("Account")
    return Account.from_row(row)


async def load_account(info: Info, account_id: uuid.UUID) -> Account:
    return account_of_row(await loaders.accounts(info).load(account_id))


async def load_item_accounts(info: Info, item_ref: uuid.UUID) -> list[Account]:
    """The requesting user's ledger accounts of a linked item, as GraphQL `Account`s.

    For resolvers such as `LinkedInstitution.accounts`: goes through a per-request DataLoader
    keyed by item_ref, so listing many institutions costs one query.
    """
    rows = await loaders.item_accounts(info).load(item_ref)
    return [Account.from_row(row) for row in rows]


async def load_accounts(info: Info, account_ids: list[uuid.UUID]) -> list[Account]:
    """The requesting user's accounts among `account_ids`, as GraphQL `Account`s, in that order
    (others' ids, and accounts gone since, are absent)."""
    rows = await loaders.accounts(info).load_many(account_ids)
    return [Account.from_row(row) for row in rows if row is not None]


async def resolve_account(info: Info, account_id: uuid.UUID) -> Account:
    """The caller's account (for `account(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    info.context.require_user()
    return await load_account(info, account_id)


@strawberry.type(description="What createAccount made.")
class CreateAccountPayload:
    account: Account = strawberry.field(description="The new account.")


@strawberry.type(description="What updateAccount changed.")
class UpdateAccountPayload:
    account: Account = strawberry.field(description="The account as it is now.")


@strawberry.type(description="What closeAccount changed.")
class CloseAccountPayload:
    account: Account = strawberry.field(description="The closed account.")


@strawberry.type(description="What reopenAccount changed.")
class ReopenAccountPayload:
    account: Account = strawberry.field(description="The open account.")


@strawberry.type(description="What deleteAccount removed.")
class DeleteAccountPayload:
    deleted_account_id: strawberry.ID = strawberry.field(
        description="The id of the account that is gone."
    )
    deleted_transaction_count: int = strawberry.field(
        description="How many of its transactions went with it."
    )


@strawberry.type
class AccountQueries:
    @strawberry.field
    async def accounts(
        self,
        info: Info,
        include_closed: Annotated[
            bool | None,
            strawberry.argument(
                description="Whether closed accounts are listed too (not if null)."
            ),
        ] = False,
    ) -> list[Account]:
        """The caller's accounts, oldest first: the open ones, unless includeClosed."""
        user_id = info.context.require_user()
        balances = "balance" in selected_under(info)
        sums: dict[uuid.UUID, int] | None = None
        async with read_session() as session:
            if balances:
                # The balances' sums come with the accounts, in one statement, when stored.
                rows, sums = await account_service.accounts_with_stored_sums(
                    session, user_id, open_only=not include_closed
                )
            else:
                rows = await account_service.list_accounts(
                    session, user_id, open_only=not include_closed
                )
        if balances:
            summed = [row.id for row in rows if account_service.balance_needs_transactions(row)]
            transaction_sums = loaders.transaction_sums(info)
            if sums is not None:
                for account_id in summed:
                    transaction_sums.prime(account_id, sums.get(account_id, 0))
            await transaction_sums.load_many(summed)
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
                institution_label=input.institution_label,
            )
        return CreateAccountPayload(account=Account.from_row(row))

    @strawberry.mutation
    async def update_account(
        self, info: Info, input: Annotated[UpdateAccountInput, INPUT]
    ) -> UpdateAccountPayload:
        """Change an account: its name, type, institution label or opening balance."""
        user_id = info.context.require_user()
        account_id = decode_id("Account", input.id, "input.id")
        account_type = _kept(input.type)
        changes = account_service.AccountChanges(
            name=_kept(input.name),
            type=str(account_type.value) if isinstance(account_type, AccountType) else account_type,
            institution_label=_kept(input.institution_label),
            opening_balance=_kept(input.opening_balance),
        )
        async with unit_of_work() as work:
            row = await account_service.update_account(work, user_id, account_id, changes)
        return UpdateAccountPayload(account=Account.from_row(row))

    @strawberry.mutation
    async def close_account(
        self, info: Info, input: Annotated[CloseAccountInput, INPUT]
    ) -> CloseAccountPayload:
        """Close an account, keeping its history (closing a closed one changes nothing)."""
        user_id = info.context.require_user()
        account_id = decode_id("Account", input.id, "input.id")
        async with unit_of_work() as work:
            row = await account_service.close_account(
                work, user_id, account_id, closed_on=input.date, as_of=info.context.today()
            )
        return CloseAccountPayload(account=Account.from_row(row))

    @strawberry.mutation
    async def reopen_account(
        self, info: Info, input: Annotated[ReopenAccountInput, INPUT]
    ) -> ReopenAccountPayload:
        """Open a closed account again (an open one stays as it is)."""
        user_id = info.context.require_user()
        account_id = decode_id("Account", input.id, "input.id")
        async with unit_of_work() as work:
            row = await account_service.reopen_account(work, user_id, account_id)
        return ReopenAccountPayload(account=Account.from_row(row))

    @strawberry.mutation
    async def delete_account(
        self, info: Info, input: Annotated[DeleteAccountInput, INPUT]
    ) -> DeleteAccountPayload:
        """Delete a manual account with all its transactions, for good."""
        user_id = info.context.require_user()
        account_id = decode_id("Account", input.id, "input.id")
        async with unit_of_work() as work:
            removed = await account_service.delete_account(work, user_id, account_id)
        return DeleteAccountPayload(deleted_account_id=input.id, deleted_transaction_count=removed)


def _kept(value: Any) -> Any:
    return account_service.KEEP if value is strawberry.UNSET else value
