"""What each emulated endpoint does: request fields in, response payload and webhooks out.

Handlers are synchronous (they hold the state lock and write the state file) and run in a
worker thread; the app adds the request_id, renders errors and sends the webhooks.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from plaid_sandbox import errors
from plaid_sandbox.changelog import current_transactions, read_page
from plaid_sandbox.history import (
    EVERYDAY_PURCHASES,
    account_with_subtype,
    categorize,
    generate_history,
    make_transaction,
    plaid_id,
    sandbox_accounts,
    seeded_rng,
)
from plaid_sandbox.render import (
    INSTITUTIONS,
    render_account,
    render_institution,
    render_item,
    render_item_status,
    render_removed,
    render_transaction,
    rfc3339,
)
from plaid_sandbox.state import (
    ItemRecord,
    LogEntry,
    Session,
    StateStore,
    TxnRecord,
)
from plaid_sandbox.webhooks import (
    Webhook,
    WebhookSigner,
    item_webhook,
    sync_updates_available,
)

LINK_TOKEN_LIFETIME = timedelta(hours=4)
PUBLIC_TOKEN_LIFETIME = timedelta(minutes=30)
SANDBOX_CREATE_MAX = 10
SANDBOX_CREATE_WINDOW_DAYS = 14

# The Products enum of the 2020-09-14 spec.
PRODUCTS = frozenset(
    [
        "assets",
        "auth",
        "balance",
        "balance_plus",
        "beacon",
        "identity",
        "identity_match",
        "investments",
        "investments_auth",
        "liabilities",
        "payment_initiation",
        "identity_verification",
        "transactions",
        "credit_details",
        "income",
        "income_verification",
        "standing_orders",
        "transfer",
        "employment",
        "recurring_transactions",
        "transactions_refresh",
        "signal",
        "statements",
        "processor_payments",
        "processor_identity",
        "profile",
        "cra_base_report",
        "cra_income_insights",
        "cra_partner_insights",
        "cra_network_insights",
        "cra_cashflow_insights",
        "cra_monitoring",
        "cra_lend_score",
        "cra_plaid_credit_score",
        "layer",
        "pay_by_bank",
        "protect_linked_bank",
        "protect_transactions",
    ]
)

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


@dataclass
class Context:
    store: StateStore
    signer: WebhookSigner
    clock: Callable[[], datetime]
    initial_update_delay: float


@dataclass
class Outcome:
    payload: dict[str, Any]
    webhooks: list[Webhook] = field(default_factory=list)


class Fields:
    """Typed access to a JSON request object; wrong or missing fields become Plaid errors."""

    def __init__(self, data: dict[str, Any], prefix: str = "") -> None:
        self._data = data
        self._prefix = prefix

    def require(self, *names: str) -> None:
        missing = [self._prefix + name for name in names if self._data.get(name) is None]
        if missing:
            raise errors.missing_fields(missing)

    def _bad(self, name: str, what: str) -> errors.PlaidApiError:
        return errors.invalid_field(f"{self._prefix}{name} must be {what}")

    def opt_string(self, name: str) -> str | None:
        value = self._data.get(name)
        if value is not None and not isinstance(value, str):
            raise self._bad(name, "a string")
        return value

    def string(self, name: str) -> str:
        self.require(name)
        value = self.opt_string(name)
        assert value is not None
        return value

    def opt_int(self, name: str) -> int | None:
        value = self._data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self._bad(name, "an integer")
        return value

    def opt_bool(self, name: str) -> bool | None:
        value = self._data.get(name)
        if value is not None and not isinstance(value, bool):
            raise self._bad(name, "a boolean")
        return value

    def opt_list(self, name: str) -> list[Any] | None:
        value = self._data.get(name)
        if value is not None and not isinstance(value, list):
            raise self._bad(name, "an array")
        return value

    def list_(self, name: str) -> list[Any]:
        self.require(name)
        value = self.opt_list(name)
        assert value is not None
        return value

    def string_list(self, name: str) -> list[str]:
        values = self.list_(name)
        if not all(isinstance(value, str) for value in values):
            raise self._bad(name, "an array of strings")
        return values

    def opt_object(self, name: str) -> Fields | None:
        value = self._data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._bad(name, "an object")
        return Fields(value, f"{self._prefix}{name}.")

    def number(self, name: str) -> Decimal:
        self.require(name)
        value = self._data.get(name)
        if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
            raise self._bad(name, "a number")
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)

    def date_(self, name: str) -> date:
        text = self.string(name)
        try:
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            raise self._bad(name, "a date in YYYY-MM-DD format") from None

    def webhook_url(self, name: str) -> str | None:
        value = self.opt_string(name)
        if not value:
            return None
        if not re.match(r"https?://[^/\s]+", value):
            raise self._bad(name, "an http or https URL")
        return value


Handler = Callable[[Context, Fields], Outcome]


def _now(ctx: Context) -> datetime:
    return ctx.clock()


def _item_for_token(session: Session, access_token: str) -> ItemRecord:
    item = session.item_for_token(access_token)
    if item is None:
        raise errors.invalid_access_token()
    return item


def _raise_item_error(item: ItemRecord) -> None:
    """Data endpoints answer with the Item's error while it has one, as Plaid does."""
    error = item["error"]
    if error is not None:
        raise errors.PlaidApiError(
            int(error.get("status") or 400),
            str(error["error_type"]),
            str(error["error_code"]),
            str(error["error_message"]),
            error.get("display_message"),
        )


