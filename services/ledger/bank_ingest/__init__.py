"""Bank data into the ledger, idempotently: a linked item's accounts (accounts.py) and one sync
run's transaction changes (transactions.py), checked against bank_data.py's contract before
anything is written."""
