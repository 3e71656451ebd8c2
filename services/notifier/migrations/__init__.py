"""The notifier's Alembic revisions: its own branch, applied with every other head by
`tally migrate` (see tally/migrations).
"""