def _healthy_item(session: Session, access_token: str) -> ItemRecord:
    item = _item_for_token(session, access_token)
    _raise_item_error(item)
    return item


def _webhooks_for(
    item: ItemRecord, payload: dict[str, Any], now: datetime, delay: float = 0.0
) -> list[Webhook]:
    """The webhook to send to the Item's URL, if it has one; remembered for /item/get."""
    if item["webhook"] is None:
        return []
    item["last_webhook"] = {"sent_at": rfc3339(now), "code_sent": str(payload["webhook_code"])}
    return [Webhook(item["webhook"], payload, delay)]


def _new_transaction_id(item: ItemRecord) -> str:
    seq = item["next_seq"]
    item["next_seq"] = seq + 1
    return plaid_id(seeded_rng("transaction", item["item_id"], str(seq)))


def _append(item: ItemRecord, op: Literal["added", "removed"], txn: TxnRecord) -> None:
    entry: LogEntry = {"op": op, "txn": txn}
    item["log"].append(entry)


def _post_pending(item: ItemRecord, today: date) -> int:
    """Settle every pending transaction: the pending id is removed, a posted one is added."""
    pending = [txn for txn in current_transactions(item["log"]).values() if txn["pending"]]
    for txn in pending:
        posted: TxnRecord = {
            **txn,
            "transaction_id": _new_transaction_id(item),
            "date": max(today, date.fromisoformat(txn["date"])).isoformat(),
            "pending": False,
            "pending_transaction_id": txn["transaction_id"],
        }
        _append(item, "removed", txn)
        _append(item, "added", posted)
    return len(pending)


def _add_new_pending(item: ItemRecord, today: date) -> None:
    txn_id = _new_transaction_id(item)
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
    _append(item, "added", txn)


# --- Link and Items ---------------------------------------------------------------------------


def link_token_create(ctx: Context, req: Fields) -> Outcome:
    req.require("client_name", "language", "country_codes")
    req.string("client_name")
    req.string("language")
    req.string_list("country_codes")
    user = req.opt_object("user")
    if user is not None:
        user.string("client_user_id")
    webhook = req.webhook_url("webhook")
    access_token = req.opt_string("access_token")
    now = _now(ctx)
    if access_token:
        # Update mode. There is no Link UI to log in again, so asking for an update-mode link
        # token stands for the user completing it: the Item's login error is cleared here.
        with ctx.store.write() as session:
            item = _item_for_token(session, access_token)
            item["error"] = None
            if webhook is not None:
                item["webhook"] = webhook
    else:
        products = req.opt_list("products")
        if not products:
            raise errors.invalid_field(
                "products must be a non-empty array unless access_token is set"
            )
        _check_products(products, "products")
    return Outcome(
        {
            "link_token": f"link-sandbox-{uuid.uuid4()}",
            "expiration": rfc3339(now + LINK_TOKEN_LIFETIME),
        }
    )


def _check_products(products: list[Any], name: str) -> list[str]:
    unknown = [p for p in products if not isinstance(p, str) or p not in PRODUCTS]
    if unknown:
        raise errors.invalid_field(f"{name} contains unknown products: {unknown}")
    return [str(p) for p in products]


def sandbox_public_token_create(ctx: Context, req: Fields) -> Outcome:
    req.require("institution_id", "initial_products")
    institution_id = req.string("institution_id")
    products = _check_products(req.list_("initial_products"), "initial_products")
    if not products:
        raise errors.invalid_field("initial_products must not be empty")
    options = req.opt_object("options")
    webhook = username = password = None
    if options is not None:
        webhook = options.webhook_url("webhook")
        username = options.opt_string("override_username")
        password = options.opt_string("override_password")
    if institution_id not in INSTITUTIONS:
        raise errors.invalid_institution()
    username = username or "user_good"
    password = password or "pass_good"
    if username not in SANDBOX_ANY_PASSWORD_USERS and SANDBOX_PASSWORDS.get(username) != password:
        raise errors.invalid_credentials()
    now = _now(ctx)
    item_id = plaid_id(seeded_rng("item", secrets.token_hex(16)))
    accounts = sandbox_accounts(item_id)
    history = generate_history(item_id, accounts, now.date())
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
        "log": [{"op": "added", "txn": txn} for txn in history],
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
        session.add_public_token(
            public_token, {"item_id": item_id, "created_at": rfc3339(now), "used": False}
        )
    return Outcome({"public_token": public_token})


def item_public_token_exchange(ctx: Context, req: Fields) -> Outcome:
    public_token = req.string("public_token")
    now = _now(ctx)
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
        webhooks = _webhooks_for(
            item, sync_updates_available(item["item_id"]), now, ctx.initial_update_delay
        )
        return Outcome({"access_token": access_token, "item_id": item["item_id"]}, webhooks)


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
        item = _healthy_item(session, access_token)
        return Outcome({"accounts": _accounts(item, req), "item": render_item(item)})


