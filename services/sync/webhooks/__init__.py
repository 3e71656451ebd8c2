"""Plaid's webhooks: `verification` (the signed JWT, its key, age and body hash) before
anything is read, then `dispatch` (enqueue a sync, or record the item's health).
"""
