"""In-app notifications: listing newest first a page at a time, and marking them read."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared.db import count_statements
from shared.ids import encode_id
from tests.notifier.factories import notifications, sign_up, stored_notification
from tests.support.graphql import data, error_codes, execute

MARK_READ = """mutation($ids: [ID!]!) {
  markNotificationsRead(input: {ids: $ids}) { markedCount } }"""
PAGE = """query($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }"""
START = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


async def test_notifications_come_newest_first_a_page_at_a_time() -> None:
    person = await sign_up(ledger=False)
    for hour in range(5):
        await stored_notification(person, f"Alert {hour}", START + timedelta(hours=hour))
    # Two at the very same moment still page in a stable order, none lost or repeated.
    await stored_notification(person, "Alert 2b", START + timedelta(hours=2))

    titles: list[str] = []
    after = None
    pages = 0
    while True:
        page = (await data(PAGE, {"first": 2, "after": after}, user_id=person.id))["notifications"]
        titles += [edge["node"]["title"] for edge in page["edges"]]
        pages += 1
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert pages == 3
    assert titles[:2] == ["Alert 4", "Alert 3"]
    assert sorted(titles[2:4]) == ["Alert 2", "Alert 2b"]
    assert titles[4:] == ["Alert 1", "Alert 0"]


async def test_an_empty_list_has_no_next_page() -> None:
    person = await sign_up(ledger=False)

    page = (await data(PAGE, {}, user_id=person.id))["notifications"]

    assert page == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}


async def test_marking_read_counts_only_newly_read_notifications() -> None:
    person = await sign_up(ledger=False)
    first = await stored_notification(person, "First", START)
    second = await stored_notification(person, "Second", START + timedelta(minutes=1))
    ids = [encode_id("Notification", first), encode_id("Notification", second)]

    assert (await data(MARK_READ, {"ids": ids[:1]}, user_id=person.id)) == {
        "markNotificationsRead": {"markedCount": 1}
    }
    assert (await data(MARK_READ, {"ids": ids + ids}, user_id=person.id)) == {
        "markNotificationsRead": {"markedCount": 1}
    }
    assert (await data(MARK_READ, {"ids": ids}, user_id=person.id)) == {
        "markNotificationsRead": {"markedCount": 0}
    }
    assert (await data(MARK_READ, {"ids": []}, user_id=person.id)) == {
        "markNotificationsRead": {"markedCount": 0}
    }

    listed = await notifications(person)
    assert all(n["readAt"] for n in listed)
    assert datetime.fromisoformat(listed[0]["readAt"]).tzinfo is not None


async def test_unread_only_lists_what_is_still_unread() -> None:
    person = await sign_up(ledger=False)
    read = await stored_notification(person, "Read", START)
    await stored_notification(person, "Unread", START + timedelta(minutes=1))
    await data(MARK_READ, {"ids": [encode_id("Notification", read)]}, user_id=person.id)

    unread = await notifications(person, unreadOnly=True)

    assert [n["title"] for n in unread] == ["Unread"]
    assert [n["title"] for n in await notifications(person)] == ["Unread", "Read"]


async def test_marking_another_users_notifications_is_not_found_and_changes_nothing() -> None:
    owner = await sign_up(ledger=False)
    stranger = await sign_up(ledger=False)
    owners = encode_id("Notification", await stored_notification(owner, "Owner's", START))
    strangers = encode_id("Notification", await stored_notification(stranger, "Mine", START))

    alone = await execute(MARK_READ, {"ids": [owners]}, user_id=stranger.id)
    mixed = await execute(MARK_READ, {"ids": [strangers, owners]}, user_id=stranger.id)
    unknown = await execute(
        MARK_READ, {"ids": [encode_id("Notification", uuid.uuid4())]}, user_id=stranger.id
    )

    assert error_codes(alone) == ["NOT_FOUND"]
    assert error_codes(mixed) == ["NOT_FOUND"]
    assert error_codes(unknown) == ["NOT_FOUND"]
    assert [n["readAt"] for n in await notifications(owner)] == [None]
    assert [n["readAt"] for n in await notifications(stranger)] == [None]
    assert [n["title"] for n in await notifications(stranger)] == ["Mine"]


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        (MARK_READ, {"ids": ["not an id"]}, "input.ids"),
        (MARK_READ, {"ids": [encode_id("Notification", uuid.uuid4())] * 101}, "input.ids"),
        (PAGE, {"first": 0}, "first"),
        (PAGE, {"first": 101}, "first"),
        (PAGE, {"after": "garbage"}, "after"),
        (PAGE, {"after": "WzEsMl0"}, "after"),  # a well-formed cursor of something else: [1,2]
    ],
)
async def test_bad_arguments_name_the_field(
    query: str, variables: dict[str, object], field: str
) -> None:
    person = await sign_up(ledger=False)

    result = await execute(query, variables, user_id=person.id)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None
    assert (result.errors[0].extensions or {}).get("field") == field


async def test_an_id_of_another_kind_is_not_found() -> None:
    person = await sign_up(ledger=False)

    result = await execute(
        MARK_READ, {"ids": [encode_id("AlertRule", uuid.uuid4())]}, user_id=person.id
    )

    assert error_codes(result) == ["NOT_FOUND"]


async def test_notifications_are_only_for_signed_in_users() -> None:
    listed = await execute(PAGE, {}, user_id=None)
    marked = await execute(MARK_READ, {"ids": []}, user_id=None)

    assert error_codes(listed) == ["UNAUTHENTICATED"]
    assert error_codes(marked) == ["UNAUTHENTICATED"]


async def test_the_unread_count_counts_every_page_and_only_the_callers() -> None:
    person, stranger = await sign_up(ledger=False), await sign_up(ledger=False)
    for minute in range(3):
        await stored_notification(person, f"Alert {minute}", START + timedelta(minutes=minute))
    await stored_notification(stranger, "Theirs", START)
    oldest = (await notifications(person))[-1]
    await data(MARK_READ, {"ids": [oldest["id"]]}, user_id=person.id)
    counts = """{ unread: notifications(unreadOnly: true, first: 1) { totalCount edges { cursor } }
                  all: notifications(first: 1) { totalCount } }"""

    seen = await data(counts, user_id=person.id)

    assert (seen["unread"]["totalCount"], len(seen["unread"]["edges"])) == (2, 1)
    assert seen["all"]["totalCount"] == 3


async def test_an_unread_badge_counts_with_one_statement_and_reads_no_page() -> None:
    person = await sign_up(ledger=False)
    for minute in range(3):
        await stored_notification(person, f"Alert {minute}", START + timedelta(minutes=minute))
    badge = "{ notifications(unreadOnly: true) { totalCount } }"

    async with count_statements() as statements:
        seen = await data(badge, user_id=person.id)

    assert seen["notifications"]["totalCount"] == 3
    reads = [statement for statement in statements if statement.lstrip().startswith("SELECT")]
    assert len(reads) == 1 and "count(" in reads[0].lower(), reads


async def test_a_badge_still_refuses_a_bad_page_argument() -> None:
    person = await sign_up(ledger=False)

    too_many = await execute("{ notifications(first: 0) { totalCount } }", user_id=person.id)
    not_a_cursor = await execute(
        '{ notifications(after: "nonsense!") { totalCount } }', user_id=person.id
    )

    assert error_codes(too_many) == ["BAD_USER_INPUT"]
    assert error_codes(not_a_cursor) == ["BAD_USER_INPUT"]
