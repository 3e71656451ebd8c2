"""Writing a JSON document while its sections are read."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Sequence

import pytest

from shared.export import JSONObject, Section, json_document, money, one, paged
from shared.money import Money


async def _numbers(upto: int, reads: list[int | None]) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: int | None, limit: int) -> Sequence[int]:
        reads.append(after)
        start = 0 if after is None else after + 1
        return list(range(start, min(start + limit, upto)))

    async for record in paged(fetch, lambda n: n, lambda n: {"n": n}, page_size=2):
        yield record


async def _nothing() -> JSONObject | None:
    return None


async def test_a_document_holds_its_head_its_sections_in_order_and_says_it_is_complete() -> None:
    reads: list[int | None] = []
    sections = [
        Section("numbers", lambda: _numbers(5, reads)),
        Section("settings", lambda: one(_nothing), many=False),
        Section("empty", lambda: _numbers(0, [])),
    ]
    chunks = [chunk async for chunk in json_document({"format": "test"}, sections, chunk_bytes=8)]

    assert len(chunks) > 1
    assert json.loads(b"".join(chunks)) == {
        "format": "test",
        "numbers": [{"n": n} for n in range(5)],
        "settings": None,
        "empty": [],
        "complete": True,
    }
    assert reads == [None, 1, 3]  # pages of two, each after the last one read


async def test_a_document_without_a_head_or_sections_is_still_json() -> None:
    bare = b"".join([chunk async for chunk in json_document({}, [])])
    one_section = b"".join(
        [chunk async for chunk in json_document({}, [Section("n", lambda: _numbers(1, []))])]
    )

    assert json.loads(bare) == {"complete": True}
    assert json.loads(one_section) == {"n": [{"n": 0}], "complete": True}


async def test_two_sections_of_one_name_are_refused() -> None:
    sections = [Section("a", lambda: _numbers(1, [])), Section("a", lambda: _numbers(1, []))]
    with pytest.raises(ValueError, match="'a'"):
        _ = [chunk async for chunk in json_document({}, sections)]


def test_money_is_an_exact_string_with_its_currency() -> None:
    assert money(Money(-1234, "USD")) == {"amount": "-12.34", "currency": "USD"}
    assert money(Money(5, "JPY")) == {"amount": "5", "currency": "JPY"}
    assert money(Money(1, "KWD")) == {"amount": "0.001", "currency": "KWD"}
    assert money(None) is None
