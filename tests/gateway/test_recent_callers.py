"""Checking an access token is kept for a few seconds: a burst of requests reads the session
once, and a session ended elsewhere still stops working within the bound."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from services.gateway.identity import service as identity
from services.gateway.identity.callers import RECHECK_AFTER_SECONDS, RecentCallers
from services.gateway.models import UserSession
from shared.clock import utcnow
from shared.db import count_statements, unit_of_work
from shared.errors import Unauthenticated
from tests.gateway.test_identity import LOG_OUT, ME, as_holder_of, sign_up, succeed


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FrozenClock]:
    frozen = FrozenClock()
    monkeypatch.setattr(identity.recent_callers, "clock", frozen)
    identity.recent_callers.clear()
    yield frozen
    identity.recent_callers.clear()


async def _end_elsewhere(session_id: uuid.UUID) -> None:
    """What another worker process (or gateway pod) logging the session out leaves behind."""
    async with unit_of_work() as work:
        await work.session.execute(
            update(UserSession).where(UserSession.id == session_id).values(revoked_at=utcnow())
        )


async def test_a_burst_of_requests_reads_the_session_once(clock: FrozenClock) -> None:
    token = (await sign_up())["accessToken"]
    async with count_statements() as first:
        await identity.authenticate_caller(token)
    async with count_statements() as again:
        for _ in range(5):
            clock.now += 0.5
            await identity.authenticate_caller(token)
    assert len(first) >= 1
    assert again == []


async def test_a_session_ended_elsewhere_stops_working_within_the_bound(
    clock: FrozenClock,
) -> None:
    token = (await sign_up())["accessToken"]
    caller = await identity.authenticate_caller(token)

    await _end_elsewhere(caller.session_id)

    clock.now += RECHECK_AFTER_SECONDS - 0.1
    assert await identity.authenticate_caller(token) == caller
    clock.now += 0.1
    with pytest.raises(Unauthenticated):
        await identity.authenticate_caller(token)


async def test_logging_out_here_stops_the_session_at_once(clock: FrozenClock) -> None:
    token = (await sign_up())["accessToken"]
    await succeed(LOG_OUT, context=await as_holder_of(token))  # checked, and kept, first

    with pytest.raises(Unauthenticated):
        await identity.authenticate_caller(token)


def test_a_token_is_never_taken_past_its_own_expiry() -> None:
    clock = FrozenClock()
    callers: RecentCallers[str] = RecentCallers(clock=clock, recheck_after=60)
    user, session = uuid.uuid4(), uuid.uuid4()
    callers.keep(
        "token",
        "caller",
        user_id=user,
        session_id=session,
        token_expires_at=utcnow() + dt.timedelta(seconds=2),
    )
    assert callers.get("token") == "caller"
    clock.now += 2.01
    assert callers.get("token") is None


def test_the_kept_callers_are_bounded() -> None:
    clock = FrozenClock()
    callers: RecentCallers[int] = RecentCallers(clock=clock, max_callers=3)
    later = utcnow() + dt.timedelta(minutes=10)
    for number in range(5):
        callers.keep(
            f"token-{number}", number, user_id=uuid.uuid4(), session_id=uuid.uuid4(),
            token_expires_at=later,
        )  # fmt: skip
    assert [callers.get(f"token-{number}") for number in range(5)] == [None, None, 2, 3, 4]


async def test_me_answers_from_the_session_check_without_another_read(clock: FrozenClock) -> None:
    """The session check reads the caller's address with their session: `me` then needs no
    statement of its own (it was 1 of a `me` request's 2)."""
    from services.gateway.view import authenticate_into
    from shared.graphql import Context

    email = f"me-{uuid.uuid4().hex[:8]}@example.com"
    token = (await sign_up(email))["accessToken"]
    context = Context(request=None, request_id="test")
    async with count_statements() as checking:
        await authenticate_into(context, f"Bearer {token}")
    async with count_statements() as answering:
        me = (await succeed(ME, context=context))["me"]
    assert me["email"] == email
    assert len(checking) >= 1
    assert answering == []
