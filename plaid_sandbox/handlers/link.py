"""Link: link tokens (new Items and update mode) and the public token exchange."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from plaid_sandbox import errors
from plaid_sandbox.handlers.context import (
    Context,
    Outcome,
    item_for_token,
    webhook_url,
    webhooks_for,
)
from plaid_sandbox.render import rfc3339
from plaid_sandbox.validation import Fields, check_products
from plaid_sandbox.webhooks import sync_updates_available

LINK_TOKEN_LIFETIME = timedelta(hours=4)
PUBLIC_TOKEN_LIFETIME = timedelta(minutes=30)


def link_token_create(ctx: Context, req: Fields) -> Outcome:
    req.require("client_name", "language", "country_codes")
    client_name = req.string("client_name")
    req.string("language")
    req.string_list("country_codes")
    user = req.opt_object("user")
    if user is not None:
        user.string("client_user_id")
    webhook = webhook_url(ctx, req, "webhook")
    access_token = req.opt_string("access_token")
    now = ctx.clock()
    token = f"link-sandbox-{uuid.uuid4()}"
    with ctx.store.write() as session:
        item_id: str | None = None
        products: list[str] = []
        if access_token:
            # Update mode: the user signs in again through Link (see `link_ui`), which clears
            # the Item's login error; making the token changes nothing yet but its webhook.
            item = item_for_token(session, access_token)
            item_id = item["item_id"]
            products = list(item["products"])
            if webhook is not None:
                item["webhook"] = webhook
        else:
            raw = req.opt_list("products")
            if not raw:
                raise errors.invalid_field(
                    "products must be a non-empty array unless access_token is set"
                )
            products = list(dict.fromkeys(check_products(raw, "products")))
        # Link tokens live 4 hours; those a day past that are dropped.
        session.forget_link_tokens_before(rfc3339(now - LINK_TOKEN_LIFETIME - timedelta(days=1)))
        session.add_link_token(
            token,
            {
                "created_at": rfc3339(now),
                "expiration": rfc3339(now + LINK_TOKEN_LIFETIME),
                "item_id": item_id,
                "products": products,
                "webhook": webhook,
                "client_name": client_name,
            },
        )
    return Outcome({"link_token": token, "expiration": rfc3339(now + LINK_TOKEN_LIFETIME)})


def item_public_token_exchange(ctx: Context, req: Fields) -> Outcome:
    public_token = req.string("public_token")
    now = ctx.clock()
    with ctx.store.write() as session:
        record = session.public_token(public_token)
        item = None if record is None else session.item(record["item_id"])
        if record is None or item is None:
            raise errors.invalid_public_token(
                "provided public token is in an invalid format or could not be found. expected "
                "format: public-<environment>-<identifier>"
            )
        if record["used"]:
            raise errors.invalid_public_token("provided public token has already been exchanged")
        if now - datetime.fromisoformat(record["created_at"]) > PUBLIC_TOKEN_LIFETIME:
            raise errors.invalid_public_token(
                "provided public token is expired. Public tokens expire 30 minutes after "
                "creation at which point they can no longer be exchanged"
            )
        record["used"] = True
        access_token = item["access_token"]
        if access_token is None:
            access_token = f"access-sandbox-{uuid.uuid4()}"
            item["access_token"] = access_token
            session.add_access_token(access_token, item["item_id"])
        # Plaid announces the initial and historical pull shortly after the exchange.
        webhooks = webhooks_for(
            item, sync_updates_available(item["item_id"]), now, ctx.initial_update_delay
        )
        return Outcome({"access_token": access_token, "item_id": item["item_id"]}, webhooks)
