"""The gateway's own part of the graph: identity and sessions."""

from __future__ import annotations

import strawberry

from services.gateway.identity import service as identity
from shared.errors import Unauthenticated
from shared.graphql import Info
from shared.ids import encode_id


@strawberry.type(name="User")
class UserType:
    id: strawberry.ID
    email: str
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


@strawberry.type
class AuthPayload:
    access_token: str
    refresh_token: str
    user: UserType

    @classmethod
    def of(cls, signed_in: identity.SignedIn) -> AuthPayload:
        return cls(
            access_token=signed_in.access_token,
            refresh_token=signed_in.refresh_token,
            user=UserType.of(signed_in.account),
        )


@strawberry.type
class Query:
    @strawberry.field
    async def me(self, info: Info) -> UserType:
        return UserType.of(await identity.account(info.context.require_user()))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def sign_up(
        self, info: Info, email: str, password: str, time_zone: str | None = None
    ) -> AuthPayload:
        """A new account. `timeZone` (IANA, e.g. the browser's
        Intl.DateTimeFormat().resolvedOptions().timeZone) defaults to UTC."""
        signed_in = await identity.sign_up(
            email,
            password,
            client_address=info.context.client_address,
            user_agent=_user_agent(info),
            time_zone=time_zone,
        )
        return AuthPayload.of(signed_in)

    @strawberry.mutation
    async def log_in(self, info: Info, email: str, password: str) -> AuthPayload:
        signed_in = await identity.log_in(
            email,
            password,
            client_address=info.context.client_address,
            user_agent=_user_agent(info),
        )
        return AuthPayload.of(signed_in)

    @strawberry.mutation
    async def refresh_session(self, refresh_token: str) -> AuthPayload:
        return AuthPayload.of(await identity.refresh_session(refresh_token))

    @strawberry.mutation
    async def set_time_zone(self, info: Info, time_zone: str) -> UserType:
        """Where the caller lives from now on (an IANA name such as "Asia/Tokyo")."""
        user_id = info.context.require_user()
        return UserType.of(await identity.set_time_zone(user_id, time_zone))

    @strawberry.mutation
    async def log_out(self, info: Info) -> bool:
        user_id = info.context.require_user()
        session_id = info.context.session_id
        if session_id is None:
            raise Unauthenticated()
        await identity.log_out(user_id, session_id)
        return True


def _user_agent(info: Info) -> str | None:
    request = info.context.request
    return request.headers.get("user-agent") if request is not None else None
