"""Budgets: an amount per category and month, and what was spent against it."""
