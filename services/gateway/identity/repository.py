"""Every query of the gateway's identity tables."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.gateway.models import RefreshToken, User, UserSession, metadata
from shared.errors import Conflict
from shared.user_rows import delete_user_rows

EMAIL_TAKEN = "An account with this email already exists."


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email))
    return result.scalar_one_or_none()


async def email_is_taken(session: AsyncSession, email: str) -> bool:
    return bool(await session.scalar(select(exists().where(User.email == email))))


async def add_user(
    session: AsyncSession, email: str, password_hash: str, now: dt.datetime, time_zone: str
) -> User:
    """CONFLICT if the email is taken, including by a sign-up that committed a moment ago."""
    user = User(
        id=uuid.uuid4(),
        email=email,
        password_hash=password_hash,
        created_at=now,
        time_zone=time_zone,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        # The only unique column besides the random primary key is the email.
        raise Conflict(EMAIL_TAKEN, field="input.email") from None
    return user


async def set_password_hash(session: AsyncSession, user_id: uuid.UUID, password_hash: str) -> None:
    await session.execute(
        update(User).where(User.id == user_id).values(password_hash=password_hash)
    )


async def add_session(
    session: AsyncSession, user_id: uuid.UUID, user_agent: str | None, now: dt.datetime
) -> UserSession:
    user_session = UserSession(
        id=uuid.uuid4(), user_id=user_id, created_at=now, last_used_at=now, user_agent=user_agent
    )
    session.add(user_session)
    await session.flush()
    return user_session


async def add_refresh_token(
    session: AsyncSession,
    session_id: uuid.UUID,
    token_hash: str,
    now: dt.datetime,
    expires_at: dt.datetime,
) -> None:
    session.add(
        RefreshToken(
            id=uuid.uuid4(),
            session_id=session_id,
            token_hash=token_hash,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def refresh_token_by_hash(
    session: AsyncSession, token_hash: str
) -> tuple[RefreshToken, UserSession, User] | None:
    """The token with its session and user, in one indexed read."""
    result = await session.execute(
        select(RefreshToken, UserSession, User)
        .join(UserSession, UserSession.id == RefreshToken.session_id)
        .join(User, User.id == UserSession.user_id)
        .where(RefreshToken.token_hash == token_hash)
    )
    row = result.one_or_none()
    return None if row is None else (row[0], row[1], row[2])


async def mark_refresh_token_used(
    session: AsyncSession, token_id: uuid.UUID, now: dt.datetime
) -> bool:
    """Claim a refresh token for one rotation. False if another request already used it.

    The condition is re-checked by the database under the row lock, so two concurrent
    refreshes with one token cannot both succeed.
    """
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def touch_session(session: AsyncSession, session_id: uuid.UUID, now: dt.datetime) -> None:
    await session.execute(
        update(UserSession).where(UserSession.id == session_id).values(last_used_at=now)
    )


async def revoke_session(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, now: dt.datetime
) -> None:
    await session.execute(
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


async def active_session_user(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID
) -> tuple[str, str] | None:
    """The user's (email, time zone) if the session exists, is theirs and was not revoked; else
    None. Primary-key reads, in one statement."""
    row = (
        await session.execute(
            select(User.email, User.time_zone)
            .join(UserSession, UserSession.user_id == User.id)
            .where(
                UserSession.id == session_id,
                User.id == user_id,
                UserSession.revoked_at.is_(None),
            )
        )
    ).first()
    return (row.email, row.time_zone) if row is not None else None


async def set_time_zone(session: AsyncSession, user_id: uuid.UUID, time_zone: str) -> None:
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(time_zone=time_zone)
        .execution_options(synchronize_session=False)
    )


async def sessions_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[UserSession]:
    """The user's sessions in id order, after the id `after`."""
    statement = select(UserSession).where(UserSession.user_id == user_id)
    if after is not None:
        statement = statement.where(UserSession.id > after)
    return list(await session.scalars(statement.order_by(UserSession.id).limit(limit)))


async def live_session_ids(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    result = await session.scalars(
        select(UserSession.id).where(
            UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
        )
    )
    return list(result)


async def delete_user(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """The user, their sessions and refresh tokens, and any gateway row added later that is
    theirs (by `user_id`, or through a foreign key); how many rows went, by table."""
    return await delete_user_rows(session, metadata, user_id, {User.__tablename__: "id"})
