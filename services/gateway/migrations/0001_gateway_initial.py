"""Gateway: users, sessions, refresh tokens.

Revision ID: gateway_0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("gateway",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gateway_users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_users")),
        sa.UniqueConstraint("email", name=op.f("uq_gateway_users_email")),
    )

    op.create_table(
        "gateway_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["gateway_users.id"],
            name=op.f("fk_gateway_sessions_user_id_gateway_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_sessions")),
    )
    op.create_index(
        op.f("ix_gateway_sessions_user_id"), "gateway_sessions", ["user_id"], unique=False
    )

    op.create_table(
        "gateway_refresh_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["gateway_sessions.id"],
            name=op.f("fk_gateway_refresh_tokens_session_id_gateway_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_gateway_refresh_tokens_token_hash")),
    )
    op.create_index(
        op.f("ix_gateway_refresh_tokens_session_id"),
        "gateway_refresh_tokens",
        ["session_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_gateway_refresh_tokens_session_id"), table_name="gateway_refresh_tokens")
    op.drop_table("gateway_refresh_tokens")
    op.drop_index(op.f("ix_gateway_sessions_user_id"), table_name="gateway_sessions")
    op.drop_table("gateway_sessions")
    op.drop_table("gateway_users")
