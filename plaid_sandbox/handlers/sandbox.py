"""The /sandbox/* endpoints: new Items behind public tokens, custom transactions, login errors
and webhooks on demand."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from plaid_sandbox import errors
from plaid_sandbox.changelog import append, new_transaction_id, post_pending
from plaid_sandbox.handlers.context import (
    Context,
    Outcome,
    item_for_token,
    webhook_url,
    webhooks_for,
)
from plaid_sandbox.history import (
    account_with_subtype,
    generate_history,
    plaid_id,
    sandbox_accounts,
    seeded_rng,
)
from plaid_sandbox.merchants import categorize, make_transaction
from plaid_sandbox.render import INSTITUTIONS, rfc3339
from plaid_sandbox.state import ItemRecord
from plaid_sandbox.validation import Fields, check_products
from plaid_sandbox.webhooks import item_webhook, sync_updates_available

SANDBOX_CREATE_MAX = 10
SANDBOX_CREATE_WINDOW_DAYS = 14

# The webhook_code enum of /sandbox/item/fire_webhook.
FIRE_WEBHOOK_CODES = frozenset(
    [
        "DEFAULT_UPDATE",
        "NEW_ACCOUNTS_AVAILABLE",
        "SMS_MICRODEPOSITS_VERIFICATION",
        "AUTHORIZATION_GRANTED",
        "USER_PERMISSION_REVOKED",
        "USER_ACCOUNT_REVOKED",
        "PENDING_DISCONNECT",
        "RECURRING_TRANSACTIONS_UPDATE",
        "LOGIN_REPAIRED",
        "SYNC_UPDATES_AVAILABLE",
        "PRODUCT_READY",
        "ERROR",
    ]
)

SANDBOX_PASSWORDS = {"user_good": "pass_good"}
# Sandbox users that log in with any password.
SANDBOX_ANY_PASSWORD_USERS = frozenset({"user_transactions_dynamic"})

_CURRENCY = re.compile(r"[A-Z]{3}")


def sandbox_public_token_create(ctx: Context, req: Fields) -> Outcome:
    req.require("institution_id", "initial_products")
    institution_id = req.string("institution_id")
    products = check_products(req.list_("initial_products"), "initial_products")
    if not products:
        raise errors.invalid_field("initial_products must not be empty")
    options = req.opt_object("options")
    webhook = username = password = None
    if options is not None:
        webhook = webhook_url(ctx, options, "webhook")
        username = options.opt_string("override_username")
        password = options.opt_string("override_password")
    if institution_id not in INSTITUTIONS:
        raise errors.invalid_institution()
    username = username or "user_good"
    check_credentials(username, password or "pass_good")
    public_token, _ = create_item(ctx, institution_id, products, webhook, username)
    return Outcome({"public_token": public_token})


def check_credentials(username: str, password: str) -> None:
    """A sandbox login: user_good / pass_good, or a user that takes any password."""
    if username not in SANDBOX_ANY_PASSWORD_USERS and SANDBOX_PASSWORDS.get(username) != password:
        raise errors.invalid_credentials()


def create_item(
    ctx: Context,
    institution_id: str,
    products: list[str],
    webhook: str | None,
    username: str,
    *,
    account_masks: Collection[str] | None = None,
) -> tuple[str, ItemRecord]:
    """A new Item at the institution (credentials checked already), behind a new public token.
    With `account_masks`, it shares only those of its accounts, as after Link's account
    selection: the others, and their transactions, are not the Item's."""
    now = ctx.clock()
    item_id = plaid_id(seeded_rng("item", secrets.token_hex(16)))
    accounts = sandbox_accounts(item_id)
    history = generate_history(item_id, accounts, now.date())
    if account_masks is not None:
        accounts = [account for account in accounts if account["mask"] in account_masks]
        shared = {account["account_id"] for account in accounts}
        history = [txn for txn in history if txn["account_id"] in shared]
    item: ItemRecord = {
        "item_id": item_id,
        "institution_id": institution_id,
        "products": list(dict.fromkeys(products)),
        "webhook": webhook,
        "username": username,
        "created_at": rfc3339(now),
        "access_token": None,
        "error": None,
        "accounts": accounts,
        "log_length": 0,
        "next_seq": 0,
        "last_webhook": None,
        "last_successful_update": rfc3339(now),
    }
    public_token = f"public-sandbox-{uuid.uuid4()}"
    with ctx.store.write() as session:
        # Spent and expired tokens are kept a day, so that a retry still hears "expired" or
        # "already exchanged" rather than "unknown"; then dropped.
        session.forget_public_tokens_before(rfc3339(now - timedelta(days=1)))
        session.add_item(item)
        for txn in history:
            append(session, item, "added", txn)
        session.add_public_token(
            public_token, {"item_id": item_id, "created_at": rfc3339(now), "used": False}
        )
    return public_token, item


def _amount_cents(amount: Decimal, index: int) -> int:
    try:
        cents = amount * 100
        if cents != cents.to_integral_value():
            raise InvalidOperation
    except InvalidOperation:
        raise errors.invalid_field(
            f"transactions[{index}].amount must have at most two decimal places"
        ) from None
    return int(cents)


