"""Text search through its index (services/ledger/transactions/search.py): it finds what
comparing row by row finds, in every case and alphabet; the statements it compiles to read the
index; and every way a text is written, changed or removed keeps the index right (each story
ends with FTS5's own check of the index against its tables on SQLite)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import event, select, text

from services.ledger.models import Transaction
from services.ledger.transactions import search
from shared.db import get_engine, read_session, unit_of_work
from tests.ledger.imports_support import GIROKONTO, file_text, import_file
from tests.ledger.support import (
    add_transaction,
    bank_account,
    bank_transaction,
    category_ids,
    create_account,
    ingest,
    link_item,
    new_user,
)
from tests.support.graphql import data
from tests.support.search_index import assert_index_equals_its_tables, is_sqlite

SEARCHED = """query($search: String!) { transactions(first: 100, filter: {search: $search}) {
  totalCount edges { node { description } } } }"""
UPDATE = """mutation($i: UpdateTransactionInput!) {
  updateTransaction(input: $i) { transaction { id } } }"""
DELETE = """mutation($i: DeleteTransactionInput!) {
  deleteTransaction(input: $i) { deletedTransactionId } }"""


async def _found(user: uuid.UUID, searched: str) -> list[str]:
    """The descriptions a search lists (sorted), checked against its totalCount."""
    page = (await data(SEARCHED, {"search": searched}, user_id=user))["transactions"]
    found = sorted(edge["node"]["description"] for edge in page["edges"])
    assert page["totalCount"] == len(found)
    return found


async def _scanned(user: uuid.UUID, searched: str) -> list[str]:
    """What comparing every row of the user's finds (the search before the index)."""
    async with read_session() as session:
        rows = await session.scalars(
            select(Transaction.description).where(
                Transaction.user_id == user, search.row_by_row(user, searched)
            )
        )
        return sorted(rows)


async def _payee_of(user: uuid.UUID, description: str) -> str:
    result = await data(
        "query($s: String!) { transactions(first: 1, filter: {search: $s}) {"
        " edges { node { payee { id } } } } }",
        {"s": description},
        user_id=user,
    )
    return str(result["transactions"]["edges"][0]["node"]["payee"]["id"])


async def _id_of(user: uuid.UUID, description: str) -> str:
    result = await data(
        "query($s: String!) { transactions(first: 2, filter: {search: $s}) {"
        " edges { node { id description } } } }",
        {"s": description},
        user_id=user,
    )
    [found] = [
        edge["node"]["id"]
        for edge in result["transactions"]["edges"]
        if edge["node"]["description"] == description
    ]
    return str(found)


# --- what it finds -------------------------------------------------------------------------

DESCRIPTIONS = [
    "Café de Flore",
    "ÉPICERIE DU COIN",
    "épicerie fine",
    "Salary 100%_paid",
    'say "hi" there',
    "O'Neil's pub",
    "aaaa",
    "Straße 5",
    "日本の店 Tokyo",
    "☕ Coffee cart",
    "back\\slash",
    "Ünïcödé ÑAME",
]
NOTES = {"aaaa": "dinner with Café owners", "Straße 5": "Über den Wolken"}

# Texts whose matches differ from them only in ASCII letters' case, or not at all: the index
# finds exactly what the row-by-row comparison finds, on either database.
SAME_AS_BEFORE = [
    "café", "Café", "flore", "FLORE", "épicerie f", "100%", "0%_", "%_p", "_pa", '"hi"',
    'say "', "o'neil", "'s p", "aaa", "aaaa", "aaaaa", "straße", "日本の", "の店 t", "☕ c",
    "cart", "h\\s", "k\\s", "de f", "e d", "tokyo", "nowhere", "dinner with", "Über",
    "wolken", "Ünïcödé", "ÑAME",
]  # fmt: skip
# Letters beyond ASCII in another case: SQLite's LIKE never folded those (so the row-by-row
# comparison misses them there), FTS5 folds them, and so does PostgreSQL's ILIKE in the UTF-8
# locales it runs in: both databases now find the same.
OTHER_CASE = {
    "CAFÉ de": ["Café de Flore"],
    "CAFÉ OWNERS": ["aaaa"],
    "épicerie": ["ÉPICERIE DU COIN", "épicerie fine"],
    "ÉPICERIE": ["ÉPICERIE DU COIN", "épicerie fine"],
    "ÉPICERIE FINE": ["épicerie fine"],
    "épicerie du": ["ÉPICERIE DU COIN"],
    "über den": ["Straße 5"],
    "ÜNÏCÖDÉ": ["Ünïcödé ÑAME"],
    "ñame": ["Ünïcödé ÑAME"],
}


