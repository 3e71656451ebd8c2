"""Typed errors. Each carries the `extensions.code` the public contract promises.

Anything else that escapes a resolver is masked as INTERNAL and logged.
"""

from __future__ import annotations

from typing import Any


class TallyError(Exception):
    code = "INTERNAL"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, Any] = {"code": self.code, **extensions}


class Unauthenticated(TallyError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "You must be signed in.") -> None:
        super().__init__(message)


class NotFound(TallyError):
    """Also raised for another user's object: never reveal that it exists."""

    code = "NOT_FOUND"

    def __init__(self, what: str = "Object") -> None:
        super().__init__(f"{what} not found.")


class BadUserInput(TallyError):
    code = "BAD_USER_INPUT"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)
        self.field = field


class Conflict(TallyError):
    code = "CONFLICT"


class RateLimited(TallyError):
    code = "RATE_LIMITED"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            "Too many attempts. Try again later.", retryAfterSeconds=retry_after_seconds
        )


class UpstreamError(TallyError):
    """A provider (e.g. the bank connection) failed in a way the user can act on."""

    code = "UPSTREAM_ERROR"
