"""Strawberry types, queries and mutations of the sync service (thin: they call the service)."""
