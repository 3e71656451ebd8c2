"""Transactions: recording, editing and deleting them by hand (service.py), the one filter
language (filters.py) and the keyset-paged list, split parts (splits.py), transfers between
the user's own accounts (transfers.py) and bulk edits (bulk_edit.py). Bank transactions
arrive through bank_ingest instead."""
