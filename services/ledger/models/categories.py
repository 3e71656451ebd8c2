"""The user's categories, their groups, and which category stands for each default one."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import Base
from shared.clock import UTCDateTime, utcnow

MAX_CATEGORY_NAME = 60  # category and category group names

# What a category's money means to reports and budgets. Expense categories are budgeted; money
# in income categories is what envelope budgeting has to assign; transfer categories move money
# between the user's own accounts, so cash flow and budgets leave them out.
CATEGORY_KINDS = ("expense", "income", "transfer")
CATEGORY_KIND_EXPENSE, CATEGORY_KIND_INCOME, CATEGORY_KIND_TRANSFER = CATEGORY_KINDS


class CategoryGroup(Base):
    """A heading the user's categories sit under, in the user's order."""

    __tablename__ = "ledger_category_groups"
    __table_args__ = (UniqueConstraint("user_id", "name_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME))
    # The name as uniqueness compares it (case-folded): "Food" and "food" are one group.
    name_key: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME * 3))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Category(Base):
    __tablename__ = "ledger_categories"
    __table_args__ = (UniqueConstraint("user_id", "name_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME))
    # The name as uniqueness compares it (case-folded): "Dining" and "dining" are one category.
    name_key: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME * 3))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_category_groups.id"), index=True)
    # Its place within its group, from 0.
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Left out of pickers; still on its transactions, budgets and in reports.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    kind: Mapped[str] = mapped_column(
        String(10), default=CATEGORY_KIND_EXPENSE, server_default=CATEGORY_KIND_EXPENSE
    )
    # Limits budgeting: whether a month's unspent (or overspent) amount carries into the next.
    rollover: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CategoryPreset(Base):
    """Which of the user's categories stands for one of the default categories (named as the
    default was): bank hints for that default land there, however the user renamed, moved or
    merged it. Deleting the category forgets it, and those hints then categorize nothing."""

    __tablename__ = "ledger_category_presets"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    preset: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME), primary_key=True)
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="CASCADE"), index=True
    )
