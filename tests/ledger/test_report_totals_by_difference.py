"""The report totals follow bank ingest and hand-made edits by difference (the changed rows'
own figures added and taken out), never summing a touched month again: after any sequence of
writes they are still what summing the whole history from scratch gives, to the cent and to
the day, and concurrent writers of one user never lose one another's changes."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from services.ledger.reports import totals_upkeep
from shared.db import count_statements, unit_of_work
from tests.ledger.support import bank_account, bank_transaction, ingest, link_item
from tests.ledger.test_report_totals import assert_totals_match, stored_totals
from tests.support.factories import add_transaction, category_ids, create_account, new_user
from tests.support.graphql import data, error_codes, execute

pytestmark = pytest.mark.usefixtures("ledger_worker")

UPDATE = """mutation($i: UpdateTransactionInput!) { updateTransaction(input: $i) {
  transaction { id } } }"""
DELETE = "mutation($id: ID!) { deleteTransaction(input: {id: $id}) { deletedTransactionId } }"
SPLIT = """mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {
  transaction { id } } }"""
TRANSFER = """mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }"""
DESCRIPTIONS = ("Blue Bottle", "Trader Joe", "Chipotle", "Shell", "Rent")


def _month_of(rng: random.Random) -> dt.date:
    # Three months, so that writes often share a month and a key, and move between months.
    return dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(90))


def _amount(rng: random.Random) -> str:
    cents = rng.randint(1, 50_000) * rng.choice((-1, -1, -1, 1))
    return f"{cents / 100:.2f}" if cents % 100 else f"{cents // 100}.00"


@dataclass
class _Story:
    """A user's accounts and what the random writes made so far."""

    user: uuid.UUID
    accounts: list[str]
    categories: list[str]
    item: uuid.UUID
    manual: list[str] = field(default_factory=list)
    bank: dict[str, bool] = field(default_factory=dict)  # provider id -> pending
    next_id: int = 0

    def provider_id(self) -> str:
        self.next_id += 1
        return f"p{self.next_id}"


async def _story() -> _Story:
    user = await new_user()
    accounts = [
        (await create_account(user))["id"],
        (await create_account(user, name="Savings"))["id"],
        (await create_account(user, name="Euro", currency="EUR"))["id"],
    ]
    categories = list((await category_ids(user)).values())[:5]
    item = await link_item(user, bank_account())
    return _Story(user, accounts, categories, item)


async def _write(story: _Story, rng: random.Random) -> str:
    """One random write through the ledger's public doors; what it was."""
    kinds = ["create", "create", "ingest", "ingest"]
    if story.manual:
        kinds += ["update", "update", "delete", "split"]
    if story.bank:
        kinds += ["bank change", "bank removal"]
    kinds += ["transfer"]
    kind = rng.choice(kinds)
    user = story.user
    if kind == "create":
        created = await add_transaction(
            user,
            rng.choice(story.accounts),
            _amount(rng),
            _month_of(rng),
            rng.choice(DESCRIPTIONS),
            rng.choice([*story.categories, None]),
        )
        story.manual.append(created["id"])
    elif kind == "update":
        changes: dict[str, Any] = {"id": rng.choice(story.manual)}
        for name, value in (
            ("date", _month_of(rng).isoformat()),
            ("amount", _amount(rng)),
            ("categoryId", rng.choice([*story.categories, None])),
            ("description", rng.choice(DESCRIPTIONS)),
            ("notes", "edited"),
        ):
            if rng.random() < 0.4:
                changes[name] = value
        # A split transaction's amount and category belong to its parts: refused, unchanged.
        result = await execute(UPDATE, {"i": changes}, user_id=user)
        assert set(error_codes(result)) <= {"BAD_USER_INPUT"}, result.errors
    elif kind == "delete":
        chosen = story.manual.pop(rng.randrange(len(story.manual)))
        await data(DELETE, {"id": chosen}, user_id=user)
    elif kind == "split":
        parts = [
            {"amount": "-0.01", "categoryId": rng.choice(story.categories)},
            {"amount": "-0.02", "categoryId": rng.choice([*story.categories, None])},
        ]
        chosen = await add_transaction(user, story.accounts[0], "-0.03", _month_of(rng))
        story.manual.append(chosen["id"])
        await data(SPLIT, {"i": {"id": chosen["id"], "parts": parts}}, user_id=user)
    elif kind == "transfer":
        transfer = {
            "fromAccountId": story.accounts[0],
            "toAccountId": story.accounts[1],
            "date": _month_of(rng).isoformat(),
            "amount": f"{rng.randint(1, 9999) / 100:.2f}",
        }
        await data(TRANSFER, {"i": transfer}, user_id=user)
    elif kind == "ingest":
        added = []
        for _ in range(rng.randint(1, 6)):
            provider_id, pending = story.provider_id(), rng.random() < 0.3
            added.append(
                bank_transaction(
                    provider_id,
                    _amount(rng),
                    date=_month_of(rng),
                    pending=pending,
                    description=rng.choice(DESCRIPTIONS),
                )
            )
            story.bank[provider_id] = pending
        await ingest(user, story.item, added=tuple(added))
    elif kind == "bank change":
        provider_id = rng.choice(sorted(story.bank))
        if story.bank[provider_id]:
            # Pending, then posted on another day (maybe another month), for another amount.
            posted = story.provider_id()
            story.bank.pop(provider_id)
            story.bank[posted] = False
            change = bank_transaction(
                posted, _amount(rng), date=_month_of(rng), pending_of=provider_id
            )
            await ingest(user, story.item, added=(change,))
        else:
            change = bank_transaction(provider_id, _amount(rng), date=_month_of(rng))
            await ingest(user, story.item, modified=(change,))
    else:
        provider_id = rng.choice(sorted(story.bank))
        story.bank.pop(provider_id)
        await ingest(user, story.item, removed=(provider_id,))
    return kind


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_writes_leave_the_stored_totals_equal_to_a_full_rebuild(seed: int) -> None:
    rng = random.Random(seed)
    story = await _story()
    done = []
    for _ in range(40):
        done.append(await _write(story, rng))
        await assert_totals_match(story.user)
    # The story wrote every way it knows (the seeds are chosen so).
    assert {"create", "update", "delete", "ingest", "bank change", "bank removal"} <= set(done)

    # A rebuild (the repair path) changes nothing.
    before = await stored_totals(story.user)
    async with unit_of_work() as work:
        await totals_upkeep.rebuild(work.session, story.user)
    assert await stored_totals(story.user) == before


