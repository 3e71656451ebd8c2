"""The gateway: Tally's public edge.

- `app`: the HTTP and websocket routes (GraphQL, the data export, Plaid webhooks, health,
  metrics, home page) and the middleware every request passes; `create_gateway` builds it.
- `schema`: one graph composed from each service's `graphql` door, with its limits.
- `errors`: typed errors to `extensions.code`, everything else masked.
- `metrics`: Prometheus counters and timings.
- `graphql`: the gateway's own part of the graph (sign-up, log-in, sessions, `me`, deleting
  one's account).
- `user_data`: a user's data across every service: the full export, and account deletion.
- `identity/`: users, passwords, sessions and tokens, throttling.
- `models`: the gateway's tables; `migrations/`: their Alembic branch.

What is put together around the edge (workers, the local Plaid, the CLI) is the composition
root's business: see `tally/`.
"""