def item_get(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    with ctx.store.read() as session:
        item = _item_for_token(session, access_token)
        return Outcome(
            {
                "item": {**render_item(item), "created_at": item["created_at"]},
                "status": render_item_status(item),
            }
        )


def item_remove(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    with ctx.store.write() as session:
        item = _item_for_token(session, access_token)
        session.delete_item(item["item_id"])
    return Outcome({})


def item_webhook_update(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    webhook = req.webhook_url("webhook")
    now = _now(ctx)
    with ctx.store.write() as session:
        item = _item_for_token(session, access_token)
        item["webhook"] = webhook
        payload = item_webhook(
            item["item_id"], "WEBHOOK_UPDATE_ACKNOWLEDGED", new_webhook_url=webhook, error=None
        )
        webhooks = _webhooks_for(item, payload, now)
        return Outcome({"item": render_item(item)}, webhooks)


def institutions_get_by_id(ctx: Context, req: Fields) -> Outcome:
    req.require("institution_id", "country_codes")
    institution_id = req.string("institution_id")
    country_codes = req.string_list("country_codes")
    institution = INSTITUTIONS.get(institution_id)
    if institution is None or "US" not in country_codes:
        raise errors.invalid_institution()
    return Outcome({"institution": render_institution(institution)})


# --- Transactions -----------------------------------------------------------------------------


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
        item = _healthy_item(session, access_token)
        accounts = item["accounts"]
        if account_id is not None:
            accounts = [account for account in accounts if account["account_id"] == account_id]
            if not accounts:
                raise errors.invalid_account_id()
        page = read_page(item["log"], item["item_id"], cursor, count, account_id)
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


def transactions_refresh(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    now = _now(ctx)
    with ctx.store.write() as session:
        item = _healthy_item(session, access_token)
        _post_pending(item, now.date())
        _add_new_pending(item, now.date())
        item["last_successful_update"] = rfc3339(now)
        return Outcome({}, _webhooks_for(item, sync_updates_available(item["item_id"]), now))


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
    now = _now(ctx)
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
        item = _item_for_token(session, access_token)
        # "Custom transactions are only applied to the depository account": the checking one.
        checking = account_with_subtype(item["accounts"], "checking")
        for transacted, posted, cents, description, currency in parsed:
            txn = make_transaction(
                transaction_id=_new_transaction_id(item),
                account_id=checking["account_id"],
                merchant=categorize(description, cents),
                amount_cents=cents,
                posted=posted,
                authorized=transacted,
                iso_currency_code=currency,
            )
            _append(item, "added", txn)
        item["last_successful_update"] = rfc3339(now)
        return Outcome({}, _webhooks_for(item, sync_updates_available(item["item_id"]), now))


# --- Sandbox controls and webhooks ------------------------------------------------------------


def sandbox_item_reset_login(ctx: Context, req: Fields) -> Outcome:
    access_token = req.string("access_token")
    now = _now(ctx)
    with ctx.store.write() as session:
        item = _item_for_token(session, access_token)
        item["error"] = errors.item_login_required().to_error_object()
        payload = item_webhook(item["item_id"], "ERROR", error=item["error"])
        return Outcome({"reset_login": True}, _webhooks_for(item, payload, now))


def sandbox_item_fire_webhook(ctx: Context, req: Fields) -> Outcome:
    req.require("access_token", "webhook_code")
    access_token = req.string("access_token")
    code = req.string("webhook_code")
    webhook_type = req.opt_string("webhook_type")
    if code not in FIRE_WEBHOOK_CODES:
        raise errors.invalid_field(f"webhook_code must be one of {sorted(FIRE_WEBHOOK_CODES)}")
    now = _now(ctx)
    with ctx.store.write() as session:
        item = _item_for_token(session, access_token)
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
            _post_pending(item, now.date())
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
        return Outcome({"webhook_fired": True}, _webhooks_for(item, payload, now))


def webhook_verification_key_get(ctx: Context, req: Fields) -> Outcome:
    key_id = req.string("key_id")
    if key_id != ctx.signer.kid:
        raise errors.invalid_webhook_verification_key_id()
    return Outcome({"key": ctx.signer.jwk()})


HANDLERS: dict[str, Handler] = {
    "/link/token/create": link_token_create,
    "/sandbox/public_token/create": sandbox_public_token_create,
    "/item/public_token/exchange": item_public_token_exchange,
    "/accounts/get": accounts_get,
    "/accounts/balance/get": accounts_get,
    "/item/get": item_get,
    "/item/remove": item_remove,
    "/item/webhook/update": item_webhook_update,
    "/institutions/get_by_id": institutions_get_by_id,
    "/transactions/sync": transactions_sync,
    "/transactions/refresh": transactions_refresh,
    "/sandbox/transactions/create": sandbox_transactions_create,
    "/sandbox/item/fire_webhook": sandbox_item_fire_webhook,
    "/sandbox/item/reset_login": sandbox_item_reset_login,
    "/webhook_verification_key/get": webhook_verification_key_get,
}
