"""Savings goals: targets, contributions toward them, progress and a projected date."""
