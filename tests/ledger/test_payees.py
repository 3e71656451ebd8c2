"""Payees: named from descriptions (normalised the same way every time), renamed and merged
by the user, and never taken from the user by a re-sync."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.ledger.payees.normalise import payee_key
from shared.db import count_statements
from tests.ledger.support import (
    add_transaction,
    bank_account,
    bank_transaction,
    create_account,
    ingest,
    link_item,
    new_user,
    rejected_field,
)
from tests.support.graphql import data, error_codes, execute

PAYEES = """query($first: Int, $after: String, $search: String) {
  payees(first: $first, after: $after, search: $search) {
    totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }"""
LISTED = """{ transactions(first: 100) { edges { node {
  id description payee { id name } } } } }"""
RENAME = (
    """mutation($input: RenamePayeeInput!) { renamePayee(input: $input) { payee { id name } } }"""
)
MERGE = """mutation($input: MergePayeesInput!) { mergePayees(input: $input) {
  payee { id name } mergedPayeeIds movedTransactionCount } }"""
UPDATE = """mutation($input: UpdateTransactionInput!) {
  updateTransaction(input: $input) { transaction { id description payee { id name } } } }"""


@pytest.mark.parametrize(
    ("description", "key", "name"),
    [
        ("SQ *BLUE BOTTLE COFFEE", "blue bottle coffee", "Blue Bottle Coffee"),
        ("SQ * BLUE BOTTLE COFFEE 0412 San Francisco CA", "blue bottle coffee", None),
        ("Blue Bottle Coffee", "blue bottle coffee", "Blue Bottle Coffee"),
        ("BLUE BOTTLE COFFEE     SAN FRANCISCO CA", "blue bottle coffee", None),
        ("TST* SHAKE SHACK 1234", "shake shack", "Shake Shack"),
        ("TST*SHAKE SHACK - MIDTOWN", "shake shack", None),
        ("PAYPAL *NETFLIX.COM", "netflix", "Netflix"),
        ("PAYPAL *SPOTIFY 4029357733 CA", "spotify", "Spotify"),
        ("AMZN Mktp US*2K4L12AB3", "amzn mktp us", "AMZN Mktp US"),
        ("AMAZON.COM*MK1A23BC4 AMZN.COM/BILL WA", "amazon", "Amazon"),
        ("Amazon.com", "amazon", "Amazon"),
        ("STARBUCKS STORE 12345 SEATTLE WA", "starbucks", "Starbucks"),
        ("STARBUCKS #12345 SEATTLE WA", "starbucks", None),
        ("\uff33\uff34\uff21\uff32\uff22\uff35\uff23\uff2b\uff33", "starbucks", None),  # full width
        ("UBER *EATS", "uber eats", "Uber Eats"),
        ("UBER   *TRIP HELP.UBER.COM", "uber trip", "Uber Trip"),
        ("MCDONALD'S F12345", "mcdonald's", "Mcdonald's"),
        ("McDonald's", "mcdonald's", "McDonald's"),
        ("POS DEBIT SHELL OIL 57444 12/03", "shell oil", "Shell Oil"),
        ("CHECKCARD 0412 TARGET T-1234 MINNEAPOLIS MN", "target", "Target"),
        ("DEBIT CARD PURCHASE - TRADER JOE'S #552", "trader joe's", "Trader Joe's"),
        ("PURCHASE AUTHORIZED ON 03/14 CHIPOTLE 1234 AUSTIN TX", "chipotle", "Chipotle"),
        ("7-ELEVEN 35023", "7-eleven", "7-eleven"),
        ("SP * ALLBIRDS", "allbirds", "Allbirds"),
        ("GOOGLE *YouTube Premium", "youtube premium", "YouTube Premium"),
        ("APPLE.COM/BILL 866-712-7753 CA", "apple", "Apple"),
        ("Payroll ACME CORP PPD ID: 1234567890", "payroll acme", "Payroll ACME"),
        ("Sweetgreen Inc.", "sweetgreen", "Sweetgreen"),
        ("The Container Store", "the container store", "The Container Store"),
        ("Electric co", "electric co", "Electric co"),
        ("SparkFun", "sparkfun", "SparkFun"),
        ("Café Müller", "café müller", "Café Müller"),
    ],
)
def test_a_bank_description_normalises_to_its_payee(
    description: str, key: str, name: str | None
) -> None:
    found = payee_key(description)

    assert found is not None
    assert found.key == key
    if name is not None:
        assert found.name == name
    assert payee_key(description) == found  # the same every time


def test_a_description_of_nothing_but_blanks_names_no_payee() -> None:
    assert payee_key("   ") is None


async def _payees(user: uuid.UUID, **variables: Any) -> dict[str, Any]:
    result = await data(PAYEES, variables, user_id=user)
    payees: dict[str, Any] = result["payees"]
    return payees


async def _listed(user: uuid.UUID) -> dict[str, dict[str, Any]]:
    result = await data(LISTED, user_id=user)
    return {edge["node"]["description"]: edge["node"] for edge in result["transactions"]["edges"]}


async def test_the_same_merchant_at_different_stores_is_one_payee() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())

    await ingest(
        user,
        item,
        added=(
            bank_transaction("t1", "-4.50", description="STARBUCKS STORE 12345 SEATTLE WA"),
            bank_transaction("t2", "-5.10", description="STARBUCKS #998 PORTLAND OR"),
            bank_transaction("t3", "-12.00", description="SQ *BLUE BOTTLE COFFEE"),
            bank_transaction("t4", "-9.99", description="NFLX 1234", merchant="Netflix"),
        ),
    )

    listed = await _listed(user)
    payees = await _payees(user)
    assert [edge["node"]["name"] for edge in payees["edges"]] == [
        "Blue Bottle Coffee",
        "Netflix",
        "Starbucks",
    ]
    assert payees["totalCount"] == 3
    starbucks = listed["STARBUCKS STORE 12345 SEATTLE WA"]["payee"]
    assert listed["STARBUCKS #998 PORTLAND OR"]["payee"] == starbucks
    assert listed["NFLX 1234"]["payee"]["name"] == "Netflix"


async def test_a_manual_transaction_gets_the_payee_its_description_names() -> None:
    user = await new_user()
    account = await create_account(user)

    first = await add_transaction(user, account["id"], "-3.00", description="Corner shop")
    second = await add_transaction(user, account["id"], "-4.00", description="CORNER SHOP")
    edited = await data(
        UPDATE, {"input": {"id": second["id"], "description": "Bakery"}}, user_id=user
    )

    listed = await _listed(user)
    assert listed["Corner shop"]["payee"]["name"] == "Corner shop"
    assert edited["updateTransaction"]["transaction"]["payee"]["name"] == "Bakery"
    assert first["id"] == listed["Corner shop"]["id"]
    assert (await _payees(user))["totalCount"] == 2


async def test_a_payee_the_user_picks_stays_whatever_the_description_or_the_bank_says() -> None:
    user = await new_user()
    account = await create_account(user)
    manual = await add_transaction(user, account["id"], "-3.00", description="Lunch with Ana")
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-8.00", description="SQ *TACO BAR"),))
    listed = await _listed(user)
    taco, lunch = listed["SQ *TACO BAR"], listed["Lunch with Ana"]

    await data(UPDATE, {"input": {"id": taco["id"], "payeeId": lunch["payee"]["id"]}}, user_id=user)
    await data(UPDATE, {"input": {"id": manual["id"], "payeeId": None}}, user_id=user)
    await data(UPDATE, {"input": {"id": manual["id"], "description": "Dinner"}}, user_id=user)
    await ingest(
        user, item, modified=(bank_transaction("t1", "-8.50", description="TST* TACO BAR 77"),)
    )

    listed = await _listed(user)
    assert listed["TST* TACO BAR 77"]["payee"] == lunch["payee"]
    assert listed["Dinner"]["payee"] is None


async def test_renaming_a_payee_shows_everywhere_and_new_descriptions_with_its_name_find_it() -> (
    None
):
    user = await new_user()
    account = await create_account(user)
    await add_transaction(user, account["id"], "-3.00", description="AMZN Mktp US*2K4L12AB3")
    [payee] = [edge["node"] for edge in (await _payees(user))["edges"]]

    renamed = await data(RENAME, {"input": {"id": payee["id"], "name": "Amazon"}}, user_id=user)
    await add_transaction(user, account["id"], "-5.00", description="AMAZON.COM*MK1A23 WA")

    assert renamed["renamePayee"]["payee"] == {"id": payee["id"], "name": "Amazon"}
    listed = await _listed(user)
    assert {node["payee"]["id"] for node in listed.values()} == {payee["id"]}
    assert (await _payees(user))["totalCount"] == 1


async def test_merging_payees_moves_their_transactions_and_their_future_descriptions() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(
        user,
        item,
        added=(
            bank_transaction("t1", "-20.00", description="AMZN Mktp US*2K4L12AB3"),
            bank_transaction("t2", "-30.00", description="AMAZON.COM*MK1A23BC4"),
            bank_transaction("t3", "-1.00", description="AMZN DIGITAL*RT5"),
        ),
    )
    names = {edge["node"]["name"]: edge["node"]["id"] for edge in (await _payees(user))["edges"]}
    target = names["Amazon"]
    sources = [names["AMZN Mktp US"], names["Amzn Digital"]]

    merged = await data(MERGE, {"input": {"sourceIds": sources, "targetId": target}}, user_id=user)
    await ingest(
        user, item, added=(bank_transaction("t4", "-7.00", description="AMZN Mktp US*99"),)
    )

    assert merged["mergePayees"] == {
        "payee": {"id": target, "name": "Amazon"},
        "mergedPayeeIds": sources,
        "movedTransactionCount": 2,
    }
    listed = await _listed(user)
    assert {node["payee"]["id"] for node in listed.values()} == {target}
    assert [edge["node"]["name"] for edge in (await _payees(user))["edges"]] == ["Amazon"]
    for source in sources:
        result = await execute(
            "query($id: ID!) { payee(id: $id) { id } }", {"id": source}, user_id=user
        )
        assert error_codes(result) == ["NOT_FOUND"]


async def test_payees_page_by_name_and_search() -> None:
    user = await new_user()
    account = await create_account(user)
    for name in ("Delta Air", "Apple", "Costco", "Bakery", "Erewhon", "Costa Coffee"):
        await add_transaction(user, account["id"], "-1.00", description=name)

    first = await _payees(user, first=2)
    second = await _payees(user, first=2, after=first["pageInfo"]["endCursor"])
    rest = await _payees(user, first=10, after=second["pageInfo"]["endCursor"])
    found = await _payees(user, search="cOsT")

    names = [edge["node"]["name"] for page in (first, second, rest) for edge in page["edges"]]
    assert names == ["Apple", "Bakery", "Costa Coffee", "Costco", "Delta Air", "Erewhon"]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert [edge["node"]["name"] for edge in found["edges"]] == ["Costa Coffee", "Costco"]
    assert found["totalCount"] == 2


async def test_bad_payee_input_is_refused_naming_the_field_and_changes_nothing() -> None:
    user = await new_user()
    account = await create_account(user)
    await add_transaction(user, account["id"], "-1.00", description="Apple")
    await add_transaction(user, account["id"], "-1.00", description="Bakery")
    ids = {edge["node"]["name"]: edge["node"]["id"] for edge in (await _payees(user))["edges"]}
    apple, bakery = ids["Apple"], ids["Bakery"]
    cases: list[tuple[str, dict[str, Any], str]] = [
        (RENAME, {"id": apple, "name": "Bakery"}, "input.name"),
        (RENAME, {"id": apple, "name": "   "}, "input.name"),
        (RENAME, {"id": apple, "name": "x" * 101}, "input.name"),
        (RENAME, {"id": "nonsense", "name": "x"}, "input.id"),
        (MERGE, {"sourceIds": [apple], "targetId": apple}, "input.sourceIds"),
        (MERGE, {"sourceIds": [], "targetId": apple}, "input.sourceIds"),
        (MERGE, {"sourceIds": ["nonsense"], "targetId": apple}, "input.sourceIds"),
        (MERGE, {"sourceIds": [bakery], "targetId": "nonsense"}, "input.targetId"),
    ]
    for operation, given, field in cases:
        assert await rejected_field(operation, {"input": given}, user_id=user) == field
    assert await rejected_field(PAYEES, {"after": "garbage!"}, user_id=user) == "after"
    assert await rejected_field(PAYEES, {"search": "s" * 101}, user_id=user) == "search"
    assert [edge["node"]["name"] for edge in (await _payees(user))["edges"]] == ["Apple", "Bakery"]


async def test_another_users_payee_is_not_found_wherever_it_is_named() -> None:
    owner, intruder = await new_user(), await new_user()
    owners_account = await create_account(owner)
    await add_transaction(owner, owners_account["id"], "-1.00", description="Apple")
    [owners] = [edge["node"]["id"] for edge in (await _payees(owner))["edges"]]
    account = await create_account(intruder)
    mine = await add_transaction(intruder, account["id"], "-1.00", description="Mine")
    [my_payee] = [edge["node"]["id"] for edge in (await _payees(intruder))["edges"]]
    create = """mutation($input: CreateTransactionInput!) {
      createTransaction(input: $input) { transaction { id } } }"""
    entry = {"accountId": account["id"], "date": "2026-03-01", "amount": "-1", "description": "x"}
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("query($id: ID!) { payee(id: $id) { id } }", {"id": owners}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": owners}),
        (RENAME, {"input": {"id": owners, "name": "Mine now"}}),
        (MERGE, {"input": {"sourceIds": [owners], "targetId": my_payee}}),
        (MERGE, {"input": {"sourceIds": [my_payee], "targetId": owners}}),
        (UPDATE, {"input": {"id": mine["id"], "payeeId": owners}}),
        (create, {"input": {**entry, "payeeId": owners}}),
        (
            "query($f: TransactionFilter) { transactions(filter: $f) { totalCount } }",
            {"f": {"payeeIds": [owners]}},
        ),
    ]
    for operation, variables in attempts:
        result = await execute(operation, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], operation

    assert [edge["node"]["name"] for edge in (await _payees(owner))["edges"]] == ["Apple"]
    assert (await _listed(intruder))["Mine"]["payee"]["id"] == my_payee


async def test_ingesting_many_new_merchants_costs_the_same_queries_as_a_few() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())

    async def statements_for(prefix: str, count: int) -> int:
        # Letters only: digits would be taken for a store number and cut.
        names = ["".join(chr(ord("a") + int(digit)) for digit in f"{i:04d}") for i in range(count)]
        batch = tuple(
            bank_transaction(f"{prefix}-{index}", "-1.00", description=f"SHOP {prefix} {name}")
            for index, name in enumerate(names)
        )
        async with count_statements() as statements:
            result = await ingest(user, item, added=batch)
        assert result.added == count
        return len(statements)

    few, many = await statements_for("a", 5), await statements_for("b", 450)

    assert many == few
    assert (await _payees(user, first=1))["totalCount"] == 455
