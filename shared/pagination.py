"""Keyset pagination: page sizes, opaque cursors, and the "after this row" condition.

Lists are ordered newest first by (position, id), where the position is a date or a moment
and the id breaks ties. A cursor is the last row's (position, id), encoded opaquely; the next
page is every row strictly after it in that order, which stays right under inserts.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from shared.errors import BadUserInput

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50

T = TypeVar("T")
Position = TypeVar("Position", dt.date, dt.datetime)


def page_size(first: int | None, field: str = "first") -> int:
    """How many rows a page holds: `first`, within bounds, or the default."""
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 1 or first > MAX_PAGE_SIZE:
        raise BadUserInput(field, f"must be between 1 and {MAX_PAGE_SIZE}")
    return first


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, field: str = "after") -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        raise BadUserInput(field, "is not a valid cursor") from None
    if not isinstance(values, list):
        raise BadUserInput(field, "is not a valid cursor")
    return values


@dataclass(frozen=True)
class Keyset(Generic[Position]):
    """Where a page ends: the last row's position and id."""

    position: Position
    id: uuid.UUID

    def cursor(self) -> str:
        # What encode_cursor([position, id]) writes (json.dumps of two strings that need no
        # escaping: ISO dates and hex digits), without json: a page writes a hundred.
        text = f'["{self.position.isoformat()}", "{self.id.hex}"]'
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def parse(
        cls, cursor: str, parse_position: Callable[[str], Position], field: str = "after"
    ) -> Keyset[Position]:
        """A cursor made by `cursor()`, read back; BAD_USER_INPUT on `field` if it is not one."""
        values = decode_cursor(cursor, field)
        try:
            position, id_hex = values
            return cls(parse_position(position), uuid.UUID(hex=id_hex))
        except (TypeError, ValueError):
            raise BadUserInput(field, "is not a valid cursor") from None


def parse_moment(text: str) -> dt.datetime:
    """A moment from a cursor, as aware UTC (a naive one is UTC)."""
    moment = dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def after_keyset(
    position: InstrumentedAttribute[Any], row_id: InstrumentedAttribute[Any], keyset: Keyset[Any]
) -> ColumnElement[bool]:
    """Rows after `keyset` in newest-first order (position desc, then id desc)."""
    return or_(
        position < keyset.position,
        and_(position == keyset.position, row_id < keyset.id),
    )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and whether more follow. Fetch `limit + 1` rows and pass them all."""

    rows: list[T]
    has_next_page: bool

    @classmethod
    def of(cls, fetched: Sequence[T], limit: int) -> Page[T]:
        return cls(rows=list(fetched[:limit]), has_next_page=len(fetched) > limit)
