"""The gateway's own part of the graph: identity and sessions, and deleting one's account."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.gateway import user_data
from services.gateway.identity import service as identity
from shared.errors import NotFound, Unauthenticated
from shared.graphql import INPUT, Info, Node, NodeResolver
from shared.ids import encode_id


@strawberry.type(name="User", description="Someone with a Tally account: only ever the caller.")
class UserType(Node):
    email: str = strawberry.field(description="The address they sign in with.")
    time_zone: str = strawberry.field(
        description='Where the user lives, an IANA name such as "Europe/Paris": what "today" '
        "means for them."
    )

    @classmethod
    def of(cls, account: identity.Account) -> UserType:
        return cls(
            id=strawberry.ID(encode_id("User", account.user_id)),
            email=account.email,
            time_zone=account.time_zone,
        )


@strawberry.type(description="A session just opened or refreshed: keep both tokens.")
class AuthPayload:
    access_token: str = strawberry.field(
        description="Send as `Authorization: Bearer <accessToken>`; it lives 15 minutes."
    )
    refresh_token: str = strawberry.field(
        description="Trade it for new tokens with refreshSession before it ends (30 days); "
        "each one works once."
    )
    user: UserType = strawberry.field(description="Who is signed in.")

    @classmethod
    def of(cls, signed_in: identity.SignedIn) -> AuthPayload:
        return cls(
            access_token=signed_in.access_token,
            refresh_token=signed_in.refresh_token,
            user=UserType.of(signed_in.account),
        )


@strawberry.input(description="A new account.")
class SignUpInput:
    email: str = strawberry.field(description="Where to sign in and get alerts.")
    password: str = strawberry.field(
        description="At least 12 characters, not a common or breached password."
    )
    time_zone: str | None = strawberry.field(
        default=None,
        description="IANA, e.g. the browser's Intl.DateTimeFormat().resolvedOptions()"
        ".timeZone; UTC when null.",
    )
    base_currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217 code budgets and reports count in (changeable with "
        "setBaseCurrency); USD when null.",
    )


@strawberry.input(description="An email address and its password.")
class LogInInput:
    email: str = strawberry.field(description="The account's address.")
    password: str = strawberry.field(description="Its password.")


@strawberry.input(description="A refresh token to trade for new tokens.")
class RefreshSessionInput:
    refresh_token: str = strawberry.field(description="The latest refresh token received.")


@strawberry.input(description="Where the caller lives from now on.")
class SetTimeZoneInput:
    time_zone: str = strawberry.field(description='An IANA name such as "Asia/Tokyo".')


@strawberry.type(description="What setTimeZone changed.")
class SetTimeZonePayload:
    user: UserType = strawberry.field(description="The caller, as they are now.")


@strawberry.type(description="What logOut ended.")
class LogOutPayload:
    logged_out: bool = strawberry.field(
        description="True: the session is over (its live subscriptions close too)."
    )


@strawberry.input(description="The caller's password, asked again before deleting the account.")
class DeleteMyAccountInput:
    password: str = strawberry.field(
        description="The account's password: a stolen access token alone cannot delete it."
    )


@strawberry.type(
    description="What deleteMyAccount deleted. Every token of the account stops "
    "working and its live subscriptions close."
)
class DeleteMyAccountPayload:
    deleted_user_id: strawberry.ID = strawberry.field(description="The id the account had.")
    bank_connections_revoked: int = strawberry.field(
        description="Linked banks removed at Plaid: Tally can no longer read them."
    )
    bank_connections_awaiting_revocation: int = strawberry.field(
        description="Linked banks Plaid did not confirm removing right now (Plaid unreachable, "
        "say): deleted from Tally all the same, and removed at Plaid by a retried job."
    )


async def resolve_user(info: Info, user_id: uuid.UUID) -> UserType:
    """The caller themself: any other user's id is NOT_FOUND."""
    if user_id != info.context.require_user():
        raise NotFound("User")
    return UserType.of(await identity.account(user_id))


NODES: dict[str, NodeResolver] = {"User": resolve_user}


@strawberry.type
class Query:
    @strawberry.field
    async def me(self, info: Info) -> UserType:
        """The caller."""
        context = info.context
        user_id = context.require_user()
        if context.email is not None:
            # As their session check found them a moment ago: no second read.
            return UserType.of(identity.Account(user_id, context.email, context.time_zone))
        return UserType.of(await identity.account(user_id))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def sign_up(self, info: Info, input: Annotated[SignUpInput, INPUT]) -> AuthPayload:
        """Create an account and open its first session."""
        signed_in = await identity.sign_up(
            input.email,
            input.password,
            client_address=info.context.client_address,
            user_agent=_user_agent(info),
            time_zone=input.time_zone,
            base_currency=input.base_currency,
        )
        return AuthPayload.of(signed_in)

    @strawberry.mutation
    async def log_in(self, info: Info, input: Annotated[LogInInput, INPUT]) -> AuthPayload:
        """Open a session. Repeated failures are slowed down, per account and address."""
        signed_in = await identity.log_in(
            input.email,
            input.password,
            client_address=info.context.client_address,
            user_agent=_user_agent(info),
        )
        return AuthPayload.of(signed_in)

    @strawberry.mutation
    async def refresh_session(self, input: Annotated[RefreshSessionInput, INPUT]) -> AuthPayload:
        """New tokens for a session. A refresh token used twice ends its session: a copy of it
        is in someone else's hands."""
        return AuthPayload.of(await identity.refresh_session(input.refresh_token))

    @strawberry.mutation
    async def set_time_zone(
        self, info: Info, input: Annotated[SetTimeZoneInput, INPUT]
    ) -> SetTimeZonePayload:
        """Where the caller lives from now on: "today", months and alert wording follow."""
        user_id = info.context.require_user()
        return SetTimeZonePayload(
            user=UserType.of(await identity.set_time_zone(user_id, input.time_zone))
        )

    @strawberry.mutation
    async def log_out(self, info: Info) -> LogOutPayload:
        """End the caller's session: its refresh token stops working at once."""
        user_id = info.context.require_user()
        session_id = info.context.session_id
        if session_id is None:
            raise Unauthenticated()
        await identity.log_out(user_id, session_id)
        return LogOutPayload(logged_out=True)

    @strawberry.mutation
    async def delete_my_account(
        self, info: Info, input: Annotated[DeleteMyAccountInput, INPUT]
    ) -> DeleteMyAccountPayload:
        """Delete the caller's account and every piece of their data in Tally, for good: their
        linked banks are revoked at Plaid first. Download the export (GET /export/my-data)
        before, to keep a copy."""
        user_id = info.context.require_user()
        deleted = await user_data.delete_account(
            user_id, input.password, client_address=info.context.client_address
        )
        return DeleteMyAccountPayload(
            deleted_user_id=strawberry.ID(encode_id("User", deleted.user_id)),
            bank_connections_revoked=deleted.banks_revoked,
            bank_connections_awaiting_revocation=deleted.banks_awaiting_revocation,
        )


def _user_agent(info: Info) -> str | None:
    request = info.context.request
    return request.headers.get("user-agent") if request is not None else None