async def _user_with_tricky_texts() -> uuid.UUID:
    user = await new_user()
    account = await create_account(user)
    for index, description in enumerate(DESCRIPTIONS):
        await add_transaction(
            user,
            account["id"],
            "-1.00",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=index),
            description=description,
            notes=NOTES.get(description),
        )
    return user


async def test_the_index_finds_what_comparing_every_row_finds() -> None:
    user = await _user_with_tricky_texts()

    for searched in SAME_AS_BEFORE:
        assert await _found(user, searched) == await _scanned(user, searched), searched
    for searched, expected in OTHER_CASE.items():
        found = await _found(user, searched)
        assert found == expected, searched
        assert set(await _scanned(user, searched)) <= set(found), searched


async def test_texts_too_short_for_trigrams_are_compared_row_by_row_as_before() -> None:
    user = await _user_with_tricky_texts()

    for searched in ("%", "_", "é", "É", "日本", "aa", '"', "\\", "☕"):
        assert await _found(user, searched) == await _scanned(user, searched), searched
    assert await _found(user, "%_") == ["Salary 100%_paid"]
    assert await _found(user, "aa") == ["aaaa"]
    # ASCII letters in any case, as ever.
    assert await _found(user, "Fl") == ["Café de Flore"]


async def test_a_payees_name_finds_its_transactions_whatever_their_description(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = await new_user()
    account = await create_account(user)
    await add_transaction(user, account["id"], "-4.00", description="SQ *BLUE BOTTLE 12")
    await add_transaction(user, account["id"], "-9.00", description="Corner shop")
    payee = await _payee_of(user, "SQ *BLUE BOTTLE 12")
    other = await new_user()
    await add_transaction(
        other, (await create_account(other))["id"], "-1.00", description="Blue Bottle"
    )

    await data(
        UPDATE,
        {"i": {"id": await _id_of(user, "Corner shop"), "payeeId": payee}},
        user_id=user,
    )

    assert await _found(user, "blue bottle") == ["Corner shop", "SQ *BLUE BOTTLE 12"]
    assert await _found(user, "bOTTLE") == await _scanned(user, "bOTTLE")
    assert await _found(other, "blue bottle") == ["Blue Bottle"]
    # More payees than PostgreSQL gets by id: they are looked up in the statement instead.
    monkeypatch.setattr(search, "MANY_PAYEES", 0)
    assert await _found(user, "blue bottle") == ["Corner shop", "SQ *BLUE BOTTLE 12"]


async def test_many_hits_are_found_along_the_users_rows_with_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = await _user_with_tricky_texts()
    texts = [*SAME_AS_BEFORE, *OTHER_CASE]
    few = {searched: await _found(user, searched) for searched in texts}

    monkeypatch.setattr(search, "MANY_HITS", 1)

    for searched, found in few.items():
        assert await _found(user, searched) == found, searched


# --- the statements it compiles to ----------------------------------------------------------


@asynccontextmanager
async def _recorded() -> AsyncIterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) this test's engine runs meanwhile."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    engine = get_engine().sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _page_plan(user: uuid.UUID, searched: str) -> str:
    """The query plan of the statement that reads the page of a search."""
    async with _recorded() as statements:
        await data(
            "query($s: String!) { transactions(first: 50, filter: {search: $s}) {"
            " edges { node { id } } } }",
            {"s": searched},
            user_id=user,
        )
    [(statement, parameters)] = [
        (statement, parameters)
        for statement, parameters in statements
        if statement.startswith("SELECT ledger_transactions.id") and "ORDER BY" in statement
    ]
    async with unit_of_work() as work:
        connection = await work.session.connection()
        explain = "EXPLAIN QUERY PLAN" if is_sqlite() else "EXPLAIN"
        rows = await connection.exec_driver_sql(f"{explain} {statement}", parameters)
        return "\n".join(str(row[-1]) for row in rows)


@pytest.fixture
def many_hits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(search, "MANY_HITS", 1)
    yield


def _sqlite_only() -> None:
    if not is_sqlite():
        pytest.skip(
            "PostgreSQL weighs the user's index against the trigram indexes by statistics a "
            "test database lacks: bench/scale.py shows its plans at a million rows"
        )


async def test_a_search_reads_the_index_and_starts_from_its_hits() -> None:
    _sqlite_only()
    user = await _user_with_tricky_texts()

    plan = await _page_plan(user, "épicerie")

    assert "SCAN ledger_transactions_search VIRTUAL TABLE INDEX" in plan, plan
    assert "SCAN ledger_payees_search VIRTUAL TABLE INDEX" in plan, plan
    # By rowid, as the hits come, not along every row of the user's.
    assert "SEARCH ledger_transactions USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan


