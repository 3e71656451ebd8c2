"""Unlinking a bank: its item removed at Plaid, its accounts kept as manual ones or deleted
with their history (service.py), and the record of what was done (repository.py)."""
