"""GraphQL building blocks every service's schema uses: the request context, Money, Decimal,
PageInfo. The gateway builds the context; services only read it. Only GraphQL layers import
this module (pagination and validation live in shared.pagination and shared.validation).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum, EnumMeta
from typing import Annotated, Any, NewType, TypeVar, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import SelectedField
from strawberry.types.scalar import ScalarDefinition

from shared import clock
from shared.db import read_session
from shared.errors import Unauthenticated
from shared.ids import encode_id
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

# A calendar month as the contract writes it, "2026-11"; a plain str in Python.
Month = NewType("Month", str)
_MONTH_SYNTAX = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])\Z")


def _parse_month(value: object) -> str:
    if not isinstance(value, str) or not _MONTH_SYNTAX.match(value):
        raise ValueError('must be a month such as "2026-11"')
    return value


MONTH_SCALAR = strawberry.scalar(
    name="Month",
    description='A calendar month, "YYYY-MM" (e.g. "2026-11"); a string in JSON.',
    serialize=str,
    parse_value=_parse_month,
)

# Pass to StrawberryConfig(scalar_map=...): every `Decimal` and `Month` annotation becomes the
# contract's scalar.
SCALAR_MAP: dict[object, ScalarDefinition] = {Decimal: DECIMAL_SCALAR, Month: MONTH_SCALAR}


# A connection's page arguments, alike everywhere: `first: First = None, after: After = None`.
First = Annotated[int | None, strawberry.argument(description="Page size, 1..100; 50 when null.")]
After = Annotated[
    str | None, strawberry.argument(description="The cursor of the edge to start after.")
]

# Every mutation's one argument: `input: Annotated[SomeInput, INPUT]`.
INPUT = strawberry.argument(description="What to do: see the input type.")


@strawberry.interface(
    description="An object with a global id. Any of them can be fetched again with "
    "`node(id:)`; another user's id answers NOT_FOUND."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque and global: it names the type too, so an id of one type is never "
        "taken for another."
    )


@strawberry.type(name="Money", description="An exact amount of money in one currency.")
class MoneyType:
    amount: Decimal = strawberry.field(
        description='Exact, as a decimal string ("-12.34"): negative is money out.'
    )
    currency: str = strawberry.field(description="ISO 4217 code, e.g. USD.")

    @classmethod
    def of(cls, money: Money) -> MoneyType:
        return cls(amount=money.amount, currency=money.currency)


@strawberry.type(description="Where a page of a connection starts and ends (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor: pass it as `after` for the next page."
    )
    has_previous_page: bool = strawberry.field(
        default=False,
        description="Whether items come before this page (pages are read forwards, with "
        "`first` and `after`: true on every page after the first).",
    )
    start_cursor: str | None = strawberry.field(
        default=None, description="The first edge's cursor."
    )

    @classmethod
    def of(cls, cursors: list[str], *, has_next_page: bool, after: str | None) -> PageInfo:
        """The page info of a forward page whose edges have `cursors`, read `after` a cursor."""
        return cls(
            has_next_page=has_next_page,
            end_cursor=cursors[-1] if cursors else None,
            has_previous_page=after is not None,
            start_cursor=cursors[0] if cursors else None,
        )


def describe_from_docstrings(*roots: object) -> None:
    """Docstrings become descriptions: every type reachable from `roots` without a description
    takes its class docstring, and every resolver field without one its function's docstring.
    Call it before the schema is built (the gateway does)."""
    seen: set[int] = set()

    def visit(annotation: object) -> None:
        while hasattr(annotation, "of_type"):  # lists and optionals
            annotation = annotation.of_type
        definition = getattr(annotation, "__strawberry_definition__", None)
        if definition is None or id(definition) in seen:
            return
        seen.add(id(definition))
        doc = getattr(annotation, "__doc__", None)
        # A class without a docstring got one from @dataclass: its signature, "Name(a: int)".
        if (
            not definition.description
            and doc
            and not doc.startswith(f"{getattr(annotation, '__name__', '')}(")
        ):
            definition.description = inspect.cleandoc(doc)
        for interface in getattr(definition, "interfaces", ()):
            visit(interface.origin)
        for strawberry_field in definition.fields:
            resolver = strawberry_field.base_resolver
            if resolver is not None and not strawberry_field.description:
                doc = inspect.getdoc(resolver.wrapped_func)
                if doc:
                    strawberry_field.description = doc
            visit(strawberry_field.type)
            for argument in strawberry_field.arguments:
                visit(argument.type)

    for root in roots:
        visit(root)


E = TypeVar("E", bound=Enum)


def described_enum(
    name: str, source: type[E], about: Mapping[E, str], *, description: str
) -> EnumMeta:
    """A GraphQL enum named `name` with the members of `source` (same names, same values), each
    described by `about`; a member `about` leaves out is a KeyError, at import."""
    members = {
        member.name: strawberry.enum_value(member.value, description=about[member])
        for member in source
    }
    # The functional API builds a class (the type checker reads the call as making a member).
    graph_enum = cast(EnumMeta, Enum(name, members))
    return strawberry.enum(graph_enum, description=description)


def patch_field(description: str) -> Any:
    """An optional field of an update input that is UNSET when left out, so that leaving a
    field out (keep it) and giving null (clear it) stay apart."""
    return strawberry.field(default=strawberry.UNSET, description=description)


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
    # The caller's sign-in address, as their session check found it (None before it ran).
    email: str | None = None
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

R = TypeVar("R")


_MISSING = object()


def loaded(loader: DataLoader[K, V], key: K, convert: Callable[[V], R]) -> Any:
    """`convert` of the loader's value for `key`: the value itself when this request has
    loaded it already, else an awaitable of it. A field resolved this way is a plain function:
    once a connection has loaded what its page needs (`selected_under`, then `load_many`), each
    item's field completes synchronously, with no coroutine or task per item, which is most of
    what an async field costs graphql-core. (GraphQL awaits whatever a resolver returns that
    is awaitable, so the first case and the second look alike to a client.)"""
    future = loader.cache_map.get(key) if loader.cache else None
    if (
        future is not None
        and future.done()
        and not future.cancelled()
        and future.exception() is None
    ):
        # Converted once per request: a page's hundred items share a few accounts.
        converted: dict[tuple[Any, Any], Any] = loader.__dict__.setdefault("tally_converted", {})
        found = converted.get((convert, key), _MISSING)
        if found is _MISSING:
            found = converted[(convert, key)] = convert(future.result())
        return found

    async def later() -> R:
        return convert(await loader.load(key))

    return later()


def global_id(kind: str, value: uuid.UUID) -> strawberry.ID:
    """The opaque id the graph shows for `kind`'s object `value` (what `node(id:)` takes)."""
    return strawberry.ID(encode_id(kind, value))


