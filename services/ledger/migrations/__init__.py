"""Alembic revisions of the ledger's tables, its own branch; `tally migrate` applies it with
every other service's (see tally/migrations)."""
