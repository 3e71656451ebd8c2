"""Moments are aware UTC everywhere, on both databases."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import StatementError

from services.notifier.models import Recipient
from shared.clock import as_utc, utcnow
from shared.db import read_session, unit_of_work


def test_as_utc_reads_a_naive_moment_as_utc_and_converts_an_aware_one() -> None:
    naive = dt.datetime(2026, 11, 26, 12, 0)
    assert as_utc(naive) == dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
    paris = dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert as_utc(paris).tzinfo is dt.UTC
    assert as_utc(paris) == as_utc(naive)


async def test_a_stored_moment_comes_back_aware_in_utc_and_compares_in_sql() -> None:
    user_id = uuid.uuid4()
    eastern = dt.datetime(2026, 11, 26, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    async with unit_of_work() as work:
        work.session.add(Recipient(user_id=user_id, email="clock@example.com", updated_at=eastern))

    async with read_session() as session:
        stored = await session.get(Recipient, user_id)
        later = await session.scalar(
            select(Recipient.user_id).where(
                Recipient.user_id == user_id,
                Recipient.updated_at < dt.datetime(2026, 11, 26, 12, 31, tzinfo=dt.UTC),
            )
        )
    assert stored is not None
    assert stored.updated_at == dt.datetime(2026, 11, 26, 12, 30, tzinfo=dt.UTC)
    assert stored.updated_at.utcoffset() == dt.timedelta(0)
    assert later == user_id


async def test_a_naive_moment_is_refused_before_it_is_stored() -> None:
    user_id = uuid.uuid4()
    async with unit_of_work() as work:
        work.session.add(Recipient(user_id=user_id, email="naive@example.com", updated_at=utcnow()))
    with pytest.raises(StatementError, match="expected an aware datetime"):
        async with unit_of_work() as work:
            await work.session.execute(
                update(Recipient)
                .where(Recipient.user_id == user_id)
                .values(updated_at=dt.datetime(2026, 1, 1))
            )
