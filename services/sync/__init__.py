"""The sync service: banks linked through Plaid, their transactions brought into the ledger.

Doors: `api` (what the gateway, CLI and scheduler call), `graphql` (the schema's part),
`actors` (the sync job, and removing a deleted user's item at Plaid). Areas: `linking/` (link
tokens, exchange, stored items, key rotation), `runs/` (/transactions/sync into the ledger),
`health/` (item statuses), `webhooks/` (verified, then acted on), `user_data/` (the export's
linked institutions, and deleting a user's banks: revoked at Plaid, or removed there later by
a retried job). Beneath them: `plaid/` (the Plaid client, its records and the mapping to the
ledger), `jobs` (the sync queue and its messages) and `models` (the tables).
"""
