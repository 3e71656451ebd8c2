"""Budgets: an amount per category and month, what was spent against it, and a month of
budgeting in the user's style (limits with rollover, or envelopes)."""
