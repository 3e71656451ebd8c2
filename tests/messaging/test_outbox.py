"""Nothing a committed write announces is lost: not to a broker that is down, not to a process
killed between commit and delivery.

The broker's outage is a fault injected at its edge (`broker.enqueue` raising what redis-py
raises when Redis is unreachable): the Redis server itself is shared by the whole run and
cannot be stopped under the other tests.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from typing import Any

import pytest
import redis
from sqlalchemy import delete, func, select

from services.notifier import api as notifier_api
from shared import outbox
from shared.clock import utcnow
from shared.db import read_session, unit_of_work
from shared.messaging import broker, message
from tests.notifier.factories import notifications
from tests.support.factories import (
    Person,
    category_ids,
    create_account,
    set_budget,
    sign_up,
)
from tests.support.graphql import execute
from tests.support.workers import drain

pytestmark = pytest.mark.usefixtures("notifier_worker")

MONTH = "2026-11"
SPEND = """mutation($input: CreateTransactionInput!) {
  createTransaction(input: $input) { transaction { id } } }"""


@pytest.fixture
def relay_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stored messages are the relay's at once (no grace left to a fast path)."""
    monkeypatch.setattr(outbox, "FAST_PATH_GRACE", dt.timedelta(0))


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> Any:
    attempts: list[str] = []

    def unreachable(message: Any, **_: Any) -> Any:
        attempts.append(message.actor_name)
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    class Outage:
        def start(self) -> None:
            monkeypatch.setattr(broker, "enqueue", unreachable)

        def end(self) -> None:
            monkeypatch.undo()

    outage = Outage()
    yield outage, attempts
    outage.end()


async def _overspending_setup() -> tuple[Person, str, str]:
    person = await sign_up()
    groceries = (await category_ids(person.id))["Groceries"]
    account = (await create_account(person.id))["id"]
    await set_budget(person.id, groceries, MONTH, "50.00")
    return person, account, groceries


def _purchase(account: str, groceries: str, amount: str) -> dict[str, Any]:
    return {
        "input": {
            "accountId": account,
            "date": f"{MONTH}-05",
            "amount": amount,
            "description": "Whole Foods Market",
            "categoryId": groceries,
        }
    }


async def _stored_messages(
    actor_name: str = "on_transactions_changed", *, in_flight: bool = False
) -> int:
    """Messages of the actor waiting in the outbox for the relay (and, with `in_flight`, those
    the in-memory broker holds until their actor is done)."""
    statement = (
        select(func.count())
        .select_from(outbox.OutboxMessage)
        .where(outbox.OutboxMessage.actor_name == actor_name)
    )
    if not in_flight:
        statement = statement.where(outbox.OutboxMessage.available_at <= utcnow())
    async with read_session() as session:
        return int(await session.scalar(statement) or 0)


async def _relay_everything(timeout: float = 20) -> None:
    """Relay as `tally relay` would, retries after backoff included, until the notifier has
    handled every announcement stored so far."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        await outbox.relay_once()
        await drain(notifier_api.QUEUE)
        if not await _stored_messages(in_flight=True):
            return
        assert asyncio.get_running_loop().time() < deadline, "the outbox did not empty"
        await asyncio.sleep(0.2)


async def test_writes_while_the_broker_is_down_succeed_once_and_alert_after_it_returns(
    broker_down: Any, relay_at_once: None
) -> None:
    outage, attempts = broker_down
    person, account, groceries = await _overspending_setup()
    await _relay_everything()  # what the setup announced is out of the way

    outage.start()
    results = [
        await execute(SPEND, _purchase(account, groceries, amount), user_id=person.id)
        for amount in ("-30.00", "-40.00")
    ]
    # Every write answered once, as committed: no INTERNAL for a client to retry.
    assert [result.errors for result in results] == [None, None]
    assert attempts, "the fast path did try the broker"
    assert await _stored_messages("on_transactions_changed") >= 2
    assert await outbox.relay_once() == 0  # still down: nothing taken, nothing lost
    outage.end()

    await _relay_everything()

    assert [n["title"] for n in await notifications(person)] == ["Groceries budget overspent"]
    assert await _stored_messages("on_transactions_changed") == 0


_KILLED_AFTER_COMMIT = """
import asyncio, os, signal, sys, uuid
from shared import outbox
from tally.actors import load_actors
from tests.support.graphql import execute

