"""Tally's services, each owning its tables and reached by the others only through its doors
(`api.py` for plain calls, `graphql` for the schema): `gateway` (the public edge and identity),
`ledger` (the truth about money), `sync` (Plaid), `notifier` (alerts and their delivery).
See docs/architecture.md.
"""
