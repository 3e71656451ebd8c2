"""Sync runs: /transactions/sync from an item's cursor into the ledger, a page at a time
(`service`), one page as the ledger takes it (`pages`), the cursor's compare-and-set, the
transactions a pagination in progress reported and the items due for a scheduled sync
(`repository`).
"""
