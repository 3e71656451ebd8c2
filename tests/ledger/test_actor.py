"""The ingest actor: a sync run's batch as a Dramatiq message, safe to deliver twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from decimal import Decimal

import pytest

from services.ledger import api
from shared.messaging import broker
from tests.ledger.support import (
    all_transactions,
    bank_account,
    bank_transaction,
    link_item,
    new_user,
)

pytestmark = pytest.mark.usefixtures("ledger_worker")


def _batch(user: uuid.UUID, item: uuid.UUID) -> api.BankTransactionBatch:
    return api.BankTransactionBatch(
        user_id=user,
        item_ref=item,
        added=(
            bank_transaction("t1", "-12.34", description="Grocer", hint="FOOD_AND_DRINK_GROCERIES"),
            bank_transaction("p1", "-1.00", description="Kiosk", pending=True, hint=None),
        ),
        modified=(bank_transaction("t0", "-0.99", description="Arcade"),),
        removed=("gone",),
    )


async def test_a_batch_survives_the_trip_through_json_unchanged() -> None:
    batch = _batch(await new_user(), uuid.uuid4())
    posted = api.BankTransaction(
        provider_transaction_id="t9",
        provider_account_id="acc-1",
        date=dt.date(2026, 12, 31),
        amount=Decimal("-1000000.05"),
        currency="USD",
        description="Ünïcode ✓",
        merchant_name="Merchant",
        pending=False,
        pending_transaction_id="p9",
        category_hint="TRAVEL",
    )
    batch = api.BankTransactionBatch(
        batch.user_id, batch.item_ref, (posted,), batch.modified, batch.removed
    )

    encoded = api.batch_to_json(batch)

    assert api.batch_from_json(encoded) == batch
    assert encoded["added"][0]["amount"] == "-1000000.05"


@pytest.mark.parametrize(
    "breakage",
    [
        {"user_id": "not-a-uuid"},
        {"added": [{"provider_transaction_id": "t"}]},
        {"added": "nonsense"},
        {"removed": [1, 2]},
    ],
)
async def test_a_malformed_message_is_refused_as_bad_bank_data(breakage: dict[str, object]) -> None:
    encoded = {**api.batch_to_json(_batch(await new_user(), uuid.uuid4())), **breakage}

    with pytest.raises(api.BankDataError):
        api.batch_from_json(encoded)


async def test_a_decimal_amount_that_is_not_a_number_is_refused() -> None:
    encoded = api.batch_to_json(_batch(await new_user(), uuid.uuid4()))
    for amount in ("NaN", "abc", 1.5):
        encoded["added"][0]["amount"] = amount
        with pytest.raises(api.BankDataError):
            api.batch_from_json(encoded)


async def test_the_actor_applies_a_batch_once_even_when_delivered_twice() -> None:
    from services.ledger import actors

    user = await new_user()
    item = await link_item(user, bank_account())
    message = api.batch_to_json(_batch(user, item))

    actors.ingest_bank_transactions.send(batch=message)
    actors.ingest_bank_transactions.send(batch=message)
    await asyncio.to_thread(broker.join, actors.LEDGER_QUEUE, timeout=60_000)

    rows = {row["description"]: row for row in await all_transactions(user)}
    assert {name: row["amount"]["amount"] for name, row in rows.items()} == {
        "Grocer": "-12.34",
        "Kiosk": "-1.00",
        "Arcade": "-0.99",
    }
    assert rows["Kiosk"]["pending"] is True
    assert rows["Grocer"]["category"]["name"] == "Groceries"
    assert actors.ingest_bank_transactions.actor_name == "ingest_bank_transactions"
    assert actors.ingest_bank_transactions.queue_name == "ledger"