async def test_a_bank_page_of_new_transactions_never_sums_its_months_again() -> None:
    story = await _story()
    rng = random.Random(7)
    history = tuple(
        bank_transaction(f"old-{n}", _amount(rng), date=_month_of(rng)) for n in range(50)
    )
    await ingest(story.user, story.item, added=history)
    page = tuple(bank_transaction(f"new-{n}", _amount(rng), date=_month_of(rng)) for n in range(20))

    async with count_statements() as statements:
        await ingest(story.user, story.item, added=page)

    # (PostgreSQL also takes the user's turn: pg_advisory_xact_lock.)
    touching_totals = [s for s in statements if "ledger_report_totals" in s and "advisory" not in s]
    # Whether the totals are built, the changed keys' rows read, taken out and put back added
    # to: no month deleted whole, and no sum over a date range of transactions. Then the
    # touched months' totals by category are derived again from those stored rows (a few
    # rows a month, not the month's transactions): one statement deletes, one sums.
    assert not [s for s in touching_totals if "month IN" in s and s.startswith("DELETE")]
    assert not [s for s in statements if "GROUP BY" in s and "ledger_transactions.date >=" in s]
    assert len(touching_totals) == 5, touching_totals
    by_category = [s for s in statements if "ledger_report_category_totals" in s]
    assert [s.split()[0] for s in by_category] == ["DELETE", "INSERT"]
    await assert_totals_match(story.user)


async def test_concurrent_writers_of_one_user_lose_none_of_each_others_changes() -> None:
    story = await _story()
    first = await add_transaction(story.user, story.accounts[0], "-10.00", "2026-02-10", "Shell")
    second_item = await link_item(story.user, bank_account("acc-2"))

    async def edit(amount: str) -> None:
        await data(UPDATE, {"i": {"id": first["id"], "amount": amount}}, user_id=story.user)

    async def add(n: int) -> None:
        await add_transaction(story.user, story.accounts[0], f"-{n}.00", "2026-02-11", "Shell")

    async def bank(item: uuid.UUID, account: str, prefix: str) -> None:
        await ingest(story.user, item, added=tuple(
            bank_transaction(f"{prefix}-{n}", f"{n}.00", account=account,
                             date=dt.date(2026, 2, 12), description="Shell")
            for n in range(1, 6)
        ))  # fmt: skip

    await asyncio.gather(
        *(edit(f"-{n}.50") for n in range(1, 5)),
        *(add(n) for n in range(1, 5)),
        bank(story.item, "acc-1", "a"),
        bank(second_item, "acc-2", "b"),
    )

    await assert_totals_match(story.user)