@pytest.mark.usefixtures("many_hits")
async def test_a_search_with_many_hits_reads_the_users_newest_rows_first() -> None:
    _sqlite_only()
    user = await _user_with_tricky_texts()

    accented = await _page_plan(user, "épicerie")
    ascii_only = await _page_plan(user, "flore")

    for plan in (accented, ascii_only):
        assert "ix_ledger_transactions_user_id_date_id (user_id=?)" in plan.splitlines()[0], plan
        assert "TEMP B-TREE" not in plan, plan
    # Checked against the index's hits; an ASCII text, which LIKE folds as FTS5 does, by LIKE.
    assert "SCAN ledger_transactions_search VIRTUAL TABLE INDEX" in accented, accented
    assert "_search" not in ascii_only, ascii_only


async def test_a_text_too_short_for_the_index_does_not_read_it() -> None:
    user = await _user_with_tricky_texts()

    plan = await _page_plan(user, "é")

    assert "_search" not in plan and "trgm" not in plan, plan


# --- every writer keeps it right -------------------------------------------------------------


async def test_recording_editing_and_deleting_by_hand_keep_search_right() -> None:
    user = await new_user()
    account = await create_account(user)
    kept = await add_transaction(user, account["id"], "-5.00", description="Zanzibar Café")
    doomed = await add_transaction(
        user, account["id"], "-6.00", description="Kilimanjaro", notes="Safari booking"
    )

    await data(
        UPDATE,
        {"i": {"id": kept["id"], "description": "Serengeti Lodge", "notes": "Über-nice"}},
        user_id=user,
    )
    await data(DELETE, {"i": {"id": doomed["id"]}}, user_id=user)

    assert await _found(user, "zanzibar") == []
    assert await _found(user, "serengeti") == ["Serengeti Lodge"]
    assert await _found(user, "über-n") == ["Serengeti Lodge"]
    assert await _found(user, "kilimanjaro") == []
    assert await _found(user, "safari") == []
    await data(UPDATE, {"i": {"id": kept["id"], "notes": None}}, user_id=user)
    assert await _found(user, "über") == []
    await assert_index_equals_its_tables()


async def test_a_transfer_between_own_accounts_is_found_by_its_texts() -> None:
    user = await new_user()
    checking = await create_account(user, name="Checking")
    savings = await create_account(user, name="Savings", type="SAVINGS")

    await data(
        """mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }""",
        {"i": {"fromAccountId": checking["id"], "toAccountId": savings["id"],
               "date": "2026-05-06", "amount": "100.00", "description": "Rainy day fund",
               "notes": "Monthly sweep"}},
        user_id=user,
    )  # fmt: skip

    assert await _found(user, "rainy day") == ["Rainy day fund", "Rainy day fund"]
    assert await _found(user, "sweep") == ["Rainy day fund", "Rainy day fund"]
    await assert_index_equals_its_tables()


async def test_bank_ingest_keeps_search_right_through_changes_removals_and_posting() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(
        user,
        item,
        added=(
            bank_transaction("b1", "-20.00", description="WHOLEFDS MKT 10234"),
            bank_transaction("b2", "-3.00", description="SHELL OIL 5744"),
            bank_transaction("p1", "-8.00", description="PENDING PIZZERIA", pending=True),
            bank_transaction("p2", "-9.00", description="PENDING BARBER", pending=True),
        ),
    )
    await data(UPDATE, {"i": {"id": await _id_of(user, "PENDING BARBER"), "notes": "Fade"}},
               user_id=user)  # fmt: skip

    await ingest(
        user,
        item,
        added=(
            bank_transaction("p1-posted", "-8.00", description="PIZZERIA NAPOLI", pending_of="p1"),
        ),
        modified=(bank_transaction("b1", "-20.00", description="WHOLE FOODS MARKET"),),
        removed=("b2", "p1", "p2"),
    )
    between = await _found(user, "fade")
    # The bank reports the posted barber after removing the pending one: it keeps the notes.
    await ingest(
        user,
        item,
        added=(bank_transaction("p2-posted", "-9.00", description="BARBER", pending_of="p2"),),
    )

    assert await _found(user, "wholefds") == []
    assert await _found(user, "whole foods") == ["WHOLE FOODS MARKET"]
    assert await _found(user, "shell oil") == []
    assert await _found(user, "pending") == []
    assert await _found(user, "napoli") == ["PIZZERIA NAPOLI"]
    assert between == []
    assert await _found(user, "fade") == ["BARBER"]
    await assert_index_equals_its_tables()


