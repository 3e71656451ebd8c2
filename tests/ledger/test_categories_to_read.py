"""CategoriesToRead: the user's categories as copies outside any session, in their order,
with the caller's values read in the same statement; the same in a read session (rows from
the driver on PostgreSQL) and in a unit of work (through SQLAlchemy)."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, literal, select

from services.ledger.categories import service as category_service
from services.ledger.models import Category, LedgerSettings
from shared.db import read_session, unit_of_work
from tests.support.factories import new_user

ATTRIBUTES = [attribute.key for attribute in Category.__mapper__.column_attrs]
BASE = (
    select(LedgerSettings.base_currency)
    .where(LedgerSettings.user_id == bindparam("user_id"))
    .scalar_subquery()
)
WITH_BASE = category_service.CategoriesToRead(BASE, literal("along"))


def described(categories: list[Category]) -> list[tuple[object, ...]]:
    return [tuple(getattr(row, name) for name in ATTRIBUTES) for row in categories]


async def test_the_copies_are_the_users_categories_in_order_with_the_values_along() -> None:
    user = await new_user()
    async with read_session() as session:
        listed = await category_service.list_categories(session, user)
        expected = described(listed)
    assert len(expected) > 5

    async with read_session() as session:
        copies, along = await WITH_BASE.read(session, user)
    assert described(copies) == expected
    assert along == ("USD", "along")
    # Copies: in no session, so nothing done to them is ever saved.
    assert all(Category.__mapper__.class_manager.has_state(row) for row in copies)
    copies[0].name = "Changed"
    async with read_session() as session:
        assert (await category_service.list_categories(session, user))[0].name != "Changed"

    async with unit_of_work() as work:
        in_work, along_in_work = await WITH_BASE.read(work.session, user)
    assert described(in_work) == expected
    assert along_in_work == ("USD", "along")


async def test_a_user_without_categories_gets_none_and_the_values_along() -> None:
    stranger = uuid.uuid4()
    async with read_session() as session:
        copies, along = await WITH_BASE.read(session, stranger)
        plain, nothing = await category_service.CategoriesToRead().read(session, stranger)
    assert copies == [] and along == (None, "along")
    assert plain == [] and nothing == ()
