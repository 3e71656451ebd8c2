"""Alembic revisions of the sync service's tables (applied by `tally migrate`)."""
