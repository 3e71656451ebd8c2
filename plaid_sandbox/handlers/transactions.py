"""Transactions: /transactions/sync pages from the Item's change log, and /transactions/refresh."""

from __future__ import annotations

from datetime import date

from plaid_sandbox import errors
from plaid_sandbox.changelog import append, new_transaction_id, post_pending, read_page
from plaid_sandbox.handlers.context import Context, Outcome, healthy_item, webhooks_for
from plaid_sandbox.history import account_with_subtype, seeded_rng
from plaid_sandbox.merchants import EVERYDAY_PURCHASES, make_transaction
from plaid_sandbox.render import render_account, render_removed, render_transaction, rfc3339
from plaid_sandbox.state import ItemRecord, Session
from plaid_sandbox.validation import Fields
from plaid_sandbox.webhooks import sync_updates_available


def transactions_sync(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    cursor = req.opt_string("cursor") or ""
    count = req.opt_int("count")
    if count is None:
        count = 100
    if not 1 <= count <= 500:
        raise errors.invalid_field("count must be between 1 and 500")
    options = req.opt_object("options")
    account_id = options.opt_string("account_id") if options is not None else None
    with ctx.store.read() as session:
        item = healthy_item(session, access_token)
        accounts = item["accounts"]
        if account_id is not None:
            accounts = [account for account in accounts if account["account_id"] == account_id]
            if not accounts:
                raise errors.invalid_account_id()
        item_id = item["item_id"]
        page = read_page(
            lambda start, stop: session.changes(item_id, start, stop),
            item["log_length"],
            item_id,
            cursor,
            count,
            account_id,
        )
        return Outcome(
            {
                "transactions_update_status": "HISTORICAL_UPDATE_COMPLETE",
                "accounts": [render_account(account) for account in accounts],
                "added": [render_transaction(txn) for txn in page.added],
                "modified": [render_transaction(txn) for txn in page.modified],
                "removed": [render_removed(txn) for txn in page.removed],
                "next_cursor": page.next_cursor,
                "has_more": page.has_more,
            }
        )


def _add_new_pending(session: Session, item: ItemRecord, today: date) -> None:
    txn_id = new_transaction_id(item)
    rng = seeded_rng("purchase", txn_id)
    merchant, low, high = rng.choice(EVERYDAY_PURCHASES)
    card = account_with_subtype(item["accounts"], "credit card")
    txn = make_transaction(
        transaction_id=txn_id,
        account_id=card["account_id"],
        merchant=merchant,
        amount_cents=rng.randrange(low, high + 1),
        posted=today,
        authorized=today,
        pending=True,
    )
    append(session, item, "added", txn)


def transactions_refresh(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    now = ctx.clock()
    with ctx.store.write() as session:
        item = healthy_item(session, access_token)
        post_pending(session, item, now.date())
        _add_new_pending(session, item, now.date())
        item["last_successful_update"] = rfc3339(now)
        return Outcome({}, webhooks_for(item, sync_updates_available(item["item_id"]), now))
