"""Accounts: manual ones the user creates and linked ones the bank reports (see bank_ingest),
their balances (each in the account's own currency), closing and deleting them (service.py),
and reconciling them with bank statements (reconciliation.py)."""
