"""Transaction rules: conditions, actions, and the tags a rule puts on."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import Base
from shared.clock import UTCDateTime, utcnow

MAX_RULE_NAME = 100


class Rule(Base):
    """Conditions on a transaction (its description, payee, amount, account) and what to do
    to those it matches (set a category or payee, add tags, mark it a transfer), applied to
    new bank transactions in the user's order, and to history on demand (see ledger.rules)."""

    __tablename__ = "ledger_rules"
    __table_args__ = (
        # The user's rules in order (keyset pagination by position, then id).
        Index("ix_ledger_rules_user_id_position_id", "user_id", "position", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(MAX_RULE_NAME))
    # Its place among the user's rules, from 0: the first matching rule sets each field.
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The conditions, every one given must hold (ledger.rules.conditions reads and writes it).
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The actions (tags in ledger_rule_tags). A deleted category or payee leaves the rule
    # without that action.
    set_category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="SET NULL"), index=True
    )
    set_payee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_payees.id", ondelete="SET NULL"), index=True
    )
    mark_as_transfer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How many times it changed a transaction (as one arrived from the bank, or applied to
    # history), and when it last did.
    applied_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RuleTag(Base):
    """A tag a rule puts on the transactions it matches."""

    __tablename__ = "ledger_rule_tags"

    rule_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_rules.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