async def caller_list(
    info: Info,
    read: Callable[[AsyncSession, uuid.UUID], Awaitable[Sequence[V]]],
    show: Callable[[V], R],
) -> list[R]:
    """The caller's objects as `read` finds them in one read session, each as `show` makes it
    (UNAUTHENTICATED without a caller)."""
    user_id = info.context.require_user()
    async with read_session() as session:
        found = await read(session, user_id)
    return [show(view) for view in found]


def selected_under(info: Info, *path: str) -> set[str]:
    """The names of the fields the query selects at `path` below the current field (through
    fragments), e.g. ("edges", "node") of a connection: what its items will be asked for."""
    level: list[Any] = list(info.selected_fields)
    for name in (*path, None):
        found: list[Any] = []
        pending = [child for field in level for child in getattr(field, "selections", [])]
        while pending:
            selection = pending.pop()
            if isinstance(selection, SelectedField):
                if name is None or selection.name == name:
                    found.append(selection)
            else:  # a fragment spread or an inline fragment
                pending.extend(selection.selections)
        if name is None:
            return {selection.name for selection in found}
        level = found
    return set()


# How a service answers `node(id:)` for one kind of id: the caller's object, or NotFound.
NodeResolver = Callable[[Info, uuid.UUID], Awaitable[Node]]
