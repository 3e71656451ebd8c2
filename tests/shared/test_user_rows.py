"""A user's rows found from the tables themselves: by their owner column, or through foreign
keys however deep, and nothing of anyone else's."""

from __future__ import annotations

import uuid

from sqlalchemy import Column, ForeignKey, MetaData, String, Table, Uuid, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from shared.user_rows import delete_user_rows, owned_rows

metadata = MetaData()
people = Table("people", metadata, Column("id", Uuid, primary_key=True))
boards = Table(
    "boards",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid),
)
lists = Table(  # no owner column: owned through its board
    "lists",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("board_id", ForeignKey("boards.id")),
)
cards = Table(  # two foreign keys away from an owner
    "cards",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("list_id", ForeignKey("lists.id")),
    Column("parent_id", ForeignKey("cards.id")),
)
settings = Table("settings", metadata, Column("key", String(20), primary_key=True))


def test_a_table_is_owned_by_its_owner_column_or_through_its_foreign_keys() -> None:
    user = uuid.uuid4()
    assert owned_rows(boards, user) is not None
    assert owned_rows(lists, user) is not None
    assert owned_rows(cards, user) is not None
    assert owned_rows(people, user, {"people": "id"}) is not None
    assert owned_rows(people, user) is None  # no owner column named: nobody's rows
    assert owned_rows(settings, user) is None


async def test_deleting_a_users_rows_reaches_every_depth_and_spares_the_others() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    leaving, staying = uuid.uuid4(), uuid.uuid4()
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(insert(settings).values(key="theme"))
        for user in (leaving, staying):
            board, column = uuid.uuid4(), uuid.uuid4()
            parent = uuid.uuid4()
            await session.execute(insert(people).values(id=user))
            await session.execute(insert(boards).values(id=board, user_id=user))
            await session.execute(insert(lists).values(id=column, board_id=board))
            await session.execute(insert(cards).values(id=parent, list_id=column))
            await session.execute(
                insert(cards).values(id=uuid.uuid4(), list_id=column, parent_id=parent)
            )

    async with AsyncSession(engine) as session, session.begin():
        deleted = await delete_user_rows(session, metadata, leaving, {"people": "id"})

    assert deleted == {"cards": 2, "lists": 1, "boards": 1, "people": 1}
    async with AsyncSession(engine) as session:
        assert list(await session.scalars(select(people.c.id))) == [staying]
        assert list(await session.scalars(select(boards.c.user_id))) == [staying]
        assert len(list(await session.scalars(select(cards.c.id)))) == 2
        assert list(await session.scalars(select(settings.c.key))) == ["theme"]
    await engine.dispose()
