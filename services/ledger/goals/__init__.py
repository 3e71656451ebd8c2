"""Savings goals: targets, what funds them (contributions, an account, a budget category),
progress, a projected date, and what is needed each month to reach the target date."""
