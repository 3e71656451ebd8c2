"""Categories: the defaults every user starts with (and how a bank's category hint maps onto
them), and the user's own categories and groups that transactions, budgets and reports refer
to: created, renamed, placed, hidden, merged and deleted (merging.py)."""
