"""Listing transactions: filters, keyset pagination, and a constant number of queries."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
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


async def test_a_pages_items_get_their_account_category_and_payee_without_a_task_each() -> None:
    """The page loads what its items are asked for (through fragments too) before they ask,
    so each item's account, category and payee complete synchronously: the tasks a page
    makes do not grow with its size, and every item still gets its own."""
    user = await new_user()
    categories = await category_ids(user)
    accounts = [await create_account(user, name=f"Account {index}") for index in range(3)]
    for index in range(40):
        await add_transaction(
            user,
            accounts[index % 3]["id"],
            f"-{index}.01",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=index),
            description=("Alpha Cafe", "Bravo Market", "Charlie Books", "Delta Fuel")[index % 4],
            category_id=categories["Dining"] if index % 2 else None,
        )
    query = """query($first: Int) { transactions(first: $first) {
      edges { node { description amount { amount } ...Where category { name } } } } }
    fragment Where on Transaction { account { name } ... on Transaction { payee { name } } }"""

    async def tasks_for(first: int) -> tuple[int, list[dict[str, Any]]]:
        loop = asyncio.get_running_loop()
        made = 0
        factory = loop.get_task_factory()

        def counting(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> Any:
            nonlocal made
            made += 1
            return asyncio.Task(coro, loop=loop, **kwargs)

        loop.set_task_factory(counting)
        try:
            result = await data(query, {"first": first}, user_id=user)
        finally:
            loop.set_task_factory(factory)
        return made, [edge["node"] for edge in result["transactions"]["edges"]]

    small, _ = await tasks_for(4)
    large, nodes = await tasks_for(40)

    assert large == small
    payees: dict[str, set[str]] = {}
    for node in nodes:
        index = int(node["amount"]["amount"].split(".")[0].lstrip("-"))
        assert node["account"]["name"] == f"Account {index % 3}"
        assert node["category"] == ({"name": "Dining"} if index % 2 else None)
        payees.setdefault(node["description"], set()).add(node["payee"]["name"])
    assert all(len(names) == 1 for names in payees.values()) and len(payees) == 4


# --- the filter language -------------------------------------------------------------------

SPLIT = """mutation($input: SplitTransactionInput!) {
  splitTransaction(input: $input) { transaction { id } } }"""
TRANSFER = """mutation($input: CreateTransferInput!) {
  createTransfer(input: $input) { outflow { id } } }"""


async def _tag(user: Any, name: str) -> str:
    result = await data(
        "mutation($n: String!) { createTag(input: {name: $n}) { tag { id } } }",
        {"n": name},
        user_id=user,
    )
    return str(result["createTag"]["tag"]["id"])


async def _payee_ids(user: Any) -> dict[str, str]:
    result = await data("{ payees { edges { node { id name } } } }", user_id=user)
    return {edge["node"]["name"]: edge["node"]["id"] for edge in result["payees"]["edges"]}


async def test_one_filter_language_selects_by_everything_a_transaction_has() -> None:
    user = await new_user()
    checking = await create_account(user, name="Checking")
    yen = await create_account(user, name="Tokyo", currency="JPY")
    savings = await create_account(user, name="Savings", type="SAVINGS")
    categories = await category_ids(user)
    trip = await _tag(user, "trip")
    await add_transaction(user, checking["id"], "-12.50", "2026-05-01", "SQ *BLUE BOTTLE 12")
    await add_transaction(user, checking["id"], "12.50", "2026-05-02", "Refund Blue Bottle")
    rent = await add_transaction(
        user, checking["id"], "-900.00", "2026-05-03", "Rent May", categories["Rent"]
    )
    await add_transaction(user, yen["id"], "-1300", "2026-05-04", "Ramen", categories["Dining"])
    await data(
        "mutation($i: UpdateTransactionInput!) { updateTransaction(input: $i) {"
        " transaction { id } } }",
        {"i": {"id": rent["id"], "tagIds": [trip], "reviewed": False}},
        user_id=user,
    )
    market = await add_transaction(user, checking["id"], "-30.00", "2026-05-05", "Market")
    await data(
        SPLIT,
        {"input": {"id": market["id"], "parts": [
            {"amount": "-20.00", "categoryId": categories["Groceries"]},
            {"amount": "-10.00"},
        ]}},
        user_id=user,
    )  # fmt: skip
    await data(
        TRANSFER,
        {"input": {"fromAccountId": checking["id"], "toAccountId": savings["id"],
                   "date": "2026-05-06", "amount": "100.00", "description": "To savings"}},
        user_id=user,
    )  # fmt: skip
    payees = await _payee_ids(user)

    assert await _descriptions(user, payeeIds=[payees["Blue Bottle"]]) == ["SQ *BLUE BOTTLE 12"]
    assert await _descriptions(user, search="blue bottle") == [
        "Refund Blue Bottle",
        "SQ *BLUE BOTTLE 12",
    ]
    # Sizes, whatever the sign, in each transaction's own currency (1300 yen is 1300).
    assert await _descriptions(user, minAmount="12.5", maxAmount="30") == [
        "Market",
        "Refund Blue Bottle",
        "SQ *BLUE BOTTLE 12",
    ]
    assert await _descriptions(user, minAmount="1000") == ["Ramen"]
    assert await _descriptions(user, minAmount="12.501", maxAmount="12.509") == []
    assert await _descriptions(user, direction="MONEY_IN", maxAmount="50") == ["Refund Blue Bottle"]
    assert await _descriptions(user, accountIds=[yen["id"], savings["id"]]) == [
        "Ramen",
        "To savings",
    ]
    assert await _descriptions(user, tagIds=[trip]) == ["Rent May"]
    assert await _descriptions(user, reviewed=False) == ["Rent May"]
    # A split transaction has its parts' categories: Groceries, and one uncategorized part.
    assert await _descriptions(user, categoryIds=[categories["Groceries"]]) == ["Market"]
    assert await _descriptions(user, categoryId=categories["Groceries"]) == ["Market"]
    assert await _descriptions(user, uncategorized=True) == [
        "Market",
        "Refund Blue Bottle",
        "SQ *BLUE BOTTLE 12",
    ]
    assert await _descriptions(user, uncategorized=False, isTransfer=False) == [
        "Ramen",
        "Rent May",
    ]
    assert await _descriptions(user, isTransfer=True) == ["To savings", "To savings"]
    assert await _descriptions(user, pending=True) == []
    page = await _page(user, filter={"categoryIds": [categories["Rent"], categories["Dining"]]})
    assert page["totalCount"] == 2


async def test_bad_filter_language_is_refused_naming_the_filters_field() -> None:
    user = await new_user()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"minAmount": "-1"}, "filter.minAmount"),
        ({"maxAmount": "-0.01"}, "filter.maxAmount"),
        ({"minAmount": "10", "maxAmount": "9.99"}, "filter.maxAmount"),
        ({"maxAmount": "99999999999999"}, "filter.maxAmount"),
        ({"accountIds": ["nonsense"]}, "filter.accountIds"),
        ({"categoryIds": ["nonsense"]}, "filter.categoryIds"),
        ({"payeeIds": ["nonsense"]}, "filter.payeeIds"),
        ({"tagIds": ["nonsense"]}, "filter.tagIds"),
        ({"search": "bell\x07"}, "filter.search"),
    ]
    account = await create_account(user)
    many = [account["id"]] * 100 + [(await create_account(user, name="Other"))["id"]]
    cases.append(({"accountIds": many}, "filter.accountIds"))
    for given, field in cases:
        assert await rejected_field(PAGE, {"filter": given}, user_id=user) == field, given


async def test_another_users_ids_in_any_list_of_the_filter_are_not_found() -> None:
    owner, intruder = await new_user(), await new_user()
    account = await create_account(owner)
    category = (await category_ids(owner))["Rent"]
    await add_transaction(owner, account["id"], "-900.00", description="Rent", category_id=category)
    payee = (await _payee_ids(owner))["Rent"]
    tag = await _tag(owner, "mine")
    own_account = await create_account(intruder)

    for given in (
        {"accountIds": [own_account["id"], account["id"]]},
        {"categoryIds": [category]},
        {"payeeIds": [payee]},
        {"tagIds": [tag]},
    ):
        result = await execute(PAGE, {"filter": given}, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], given


async def test_listing_a_hundred_transactions_with_payees_tags_and_parts_costs_a_few_queries() -> (
    None
):
    user = await new_user()
    categories = list((await category_ids(user)).values())
    accounts = [await create_account(user, name=f"Account {index}") for index in range(3)]
    tags = [await _tag(user, f"tag {index}") for index in range(3)]
    for index in range(100):
        created = await add_transaction(
            user,
            accounts[index % 3]["id"],
            f"-{index + 1}.00",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=index),
            description=f"Shop {chr(ord('a') + index % 26)}{chr(ord('a') + index // 26)}",
            category_id=categories[index % len(categories)],
        )
        await data(
            "mutation($i: UpdateTransactionInput!) { updateTransaction(input: $i) {"
            " transaction { id } } }",
            {"i": {"id": created["id"], "tagIds": tags[: index % 4]}},
            user_id=user,
        )
        if index % 10 == 0:
            await data(
                SPLIT,
                {"input": {"id": created["id"], "parts": [
                    {"amount": "-0.50", "categoryId": categories[0]},
                    {"amount": f"-{index}.50"},
                ]}},
                user_id=user,
            )  # fmt: skip
    query = """query($first: Int) { transactions(first: $first) { totalCount
      edges { node { id reviewed payee { id name } tags { id name } category { name }
        account { name } splits { amount { amount } category { name } converted { amount } }
        transfer { counterpart { id } } } } } }"""

    async def statements_for(first: int) -> int:
        async with count_statements() as statements:
            result = await data(query, {"first": first}, user_id=user)
        edges = result["transactions"]["edges"]
        assert len(edges) == first
        assert any(edge["node"]["tags"] for edge in edges)
        assert all(edge["node"]["payee"] for edge in edges)
        return len(statements)

    few, hundred = await statements_for(5), await statements_for(100)

    assert few == hundred
    # Each batch is a read session of its own (BEGIN, then one SELECT): page, count, accounts,
    # categories, payees, tags, split parts, and the parts' categories.
    assert hundred <= 16


async def test_total_count_by_accounts_and_dates_reads_monthly_totals_and_counts_exactly() -> None:
    """A filter of no more than accounts and dates is counted from the monthly totals (a
    partial first or last month row by row): the same number as counting every row, with
    split transactions (parts in several categories, or several in one), a transfer, and
    ranges open, whole-month or cut mid-month."""
    user = await new_user()
    categories = await category_ids(user)
    checking = await create_account(user, name="Checking")
    savings = await create_account(user, name="Savings")
    randomness = random.Random(8)
    for index in range(50):
        account = checking if index % 3 else savings
        day = dt.date(2025, 11, 1) + dt.timedelta(days=randomness.randint(0, 200))
        made = await add_transaction(user, account["id"], f"-{index + 3}.00", day, "Shop")
        if index % 7 == 0:  # three parts in two categories
            await data(
                SPLIT,
                {"input": {"id": made["id"], "parts": [
                    {"amount": "-1.00", "categoryId": categories["Groceries"]},
                    {"amount": "-1.00", "categoryId": categories["Groceries"]},
                    {"amount": f"-{index + 1}.00", "categoryId": categories["Dining"]},
                ]}},
                user_id=user,
            )  # fmt: skip
    await data(
        TRANSFER,
        {"input": {"fromAccountId": checking["id"], "toAccountId": savings["id"],
                   "date": "2026-02-14", "amount": "50.00"}},
        user_id=user,
    )  # fmt: skip
    spans: list[dict[str, Any]] = [
        {},
        {"accountId": checking["id"]},
        {"accountIds": [checking["id"], savings["id"]]},
        {"from": "2025-12-01", "to": "2026-02-28"},
        {"from": "2025-12-17", "to": "2026-03-03"},
        {"from": "2026-01-09", "to": "2026-01-20"},
        {"from": "2026-02-01"},
        {"to": "2026-02-14", "accountId": savings["id"]},
    ]
    for span in spans:
        async with count_statements() as statements:
            counted = (await _page(user, filter=span, first=1))["totalCount"]
        # Every row, one by one: the same filter with a condition that changes nothing.
        scanned = (await _page(user, filter=span | {"minAmount": "0"}, first=1))["totalCount"]
        assert counted == scanned, span
        # Transactions are counted only over a partial month's days (BETWEEN), never all.
        counts = [s.lower() for s in statements if s.lower().startswith("select count(*)")]
        assert all("between" in s for s in counts if "from ledger_transactions" in s), span
    assert (await _page(user, first=1))["totalCount"] == 51 + 1  # a transfer is two


async def test_total_count_by_categories_reads_monthly_totals_and_counts_exactly() -> None:
    """A filter of categories (with accounts and dates, or alone) is counted from the monthly
    totals too: a split transaction once, whichever and however many of its parts are in the
    categories asked for; the same number as counting every row."""
    user = await new_user()
    c = await category_ids(user)
    wanted = [c["Groceries"], c["Dining"], c["Rent"], None]
    checking = await create_account(user, name="Checking")
    savings = await create_account(user, name="Savings")
    randomness = random.Random(9)
    for index in range(40):
        account = checking if index % 3 else savings
        day = dt.date(2025, 11, 1) + dt.timedelta(days=randomness.randint(0, 150))
        made = await add_transaction(
            user, account["id"], f"-{index + 3}.00", day, "Shop", randomness.choice(wanted)
        )
        if index % 5 == 0:  # parts in Groceries twice and Dining, or in Dining and none
            parts = (
                [c["Groceries"], c["Groceries"], c["Dining"]]
                if index % 2
                else [c["Dining"], None, None]
            )
            await data(
                SPLIT,
                {"input": {"id": made["id"], "parts": [
                    {"amount": "-1.00", "categoryId": parts[0]},
                    {"amount": "-1.00", "categoryId": parts[1]},
                    {"amount": f"-{index + 1}.00", "categoryId": parts[2]},
                ]}},
                user_id=user,
            )  # fmt: skip
    filters: list[dict[str, Any]] = [
        {"categoryId": c["Groceries"]},
        {"categoryId": c["Dining"], "accountId": checking["id"]},
        {"categoryIds": [c["Groceries"], c["Dining"]]},
        {"categoryIds": [c["Groceries"], c["Dining"], c["Rent"]], "from": "2025-12-17"},
        {"categoryIds": [c["Rent"]], "from": "2025-12-01", "to": "2026-01-31"},
        {"categoryId": c["Dining"], "from": "2026-01-09", "to": "2026-01-20"},
        {"categoryIds": []},
    ]
    for given in filters:
        async with count_statements() as statements:
            counted = (await _page(user, filter=given, first=1))["totalCount"]
        scanned = (await _page(user, filter=given | {"minAmount": "0"}, first=1))["totalCount"]
        assert counted == scanned, given
        counts = [s.lower() for s in statements if s.lower().startswith("select count(*)")]
        assert all("between" in s for s in counts if "from ledger_transactions" in s), given
        if given.get("to") != "2026-01-20":  # that one holds no whole month
            stored = "sum(ledger_report_totals.transaction_count)"
            assert any(stored in s.lower() for s in statements), given
    # Both lists ask a split transaction for a part in each: counted row by row, exactly.
    both = {"categoryId": c["Groceries"], "categoryIds": [c["Dining"]]}
    counted = (await _page(user, filter=both, first=1))["totalCount"]
    assert counted == (await _page(user, filter=both | {"minAmount": "0"}, first=1))["totalCount"]
    assert counted > 0
