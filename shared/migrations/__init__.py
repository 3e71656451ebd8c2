"""Alembic revisions of the outbox's table (shared.outbox), its own branch; `tally migrate`
applies it with every service's (see tally/migrations)."""