@pytest.mark.usefixtures("ledger_worker")
async def test_an_imported_file_is_found_by_its_descriptions_and_notes() -> None:
    user = await new_user()
    account = await create_account(user, currency="EUR")

    done = await import_file(user, account["id"], "CSV", file_text("girokonto.csv"), GIROKONTO)

    assert done["status"] == "COMPLETED", done
    assert await _found(user, "BÄCKEREI") == ["Bäckerei Schmidt; Filiale 3"]
    assert await _found(user, "zweiter") == ["Kaffee"]
    await assert_index_equals_its_tables()


async def test_a_bulk_edit_of_a_search_changes_no_text_and_leaves_the_index_alone() -> None:
    user = await new_user()
    account = await create_account(user)
    groceries = (await category_ids(user))["Groceries"]
    for n in range(3):
        await add_transaction(user, account["id"], "-2.00", description=f"Farmers market {n}")

    edited = await data(
        """mutation($i: BulkEditTransactionsInput!) { bulkEditTransactions(input: $i) {
             matchedCount } }""",
        {"i": {"filter": {"search": "farmers"}, "setCategoryId": groceries}},
        user_id=user,
    )

    assert edited["bulkEditTransactions"]["matchedCount"] == 3
    assert len(await _found(user, "market")) == 3
    await assert_index_equals_its_tables()


RENAME = """mutation($i: RenamePayeeInput!) { renamePayee(input: $i) { payee { id } } }"""
MERGE = """mutation($i: MergePayeesInput!) { mergePayees(input: $i) { payee { id } } }"""


async def test_renaming_and_merging_payees_keep_search_by_their_names_right() -> None:
    user = await new_user()
    account = await create_account(user)
    await add_transaction(user, account["id"], "-3.00", description="AMZN Mktp US*2K4L12AB3")
    await add_transaction(user, account["id"], "-4.00", description="TST* TACO BAR 77")
    await add_transaction(user, account["id"], "-5.00", description="Tacos El Gordo")
    amazon = await _payee_of(user, "AMZN Mktp US*2K4L12AB3")
    taco_bar = await _payee_of(user, "TST* TACO BAR 77")
    gordo = await _payee_of(user, "Tacos El Gordo")

    await data(RENAME, {"i": {"id": amazon, "name": "Amazon Marketplace"}}, user_id=user)
    await data(RENAME, {"i": {"id": taco_bar, "name": "Taquería Ñandú"}}, user_id=user)
    assert await _found(user, "marketplace") == ["AMZN Mktp US*2K4L12AB3"]
    assert await _found(user, "TAQUERÍA ñ") == ["TST* TACO BAR 77"]

    await data(MERGE, {"i": {"sourceIds": [gordo], "targetId": taco_bar}}, user_id=user)

    assert await _found(user, "ñandú") == ["TST* TACO BAR 77", "Tacos El Gordo"]
    assert await _found(user, "el gordo") == ["Tacos El Gordo"]  # its description still says so
    assert await _found(user, "taco bar") == ["TST* TACO BAR 77"]
    await assert_index_equals_its_tables()


async def test_deleting_an_account_deletes_its_transactions_from_search() -> None:
    user = await new_user()
    kept = await create_account(user, name="Kept")
    doomed = await create_account(user, name="Doomed", type="CASH")
    await add_transaction(user, kept["id"], "-1.00", description="Market stall")
    await add_transaction(user, doomed["id"], "-2.00", description="Market hall", notes="cash")

    await data(
        """mutation($i: DeleteAccountInput!) { deleteAccount(input: $i) { deletedAccountId } }""",
        {"i": {"id": doomed["id"]}},
        user_id=user,
    )

    assert await _found(user, "market") == ["Market stall"]
    assert await _found(user, "cash") == []
    await assert_index_equals_its_tables()


async def test_deleting_a_user_leaves_no_text_of_theirs_in_the_index() -> None:
    from services.ledger import api

    user = await new_user()
    account = await create_account(user)
    word = f"zq{uuid.uuid4().hex[:12]}"
    await add_transaction(user, account["id"], "-1.00", description=f"{word} shop", notes=word)
    await data(
        RENAME,
        {"i": {"id": await _payee_of(user, f"{word} shop"), "name": f"{word} payee"}},
        user_id=user,
    )

    async with unit_of_work() as work:
        await api.delete_user_data(work, user)

    await assert_index_equals_its_tables()
    if is_sqlite():
        # The index alone, not joined to any table: nothing of theirs answers.
        async with read_session() as session:
            for fts in (search.TRANSACTION_TEXTS, search.PAYEE_NAMES):
                found = await session.execute(
                    text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :phrase"),
                    {"phrase": f'"{word}"'},
                )
                assert found.all() == [], fts