load_actors()
# Dies right after the commit, before the unit of work hands its messages to the broker.
outbox._fast_path = lambda messages: os.kill(os.getpid(), signal.SIGKILL)
user_id, account, groceries = uuid.UUID(sys.argv[1]), sys.argv[2], sys.argv[3]
query = ("mutation($input: CreateTransactionInput!) { "
         "createTransaction(input: $input) { transaction { id } } }")
variables = {"input": {"accountId": account, "date": "2026-11-06", "amount": "-75.00",
                       "description": "Whole Foods Market", "categoryId": groceries}}
print(asyncio.run(execute(query, variables, user_id=user_id)))
"""


async def test_a_process_killed_between_commit_and_delivery_is_made_good_by_the_relay() -> None:
    person, account, groceries = await _overspending_setup()
    await _relay_everything()

    killed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _KILLED_AFTER_COMMIT, str(person.id), account, groceries],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr[-2000:]
    # Committed, announced, not yet delivered: the row waits out the fast path's grace (5 s),
    # so no relay of this process (the live server's included) can have taken it yet.
    assert await notifications(person) == []
    assert await _stored_messages("on_transactions_changed", in_flight=True) >= 1

    await _relay_everything()  # a relay of another process (or the restarted one)

    assert [n["title"] for n in await notifications(person)] == ["Groceries budget overspent"]


@pytest.mark.skipif(bool(os.environ.get("TALLY_REDIS_URL")), reason="the in-memory broker only")
async def test_the_in_memory_queue_lost_in_a_restart_is_delivered_again(
    relay_at_once: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The embedded broker's queue, as a list this test can lose (a worker would drain a real one).
    held: list[str] = []
    monkeypatch.setattr(broker, "enqueue", lambda message, **_: held.append(message.message_id))
    async with unit_of_work() as work:
        row_id = outbox.store(work, message("notifier", "nobody_consumes_this", n=1))
    assert held == [str(row_id)]
    # In flight: kept until its actor is done, out of the relay's way.
    assert await _stored_messages("nobody_consumes_this", in_flight=True) == 1
    assert await _stored_messages("nobody_consumes_this") == 0

    held.clear()  # the process restarts: its in-memory queue is gone
    assert await outbox.release_in_flight() >= 1
    while await outbox.relay_once():
        pass

    assert str(row_id) in held
    async with unit_of_work() as work:
        await work.session.execute(
            delete(outbox.OutboxMessage).where(outbox.OutboxMessage.id == row_id)
        )


async def test_the_servers_own_relay_delivers_what_a_lost_fast_path_left(
    live_server: str, relay_at_once: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    person, account, groceries = await _overspending_setup()
    lost: list[object] = []
    monkeypatch.setattr(outbox, "_fast_path", lambda messages: lost.append(messages))

    result = await execute(SPEND, _purchase(account, groceries, "-80.00"), user_id=person.id)
    assert result.errors is None
    assert lost  # committed; its messages never left through the fast path

    # No one relays here: the embedded server (`tally serve`, the live server) does it itself.
    deadline = asyncio.get_running_loop().time() + 30
    while not await notifications(person):
        assert asyncio.get_running_loop().time() < deadline, "the server's relay did not deliver"
        await asyncio.sleep(0.2)
    assert [n["title"] for n in await notifications(person)] == ["Groceries budget overspent"]


@pytest.mark.skipif(bool(os.environ.get("TALLY_REDIS_URL")), reason="the in-memory broker only")
async def test_a_web_process_of_tally_serve_leaves_its_messages_to_the_jobs_relay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held: list[str] = []
    monkeypatch.setattr(broker, "enqueue", lambda message, **_: held.append(message.message_id))
    monkeypatch.setattr(outbox._Delivery, "hand_over", True)  # what a web process turns on

    async with unit_of_work() as work:
        row_id = outbox.store(work, message("notifier", "nobody_consumes_this", n=2))

    assert held == []  # its own in-memory queue has no consumer: nothing went there
    assert await outbox.any_due()  # due at once, no grace
    assert await _stored_messages("nobody_consumes_this") == 1
    monkeypatch.setattr(outbox._Delivery, "hand_over", False)  # the jobs process
    while await outbox.relay_once():
        pass
    assert str(row_id) in held
    async with unit_of_work() as work:
        await work.session.execute(
            delete(outbox.OutboxMessage).where(outbox.OutboxMessage.id == row_id)
        )
