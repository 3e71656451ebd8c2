"""Accounts: manual ones the user creates and linked ones the bank reports (see bank_ingest),
and their balances (each in the account's own currency)."""
