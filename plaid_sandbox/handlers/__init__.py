"""What each emulated endpoint does, by area: request fields in, response payload and webhooks out.

`link` (link tokens, public token exchange), `items` (accounts, item get/remove, institutions,
webhook keys), `transactions` (/transactions/sync and refresh), `sandbox` (/sandbox/*) and
`emulator` (/emulator/*: the emulator's own helpers, not Plaid's API), with the `context` they
all get. Handlers are synchronous (they hold the state lock and write the
state file) and run in a worker thread; the app checks the request (see `validation`), adds the
request_id, renders errors and sends the webhooks. `HANDLERS` routes a path to its handler.
"""

from __future__ import annotations

from plaid_sandbox.handlers import emulator, items, link, sandbox, transactions
from plaid_sandbox.handlers.context import Context, Handler, Outcome

__all__ = ["HANDLERS", "Context", "Handler", "Outcome"]

HANDLERS: dict[str, Handler] = {
    "/link/token/create": link.link_token_create,
    "/sandbox/public_token/create": sandbox.sandbox_public_token_create,
    "/item/public_token/exchange": link.item_public_token_exchange,
    "/accounts/get": items.accounts_get,
    "/accounts/balance/get": items.accounts_get,
    "/item/get": items.item_get,
    "/item/remove": items.item_remove,
    "/item/webhook/update": items.item_webhook_update,
    "/institutions/get_by_id": items.institutions_get_by_id,
    "/transactions/sync": transactions.transactions_sync,
    "/transactions/refresh": transactions.transactions_refresh,
    "/sandbox/transactions/create": sandbox.sandbox_transactions_create,
    "/sandbox/item/fire_webhook": sandbox.sandbox_item_fire_webhook,
    "/sandbox/item/reset_login": sandbox.sandbox_item_reset_login,
    "/webhook_verification_key/get": items.webhook_verification_key_get,
    "/emulator/transactions/generate": emulator.transactions_generate,
}