def sandbox_transactions_create(ctx: Context, req: Fields) -> Outcome:
    req.require("access_token", "transactions")
    access_token = req.string("access_token")
    raw = req.list_("transactions")
    if not raw:
        raise errors.invalid_field("transactions must not be empty")
    if len(raw) > SANDBOX_CREATE_MAX:
        raise errors.PlaidApiError(
            400,
            "INVALID_REQUEST",
            "INVALID_FIELD",
            "The request contains too many transactions.",
            "The request contains too many transactions.",
        )
    now = ctx.clock()
    today = now.date()
    earliest = today - timedelta(days=SANDBOX_CREATE_WINDOW_DAYS)
    # The emulator's "today" is the UTC date; a client east of UTC may already be a day ahead.
    latest = today + timedelta(days=1)
    parsed: list[tuple[date, date, int, str, str]] = []
    for index, value in enumerate(raw):
        if not isinstance(value, dict):
            raise errors.invalid_field(f"transactions[{index}] must be an object")
        fields = Fields(value, f"transactions[{index}].")
        fields.require("date_transacted", "date_posted", "amount", "description")
        transacted = fields.date_("date_transacted")
        posted = fields.date_("date_posted")
        if not (earliest <= transacted <= posted <= latest):
            message = (
                "Transaction and posted dates must be within the last 14 days. The posted date "
                "cannot be before the transaction date."
            )
            raise errors.PlaidApiError(400, "INVALID_REQUEST", "INVALID_FIELD", message, message)
        cents = _amount_cents(fields.number("amount"), index)
        description = fields.string("description").strip()
        if not description:
            raise errors.invalid_field(f"transactions[{index}].description must not be empty")
        currency = fields.opt_string("iso_currency_code") or "USD"
        if not _CURRENCY.fullmatch(currency):
            raise errors.invalid_field(
                f"transactions[{index}].iso_currency_code must be an ISO-4217 code"
            )
        parsed.append((transacted, posted, cents, description, currency))
    with ctx.store.write() as session:
        item = item_for_token(session, access_token)
        # "Custom transactions are only applied to the depository account": the checking one.
        checking = account_with_subtype(item["accounts"], "checking")
        for transacted, posted, cents, description, currency in parsed:
            txn = make_transaction(
                transaction_id=new_transaction_id(item),
                account_id=checking["account_id"],
                merchant=categorize(description, cents),
                amount_cents=cents,
                posted=posted,
                authorized=transacted,
                iso_currency_code=currency,
            )
            append(session, item, "added", txn)
        item["last_successful_update"] = rfc3339(now)
        return Outcome({}, webhooks_for(item, sync_updates_available(item["item_id"]), now))


def sandbox_item_reset_login(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    now = ctx.clock()
    with ctx.store.write() as session:
        item = item_for_token(session, access_token)
        item["error"] = errors.item_login_required().to_error_object()
        payload = item_webhook(item["item_id"], "ERROR", error=item["error"])
        return Outcome({"reset_login": True}, webhooks_for(item, payload, now))


def sandbox_item_fire_webhook(ctx: Context, req: Fields) -> Outcome:
    req.require("access_token", "webhook_code")
    access_token = req.string("access_token")
    code = req.string("webhook_code")
    webhook_type = req.opt_string("webhook_type")
    if code not in FIRE_WEBHOOK_CODES:
        raise errors.invalid_field(f"webhook_code must be one of {sorted(FIRE_WEBHOOK_CODES)}")
    now = ctx.clock()
    with ctx.store.write() as session:
        item = item_for_token(session, access_token)
        if item["webhook"] is None:
            raise errors.sandbox_webhook_invalid()
        item_id = item["item_id"]
        payload: dict[str, Any]
        if code in ("SYNC_UPDATES_AVAILABLE", "DEFAULT_UPDATE") and webhook_type not in (
            None,
            "TRANSACTIONS",
        ):
            raise errors.sandbox_product_not_enabled(
                f"the emulator fires {code} only for TRANSACTIONS"
            )
        if code == "SYNC_UPDATES_AVAILABLE":
            post_pending(session, item, now.date())
            item["last_successful_update"] = rfc3339(now)
            payload = sync_updates_available(item_id)
        elif code == "DEFAULT_UPDATE":
            payload = {
                "webhook_type": "TRANSACTIONS",
                "webhook_code": "DEFAULT_UPDATE",
                "item_id": item_id,
                "new_transactions": 0,
                "error": None,
                "environment": "sandbox",
            }
        elif code == "NEW_ACCOUNTS_AVAILABLE":
            payload = item_webhook(item_id, code, error=None)
        elif code == "LOGIN_REPAIRED":
            # The Item recovered outside the app (e.g. the user logged in elsewhere).
            item["error"] = None
            payload = item_webhook(item_id, code)
        elif code == "PENDING_DISCONNECT":
            payload = item_webhook(
                item_id,
                code,
                reason="INSTITUTION_MIGRATION",
                disconnect_time=rfc3339(now + timedelta(days=7)),
            )
        elif code == "USER_PERMISSION_REVOKED":
            payload = item_webhook(
                item_id, code, error=errors.user_permission_revoked().to_error_object()
            )
        elif code == "USER_ACCOUNT_REVOKED":
            checking = account_with_subtype(item["accounts"], "checking")
            payload = item_webhook(item_id, code, account_id=checking["account_id"])
        elif code == "ERROR" and item["error"] is not None:
            payload = item_webhook(item_id, code, error=item["error"])
        elif code == "ERROR":
            raise errors.sandbox_product_not_enabled(
                "the emulator fires ERROR only for an Item in an error state "
                "(see /sandbox/item/reset_login)"
            )
        else:
            raise errors.sandbox_product_not_enabled(f"the emulator does not fire {code}")
        return Outcome({"webhook_fired": True}, webhooks_for(item, payload, now))
