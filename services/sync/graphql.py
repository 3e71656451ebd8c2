"""Strawberry types, queries and mutations of the sync service (thin: they call the service)."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Annotated

import strawberry

from services.ledger.graphql import Account, load_accounts, load_item_accounts
from services.sync.linking import service as linking
from services.sync.models import ItemStatus, LinkedItem
from services.sync.runs import service as runs
from services.sync.unlinking import service as unlinking
from shared.graphql import INPUT, Info, Node, NodeResolver
from shared.ids import decode_id, encode_id

KIND = "LinkedInstitution"


@strawberry.enum(description="The health of a bank connection.")
class InstitutionStatus(Enum):
    HEALTHY = strawberry.enum_value(
        ItemStatus.HEALTHY,
        description="Syncing normally (also right after linking, before the first sync lands).",
    )
    LOGIN_REQUIRED = strawberry.enum_value(
        ItemStatus.LOGIN_REQUIRED,
        description="The bank wants the user to sign in again: open Link with "
        "createLinkToken(input: {linkedInstitutionId}), then syncInstitution.",
    )
    ERROR = strawberry.enum_value(
        ItemStatus.ERROR, description="The bank refused the connection; see errorCode."
    )


@strawberry.enum(
    description="What becomes of a linked institution's accounts and transactions when it is "
    "unlinked."
)
class InstitutionHistory(Enum):
    KEEP = strawberry.enum_value(
        unlinking.KEEP,
        description="Its accounts stay, as manual accounts, with every transaction (editable "
        "from now on) and the balance the bank last reported.",
    )
    DELETE = strawberry.enum_value(
        unlinking.DELETE,
        description="Its accounts go, with every transaction in them; budgets and reports no "
        "longer count them. A transfer to another account keeps that account's half.",
    )


@strawberry.type(description="A token to open Plaid Link with.")
class CreateLinkTokenPayload:
    link_token: str = strawberry.field(description="Pass it to Plaid Link's `token`.")
    expiration: dt.datetime = strawberry.field(description="When the token stops working.")
    link_script_url: str = strawberry.field(
        description="Where to load Plaid Link's script from to open the token (it defines "
        "`window.Plaid.create`): Plaid's CDN, or, when this server runs Plaid's emulator "
        "(PLAID_ENV=local), the emulator's Link look-alike, as a path on this server."
    )


@strawberry.type(
    name="LinkedInstitution",
    description="A bank login linked through Plaid, with the accounts it brought.",
)
class LinkedInstitutionType(Node):
    name: str = strawberry.field(description="The bank's name.")
    status: InstitutionStatus = strawberry.field(description="The connection's health.")
    last_synced_at: dt.datetime | None = strawberry.field(
        description="When transactions last arrived from the bank; null before the first sync."
    )
    institution_id: str | None = strawberry.field(description="Plaid's institution id.")
    error_code: str | None = strawberry.field(
        description=(
            "Why the item is not HEALTHY: Plaid's error code, or BANK_DATA_REFUSED when Tally "
            "could not store what the bank sent."
        )
    )
    item_ref: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def accounts(self, info: Info) -> list[Account]:
        """The accounts this login brought into the ledger."""
        return await load_item_accounts(info, self.item_ref)

    @classmethod
    def of(cls, item: LinkedItem) -> LinkedInstitutionType:
        return cls(
            id=strawberry.ID(encode_id(KIND, item.id)),
            name=item.institution_name,
            status=InstitutionStatus(item.status),
            last_synced_at=item.last_synced_at,
            institution_id=item.institution_id,
            error_code=item.error_code,
            item_ref=item.id,
        )


async def resolve_linked_institution(info: Info, item_id: uuid.UUID) -> LinkedInstitutionType:
    """The caller's linked institution (for `linkedInstitution(id:)` and `node(id:)`)."""
    user_id = info.context.require_user()
    return LinkedInstitutionType.of(await linking.linked_item(user_id, item_id))


NODES: dict[str, NodeResolver] = {KIND: resolve_linked_institution}


@strawberry.input(description="What Link is opened for.")
class CreateLinkTokenInput:
    linked_institution_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Sign in again to this linked institution (Link's update mode); null links "
        "a new bank.",
    )


@strawberry.input(description="What Plaid Link handed over when the user finished.")
class LinkInstitutionInput:
    public_token: str = strawberry.field(description="Link's `onSuccess` public token.")


@strawberry.input(description="The linked institution to sync now.")
class SyncInstitutionInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's linked institutions.")


@strawberry.input(description="The linked institution to unlink, and what to do with its history.")
class UnlinkInstitutionInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's linked institutions.")
    history: InstitutionHistory = strawberry.field(
        description="Keep its accounts and transactions (as manual accounts), or delete them."
    )


