"""IN lists in bounded chunks, on both databases."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from services.notifier.models import Recipient
from shared.clock import utcnow
from shared.db import read_session, unit_of_work
from shared.sql import IN_CHUNK, chunked, rows_in_chunks, scalars_in_chunks


def test_chunks_cover_every_value_once_in_order() -> None:
    values = list(range(IN_CHUNK * 2 + 3))
    chunks = list(chunked(values))
    assert [len(chunk) for chunk in chunks] == [IN_CHUNK, IN_CHUNK, 3]
    assert [value for chunk in chunks for value in chunk] == values
    assert list(chunked([])) == []


async def test_a_query_over_more_ids_than_one_chunk_finds_them_all() -> None:
    ids = [uuid.uuid4() for _ in range(IN_CHUNK + 7)]
    async with unit_of_work() as work:
        work.session.add_all(
            Recipient(user_id=user_id, email=f"{user_id.hex}@example.com", updated_at=utcnow())
            for user_id in ids
        )
    asked = [*ids, uuid.uuid4()]  # one unknown id: simply absent
    async with read_session() as session:
        found = await scalars_in_chunks(
            session,
            asked,
            lambda chunk: select(Recipient.user_id).where(Recipient.user_id.in_(chunk)),
        )
        rows = await rows_in_chunks(
            session,
            asked,
            lambda chunk: select(Recipient.user_id, Recipient.email).where(
                Recipient.user_id.in_(chunk)
            ),
        )
    assert sorted(found) == sorted(ids)
    assert dict(rows) == {i: f"{i.hex}@example.com" for i in ids}
