"""Alembic revisions of the gateway's tables (identity), its own branch; `tally migrate`
applies it with every other service's (see tally/migrations)."""
