"""Sync runs: /transactions/sync from an item's cursor into the ledger (`service`), the update
one run folds its pages into (`bank_update`), the cursor's compare-and-set and the items due
for a scheduled sync (`repository`).
"""
