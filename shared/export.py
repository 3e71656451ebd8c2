"""A user's data as one JSON document, written while it is read.

Each service describes its part as named sections: one JSON object, or records read page by
page from the database (`paged`). `json_document` writes the sections in order as a single
JSON object, in chunks of about CHUNK_BYTES, so exporting a million transactions holds one
page of them in memory, not the million. Values are what a client of the contract reads:
global ids, money as `{"amount": "-12.34", "currency": "USD"}` (never a float), dates and
moments in ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from shared.money import Money

JSONObject = dict[str, Any]
T = TypeVar("T")
K = TypeVar("K")

# Rows read per query. Each page is a short read transaction of its own: a long export holds
# no transaction open (on SQLite a long reader stops the WAL from being checkpointed).
EXPORT_PAGE = 500
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Section:
    """A named part of the document: the records `read` yields, as a list (`many`), or the
    first of them alone (null when it yields none)."""

    name: str
    read: Callable[[], AsyncGenerator[JSONObject, None]]
    many: bool = True


def money(value: Money | None) -> JSONObject | None:
    """Money as the contract writes it: the exact amount as a string, and its currency."""
    if value is None:
        return None
    return {"amount": format(value.amount, "f"), "currency": value.currency}


def moment(value: dt.datetime | dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


async def paged(
    fetch: Callable[[K | None, int], Awaitable[Sequence[T]]],
    key: Callable[[T], K],
    render: Callable[[T], JSONObject],
    page_size: int | None = None,
) -> AsyncGenerator[JSONObject, None]:
    """Every row `fetch(after, limit)` returns, page after page (keyset: `key` of the last row
    of a page is where the next one starts), rendered as JSON objects."""
    page_size = page_size or EXPORT_PAGE
    after: K | None = None
    while True:
        rows = await fetch(after, page_size)
        for row in rows:
            yield render(row)
        if len(rows) < page_size:
            return
        after = key(rows[-1])


async def one(read: Callable[[], Awaitable[JSONObject | None]]) -> AsyncGenerator[JSONObject, None]:
    """A section of one object (or none)."""
    found = await read()
    if found is not None:
        yield found


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def json_document(
    head: JSONObject, sections: Iterable[Section], *, chunk_bytes: int | None = None
) -> AsyncIterator[bytes]:
    """The document: `head`'s keys, then each section under its name, then `"complete": true`
    (a document cut short, by a failure after the response started, lacks it)."""
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    buffer: list[str] = []
    size = 0

    def write(text: str) -> bool:
        nonlocal size
        buffer.append(text)
        size += len(text)
        return size >= chunk_bytes

    def flush() -> bytes:
        nonlocal size
        chunk = "".join(buffer).encode()
        buffer.clear()
        size = 0
        return chunk

    names = set(head)
    write("{" + "".join(f"{_encode(name)}:{_encode(value)}," for name, value in head.items()))
    for section in sections:
        if section.name in names or section.name == "complete":
            raise ValueError(f"two sections are called {section.name!r}")
        names.add(section.name)
        write(f"{_encode(section.name)}:")
        if not section.many:
            records = section.read()
            first = await anext(records, None)
            await records.aclose()
            write(_encode(first) + ",")
            continue
        write("[")
        separator = ""
        async for record in section.read():
            if write(separator + _encode(record)):
                yield flush()
            separator = ","
        write("],")
    write('"complete":true}\n')
    yield flush()
