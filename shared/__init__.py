"""Common foundations of every Tally service. Nothing here knows a business rule, and nothing
here imports a service.

- `config`: the one settings class (`TALLY_…`); `logging`: structlog JSON lines.
- `db`: an engine per event loop, `unit_of_work()` (one transaction, after-commit callbacks)
  and `read_session()`; `sql`: chunked `IN` lists, the insert that ignores a conflict.
- `clock`: `utcnow`, and `UTCDateTime`, the column type that keeps moments aware UTC.
- `money`: integer minor units with an ISO 4217 currency; `ids`: opaque typed ids.
- `errors`: typed errors that become `extensions.code`; `validation`: text and email checks;
  `pagination`: page sizes, keyset cursors.
- `user_rows`: a user's rows in a service's tables, found from the tables (account deletion);
  `export`: a user's data as one JSON document, written while it is read.
- `messaging`: the Dramatiq broker and the actor helper; `events`: announce and subscribe;
  `pubsub`: live events for subscriptions; `crypto`: encryption at rest with rotatable keys.
- `graphql`: what GraphQL layers share (the request context, Money, Decimal, PageInfo); only
  GraphQL layers import it.
"""
