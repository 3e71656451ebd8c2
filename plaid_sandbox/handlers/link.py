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
    req.string("client_name")
    req.string("language")
    req.string_list("country_codes")
    user = req.opt_object("user")
    if user is not None:
        user.string("client_user_id")
    webhook = webhook_url(ctx, req, "webhook")
    access_token = req.opt_string("access_token")
    now = ctx.clock()
    if access_token:
        # Update mode. There is no Link UI to log in again, so asking for an update-mode link
        # token stands for the user completing it: the Item's login error is cleared here.
        with ctx.store.write() as session:
            item = item_for_token(session, access_token)
            item["error"] = None
            if webhook is not None:
                item["webhook"] = webhook
    else:
        products = req.opt_list("products")
        if not products:
            raise errors.invalid_field(
                "products must be a non-empty array unless access_token is set"
            )
        check_products(products, "products")
    return Outcome(
        {
            "link_token": f"link-sandbox-{uuid.uuid4()}",
            "expiration": rfc3339(now + LINK_TOKEN_LIFETIME),
        }
    )


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
