"""Plaid's error objects, as the emulator answers them.

Codes, types, HTTP statuses and messages follow Plaid's error reference, so that code written
against the emulator handles the real API's errors the same way.
"""

from __future__ import annotations

from typing import Any

_DOCS = "https://plaid.com/docs/errors/"

_DOC_PAGES = {
    "INVALID_REQUEST": "invalid-request/",
    "INVALID_INPUT": "invalid-input/",
    "ITEM_ERROR": "item/",
    "TRANSACTIONS_ERROR": "transactions/",
    "SANDBOX_ERROR": "sandbox/",
    "API_ERROR": "api/",
    "INSTITUTION_ERROR": "institution/",
}


class PlaidApiError(Exception):
    """An error answer: raised anywhere below an endpoint, rendered by the app."""

    def __init__(
        self,
        status: int,
        error_type: str,
        error_code: str,
        error_message: str,
        display_message: str | None = None,
    ) -> None:
        super().__init__(f"{error_type}/{error_code}: {error_message}")
        self.status = status
        self.error_type = error_type
        self.error_code = error_code
        self.error_message = error_message
        self.display_message = display_message

    def to_error_object(self) -> dict[str, Any]:
        """The PlaidError object, as embedded in an Item or a webhook (no request id)."""
        page = _DOC_PAGES.get(self.error_type, "")
        return {
            "error_type": self.error_type,
            "error_code": self.error_code,
            "error_code_reason": None,
            "error_message": self.error_message,
            "display_message": self.display_message,
            "causes": [],
            "status": self.status,
            "documentation_url": f"{_DOCS}{page}#{self.error_code.lower()}",
            "suggested_action": None,
        }

    def body(self, request_id: str) -> dict[str, Any]:
        return {**self.to_error_object(), "request_id": request_id}


def invalid_api_keys() -> PlaidApiError:
    return PlaidApiError(
        400, "INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided"
    )


def invalid_body() -> PlaidApiError:
    return PlaidApiError(400, "INVALID_REQUEST", "INVALID_BODY", "body could not be parsed as JSON")


def missing_fields(names: list[str]) -> PlaidApiError:
    return PlaidApiError(
        400,
        "INVALID_REQUEST",
        "MISSING_FIELDS",
        "the following required fields are missing: " + ", ".join(names),
    )


def invalid_field(message: str) -> PlaidApiError:
    return PlaidApiError(400, "INVALID_REQUEST", "INVALID_FIELD", message)


def not_found(path: str) -> PlaidApiError:
    return PlaidApiError(
        404,
        "INVALID_REQUEST",
        "NOT_FOUND",
        f"the Plaid emulator does not serve {path}",
    )


def invalid_access_token() -> PlaidApiError:
    return PlaidApiError(
        400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN", "could not find matching access token"
    )


def invalid_public_token(message: str) -> PlaidApiError:
    return PlaidApiError(400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN", message)


def invalid_institution() -> PlaidApiError:
    return PlaidApiError(
        400, "INVALID_INPUT", "INVALID_INSTITUTION", "invalid institution_id provided"
    )


def invalid_account_id() -> PlaidApiError:
    return PlaidApiError(
        400,
        "INVALID_INPUT",
        "INVALID_ACCOUNT_ID",
        "one or more of the account IDs is invalid",
    )


def invalid_webhook_verification_key_id() -> PlaidApiError:
    return PlaidApiError(
        400,
        "INVALID_INPUT",
        "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
        "invalid key_id provided. note that key_ids are specific to Plaid environments",
    )


def invalid_credentials() -> PlaidApiError:
    return PlaidApiError(
        400,
        "ITEM_ERROR",
        "INVALID_CREDENTIALS",
        "the provided credentials were not correct",
        "The provided credentials were not correct. Please try again.",
    )


def item_login_required() -> PlaidApiError:
    return PlaidApiError(
        400,
        "ITEM_ERROR",
        "ITEM_LOGIN_REQUIRED",
        "the login details of this item have changed (credentials, MFA, or required user "
        "action) and a user login is required to update this information. use Link's update "
        "mode to restore the item to a good state",
        "We need to update the credentials for this account. Please sign in again.",
    )


def user_permission_revoked() -> PlaidApiError:
    return PlaidApiError(
        400,
        "ITEM_ERROR",
        "USER_PERMISSION_REVOKED",
        "the holder of this account has revoked their permission for your application to access it",
    )


def mutation_during_pagination() -> PlaidApiError:
    return PlaidApiError(
        400,
        "TRANSACTIONS_ERROR",
        "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
        "Underlying transaction data changed since last page was fetched. Please restart "
        "pagination from last update.",
    )


def sandbox_webhook_invalid() -> PlaidApiError:
    return PlaidApiError(
        400,
        "SANDBOX_ERROR",
        "SANDBOX_WEBHOOK_INVALID",
        "Webhook for this item is either not set up, or invalid. Please update the item's "
        "webhook and try again.",
    )


def sandbox_product_not_enabled(message: str) -> PlaidApiError:
    return PlaidApiError(400, "SANDBOX_ERROR", "SANDBOX_PRODUCT_NOT_ENABLED", message)


def internal_server_error() -> PlaidApiError:
    return PlaidApiError(
        500,
        "API_ERROR",
        "INTERNAL_SERVER_ERROR",
        "an unexpected error occurred",
        "An unexpected error occurred. Please try again later.",
    )


def invalid_link_token() -> PlaidApiError:
    return PlaidApiError(
        400,
        "INVALID_INPUT",
        "INVALID_LINK_TOKEN",
        "link token is invalid or expired",
        "Something went wrong. Please try again.",
    )
