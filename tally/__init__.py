"""The composition root: where Tally's parts are put together into processes.

- `cli`: the `tally` command, one subcommand per process Tally runs as.
- `app`: the ASGI app `tally serve` and `tally gateway` run: the gateway's edge, the local Plaid
  emulator mounted beside it in `PLAID_ENV=local` (and, for a single process, the job workers).
- `serving`: their processes: web processes sharing one port, and `tally serve`'s jobs process
  (`jobs`: the in-memory broker's workers, the outbox's relay and the scheduler).
- `actors`: which services' actors exist, which queues they consume, and the event wiring.
- `scheduler`: the periodic loop (bank syncs that no webhook triggered).
- `demo`: a demo user made through the public API of a running Tally.
- `migrations`: the one Alembic environment over every service's branch.

Services never import this package; it imports them through their doors (`api`, `graphql`,
`actors`).
"""
