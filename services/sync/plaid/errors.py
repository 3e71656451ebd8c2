"""Plaid's failures as one exception: what Plaid answered, never what was sent."""

from __future__ import annotations

import json

import plaid


class PlaidError(Exception):
    """Plaid answered with an error object, or could not be reached (status None)."""

    def __init__(
        self,
        status: int | None,
        error_type: str,
        error_code: str,
        message: str,
        display_message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"Plaid {error_type}/{error_code} (HTTP {status}): {message}")
        self.status = status
        self.error_type = error_type
        self.error_code = error_code
        self.error_message = message
        self.display_message = display_message
        self.request_id = request_id

    @property
    def retryable(self) -> bool:
        """Plaid's own faults, rate limits and dropped connections pass with time."""
        return (
            self.status is None
            or self.status == 429
            or self.status >= 500
            or self.error_type == "RATE_LIMIT_EXCEEDED"
        )

    @classmethod
    def from_api_exception(cls, error: plaid.ApiException) -> PlaidError:
        status = int(error.status) if error.status else None
        try:
            body = json.loads(error.body or b"")
        except (TypeError, ValueError):
            body = None
        if not isinstance(body, dict):
            return cls(status, "API_ERROR", "UNPARSEABLE_ERROR", f"HTTP {status} {error.reason}")
        return cls(
            status,
            str(body.get("error_type") or "API_ERROR"),
            str(body.get("error_code") or "UNKNOWN"),
            str(body.get("error_message") or ""),
            body.get("display_message") if isinstance(body.get("display_message"), str) else None,
            body.get("request_id") if isinstance(body.get("request_id"), str) else None,
        )
