"""Listing transactions: filters, keyset pagination, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared.db import count_statements
from tests.ledger.support import (
    add_transaction,
    category_ids,
    create_account,
    new_user,
    rejected_field,
)
from tests.support.graphql import data, error_codes, execute

PAGE = """query($filter: TransactionFilter, $first: Int, $after: String) {
  transactions(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id date description } }
    pageInfo { hasNextPage endCursor }
  } }"""


async def _page(user: Any, **variables: Any) -> dict[str, Any]:
    result = await data(PAGE, variables, user_id=user)
    page: dict[str, Any] = result["transactions"]
    return page


async def _descriptions(user: Any, **filter: Any) -> list[str]:
    page = await _page(user, filter=filter, first=100)
    return sorted(edge["node"]["description"] for edge in page["edges"])


async def test_paging_walks_every_transaction_once_newest_first() -> None:
    user = await new_user()
    account = await create_account(user)
    start = dt.date(2026, 1, 1)
    # Several per day so that the id breaks ties between equal dates.
    for index in range(23):
        await add_transaction(
            user, account["id"], "-1.00", date=start + dt.timedelta(days=index // 4)
        )

    seen: list[dict[str, Any]] = []
    after = None
    pages = 0
    while True:
        page = await _page(user, first=5, after=after)
        pages += 1
        assert page["totalCount"] == 23
        seen.extend(edge["node"] for edge in page["edges"])
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert pages == 5
    assert len(seen) == len({node["id"] for node in seen}) == 23
    dates = [node["date"] for node in seen]
    assert dates == sorted(dates, reverse=True)


async def test_a_transaction_added_while_paging_does_not_shift_later_pages() -> None:
    user = await new_user()
    account = await create_account(user)
    for day in range(1, 7):
        await add_transaction(
            user, account["id"], "-1.00", date=f"2026-04-0{day}", description=f"d{day}"
        )

    first = await _page(user, first=3)
    await add_transaction(user, account["id"], "-1.00", date="2026-04-09", description="newest")
    second = await _page(user, first=3, after=first["pageInfo"]["endCursor"])

    assert [edge["node"]["description"] for edge in first["edges"]] == ["d6", "d5", "d4"]
    assert [edge["node"]["description"] for edge in second["edges"]] == ["d3", "d2", "d1"]
    assert second["pageInfo"] == {"hasNextPage": False, "endCursor": second["edges"][-1]["cursor"]}


async def test_an_empty_list_has_no_next_page_and_no_cursor() -> None:
    user = await new_user()

    page = await _page(user)

    assert page == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
    }


async def test_filters_by_account_category_dates_and_text() -> None:
    user = await new_user()
    checking = await create_account(user, name="Checking")
    card = await create_account(user, name="Card", type="CREDIT")
    categories = await category_ids(user)
    await add_transaction(
        user, checking["id"], "-3.00", "2026-05-01", "Bakery", categories["Groceries"]
    )
    await add_transaction(
        user, checking["id"], "-40.00", "2026-05-15", "Electric co", categories["Utilities"]
    )
    await add_transaction(
        user,
        card["id"],
        "-12.00",
        "2026-05-31",
        "Cinema",
        categories["Entertainment"],
        notes="with BAKERY friends",
    )
    await add_transaction(
        user, card["id"], "2000.00", "2026-06-01", "Salary 100%_paid", categories["Income"]
    )

    assert await _descriptions(user, accountId=card["id"]) == ["Cinema", "Salary 100%_paid"]
    assert await _descriptions(user, categoryId=categories["Utilities"]) == ["Electric co"]
    assert await _descriptions(user, **{"from": "2026-05-15", "to": "2026-05-31"}) == [
        "Cinema",
        "Electric co",
    ]
    assert await _descriptions(user, search="bAkErY") == ["Bakery", "Cinema"]
    assert await _descriptions(user, search="100%_") == ["Salary 100%_paid"]
    assert await _descriptions(user, search="%") == ["Salary 100%_paid"]
    assert await _descriptions(user, search="_") == ["Salary 100%_paid"]
    assert await _descriptions(user, accountId=checking["id"], search="co") == ["Electric co"]
    page = await _page(user, filter={"accountId": checking["id"]}, first=1)
    assert page["totalCount"] == 2
    assert page["pageInfo"]["hasNextPage"] is True


async def test_bad_paging_and_filters_are_refused_naming_the_argument() -> None:
    user = await new_user()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
        ({"after": "garbage!"}, "after"),
        ({"after": "WyJub3QtYS1kYXRlIiwgIngiXQ"}, "after"),
        ({"filter": {"from": "2026-02-01", "to": "2026-01-01"}}, "filter.to"),
        ({"filter": {"search": "s" * 201}}, "filter.search"),
        ({"filter": {"accountId": "nonsense"}}, "filter.accountId"),
    ]
    for variables, field in cases:
        assert await rejected_field(PAGE, variables, user_id=user) == field


async def test_filtering_by_another_users_account_or_category_is_not_found() -> None:
    owner, intruder = await new_user(), await new_user()
    account = await create_account(owner)
    category = (await category_ids(owner))["Rent"]
    await add_transaction(owner, account["id"], "-900.00", category_id=category)

    for given in ({"accountId": account["id"]}, {"categoryId": category}):
        result = await execute(PAGE, {"filter": given}, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"]
    assert (await _page(intruder))["totalCount"] == 0


async def test_a_page_costs_the_same_queries_whatever_its_size() -> None:
    user = await new_user()
    categories = list((await category_ids(user)).values())
    accounts = [await create_account(user, name=f"Account {index}") for index in range(4)]
    for index in range(60):
        await add_transaction(
            user,
            accounts[index % 4]["id"],
            f"-{index}.01",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=index),
            category_id=categories[index % len(categories)],
        )
    query = """query($first: Int) { transactions(first: $first) {
      edges { node { id amount { amount } account { name balance { amount } } category { name } } }
    } }"""

    async def statements_for(first: int) -> int:
        async with count_statements() as statements:
            result = await data(query, {"first": first}, user_id=user)
        assert len(result["transactions"]["edges"]) == first
        return len(statements)

    small, large = await statements_for(5), await statements_for(50)

    assert small == large
    assert large <= 8
