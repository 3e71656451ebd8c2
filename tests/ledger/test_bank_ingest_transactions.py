"""Bank ingest: idempotent upserts, removals, and pending transactions that post."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from services.ledger import api
from shared.ids import decode_id
from tests.ledger.support import (
    all_transactions,
    bank_account,
    bank_transaction,
    category_ids,
    ingest,
    link_item,
    new_user,
)
from tests.support.graphql import data

UPDATE = """mutation($input: UpdateTransactionInput!) {
  updateTransaction(input: $input) { transaction { id } } }"""


async def _edit(user: uuid.UUID, transaction_id: str, **given: Any) -> None:
    await data(UPDATE, {"input": {"id": transaction_id, **given}}, user_id=user)


def _by_description(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["description"]: row for row in rows}


async def test_ingesting_the_same_batch_twice_changes_nothing(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    batch = (
        bank_transaction("t1", "-4.33", description="Coffee", hint="FOOD_AND_DRINK_COFFEE"),
        bank_transaction("t2", "2500.00", description="Payroll", hint="INCOME_WAGES"),
        bank_transaction("t3", "-0.01", description="Fee", hint="BANK_FEES_OTHER_BANK_FEES"),
    )

    first = await ingest(user, item, added=batch)
    before = await all_transactions(user)
    again = await ingest(user, item, added=batch)

    assert first == api.IngestResult(added=3, updated=0, removed=0)
    assert again == api.IngestResult(added=0, updated=0, removed=0)
    assert await all_transactions(user) == before
    rows = _by_description(before)
    assert rows["Coffee"]["amount"] == {"amount": "-4.33", "currency": "USD"}
    assert rows["Coffee"]["category"]["name"] == "Dining"
    assert rows["Payroll"]["category"]["name"] == "Income"
    assert rows["Fee"]["category"]["name"] == "Fees"
    assert len(announcements) == 1
    assert announcements[0]["user_id"] == str(user)
    assert announcements[0]["months"] == ["2026-03"]
    assert sorted(announcements[0]["transaction_ids"]) == sorted(
        str(decode_id("Transaction", row["id"])) for row in before
    )


async def test_removed_transactions_are_deleted_once() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(
        user, item, added=(bank_transaction("t1", "-1.00"), bank_transaction("t2", "-2.00"))
    )

    removed = await ingest(user, item, removed=("t1", "unknown-id"))
    again = await ingest(user, item, removed=("t1",))

    assert removed == api.IngestResult(added=0, updated=0, removed=1)
    assert again == api.IngestResult(added=0, updated=0, removed=0)
    assert [row["amount"]["amount"] for row in await all_transactions(user)] == ["-2.00"]


async def test_a_modified_transaction_takes_the_banks_figures_but_keeps_the_users_category() -> (
    None
):
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(
        user,
        item,
        added=(
            bank_transaction("mine", "-10.00", description="Shop", hint="GENERAL_MERCHANDISE"),
            bank_transaction("banks", "-20.00", description="Cafe", hint="GENERAL_MERCHANDISE"),
        ),
    )
    rows = _by_description(await all_transactions(user))
    await _edit(
        user, rows["Shop"]["id"], categoryId=(await category_ids(user))["Health"], notes="meds"
    )

    result = await ingest(
        user,
        item,
        modified=(
            bank_transaction("mine", "-10.50", description="Shop Inc", hint="FOOD_AND_DRINK"),
            bank_transaction("banks", "-20.00", description="Cafe", hint="FOOD_AND_DRINK"),
        ),
    )

    after = _by_description(await all_transactions(user))
    assert result == api.IngestResult(added=0, updated=2, removed=0)
    assert after["Shop Inc"]["id"] == rows["Shop"]["id"]
    assert after["Shop Inc"]["amount"]["amount"] == "-10.50"
    assert after["Shop Inc"]["category"]["name"] == "Health"
    assert after["Shop Inc"]["notes"] == "meds"
    assert after["Cafe"]["category"]["name"] == "Dining"


async def test_a_user_who_clears_a_category_is_not_overruled_by_the_bank() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-3.00", hint="ENTERTAINMENT"),))
    [row] = await all_transactions(user)
    await _edit(user, row["id"], categoryId=None)

    await ingest(user, item, modified=(bank_transaction("t1", "-3.50", hint="ENTERTAINMENT"),))

    [after] = await all_transactions(user)
    assert after["category"] is None
    assert after["amount"]["amount"] == "-3.50"


async def _pending_with_edits(user: uuid.UUID, item: uuid.UUID) -> dict[str, Any]:
    await ingest(
        user,
        item,
        added=(
            bank_transaction(
                "pending-1",
                "-25.00",
                description="PENDING AMZN",
                pending=True,
                date=dt.date(2026, 3, 30),
            ),
        ),
    )
    [pending] = await all_transactions(user)
    await _edit(
        user,
        pending["id"],
        categoryId=(await category_ids(user))["Entertainment"],
        notes="gift for Sam",
    )
    return pending


def _posted() -> api.BankTransaction:
    return bank_transaction(
        "posted-1",
        "-27.50",
        description="Amazon.com",
        pending_of="pending-1",
        date=dt.date(2026, 4, 1),
    )


async def _assert_posted_kept_the_edits(user: uuid.UUID, pending: dict[str, Any]) -> None:
    [posted] = await all_transactions(user)
    assert posted["id"] == pending["id"]
    assert posted["pending"] is False
    assert posted["amount"]["amount"] == "-27.50"
    assert posted["date"] == "2026-04-01"
    assert posted["description"] == "Amazon.com"
    assert posted["category"]["name"] == "Entertainment"
    assert posted["notes"] == "gift for Sam"


async def test_a_pending_transaction_that_posts_becomes_the_posted_one_keeping_the_users_edits(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    pending = await _pending_with_edits(user, item)
    announcements.clear()

    result = await ingest(user, item, added=(_posted(),), removed=("pending-1",))
    replay = await ingest(user, item, added=(_posted(),), removed=("pending-1",))

    assert result == api.IngestResult(added=0, updated=1, removed=0)
    assert replay == api.IngestResult(added=0, updated=0, removed=0)
    await _assert_posted_kept_the_edits(user, pending)
    assert announcements == [
        {
            "user_id": str(user),
            "transaction_ids": [str(decode_id("Transaction", pending["id"]))],
            "months": ["2026-03", "2026-04"],
        }
    ]


async def test_a_posted_transaction_arriving_before_its_pending_ones_removal_is_not_doubled() -> (
    None
):
    user = await new_user()
    item = await link_item(user, bank_account())
    pending = await _pending_with_edits(user, item)

    await ingest(user, item, added=(_posted(),))
    later = await ingest(user, item, removed=("pending-1",))

    assert later == api.IngestResult(added=0, updated=0, removed=0)
    await _assert_posted_kept_the_edits(user, pending)


async def test_a_pending_removal_arriving_before_its_posted_version_keeps_the_users_edits() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    pending = await _pending_with_edits(user, item)

    gone = await ingest(user, item, removed=("pending-1",))
    assert await all_transactions(user) == []
    arrived = await ingest(user, item, added=(_posted(),))
    replay = await ingest(user, item, added=(_posted(),), removed=("pending-1",))

    assert gone == api.IngestResult(added=0, updated=0, removed=1)
    assert arrived == api.IngestResult(added=1, updated=0, removed=0)
    assert replay == api.IngestResult(added=0, updated=0, removed=0)
    await _assert_posted_kept_the_edits(user, pending)


async def test_a_pending_and_its_posted_version_in_one_batch_make_one_transaction() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())

    result = await ingest(
        user,
        item,
        added=(_posted(), bank_transaction("pending-1", "-25.00", pending=True)),
        removed=("pending-1",),
    )

    [only] = await all_transactions(user)
    assert result.removed == 0
    assert only["description"] == "Amazon.com"
    assert only["pending"] is False


async def test_duplicates_within_a_batch_collapse_to_the_last_report() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())

    result = await ingest(
        user,
        item,
        added=(bank_transaction("t1", "-1.00"), bank_transaction("t1", "-1.10")),
        modified=(bank_transaction("t1", "-1.25"),),
    )

    assert result == api.IngestResult(added=1, updated=0, removed=0)
    [row] = await all_transactions(user)
    assert row["amount"]["amount"] == "-1.25"


async def test_a_transaction_added_and_removed_in_one_batch_is_gone() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())

    await ingest(user, item, added=(bank_transaction("t1", "-1.00"),), removed=("t1",))

    assert await all_transactions(user) == []


async def test_the_same_bank_ids_in_two_linked_items_are_different_transactions() -> None:
    user = await new_user()
    first = await link_item(user, bank_account("acc-1"))
    second = await link_item(user, bank_account("acc-1", name="Other bank"))

    await ingest(user, first, added=(bank_transaction("t1", "-1.00"),))
    await ingest(user, second, added=(bank_transaction("t1", "-2.00"),))
    await ingest(user, first, removed=("t1",))

    [left] = await all_transactions(user)
    assert left["account"]["name"] == "Other bank"


@pytest.mark.parametrize(
    "bad",
    [
        bank_transaction("bad", "-1.00", account="no-such-account"),
        bank_transaction("bad", "-1.001"),
        bank_transaction("bad", "-1.00", currency="EUR"),
        bank_transaction("", "-1.00"),
        bank_transaction("x" * 101, "-1.00"),
    ],
    ids=["unknown account", "inexact amount", "other currency", "empty id", "long id"],
)
async def test_a_batch_breaking_the_contract_is_refused_whole(bad: api.BankTransaction) -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("keep", "-3.00"),))

    with pytest.raises(api.BankDataError):
        await ingest(user, item, added=(bank_transaction("new", "-1.00"), bad), removed=("keep",))

    [kept] = await all_transactions(user)
    assert kept["amount"]["amount"] == "-3.00"


async def test_a_batch_cannot_write_into_another_users_item() -> None:
    owner, intruder = await new_user(), await new_user()
    item = await link_item(owner, bank_account())
    await ingest(owner, item, added=(bank_transaction("t1", "-1.00"),))

    with pytest.raises(api.BankDataError):
        await ingest(intruder, item, added=(bank_transaction("t2", "-9.00"),))
    assert await ingest(intruder, item, removed=("t1",)) == api.IngestResult(0, 0, 0)

    assert len(await all_transactions(owner)) == 1
    assert await all_transactions(intruder) == []
