"""What a request must be before an endpoint acts on it, checked as Plaid checks it.

The body is a JSON object (amounts read as exact decimals), the API keys match, and each field
has the type the endpoint expects (`Fields`). Every failure is the PlaidApiError Plaid answers
with, naming the field.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from hmac import compare_digest
from typing import Any

from starlette.datastructures import Headers

from plaid_sandbox import errors

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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_body(raw: bytes) -> dict[str, Any]:
    """The request's JSON object; anything else is INVALID_BODY."""
    try:
        # Decimal keeps amounts such as 12.34 exact down to the cent.
        body = json.loads(raw or b"{}", parse_float=Decimal, parse_constant=_reject_constant)
    except ValueError:
        raise errors.invalid_body() from None
    if not isinstance(body, dict):
        raise errors.invalid_body()
    return body


def check_api_keys(headers: Headers, body: dict[str, Any], *, client_id: str, secret: str) -> None:
    """Plaid's API keys, from the headers or the body fields; INVALID_API_KEYS unless they match."""
    sent_client_id = headers.get("plaid-client-id") or body.get("client_id")
    sent_secret = headers.get("plaid-secret") or body.get("secret")
    if not (
        isinstance(sent_client_id, str)
        and isinstance(sent_secret, str)
        and compare_digest(sent_client_id.encode(), client_id.encode())
        and compare_digest(sent_secret.encode(), secret.encode())
    ):
        raise errors.invalid_api_keys()


def check_products(products: list[Any], name: str) -> list[str]:
    unknown = [p for p in products if not isinstance(p, str) or p not in PRODUCTS]
    if unknown:
        raise errors.invalid_field(f"{name} contains unknown products: {unknown}")
    return [str(p) for p in products]


class Fields:
    """Typed access to a JSON request object; wrong or missing fields become Plaid errors."""

    def __init__(self, data: dict[str, Any], prefix: str = "") -> None:
        self._data = data
        self._prefix = prefix

    def qualified(self, name: str) -> str:
        """The field's name as errors show it (`options.webhook`)."""
        return self._prefix + name

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
