"""Strawberry types, queries and mutations of the ledger service (thin: they call the service)."""
