"""The sync service: banks linked through Plaid, their transactions brought into the ledger.

Doors: `api` (what the gateway, CLI and scheduler call), `graphql` (the schema's part),
`actors` (the sync job). Areas: `linking/` (link tokens, exchange, stored items, key
rotation), `runs/` (/transactions/sync into the ledger), `health/` (item statuses),
`webhooks/` (verified, then acted on). Beneath them: `plaid/` (the Plaid client, its records
and the mapping to the ledger), `jobs` (the sync queue and message) and `models` (the tables).
"""
