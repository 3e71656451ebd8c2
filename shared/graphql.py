"""GraphQL building blocks every service's schema uses: the request context, Money, Decimal,
PageInfo. The gateway builds the context; services only read it. Only GraphQL layers import
this module (pagination and validation live in shared.pagination and shared.validation).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import strawberry
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader
from strawberry.types.scalar import ScalarDefinition

from shared import clock
from shared.errors import Unauthenticated
from shared.money import Money

# ASCII digits only: \d would take Arabic-Indic or full-width digits for 123 (and Decimal()
# accepts them too).
_DECIMAL_SYNTAX = re.compile(r"[+-]?[0-9]{1,30}(\.[0-9]{1,30})?\Z")


def _parse_decimal(value: object) -> Decimal:
    # A JSON float has already lost exactness before we see it: refuse it outright.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError('must be a decimal string such as "12.34"')
    text = str(value).strip()
    if not _DECIMAL_SYNTAX.match(text):
        raise ValueError(
            'must be a plain decimal in the digits 0-9 such as "-12.34" '
            "(no exponent, NaN or infinity)"
        )
    return Decimal(text)


DECIMAL_SCALAR = strawberry.scalar(
    name="Decimal",
    description='An exact decimal number, always a string in JSON: "-12.34".',
    serialize=lambda value: format(value, "f"),
    parse_value=_parse_decimal,
)

# Pass to StrawberryConfig(scalar_map=...): every `Decimal` annotation becomes this scalar.
SCALAR_MAP: dict[object, ScalarDefinition] = {Decimal: DECIMAL_SCALAR}


@strawberry.type(name="Money")
class MoneyType:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, money: Money) -> MoneyType:
        return cls(amount=money.amount, currency=money.currency)


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


K = TypeVar("K")
V = TypeVar("V")


@dataclass
class Context:
    """Who is asking, and the per-request caches. One is built per request by the gateway."""

    request: Request | WebSocket | None
    request_id: str
    user_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    client_address: str = "unknown"
    auth_error: str | None = None
    # The HTTP response being prepared (None over websocket): lets the edge set its status.
    http_response: Any = None
    # Set by the websocket handshake (graphql-transport-ws `connection_init` payload).
    connection_params: dict[str, Any] | None = None
    # Where the caller lives (an IANA name): what "today" means for them.
    time_zone: str = "UTC"
    _loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)

    def today(self) -> dt.date:
        """The caller's today, in their time zone."""
        return clock.today(self.time_zone)

    def require_user(self) -> uuid.UUID:
        if self.user_id is None:
            raise Unauthenticated(self.auth_error or "You must be signed in.")
        return self.user_id

    def loader(self, name: str, factory: Callable[[Context], DataLoader[K, V]]) -> DataLoader[K, V]:
        """The request's DataLoader called `name`, made on first use (one per request)."""
        existing = self._loaders.get(name)
        if existing is None:
            existing = factory(self)
            self._loaders[name] = existing
        return existing


Info = strawberry.Info[Context, None]
