"""Bank ingest: idempotent upserts, removals, and pending transactions that post."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from services.ledger import api
from shared.ids import decode_id
from tests.ledger.support import (
    add_transaction,
    all_transactions,
    bank_account,
    bank_transaction,
    category_ids,
    create_account,
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


# --- the rest of the user's edits: payee, tags, split parts, reviewed, transfer -----------

EVERYTHING = """query($id: ID!) { transaction(id: $id) { id pending amount { amount } reviewed
  payee { name } tags { name } splits { amount { amount } category { name } notes }
  transfer { counterpart { id } } } }"""


async def _everything(user: uuid.UUID, transaction_id: str) -> dict[str, Any]:
    result = await data(EVERYTHING, {"id": transaction_id}, user_id=user)
    found: dict[str, Any] = result["transaction"]
    return found


async def _pending_with_every_edit(user: uuid.UUID, item: uuid.UUID) -> dict[str, Any]:
    """A pending transaction the user split, tagged, gave a payee of their own and reviewed."""
    account = await create_account(user, name="Cash")
    await add_transaction(user, account["id"], "-1.00", description="Sam")
    payees = await data("{ payees { edges { node { id name } } } }", user_id=user)
    sam = next(e["node"]["id"] for e in payees["payees"]["edges"] if e["node"]["name"] == "Sam")
    tag = await data('mutation { createTag(input: {name: "gift"}) { tag { id } } }', user_id=user)
    categories = await category_ids(user)
    await ingest(
        user,
        item,
        added=(bank_transaction("pending-1", "-25.00", description="PENDING AMZN", pending=True),),
    )
    pending = next(row for row in await all_transactions(user) if row["pending"])
    await _edit(
        user,
        pending["id"],
        payeeId=sam,
        tagIds=[tag["createTag"]["tag"]["id"]],
        reviewed=True,
    )
    await data(
        "mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {"
        " transaction { id } } }",
        {"i": {"id": pending["id"], "parts": [
            {"amount": "-20.00", "categoryId": categories["Entertainment"], "notes": "book"},
            {"amount": "-5.00", "categoryId": categories["Shopping"]},
        ]}},
        user_id=user,
    )  # fmt: skip
    return pending


def _posted_as(amount: str) -> api.BankTransaction:
    return bank_transaction(
        "posted-1",
        amount,
        description="Amazon.com",
        pending_of="pending-1",
        date=dt.date(2026, 4, 1),
    )


@pytest.mark.parametrize("removal_first", [False, True], ids=["in place", "removal first"])
async def test_a_posted_transaction_keeps_the_payee_tags_split_and_review_of_its_pending_one(
    removal_first: bool,
) -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    pending = await _pending_with_every_edit(user, item)

    if removal_first:
        await ingest(user, item, removed=("pending-1",))
        await ingest(user, item, added=(_posted_as("-25.00"),))
    else:
        await ingest(user, item, added=(_posted_as("-25.00"),), removed=("pending-1",))

    assert await _everything(user, pending["id"]) == {
        "id": pending["id"],
        "pending": False,
        "amount": {"amount": "-25.00"},
        "reviewed": True,
        "payee": {"name": "Sam"},
        "tags": [{"name": "gift"}],
        "splits": [
            {
                "amount": {"amount": "-20.00"},
                "category": {"name": "Entertainment"},
                "notes": "book",
            },
            {"amount": {"amount": "-5.00"}, "category": {"name": "Shopping"}, "notes": None},
        ],
        "transfer": None,
    }


@pytest.mark.parametrize("removal_first", [False, True], ids=["in place", "removal first"])
async def test_a_split_whose_amount_the_bank_changes_gives_the_difference_to_its_first_part(
    removal_first: bool, announcements: list[dict[str, Any]]
) -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    pending = await _pending_with_every_edit(user, item)
    announcements.clear()

    if removal_first:
        await ingest(user, item, removed=("pending-1",))
    # The tip was added when it posted.
    await ingest(user, item, added=(_posted_as("-27.50"),), removed=("pending-1",))

    after = await _everything(user, pending["id"])
    assert [part["amount"]["amount"] for part in after["splits"]] == ["-22.50", "-5.00"]
    assert after["reviewed"] is False  # the user's split changed: worth a look
    spending = await data(
        'query { spendingByCategory(from: "2026-03-01", to: "2026-04-30") {'
        " category { name } amount { amount } } }",
        user_id=user,
    )
    assert {
        r["category"]["name"]: r["amount"]["amount"] for r in spending["spendingByCategory"]
    } == {
        "Entertainment": "22.50",
        "Shopping": "5.00",
    }
    assert str(decode_id("Transaction", pending["id"])) in announcements[-1]["transaction_ids"]


async def test_a_split_that_no_part_can_absorb_is_dropped_and_the_transaction_unreviewed() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    pending = await _pending_with_every_edit(user, item)

    # 20.00 less leaves the first part (-20.00) at zero: no part can take the change.
    await ingest(user, item, added=(_posted_as("-5.00"),), removed=("pending-1",))

    after = await _everything(user, pending["id"])
    assert after["splits"] == []
    assert after["reviewed"] is False
    assert after["tags"] == [{"name": "gift"}]
    assert after["amount"] == {"amount": "-5.00"}


async def test_a_resync_that_does_not_change_the_amount_keeps_the_split_and_the_review() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    pending = await _pending_with_every_edit(user, item)

    await ingest(
        user,
        item,
        modified=(
            bank_transaction("pending-1", "-25.00", description="PENDING AMZN MKTP", pending=True),
        ),
    )

    after = await _everything(user, pending["id"])
    assert [part["amount"]["amount"] for part in after["splits"]] == ["-20.00", "-5.00"]
    assert after["reviewed"] is True
    assert after["payee"] == {"name": "Sam"}


async def test_new_bank_transactions_wait_to_be_reviewed_and_keep_the_users_review() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-3.00"),))
    [row] = await all_transactions(user)
    assert (await _everything(user, row["id"]))["reviewed"] is False

    await _edit(user, row["id"], reviewed=True)
    await ingest(user, item, modified=(bank_transaction("t1", "-3.00", description="Renamed"),))

    assert (await _everything(user, row["id"]))["reviewed"] is True


async def _pending_transfer(user: uuid.UUID, item: uuid.UUID) -> tuple[str, str]:
    """A pending card payment the user linked with the cash they paid it from."""
    cash = await create_account(user, name="Cash")
    paid = await add_transaction(user, cash["id"], "-100.00", description="Paid card")
    await ingest(
        user,
        item,
        added=(bank_transaction("pending-1", "100.00", description="PAYMENT", pending=True),),
    )
    pending = next(row for row in await all_transactions(user) if row["pending"])
    await data(
        "mutation($ids: [ID!]!) { linkTransfer(input: {ids: $ids}) { outflow { id } } }",
        {"ids": [paid["id"], pending["id"]]},
        user_id=user,
    )
    return pending["id"], paid["id"]


async def test_a_transfer_half_removed_before_it_posts_is_linked_again_when_it_does() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    pending, paid = await _pending_transfer(user, item)

    await ingest(user, item, removed=("pending-1",))
    between = await _everything(user, paid)
    await ingest(
        user,
        item,
        added=(
            bank_transaction("posted-1", "100.00", description="PAYMENT", pending_of="pending-1"),
        ),
    )

    assert between["transfer"] is None
    assert (await _everything(user, pending))["transfer"] == {"counterpart": {"id": paid}}
    assert (await _everything(user, paid))["transfer"] == {"counterpart": {"id": pending}}


async def test_a_transfer_half_the_bank_removes_leaves_the_other_an_ordinary_transaction(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    pending, paid = await _pending_transfer(user, item)
    await ingest(
        user,
        item,
        added=(
            bank_transaction("posted-1", "100.00", description="PAYMENT", pending_of="pending-1"),
        ),
        removed=("pending-1",),
    )
    announcements.clear()

    await ingest(user, item, removed=("posted-1",))

    assert (await _everything(user, paid))["transfer"] is None
    [announced] = announcements
    assert sorted(announced["transaction_ids"]) == sorted(
        str(decode_id("Transaction", value)) for value in (pending, paid)
    )
