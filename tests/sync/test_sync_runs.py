"""Sync runs against the live server's Plaid: idempotent, exact, restartable, crash-safe.

Items here are linked without a webhook URL, so after the first sync (which linking enqueues)
nothing syncs them behind the test's back: each test drives the runs itself.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.ledger import api as ledger_api
from services.sync import api
from services.sync.health import repository as health_repository
from services.sync.health import service as health
from services.sync.models import ItemStatus
from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from services.sync.plaid.records import SyncPage
from services.sync.runs import repository, service
from services.sync.runs.repository import Position
from shared.clock import utcnow
from shared.db import read_session, unit_of_work
from tests.support.graphql import data
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")

UPDATE_TRANSACTION = """mutation($input: UpdateTransactionInput!) {
  updateTransaction(input: $input) { transaction { id notes category { id name } } } }"""


async def _linked_and_synced() -> bank.LinkedBank:
    linked = await bank.link_bank(await bank.new_user())
    await bank.first_sync_done(linked)
    return linked


async def _assert_ledger_matches_plaid(linked: bank.LinkedBank) -> list[dict[str, Any]]:
    expected = await bank.in_thread(bank.plaid_transactions, linked.access_token)
    rows = await bank.ledger_transactions(linked.user_id)
    assert bank.fingerprint(rows) == bank.expected_fingerprint(expected)
    return rows


async def test_syncing_again_adds_nothing_and_keeps_the_cursor() -> None:
    linked = await _linked_and_synced()
    before = await bank.stored_item(linked.item_ref)
    rows_before = await bank.ledger_transactions(linked.user_id)

    for _ in range(2):
        result = await service.sync_linked_item(linked.item_ref)
        assert (result.outcome, result.added, result.updated, result.removed) == (
            "synced",
            0,
            0,
            0,
        )
    after = await bank.stored_item(linked.item_ref)
    assert after.cursor == before.cursor
    assert after.last_synced_at is not None and before.last_synced_at is not None
    assert after.last_synced_at > before.last_synced_at
    assert bank.fingerprint(await bank.ledger_transactions(linked.user_id)) == bank.fingerprint(
        rows_before
    )


async def test_money_in_an_unsupported_currency_stops_the_item_instead_of_being_skipped() -> None:
    linked = await _linked_and_synced()
    before = await bank.stored_item(linked.item_ref)
    rows_before = await bank.ledger_transactions(linked.user_id)
    await bank.in_thread(
        bank.add_transactions, linked.access_token, [("Coin Exchange", "0.50")], currency="XBT"
    )

    result = await service.sync_linked_item(linked.item_ref)

    assert result.outcome == "error"
    stopped = await bank.stored_item(linked.item_ref)
    assert (stopped.status, stopped.error_code) == (ItemStatus.ERROR, "UNSUPPORTED_CURRENCY")
    assert stopped.cursor == before.cursor  # nothing skipped: the next sync starts here again
    assert bank.fingerprint(await bank.ledger_transactions(linked.user_id)) == bank.fingerprint(
        rows_before
    )


async def test_new_bank_transactions_arrive_exactly_once_with_the_ledgers_sign() -> None:
    linked = await _linked_and_synced()
    before = await bank.ledger_transactions(linked.user_id)
    await bank.in_thread(
        bank.add_transactions,
        linked.access_token,
        [("Whole Foods Market", "12.34"), ("Payroll deposit ACME", "-2500.10")],
    )
    result = await service.sync_linked_item(linked.item_ref)
    assert result.added == 2
    again = await service.sync_linked_item(linked.item_ref)
    assert again.added == 0

    rows = await _assert_ledger_matches_plaid(linked)
    new = [row for row in rows if row["id"] not in {old["id"] for old in before}]
    assert len(rows) == len(before) + 2
    by_amount = {row["amount"]["amount"]: row for row in new}
    assert set(by_amount) == {"-12.34", "2500.10"}  # money out negative, money in positive
    assert by_amount["-12.34"]["category"]["name"] == "Groceries"
    assert by_amount["-12.34"]["account"]["type"] == "CHECKING"
    assert by_amount["2500.10"]["category"]["name"] == "Income"


async def test_concurrent_syncs_of_one_item_apply_its_update_once() -> None:
    linked = await _linked_and_synced()
    await bank.in_thread(
        bank.add_transactions,
        linked.access_token,
        [(f"Corner shop {n}", f"{n}.05") for n in range(1, 8)],
    )
    results = await asyncio.gather(
        *(service.sync_linked_item(linked.item_ref, page_size=3) for _ in range(4))
    )
    # A run that finds another storing the item's pages leaves the rest to it.
    assert {result.outcome for result in results} <= {"synced", "superseded"}
    assert any(result.outcome == "synced" for result in results)
    assert sum(result.added for result in results) == 7
    await _assert_ledger_matches_plaid(linked)
    assert (await bank.stored_item(linked.item_ref)).pagination_pass is None


async def test_a_cursor_that_moved_is_never_moved_back() -> None:
    linked = await _linked_and_synced()
    item = await bank.stored_item(linked.item_ref)
    # A run that started from an older cursor than the stored one loses the compare-and-set.
    async with unit_of_work() as work:
        moved = await repository.advance(
            work.session,
            item.id,
            expected=Position("an-older-cursor"),
            new=Position("a-cursor-from-an-older-run"),
            run_started_at=utcnow(),
        )
    assert not moved
    assert (await bank.stored_item(linked.item_ref)).cursor == item.cursor


async def test_a_run_does_not_undo_a_status_the_bank_reported_while_it_was_fetching() -> None:
    linked = await _linked_and_synced()
    item = await bank.stored_item(linked.item_ref)
    fetch_started = utcnow()
    # While the run fetched its page, a webhook said the login broke.
    await health.set_item_status(item.id, ItemStatus.LOGIN_REQUIRED, "ITEM_LOGIN_REQUIRED")
    async with unit_of_work() as work:
        assert await repository.advance(
            work.session,
            item.id,
            expected=Position.of(item),
            new=Position(item.cursor),
            run_started_at=fetch_started,
        )
    stored = await bank.stored_item(linked.item_ref)
    assert (stored.status, stored.error_code) == (ItemStatus.LOGIN_REQUIRED, "ITEM_LOGIN_REQUIRED")
    # A run that started after the status changed proves the login works again.
    result = await service.sync_linked_item(linked.item_ref)
    assert result.outcome == "synced"
    stored = await bank.stored_item(linked.item_ref)
    assert (stored.status, stored.error_code) == (ItemStatus.HEALTHY, None)


async def test_a_failed_run_does_not_undo_a_repair_reported_while_it_was_fetching() -> None:
    linked = await _linked_and_synced()
    item = await bank.stored_item(linked.item_ref)
    fetch_started = utcnow()
    # The run's fetch fails with ITEM_LOGIN_REQUIRED; before it records that, LOGIN_REPAIRED.
    await health.set_item_status(item.id, ItemStatus.HEALTHY, None)
    failure = PlaidError(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED", "login required")
    await service._record_failure(item, failure, 0, fetch_started)
    stored = await bank.stored_item(linked.item_ref)
    assert (stored.status, stored.error_code) == (ItemStatus.HEALTHY, None)
    # Observed after everything else, the same failure is recorded.
    await service._record_failure(item, failure, 0, utcnow())
    stored = await bank.stored_item(linked.item_ref)
    assert (stored.status, stored.error_code) == (ItemStatus.LOGIN_REQUIRED, "ITEM_LOGIN_REQUIRED")


async def test_a_pending_transaction_that_posts_keeps_the_users_edits() -> None:
    linked = await _linked_and_synced()
    # Plaid's refresh posts what was pending and shows a new purchase as pending.
    await bank.in_thread(bank.refresh, linked.access_token)
    await service.sync_linked_item(linked.item_ref)
    rows = await bank.ledger_transactions(linked.user_id)
    pending = next(row for row in rows if row["pending"])
    categories = (await data("{ categories { id name } }", user_id=linked.user_id))["categories"]
    dining = next(c for c in categories if c["name"] == "Dining")
    await data(
        UPDATE_TRANSACTION,
        {"input": {"id": pending["id"], "notes": "split with Sam", "categoryId": dining["id"]}},
        user_id=linked.user_id,
    )

    await bank.in_thread(bank.refresh, linked.access_token)
    result = await service.sync_linked_item(linked.item_ref, page_size=1)
    # Pages are stored one by one: the pending one's removal and its posted version arrive on
    # different pages, and the posted one takes over the removed row's id and edits.
    assert result.pages > 1 and result.removed >= 1

    rows = await _assert_ledger_matches_plaid(linked)
    posted = next(row for row in rows if row["id"] == pending["id"])
    assert posted["pending"] is False
    assert posted["notes"] == "split with Sam"
    assert posted["category"]["name"] == "Dining"
    assert Decimal(posted["amount"]["amount"]) == Decimal(pending["amount"]["amount"])
    assert len([row for row in rows if row["notes"] == "split with Sam"]) == 1


async def test_a_transaction_added_and_settled_within_one_update_lands_once_posted() -> None:
    linked = await _linked_and_synced()
    # Two refreshes before a sync: a purchase shows up pending, then posts; page size 1 puts
    # its add, its removal and its posted version on different pages of one update.
    await bank.in_thread(bank.refresh, linked.access_token)
    await bank.in_thread(bank.refresh, linked.access_token)
    await service.sync_linked_item(linked.item_ref, page_size=1)
    rows = await _assert_ledger_matches_plaid(linked)
    assert len([row for row in rows if row["pending"]]) == 1  # only the newest purchase


async def test_a_transaction_the_bank_removes_is_removed_from_the_ledger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linked = await _linked_and_synced()
    current = await bank.in_thread(bank.plaid_transactions, linked.access_token)
    victim = next(t for t in current.values() if not t.pending)
    rows_before = await bank.ledger_transactions(linked.user_id)
    real_page = plaid_client.sync_transactions_page

    async def page_with_a_removal(access_token: str, cursor: str | None, count: int) -> SyncPage:
        page = await real_page(access_token, cursor, count)
        if access_token != linked.access_token:
            return page
        return dataclasses.replace(page, removed=[victim.transaction_id])

    monkeypatch.setattr(plaid_client, "sync_transactions_page", page_with_a_removal)
    result = await service.sync_linked_item(linked.item_ref)
    assert result.removed == 1
    rows = await bank.ledger_transactions(linked.user_id)
    assert len(rows) == len(rows_before) - 1
    gone = (victim.date.isoformat(), victim.amount, victim.description, victim.pending)
    assert bank.fingerprint(rows).count(gone) == bank.fingerprint(rows_before).count(gone) - 1


async def test_a_mutation_during_pagination_restarts_the_run_from_its_first_cursor() -> None:
    linked = await _linked_and_synced()
    await bank.in_thread(
        bank.add_transactions,
        linked.access_token,
        [(f"Farmers market stall {n}", f"{n}.25") for n in range(1, 10)],
    )
    injected: list[int] = []

    async def bank_changes_between_pages(page_number: int) -> None:
        if not injected:
            injected.append(page_number)
            await bank.in_thread(
                bank.add_transactions, linked.access_token, [("Late night taxi", "23.40")]
            )

    start = (await bank.stored_item(linked.item_ref)).cursor
    result = await service.sync_linked_item(
        linked.item_ref, page_size=2, between_pages=bank_changes_between_pages
    )
    assert injected == [1]
    assert result.restarts == 1
    assert result.added == 10  # the nine, and the one that arrived mid-run, each once
    rows = await _assert_ledger_matches_plaid(linked)
    assert len([row for row in rows if row["description"] == "Late night taxi"]) == 1
    assert (await bank.stored_item(linked.item_ref)).cursor != start


async def test_endless_mutations_give_up_and_a_retry_finishes_from_what_was_stored() -> None:
    linked = await _linked_and_synced()
    await bank.in_thread(
        bank.add_transactions, linked.access_token, [("Cafe", "3.10"), ("Cafe", "3.20")]
    )
    rows_before = await bank.ledger_transactions(linked.user_id)

    async def always_changing(_page: int) -> None:
        await bank.in_thread(bank.add_transactions, linked.access_token, [("Cafe", "1.00")])

    with pytest.raises(service.SyncRestartsExhausted):
        await service.sync_linked_item(linked.item_ref, page_size=1, between_pages=always_changing)
    # The pages stored stay, each once: the item is mid-pagination, on a later pass.
    stopped = await bank.stored_item(linked.item_ref)
    assert stopped.pagination_pass is not None and stopped.pagination_pass > 0
    rows = await bank.ledger_transactions(linked.user_id)
    expected = bank.expected_fingerprint(
        await bank.in_thread(bank.plaid_transactions, linked.access_token)
    )
    assert set(bank.fingerprint(rows)) <= set(expected)
    assert len(rows) > len(rows_before)

    result = await service.sync_linked_item(linked.item_ref, page_size=1)
    assert result.outcome == "synced" and result.restarts == 1
    await _assert_ledger_matches_plaid(linked)
    assert (await bank.stored_item(linked.item_ref)).pagination_pass is None


async def test_a_run_killed_mid_pagination_is_finished_by_the_next_exactly_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linked = await _linked_and_synced()
    rows_before = await bank.ledger_transactions(linked.user_id)
    await bank.in_thread(
        bank.add_transactions,
        linked.access_token,
        [(f"Book shop {n}", f"{n}.40") for n in range(1, 10)],
    )
    real_ingest = ledger_api.ingest_bank_transactions
    stored_pages: list[int] = []

    async def killed_on_the_third_page(
        work: Any, batch: ledger_api.BankTransactionBatch
    ) -> ledger_api.IngestResult:
        result = await real_ingest(work, batch)  # the rows are written, then the worker dies
        stored_pages.append(len(batch.added))
        if len(stored_pages) == 3:
            raise RuntimeError("worker killed mid-transaction")
        return result

    monkeypatch.setattr(ledger_api, "ingest_bank_transactions", killed_on_the_third_page)
    with pytest.raises(RuntimeError, match="worker killed"):
        await service.sync_linked_item(linked.item_ref, page_size=2)
    # Two pages stored with their cursor; the third rolled back.
    stopped = await bank.stored_item(linked.item_ref)
    assert stopped.pagination_pass == 0
    assert len(await bank.ledger_transactions(linked.user_id)) == len(rows_before) + 4

    monkeypatch.setattr(ledger_api, "ingest_bank_transactions", real_ingest)
    result = await service.sync_linked_item(linked.item_ref, page_size=2)
    assert (result.outcome, result.added, result.restarts) == ("synced", 5, 0)
    rows = await _assert_ledger_matches_plaid(linked)
    assert len(rows) == len(rows_before) + 9
    assert (await bank.stored_item(linked.item_ref)).pagination_pass is None


async def test_a_pagination_killed_then_changed_at_the_bank_starts_again_exactly_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linked = await _linked_and_synced()
    rows_before = await bank.ledger_transactions(linked.user_id)
    await bank.in_thread(
        bank.add_transactions,
        linked.access_token,
        [(f"Bakery {n}", f"{n}.15") for n in range(1, 8)],
    )

    async def killed_after_two_pages(page_number: int) -> None:
        if page_number == 2:
            raise RuntimeError("worker killed between pages")

    with pytest.raises(RuntimeError, match="worker killed"):
        await service.sync_linked_item(
            linked.item_ref, page_size=2, between_pages=killed_after_two_pages
        )
    # Meanwhile the bank changes: the stored cursor is mid-pagination of an update that is
    # gone, so the next run starts the pagination again from where it started.
    await bank.in_thread(bank.refresh, linked.access_token)
    result = await service.sync_linked_item(linked.item_ref, page_size=2)
    assert result.outcome == "synced" and result.restarts == 1
    rows = await _assert_ledger_matches_plaid(linked)
    assert len([row for row in rows if row["description"].startswith("Bakery")]) == 7
    assert len(rows) > len(rows_before) + 7  # and the refresh's new purchase


async def test_what_came_and_went_while_a_pagination_started_again_is_removed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linked = await _linked_and_synced()
    await bank.in_thread(
        bank.add_transactions,
        linked.access_token,
        [("Record store", "20.00"), ("Florist", "30.00"), ("Tailor", "40.00")],
    )
    real_page = plaid_client.sync_transactions_page
    florist: list[str] = []
    started_again: list[bool] = []

    async def florist_gone_when_asked_again(
        access_token: str, cursor: str | None, count: int
    ) -> SyncPage:
        page = await real_page(access_token, cursor, count)
        florist.extend(t.transaction_id for t in page.added if t.name == "Florist")
        if not started_again:
            return page
        # Plaid, asked again from the start, reports changes since then: the florist's
        # transaction came and went after that cursor, so it is in no page at all.
        return dataclasses.replace(page, added=[t for t in page.added if t.name != "Florist"])

    async def bank_changes_after_the_first_page(_page: int) -> None:
        if not started_again:
            started_again.append(True)
            await bank.in_thread(bank.add_transactions, linked.access_token, [("Cobbler", "5")])

    monkeypatch.setattr(plaid_client, "sync_transactions_page", florist_gone_when_asked_again)
    result = await service.sync_linked_item(
        linked.item_ref, page_size=2, between_pages=bank_changes_after_the_first_page
    )
    assert result.restarts == 1 and florist
    descriptions = [row["description"] for row in await bank.ledger_transactions(linked.user_id)]
    assert "Florist" not in descriptions
    assert all(descriptions.count(kept) == 1 for kept in ("Record store", "Tailor", "Cobbler"))
    assert (await bank.stored_item(linked.item_ref)).pagination_pass is None


async def test_a_crash_while_storing_leaves_the_cursor_and_the_rows_untouched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linked = await _linked_and_synced()
    await bank.in_thread(bank.add_transactions, linked.access_token, [("Hardware store", "56.78")])
    before = await bank.stored_item(linked.item_ref)
    rows_before = await bank.ledger_transactions(linked.user_id)
    real_ingest = ledger_api.ingest_bank_transactions

    async def crashing_ingest(
        work: Any, batch: ledger_api.BankTransactionBatch
    ) -> ledger_api.IngestResult:
        result = await real_ingest(work, batch)  # the rows are written, then the run dies
        if batch.item_ref == linked.item_ref:
            raise RuntimeError("worker killed mid-transaction")
        return result

    monkeypatch.setattr(ledger_api, "ingest_bank_transactions", crashing_ingest)
    with pytest.raises(RuntimeError, match="worker killed"):
        await service.sync_linked_item(linked.item_ref)
    after = await bank.stored_item(linked.item_ref)
    assert after.cursor == before.cursor
    assert after.last_synced_at == before.last_synced_at
    assert bank.fingerprint(await bank.ledger_transactions(linked.user_id)) == bank.fingerprint(
        rows_before
    )

    monkeypatch.setattr(ledger_api, "ingest_bank_transactions", real_ingest)
    result = await service.sync_linked_item(linked.item_ref)
    assert result.added == 1
    rows = await _assert_ledger_matches_plaid(linked)
    assert len(rows) == len(rows_before) + 1


def _page(next_cursor: str) -> SyncPage:
    return SyncPage(
        added=[], modified=[], removed=[], accounts=[], next_cursor=next_cursor, has_more=False
    )


async def test_data_not_ready_keeps_the_old_cursor_and_asks_for_a_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linked = await _linked_and_synced()
    before = await bank.stored_item(linked.item_ref)

    async def not_ready(*_args: Any) -> SyncPage:
        return _page("")

    monkeypatch.setattr(plaid_client, "sync_transactions_page", not_ready)
    with pytest.raises(service.SyncNotReady):
        await service.sync_linked_item(linked.item_ref)
    assert (await bank.stored_item(linked.item_ref)).cursor == before.cursor


@pytest.mark.parametrize(
    "failure",
    [
        PlaidError(429, "RATE_LIMIT_EXCEEDED", "TRANSACTIONS_SYNC_LIMIT", "slow down"),
        PlaidError(500, "API_ERROR", "INTERNAL_SERVER_ERROR", "oops"),
        PlaidError(None, "NETWORK_ERROR", "CONNECTION_FAILED", "ProtocolError"),
    ],
    ids=["rate-limited", "plaid-5xx", "connection-dropped"],
)
async def test_passing_failures_are_raised_for_a_retry_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch, failure: PlaidError
) -> None:
    linked = await _linked_and_synced()
    before = await bank.stored_item(linked.item_ref)

    async def failing(*_args: Any) -> SyncPage:
        raise failure

    monkeypatch.setattr(plaid_client, "sync_transactions_page", failing)
    with pytest.raises(PlaidError) as raised:
        await service.sync_linked_item(linked.item_ref)
    assert raised.value.retryable
    after = await bank.stored_item(linked.item_ref)
    assert (after.cursor, after.status) == (before.cursor, ItemStatus.HEALTHY)


async def test_the_scheduler_resyncs_healthy_items_whose_webhooks_went_missing() -> None:
    stale = await _linked_and_synced()
    broken = await _linked_and_synced()
    fresh = await _linked_and_synced()
    long_ago = utcnow() - timedelta(hours=7)
    async with unit_of_work() as work:
        for linked in (stale, broken):
            await health_repository.update_item(
                work.session, linked.item_ref, last_synced_at=long_ago
            )
    await health.set_item_status(broken.item_ref, ItemStatus.LOGIN_REQUIRED, "ITEM_LOGIN_REQUIRED")

    async with read_session() as session:
        due = await repository.due_item_ids(session, synced_before=utcnow(), limit=10_000)
        overdue = await repository.due_item_ids(
            session, synced_before=utcnow() - service.SCHEDULED_SYNC_INTERVAL, limit=10_000
        )
    assert stale.item_ref in overdue and fresh.item_ref in due
    assert fresh.item_ref not in overdue
    assert broken.item_ref not in due  # it cannot sync until the user signs in again

    assert await api.enqueue_due_syncs() >= 1

    async def resynced() -> bool:
        item = await bank.stored_item(stale.item_ref)
        synced_at = item.last_synced_at
        return synced_at is not None and synced_at > long_ago

    await bank.until(resynced)
