"""Items: accounts and balances, item get/remove, the Item's webhook URL, institutions, and the
key that verifies the Item's webhooks."""

from __future__ import annotations

from typing import Any

from plaid_sandbox import errors
from plaid_sandbox.handlers.context import (
    Context,
    Outcome,
    healthy_item,
    item_for_token,
    webhook_url,
    webhooks_for,
)
from plaid_sandbox.render import (
    INSTITUTIONS,
    render_account,
    render_institution,
    render_item,
    render_item_status,
)
from plaid_sandbox.state import ItemRecord
from plaid_sandbox.validation import Fields
from plaid_sandbox.webhooks import item_webhook


def _accounts(item: ItemRecord, req: Fields) -> list[dict[str, Any]]:
    options = req.opt_object("options")
    wanted: list[str] | None = None
    if options is not None and options.opt_list("account_ids") is not None:
        wanted = options.string_list("account_ids")
    accounts = item["accounts"]
    if wanted is not None:
        known = {account["account_id"] for account in accounts}
        if any(account_id not in known for account_id in wanted):
            raise errors.invalid_account_id()
        accounts = [account for account in accounts if account["account_id"] in wanted]
    return [render_account(account) for account in accounts]


def accounts_get(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    with ctx.store.read() as session:
        item = healthy_item(session, access_token)
        return Outcome({"accounts": _accounts(item, req), "item": render_item(item)})


def item_get(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    with ctx.store.read() as session:
        item = item_for_token(session, access_token)
        return Outcome(
            {
                "item": {**render_item(item), "created_at": item["created_at"]},
                "status": render_item_status(item),
            }
        )


def item_remove(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    with ctx.store.write() as session:
        item = item_for_token(session, access_token)
        session.delete_item(item["item_id"])
    return Outcome({})


def item_webhook_update(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    webhook = webhook_url(ctx, req, "webhook")
    now = ctx.clock()
    with ctx.store.write() as session:
        item = item_for_token(session, access_token)
        item["webhook"] = webhook
        payload = item_webhook(
            item["item_id"], "WEBHOOK_UPDATE_ACKNOWLEDGED", new_webhook_url=webhook, error=None
        )
        webhooks = webhooks_for(item, payload, now)
        return Outcome({"item": render_item(item)}, webhooks)


def institutions_get_by_id(ctx: Context, req: Fields) -> Outcome:
    req.require("institution_id", "country_codes")
    institution_id = req.string("institution_id")
    country_codes = req.string_list("country_codes")
    institution = INSTITUTIONS.get(institution_id)
    if institution is None or "US" not in country_codes:
        raise errors.invalid_institution()
    return Outcome({"institution": render_institution(institution)})


def webhook_verification_key_get(ctx: Context, req: Fields) -> Outcome:
    key_id = req.string("key_id")
    if key_id != ctx.signer.kid:
        raise errors.invalid_webhook_verification_key_id()
    return Outcome({"key": ctx.signer.jwk()})
