"""Identity: sign-up, log-in, session refresh and log-out, and checking an access token.

These use cases own their transactions, unlike other services' rules, for two reasons:
argon2 takes tens of milliseconds of CPU and must never run while a write transaction is
open (on SQLite that would stall every writer), and a detected refresh-token reuse must
commit the session's revocation before the caller is told UNAUTHENTICATED.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from services.gateway.identity import passwords, repository, throttle, tokens
from services.gateway.identity.callers import RecentCallers
from services.gateway.models import MAX_USER_AGENT_LENGTH, User, UserSession
from services.ledger import api as ledger_api
from services.notifier import api as notifier_api
from shared import pubsub
from shared.clock import utcnow
from shared.db import UnitOfWork, read_session, unit_of_work
from shared.errors import BadUserInput, Conflict, Unauthenticated
from shared.export import JSONObject, Section, moment, one, paged
from shared.ids import encode_id
from shared.logging import get_logger
from shared.money import parse_currency
from shared.validation import check_unicode, clean_email, clean_time_zone, normalize_email

log = get_logger(__name__)

WRONG_CREDENTIALS = "Email or password is incorrect."
SESSION_ENDED = "Your session has ended. Please log in again."


@dataclass(frozen=True)
class Account:
    user_id: uuid.UUID
    email: str
    time_zone: str = "UTC"


@dataclass(frozen=True)
class SignedIn:
    """A session just opened or refreshed, with the tokens to hand to the client once."""

    account: Account
    session_id: uuid.UUID
    access_token: str
    refresh_token: str


async def sign_up(
    email: str,
    password: str,
    *,
    client_address: str,
    user_agent: str | None,
    time_zone: str | None = None,
    base_currency: str | None = None,
) -> SignedIn:
    """Create the account, provision it in every service, and open its first session: one
    transaction, so a failure anywhere leaves no half-made user.
    """
    await throttle.sign_up_attempt(client_address)
    email = clean_email(email, "input.email")
    passwords.check_password_rules(password)
    zone = clean_time_zone(time_zone, "input.timeZone") if time_zone is not None else "UTC"
    if base_currency is not None:
        base_currency = parse_currency(base_currency, "input.baseCurrency")
    async with read_session() as session:
        # Checked first so that a taken email costs no hashing; add_user still enforces it.
        if await repository.email_is_taken(session, email):
            raise Conflict(repository.EMAIL_TAKEN, field="input.email")
    password_hash = await passwords.hash_password(password)
    now = utcnow()
    async with unit_of_work() as work:
        user = await repository.add_user(work.session, email, password_hash, now, zone)
        await ledger_api.provision_user(work, user.id, base_currency, field="input.baseCurrency")
        await notifier_api.provision_user(work, user.id, email, zone)
        signed_in = await _open_session(work, user, user_agent, now)
    log.info("user_signed_up", user_id=str(user.id), session_id=str(signed_in.session_id))
    return signed_in


async def log_in(
    email: str, password: str, *, client_address: str, user_agent: str | None
) -> SignedIn:
    """A new session for the right email and password.

    An unknown email and a wrong password get the same answer, after the same argon2 work.
    """
    email = normalize_email(check_unicode(email, "input.email"))
    passwords.check_password_text(password)
    await throttle.login_attempt(email, client_address)
    async with read_session() as session:
        user = await repository.user_by_email(session, email)
    # With no such user the password is checked against a dummy hash: same work, same answer.
    matches = await passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not matches:
        log.info("login_failed", user_id=str(user.id) if user else None, address=client_address)
        raise Unauthenticated(WRONG_CREDENTIALS)
    await throttle.login_succeeded(email, client_address)
    new_hash = None
    if passwords.needs_rehash(user.password_hash):
        new_hash = await passwords.hash_password(password)
    now = utcnow()
    async with unit_of_work() as work:
        if new_hash is not None:
            await repository.set_password_hash(work.session, user.id, new_hash)
        signed_in = await _open_session(work, user, user_agent, now)
    log.info("user_logged_in", user_id=str(user.id), session_id=str(signed_in.session_id))
    return signed_in


async def refresh_session(refresh_token: str) -> SignedIn:
    """Trade a refresh token for new tokens; the presented one is spent (rotation).

    A refresh token that was already spent means a copy is in someone else's hands: the whole
    session is revoked, so the thief's tokens and the owner's die together.
    """
    check_unicode(refresh_token, "input.refreshToken")
    if not refresh_token or len(refresh_token) > tokens.MAX_REFRESH_TOKEN_LENGTH:
        raise Unauthenticated(SESSION_ENDED)
    now = utcnow()
    async with unit_of_work() as work:
        signed_in = await _rotate(work, tokens.hash_refresh_token(refresh_token), now)
    if signed_in is None:
        raise Unauthenticated(SESSION_ENDED)
    return signed_in


async def log_out(user_id: uuid.UUID, session_id: uuid.UUID) -> None:
    """End the session: its access tokens and its refresh token stop working."""
    async with unit_of_work() as work:
        await repository.revoke_session(work.session, user_id, session_id, utcnow())
        _announce_session_ended(work, session_id)
    log.info("user_logged_out", user_id=str(user_id), session_id=str(session_id))


def _announce_session_ended(work: UnitOfWork, session_id: uuid.UUID) -> None:
    """Once the revocation commits, this process stops taking the session's tokens and live
    streams opened under it stop. The signal is live only: a stream whose gateway misses it
    (Redis unreachable at that moment) goes on until its connection closes, while every request
    made with the session fails within `callers.RECHECK_AFTER_SECONDS`."""

    async def announce() -> None:
        recent_callers.forget_session(session_id)
        await asyncio.to_thread(pubsub.publish, pubsub.session_ended_topic(session_id), {})

    work.after_commit(announce)


@dataclass(frozen=True)
class Caller:
    user_id: uuid.UUID
    session_id: uuid.UUID
    time_zone: str
    email: str


# What checking a token found lately (see callers.py): a revoked session stops working at once
# in this process, within seconds everywhere else.
recent_callers: RecentCallers[Caller] = RecentCallers()


async def authenticate_caller(access_token: str) -> Caller:
    """Who holds a genuine, unexpired access token whose session is still open, and where they
    live. UNAUTHENTICATED otherwise. One primary-key read, kept for a few seconds."""
    known = recent_callers.get(access_token)
    if known is not None:
        return known
    claims = tokens.read_access_token(access_token)
    async with read_session() as session:
        found = await repository.active_session_user(session, claims.user_id, claims.session_id)
    if found is None:
        raise Unauthenticated(SESSION_ENDED)
    email, time_zone = found
    caller = Caller(claims.user_id, claims.session_id, time_zone, email)
    recent_callers.keep(
        access_token,
        caller,
        user_id=caller.user_id,
        session_id=caller.session_id,
        token_expires_at=claims.expires_at,
    )
    return caller


async def authenticate(access_token: str) -> tuple[uuid.UUID, uuid.UUID]:
    """(user id, session id) of a genuine, unexpired access token whose session is open."""
    caller = await authenticate_caller(access_token)
    return caller.user_id, caller.session_id


async def set_time_zone(user_id: uuid.UUID, time_zone: str) -> Account:
    """Where the user lives from now on (what "today" means for them)."""
    zone = clean_time_zone(time_zone, "input.timeZone")
    async with unit_of_work() as work:
        await repository.set_time_zone(work.session, user_id, zone)
        await notifier_api.set_time_zone(work, user_id, zone)
    # The user's requests learn it at once here, within seconds in other processes.
    recent_callers.forget_user(user_id)
    return await account(user_id)


async def account(user_id: uuid.UUID) -> Account:
    async with read_session() as session:
        user = await repository.user_by_id(session, user_id)
    if user is None:
        raise Unauthenticated(SESSION_ENDED)
    return Account(user_id=user.id, email=user.email, time_zone=user.time_zone)


async def confirm_password(user_id: uuid.UUID, password: str, *, client_address: str) -> None:
    """The signed-in user proves again that they are themselves, for what a stolen access token
    must not be enough for. BAD_USER_INPUT on `input.password` if it is not their password;
    wrong guesses count, and are slowed down, like failed log-ins to the account."""
    passwords.check_password_text(password)
    async with read_session() as session:
        user = await repository.user_by_id(session, user_id)
    if user is None:
        raise Unauthenticated(SESSION_ENDED)
    await throttle.login_attempt(user.email, client_address)
    if not await passwords.verify_password(user.password_hash, password):
        log.info("password_confirmation_failed", user_id=str(user_id), address=client_address)
        raise BadUserInput("input.password", "is not the account's password")
    await throttle.login_succeeded(user.email, client_address)


def export_sections(user_id: uuid.UUID) -> list[Section]:
    """The gateway's part of the user's export: who they are and their sessions (never a
    password hash or a refresh token)."""
    return [
        Section("user", lambda: one(lambda: _exported_user(user_id)), many=False),
        Section("sessions", lambda: _exported_sessions(user_id)),
    ]


async def _exported_user(user_id: uuid.UUID) -> JSONObject | None:
    async with read_session() as session:
        user = await repository.user_by_id(session, user_id)
    if user is None:
        return None
    return {
        "id": encode_id("User", user.id),
        "email": user.email,
        "timeZone": user.time_zone,
        "createdAt": moment(user.created_at),
    }


def _exported_sessions(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[UserSession]:
        async with read_session() as session:
            return await repository.sessions_after(session, user_id, after, limit)

    def render(row: UserSession) -> JSONObject:
        return {
            "id": encode_id("Session", row.id),
            "createdAt": moment(row.created_at),
            "lastUsedAt": moment(row.last_used_at),
            "endedAt": moment(row.revoked_at),
            "userAgent": row.user_agent,
        }

    return paged(fetch, lambda row: row.id, render)


async def delete_identity(work: UnitOfWork, user_id: uuid.UUID) -> dict[str, int]:
    """Delete the user with their sessions and refresh tokens, in `work`: every request made
    with one of their tokens fails from the commit on, and, once it commits, their live
    streams stop. How many rows went, by table."""
    for session_id in await repository.live_session_ids(work.session, user_id):
        _announce_session_ended(work, session_id)
    return await repository.delete_user(work.session, user_id)


def clean_user_agent(user_agent: str | None) -> str | None:
    if not user_agent:
        return None
    printable = "".join(ch for ch in user_agent if ch.isprintable())
    return printable[:MAX_USER_AGENT_LENGTH] or None


async def _rotate(work: UnitOfWork, token_hash: str, now: dt.datetime) -> SignedIn | None:
    found = await repository.refresh_token_by_hash(work.session, token_hash)
    if found is None:
        return None
    token, user_session, user = found
    if user_session.revoked_at is not None:
        return None
    if token.used_at is None and token.expires_at <= now:
        return None
    # Spent before, or by a concurrent request a moment ago (the claim re-checks in the row).
    if token.used_at is not None or not await repository.mark_refresh_token_used(
        work.session, token.id, now
    ):
        await repository.revoke_session(work.session, user.id, user_session.id, now)
        _announce_session_ended(work, user_session.id)
        log.warning("refresh_token_reused", user_id=str(user.id), session_id=str(user_session.id))
        return None
    await repository.touch_session(work.session, user_session.id, now)
    return await _issue(work, user, user_session.id, now)


async def _open_session(
    work: UnitOfWork, user: User, user_agent: str | None, now: dt.datetime
) -> SignedIn:
    user_session = await repository.add_session(
        work.session, user.id, clean_user_agent(user_agent), now
    )
    return await _issue(work, user, user_session.id, now)


async def _issue(work: UnitOfWork, user: User, session_id: uuid.UUID, now: dt.datetime) -> SignedIn:
    refresh_token = tokens.new_refresh_token()
    await repository.add_refresh_token(
        work.session,
        session_id,
        tokens.hash_refresh_token(refresh_token),
        now,
        now + tokens.REFRESH_TOKEN_LIFETIME,
    )
    return SignedIn(
        account=Account(user_id=user.id, email=user.email, time_zone=user.time_zone),
        session_id=session_id,
        access_token=tokens.issue_access_token(user.id, session_id, now=now),
        refresh_token=refresh_token,
    )