@strawberry.type(description="What linkInstitution linked.")
class LinkInstitutionPayload:
    linked_institution: LinkedInstitutionType = strawberry.field(
        description="The bank login, with its accounts; its transactions follow shortly."
    )


@strawberry.type(description="What syncInstitution started.")
class SyncInstitutionPayload:
    linked_institution: LinkedInstitutionType = strawberry.field(
        description="The bank login; its new transactions follow shortly."
    )


@strawberry.type(description="What unlinkInstitution did.")
class UnlinkInstitutionPayload:
    unlinked_institution_id: strawberry.ID = strawberry.field(
        description="The id of the linked institution that is gone (removed at Plaid too)."
    )
    history: InstitutionHistory = strawberry.field(
        description="What became of its accounts and transactions."
    )
    deleted_account_ids: list[strawberry.ID] = strawberry.field(
        description="With DELETE, the ids of the accounts that went; empty with KEEP."
    )
    deleted_transaction_count: int = strawberry.field(
        description="With DELETE, how many transactions went with them; 0 with KEEP."
    )
    kept_account_refs: strawberry.Private[list[uuid.UUID]]

    @strawberry.field
    async def kept_accounts(self, info: Info) -> list[Account]:
        """With KEEP, the accounts it brought, manual accounts now (those still there); empty
        with DELETE."""
        return await load_accounts(info, self.kept_account_refs)

    @classmethod
    def of(cls, done: unlinking.Unlinked) -> UnlinkInstitutionPayload:
        kept = done.history == unlinking.KEEP
        return cls(
            unlinked_institution_id=strawberry.ID(encode_id(KIND, done.item_id)),
            history=InstitutionHistory(done.history),
            deleted_account_ids=[]
            if kept
            else [strawberry.ID(encode_id("Account", ref)) for ref in done.account_ids],
            deleted_transaction_count=done.deleted_transaction_count,
            kept_account_refs=done.account_ids if kept else [],
        )


@strawberry.type
class Query:
    @strawberry.field
    async def linked_institutions(self, info: Info) -> list[LinkedInstitutionType]:
        """The caller's bank logins, with their health."""
        user_id = info.context.require_user()
        return [LinkedInstitutionType.of(item) for item in await linking.list_linked_items(user_id)]

    @strawberry.field
    async def linked_institution(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> LinkedInstitutionType:
        """One of the caller's bank logins."""
        return await resolve_linked_institution(info, decode_id(KIND, id))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_link_token(
        self, info: Info, input: Annotated[CreateLinkTokenInput | None, INPUT] = None
    ) -> CreateLinkTokenPayload:
        """A token for opening Plaid Link: to link a new bank, or, with linkedInstitutionId,
        to sign in again to a linked one."""
        user_id = info.context.require_user()
        given = input.linked_institution_id if input is not None else None
        item_id = decode_id(KIND, given, "input.linkedInstitutionId") if given is not None else None
        token = await linking.create_link_token(user_id, item_id)
        return CreateLinkTokenPayload(
            link_token=token.link_token,
            expiration=token.expiration,
            link_script_url=linking.link_script_url(),
        )

    @strawberry.mutation
    async def link_institution(
        self, info: Info, input: Annotated[LinkInstitutionInput, INPUT]
    ) -> LinkInstitutionPayload:
        """Link the bank the user chose in Plaid Link, and start its first sync."""
        user_id = info.context.require_user()
        item = await linking.link_institution(user_id, input.public_token)
        return LinkInstitutionPayload(linked_institution=LinkedInstitutionType.of(item))

    @strawberry.mutation
    async def sync_institution(
        self, info: Info, input: Annotated[SyncInstitutionInput, INPUT]
    ) -> SyncInstitutionPayload:
        """Fetch what is new at the bank now (it is fetched on its own, too)."""
        user_id = info.context.require_user()
        item = await runs.request_sync(user_id, decode_id(KIND, input.id, "input.id"))
        return SyncInstitutionPayload(linked_institution=LinkedInstitutionType.of(item))

    @strawberry.mutation
    async def unlink_institution(
        self, info: Info, input: Annotated[UnlinkInstitutionInput, INPUT]
    ) -> UnlinkInstitutionPayload:
        """Unlink a bank: remove its login at Plaid, and keep its accounts and transactions (as
        manual accounts) or delete them. Unlinking it again answers the same."""
        user_id = info.context.require_user()
        item_id = decode_id(KIND, input.id, "input.id")
        done = await unlinking.unlink_item(user_id, item_id, str(input.history.value))
        return UnlinkInstitutionPayload.of(done)
