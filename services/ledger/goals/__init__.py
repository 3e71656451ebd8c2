"""Savings goals: targets, what funds them (contributions, an account, a budget category),
their changes (service.py), and progress, projection and what is needed each month to reach
the target date (progress.py)."""
