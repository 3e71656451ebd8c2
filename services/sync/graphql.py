"""Strawberry types, queries and mutations of the sync service (thin: they call the service)."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from services.ledger.graphql import Account, load_item_accounts
from services.sync.linking import service as linking
from services.sync.models import LinkedItem
from services.sync.runs import service as runs
from shared.graphql import Info
from shared.ids import decode_id, encode_id

KIND = "LinkedInstitution"


@strawberry.type(name="LinkToken")
class LinkTokenType:
    link_token: str
    expiration: dt.datetime


@strawberry.type(
    name="LinkedInstitution",
    description="A bank login linked through Plaid, with the accounts it brought.",
)
class LinkedInstitutionType:
    id: strawberry.ID
    name: str
    status: str = strawberry.field(
        description=(
            "HEALTHY (syncing normally), LOGIN_REQUIRED (the bank wants the user to sign in "
            "again: open Link with createLinkToken(linkedInstitutionId), then "
            "syncInstitution), or ERROR (the bank refused the connection; see errorCode)."
        )
    )
    last_synced_at: dt.datetime | None
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
        return await load_item_accounts(info, self.item_ref)

    @classmethod
    def of(cls, item: LinkedItem) -> LinkedInstitutionType:
        return cls(
            id=strawberry.ID(encode_id(KIND, item.id)),
            name=item.institution_name,
            status=item.status,
            last_synced_at=item.last_synced_at,
            institution_id=item.institution_id,
            error_code=item.error_code,
            item_ref=item.id,
        )


@strawberry.type
class Query:
    @strawberry.field
    async def linked_institutions(self, info: Info) -> list[LinkedInstitutionType]:
        user_id = info.context.require_user()
        return [LinkedInstitutionType.of(item) for item in await linking.list_linked_items(user_id)]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_link_token(
        self, info: Info, linked_institution_id: strawberry.ID | None = None
    ) -> LinkTokenType:
        # A token for linking a new bank, or, with linkedInstitutionId, for signing in again
        # to a linked one (Link update mode).
        user_id = info.context.require_user()
        item_id = (
            decode_id(KIND, linked_institution_id, "linkedInstitutionId")
            if linked_institution_id is not None
            else None
        )
        token = await linking.create_link_token(user_id, item_id)
        return LinkTokenType(link_token=token.link_token, expiration=token.expiration)

    @strawberry.mutation
    async def link_institution(self, info: Info, public_token: str) -> LinkedInstitutionType:
        user_id = info.context.require_user()
        return LinkedInstitutionType.of(await linking.link_institution(user_id, public_token))

    @strawberry.mutation
    async def sync_institution(self, info: Info, id: strawberry.ID) -> LinkedInstitutionType:
        user_id = info.context.require_user()
        item = await runs.request_sync(user_id, decode_id(KIND, id))
        return LinkedInstitutionType.of(item)
