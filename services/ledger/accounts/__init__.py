"""Accounts: manual ones the user creates and linked ones the bank reports (see bank_ingest),
their balances, and the user's home currency (the first account's)."""
