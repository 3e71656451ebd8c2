"""Savings goals, how each is funded, and contributions to them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import MAX_NAME, Base
from shared.clock import UTCDateTime, utcnow

# How a goal is funded: what counts as saved toward it.
GOAL_FUNDING_CONTRIBUTIONS = "contributions"
GOAL_FUNDING_ACCOUNT = "account"
GOAL_FUNDING_CATEGORY = "category"
GOAL_FUNDINGS = (GOAL_FUNDING_CONTRIBUTIONS, GOAL_FUNDING_ACCOUNT, GOAL_FUNDING_CATEGORY)


class Goal(Base):
    __tablename__ = "ledger_goals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    target_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set while the user has paused the goal.
    paused_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # What counts as saved (GOAL_FUNDINGS): contributions, an account's balance, or what was
    # budgeted in a category less what was spent in it since `funded_since`.
    funding: Mapped[str] = mapped_column(
        String(20), default=GOAL_FUNDING_CONTRIBUTIONS, server_default=GOAL_FUNDING_CONTRIBUTIONS
    )
    # Deleting a funding account is refused while a goal names it (accounts/service.py).
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ledger_accounts.id"))
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="SET NULL")
    )
    # The user's day the current funding started counting (null before ledger_0005: the day
    # the goal was created).
    funded_since: Mapped[dt.date | None] = mapped_column(Date)


class GoalContribution(Base):
    __tablename__ = "ledger_goal_contributions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    goal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_goals.id", ondelete="CASCADE"), index=True
    )
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    contributed_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
