"""Keyset cursors: opaque, exact round trips, and a clear error for anything else."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from shared.errors import BadUserInput
from shared.pagination import MAX_PAGE_SIZE, Keyset, Page, encode_cursor, page_size, parse_moment


def test_a_cursor_round_trips_a_date_or_a_moment_and_its_id() -> None:
    row_id = uuid.uuid4()
    day = Keyset(dt.date(2026, 11, 26), row_id)
    assert Keyset.parse(day.cursor(), dt.date.fromisoformat) == day
    moment = Keyset(dt.datetime(2026, 11, 26, 8, 0, 0, 123456, tzinfo=dt.UTC), row_id)
    assert Keyset.parse(moment.cursor(), parse_moment) == moment


def test_a_cursor_is_written_as_it_always_was() -> None:
    # Cursors handed out before stay valid, and the same row keeps its cursor.
    for position in (dt.date(2026, 11, 26), dt.datetime(2026, 11, 26, 8, 0, 0, 5, tzinfo=dt.UTC)):
        for row_id in (uuid.uuid4(), uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)):
            keyset = Keyset(position, row_id)
            assert keyset.cursor() == encode_cursor([position.isoformat(), row_id.hex])


@pytest.mark.parametrize(
    "cursor",
    ["", "not base64 at all!", encode_cursor(["2026-11-26"]), encode_cursor(["x", "y"]),
     encode_cursor({"a": 1}), encode_cursor([1, 2])],  # type: ignore[arg-type]
)  # fmt: skip
def test_anything_but_a_cursor_is_bad_input_on_the_field(cursor: str) -> None:
    with pytest.raises(BadUserInput) as error:
        Keyset.parse(cursor, dt.date.fromisoformat, field="after")
    assert error.value.field == "after"


def test_page_sizes_are_bounded() -> None:
    assert page_size(None) == 50
    assert page_size(MAX_PAGE_SIZE) == MAX_PAGE_SIZE
    for wrong in (0, -1, MAX_PAGE_SIZE + 1):
        with pytest.raises(BadUserInput, match="first: must be between 1 and 100"):
            page_size(wrong)


def test_a_page_knows_whether_more_follow() -> None:
    assert Page.of([1, 2, 3], 2) == Page(rows=[1, 2], has_next_page=True)
    assert Page.of([1, 2], 2) == Page(rows=[1, 2], has_next_page=False)
