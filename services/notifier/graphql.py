"""Strawberry types, queries and mutations of the notifier service (thin: they call the service)."""
