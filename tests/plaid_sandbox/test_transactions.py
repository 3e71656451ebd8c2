"""/transactions/sync and what changes transactions, through plaid-python."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from plaid import ApiException
from plaid.model.accounts_balance_get_request import (
    AccountsBalanceGetRequest,
)
from plaid.model.accounts_get_request import AccountsGetRequest
from plaid.model.country_code import CountryCode
from plaid.model.custom_sandbox_transaction import (
    CustomSandboxTransaction,
)
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.link_token_create_request import (
    LinkTokenCreateRequest,
)
from plaid.model.link_token_create_request_user import (
    LinkTokenCreateRequestUser,
)
from plaid.model.sandbox_item_reset_login_request import (
    SandboxItemResetLoginRequest,
)
from plaid.model.sandbox_transactions_create_request import (
    SandboxTransactionsCreateRequest,
)
from plaid.model.transactions_refresh_request import (
    TransactionsRefreshRequest,
)
from plaid.model.transactions_sync_request import (
    TransactionsSyncRequest,
)
from plaid.model.transactions_sync_request_options import (
    TransactionsSyncRequestOptions,
)

from plaid_sandbox.client import generate_transactions
from plaid_sandbox.history import generate_history, sandbox_accounts
from tests.plaid_sandbox.harness import CLIENT_ID, SECRET, Emulator, LinkedItem, WebhookReceiver
from tests.support.plaid_link import complete_link


def error_of(call: Any, request: Any) -> dict[str, Any]:
    with pytest.raises(ApiException) as caught:
        call(request)
    body: dict[str, Any] = json.loads(caught.value.body)
    assert body["status"] == caught.value.status == 400
    return body


@dataclass
class Mirror:
    """What a client following Plaid's sync guide would hold for an Item."""

    transactions: dict[str, Any] = field(default_factory=dict)
    cursor: str = ""
    pages: int = 0

    def apply(self, page: Any) -> None:
        for txn in [*page.added, *page.modified]:
            self.transactions[txn.transaction_id] = txn
        for removed in page.removed:
            self.transactions.pop(removed.transaction_id, None)
        self.pages += 1

    def sync(self, api: Any, access_token: str, count: int = 100) -> list[Any]:
        """Fetch every page from the held cursor; adopt the result only when all succeed."""
        pages = []
        cursor = self.cursor
        while True:
            request = TransactionsSyncRequest(access_token=access_token, count=count)
            if cursor:
                request.cursor = cursor
            page = api.transactions_sync(request)
            pages.append(page)
            cursor = page.next_cursor
            if not page.has_more:
                break
        for page in pages:
            self.apply(page)
        self.cursor = cursor
        return pages


def created_on(emulator: Emulator, item: LinkedItem) -> date:
    created_at = emulator.api.item_get(
        ItemGetRequest(access_token=item.access_token)
    ).item.created_at
    result: date = created_at.date()
    return result


def cents(amount: float) -> int:
    exact = Decimal(str(amount)) * 100
    assert exact == exact.to_integral_value(), f"{amount} is not a whole number of cents"
    return int(exact)


def test_full_history_in_pages_of_50(emulator: Emulator) -> None:
    api = emulator.api
    item = emulator.link()
    today = created_on(emulator, item)
    expected = generate_history(item.item_id, sandbox_accounts(item.item_id), today)
    assert 100 <= len(expected) <= 200

    mirror = Mirror()
    pages = mirror.sync(api, item.access_token, count=50)
    assert len(pages) == math.ceil(len(expected) / 50)
    assert [len(page.added) for page in pages[:-1]] == [50] * (len(pages) - 1)
    assert all(not page.modified and not page.removed for page in pages)
    assert [page.has_more for page in pages] == [True] * (len(pages) - 1) + [False]
    first = pages[0]
    assert str(first.transactions_update_status) == "HISTORICAL_UPDATE_COMPLETE"
    assert sorted(account.mask for account in first.accounts) == ["0000", "1111", "3333", "4444"]

    added = [txn for page in pages for txn in page.added]
    assert [txn.transaction_id for txn in added] == [txn["transaction_id"] for txn in expected]
    assert sum(cents(txn.amount) for txn in added) == sum(t["amount_cents"] for t in expected)
    assert {cents(t.amount) for t in added} == {t["amount_cents"] for t in expected}
    assert len(mirror.transactions) == len(expected)

    accounts = api.accounts_get(AccountsGetRequest(access_token=item.access_token)).accounts
    by_mask = {account.mask: account.account_id for account in accounts}
    assert {txn.account_id for txn in added} == {by_mask["0000"], by_mask["3333"]}
    for txn in added:
        assert today - timedelta(days=89) <= txn.date <= today
        assert txn.authorized_date <= txn.date
        assert txn.iso_currency_code == "USD" and txn.unofficial_currency_code is None
        assert txn.name and txn.personal_finance_category.primary
        assert txn.personal_finance_category.detailed.startswith(
            txn.personal_finance_category.primary
        )
        assert txn.pending_transaction_id is None
        if txn.pending:
            assert txn.date >= today - timedelta(days=2)
    assert any(txn.pending for txn in added)

    paychecks = [t for t in added if t.personal_finance_category.detailed == "INCOME_WAGES"]
    assert 5 <= len(paychecks) <= 7 and all(t.amount < 0 for t in paychecks)
    assert len({t.amount for t in paychecks}) == 1
    categories = {t.merchant_name: t.personal_finance_category.detailed for t in added}
    assert categories["Starbucks"] == "FOOD_AND_DRINK_COFFEE"
    assert categories["Netflix"] == "ENTERTAINMENT_TV_AND_MOVIES"
    assert categories["Comcast"] == "RENT_AND_UTILITIES_INTERNET_AND_CABLE"
    grocers = {
        t.merchant_name for t in added if "GROCERIES" in t.personal_finance_category.detailed
    }
    assert grocers <= {"Whole Foods", "Trader Joe's", "Safeway"} and grocers
    rent = [t for t in added if t.personal_finance_category.detailed == "RENT_AND_UTILITIES_RENT"]
    assert len(rent) in (2, 3, 4) and all(t.amount > 1000 for t in rent)

    nothing_new = api.transactions_sync(
        TransactionsSyncRequest(access_token=item.access_token, cursor=mirror.cursor)
    )
    assert (nothing_new.added, nothing_new.modified, nothing_new.removed) == ([], [], [])
    assert nothing_new.next_cursor == mirror.cursor and not nothing_new.has_more


def test_history_is_deterministic_per_item(emulator: Emulator) -> None:
    item = emulator.link()
    today = created_on(emulator, item)
    accounts = sandbox_accounts(item.item_id)
    assert generate_history(item.item_id, accounts, today) == generate_history(
        item.item_id, accounts, today
    )
    other = emulator.link()
    assert generate_history(other.item_id, sandbox_accounts(other.item_id), today) != (
        generate_history(item.item_id, accounts, today)
    )


def test_pending_transactions_post_after_refresh(
    emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    api = emulator.api
    hooks, url = webhook_receiver.new_url()
    item = emulator.link(webhook=url)
    today = created_on(emulator, item)
    mirror = Mirror()
    mirror.sync(api, item.access_token)
    pending = {t.transaction_id: t for t in mirror.transactions.values() if t.pending}
    assert pending

    api.transactions_refresh(TransactionsRefreshRequest(access_token=item.access_token))
    pages = Mirror(cursor=mirror.cursor).sync(api, item.access_token, count=500)
    assert len(pages) == 1
    update = pages[0]
    assert {r.transaction_id for r in update.removed} == set(pending)
    assert {r.account_id for r in update.removed} == {t.account_id for t in pending.values()}
    posted = [t for t in update.added if not t.pending]
    assert {t.pending_transaction_id for t in posted} == set(pending)
    for txn in posted:
        was = pending[txn.pending_transaction_id]
        assert txn.transaction_id not in pending
        assert (txn.amount, txn.account_id, txn.name) == (was.amount, was.account_id, was.name)
        assert txn.authorized_date == was.authorized_date and txn.date == today
    fresh = [t for t in update.added if t.pending]
    assert len(fresh) == 1 and fresh[0].date == today and fresh[0].pending_transaction_id is None

    mirror.sync(api, item.access_token, count=1)
    assert not set(pending) & set(mirror.transactions)
    assert sum(t.pending for t in mirror.transactions.values()) == 1

    received = webhook_receiver.wait_for(hooks, 2)
    codes = [json.loads(hook.body)["webhook_code"] for hook in received]
    assert codes == ["SYNC_UPDATES_AVAILABLE", "SYNC_UPDATES_AVAILABLE"]


def test_sandbox_transactions_create(emulator: Emulator, webhook_receiver: WebhookReceiver) -> None:
    api = emulator.api
    hooks, url = webhook_receiver.new_url()
    item = emulator.link(webhook=url)
    today = created_on(emulator, item)
    mirror = Mirror()
    mirror.sync(api, item.access_token, count=500)
    before = dict(mirror.transactions)

    def custom(days_ago: int, posted_days_ago: int, amount: float, description: str) -> Any:
        return CustomSandboxTransaction(
            date_transacted=today - timedelta(days=days_ago),
            date_posted=today - timedelta(days=posted_days_ago),
            amount=amount,
            description=description,
            iso_currency_code="USD",
        )

    api.sandbox_transactions_create(
        SandboxTransactionsCreateRequest(
            access_token=item.access_token,
            transactions=[
                custom(3, 2, 42.17, "WHOLE FOODS MARKET #10234 SAN FRANCISCO"),
                custom(1, 0, -1250.05, "ACME CORP PAYROLL DIRECT DEP"),
                custom(0, 0, 0.1, "Mystery Shop 42"),
            ],
        )
    )
    pages = mirror.sync(api, item.access_token)
    assert [len(page.added) for page in pages] == [3]
    new = {t.name: t for t in pages[0].added}
    accounts = api.accounts_get(AccountsGetRequest(access_token=item.access_token)).accounts
    checking = next(a.account_id for a in accounts if a.mask == "0000")
    assert {t.account_id for t in new.values()} == {checking}
    assert all(not t.pending and t.iso_currency_code == "USD" for t in new.values())

    groceries = new["WHOLE FOODS MARKET #10234 SAN FRANCISCO"]
    assert cents(groceries.amount) == 4217
    assert groceries.merchant_name == "Whole Foods"
    assert groceries.personal_finance_category.primary == "FOOD_AND_DRINK"
    assert groceries.personal_finance_category.detailed == "FOOD_AND_DRINK_GROCERIES"
    assert groceries.date == today - timedelta(days=2)
    assert groceries.authorized_date == today - timedelta(days=3)
    pay = new["ACME CORP PAYROLL DIRECT DEP"]
    assert cents(pay.amount) == -125005
    assert pay.personal_finance_category.detailed == "INCOME_WAGES"
    other = new["Mystery Shop 42"]
    assert cents(other.amount) == 10 and other.merchant_name is None
    assert other.personal_finance_category.confidence_level == "LOW"
    assert set(before) < set(mirror.transactions)

    codes = [json.loads(h.body)["webhook_code"] for h in webhook_receiver.wait_for(hooks, 2)]
    assert codes == ["SYNC_UPDATES_AVAILABLE"] * 2

    too_many = SandboxTransactionsCreateRequest(
        access_token=item.access_token, transactions=[custom(1, 1, 1.0, "x")] * 11
    )
    assert error_of(api.sandbox_transactions_create, too_many)["error_code"] == "INVALID_FIELD"
    too_old = SandboxTransactionsCreateRequest(
        access_token=item.access_token, transactions=[custom(20, 19, 1.0, "old")]
    )
    assert error_of(api.sandbox_transactions_create, too_old)["error_code"] == "INVALID_FIELD"
    backwards = SandboxTransactionsCreateRequest(
        access_token=item.access_token, transactions=[custom(1, 2, 1.0, "posted first")]
    )
    assert error_of(api.sandbox_transactions_create, backwards)["error_code"] == "INVALID_FIELD"
    fractional = SandboxTransactionsCreateRequest(
        access_token=item.access_token, transactions=[custom(1, 1, 1.234, "a third of a cent")]
    )
    assert error_of(api.sandbox_transactions_create, fractional)["error_code"] == "INVALID_FIELD"
    assert mirror.sync(api, item.access_token)[0].added == []


def _generate(emulator: Emulator, item: LinkedItem, count: int, days: int | None = None) -> int:
    return generate_transactions(
        emulator.base_url,
        client_id=CLIENT_ID,
        secret=SECRET,
        access_token=item.access_token,
        count=count,
        days=days,
    )


def _pages(emulator: Emulator, item: LinkedItem, cursor: str) -> tuple[list[Any], str]:
    """Every page from `cursor`, as JSON (plaid-python takes seconds to build a page of 500
    transactions into its models; the tests above prove it parses them)."""
    pages = []
    while True:
        body = {"client_id": CLIENT_ID, "secret": SECRET, "access_token": item.access_token}
        body |= {"count": 500, "cursor": cursor} if cursor else {"count": 500}
        response = httpx.post(f"{emulator.base_url}/transactions/sync", json=body, timeout=30)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        cursor = pages[-1]["next_cursor"]
        if not pages[-1]["has_more"]:
            return pages, cursor


def test_a_big_item_built_in_one_call_pages_whole_and_once(emulator: Emulator) -> None:
    item = emulator.link()
    today = created_on(emulator, item)
    history, cursor = _pages(emulator, item, "")
    known = {t["transaction_id"] for page in history for t in page["added"]}

    assert _generate(emulator, item, 6_000, days=400) == 6_000

    pages, cursor = _pages(emulator, item, cursor)
    assert len(pages) == 12
    new = [t for page in pages for t in page["added"]]
    assert all(page["modified"] == page["removed"] == [] for page in pages)
    assert len(new) == len({t["transaction_id"] for t in new} - known) == 6_000
    assert all(not t["pending"] and t["iso_currency_code"] == "USD" for t in new)
    assert min(t["date"] for t in new) == (today - timedelta(days=399)).isoformat()
    assert max(t["date"] for t in new) == today.isoformat()
    assert len({t["account_id"] for t in new}) == 2
    assert _pages(emulator, item, cursor)[0][0]["added"] == []


@pytest.mark.parametrize(("count", "days"), [(0, None), (100_001, None), (1, 0), (1, 731)], ids=str)
def test_generating_is_bounded(emulator: Emulator, count: int, days: int | None) -> None:
    item = emulator.link()
    with pytest.raises(httpx.HTTPStatusError) as caught:
        _generate(emulator, item, count, days)
    body = caught.value.response.json()
    assert (caught.value.response.status_code, body["error_code"]) == (400, "INVALID_FIELD")


def test_mutation_during_pagination_then_restart(emulator: Emulator) -> None:
    api = emulator.api
    item = emulator.link()
    today = created_on(emulator, item)
    expected = generate_history(item.item_id, sandbox_accounts(item.item_id), today)

    first = api.transactions_sync(TransactionsSyncRequest(access_token=item.access_token, count=50))
    assert first.has_more
    api.sandbox_transactions_create(
        SandboxTransactionsCreateRequest(
            access_token=item.access_token,
            transactions=[
                CustomSandboxTransaction(
                    date_transacted=today, date_posted=today, amount=12.34, description="Safeway"
                )
            ],
        )
    )
    mid_run = TransactionsSyncRequest(
        access_token=item.access_token, cursor=first.next_cursor, count=50
    )
    error = error_of(api.transactions_sync, mid_run)
    assert error["error_type"] == "TRANSACTIONS_ERROR"
    assert error["error_code"] == "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"

    mirror = Mirror()
    pages = mirror.sync(api, item.access_token, count=50)
    assert len(pages) == math.ceil((len(expected) + 1) / 50)
    assert len(mirror.transactions) == len(expected) + 1
    total = sum(t["amount_cents"] for t in expected) + 1234
    assert sum(cents(t.amount) for t in mirror.transactions.values()) == total

    # The same from a cursor that is not the beginning: the restart point is the held cursor.
    api.transactions_refresh(TransactionsRefreshRequest(access_token=item.access_token))
    held = mirror.cursor
    page = api.transactions_sync(
        TransactionsSyncRequest(access_token=item.access_token, cursor=held, count=1)
    )
    assert page.has_more
    api.transactions_refresh(TransactionsRefreshRequest(access_token=item.access_token))
    continued = TransactionsSyncRequest(
        access_token=item.access_token, cursor=page.next_cursor, count=1
    )
    error = error_of(api.transactions_sync, continued)
    assert error["error_code"] == "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"
    assert mirror.cursor == held
    mirror.sync(api, item.access_token, count=2)
    pending = [t for t in mirror.transactions.values() if t.pending]
    assert len(pending) == 1
    assert all(
        t.pending_transaction_id not in mirror.transactions for t in mirror.transactions.values()
    )


def test_sync_one_account(emulator: Emulator) -> None:
    api = emulator.api
    item = emulator.link()
    accounts = api.accounts_get(AccountsGetRequest(access_token=item.access_token)).accounts
    card = next(a.account_id for a in accounts if a.mask == "3333")
    page = api.transactions_sync(
        TransactionsSyncRequest(
            access_token=item.access_token,
            count=20,
            options=TransactionsSyncRequestOptions(account_id=card),
        )
    )
    assert [a.account_id for a in page.accounts] == [card]
    assert page.added and {t.account_id for t in page.added} == {card}
    unknown = TransactionsSyncRequest(
        access_token=item.access_token,
        options=TransactionsSyncRequestOptions(account_id="no-such-account"),
    )
    assert error_of(api.transactions_sync, unknown)["error_code"] == "INVALID_ACCOUNT_ID"


def test_bad_cursor(emulator: Emulator) -> None:
    api = emulator.api
    item = emulator.link()
    other = emulator.link()
    first = api.transactions_sync(TransactionsSyncRequest(access_token=other.access_token, count=1))
    for cursor in ("not-a-cursor", first.next_cursor):
        request = TransactionsSyncRequest(access_token=item.access_token, cursor=cursor)
        assert error_of(api.transactions_sync, request)["error_code"] == "INVALID_FIELD"


def test_reset_login_requires_update_mode(
    emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    api = emulator.api
    hooks, url = webhook_receiver.new_url()
    item = emulator.link(webhook=url)
    assert api.sandbox_item_reset_login(
        SandboxItemResetLoginRequest(access_token=item.access_token)
    ).reset_login

    for call, request in (
        (api.accounts_get, AccountsGetRequest(access_token=item.access_token)),
        (api.accounts_balance_get, AccountsBalanceGetRequest(access_token=item.access_token)),
        (api.transactions_sync, TransactionsSyncRequest(access_token=item.access_token)),
        (api.transactions_refresh, TransactionsRefreshRequest(access_token=item.access_token)),
    ):
        error = error_of(call, request)
        assert (error["error_type"], error["error_code"]) == ("ITEM_ERROR", "ITEM_LOGIN_REQUIRED")
    got = api.item_get(ItemGetRequest(access_token=item.access_token))
    assert got.item.error.error_code == "ITEM_LOGIN_REQUIRED"
    assert str(got.item.error.error_type) == "ITEM_ERROR"

    # Webhooks carry no order: the initial SYNC_UPDATES_AVAILABLE may come after this one.
    received = [json.loads(hook.body) for hook in webhook_receiver.wait_for(hooks, 2)]
    error_hook = next(body for body in received if body["webhook_type"] == "ITEM")
    assert error_hook["webhook_code"] == "ERROR"
    assert error_hook["error"]["error_code"] == "ITEM_LOGIN_REQUIRED"
    assert error_hook["item_id"] == item.item_id

    token = api.link_token_create(
        LinkTokenCreateRequest(
            client_name="Tally",
            language="en",
            country_codes=[CountryCode("US")],
            user=LinkTokenCreateRequestUser(client_user_id="user-1"),
            access_token=item.access_token,
        )
    ).link_token
    # The user signs in again through Link's update mode.
    complete_link(emulator.base_url, token)
    assert api.item_get(ItemGetRequest(access_token=item.access_token)).item.error is None
    assert len(api.accounts_get(AccountsGetRequest(access_token=item.access_token)).accounts) == 4
    synced = api.transactions_sync(TransactionsSyncRequest(access_token=item.access_token, count=1))
    assert len(synced.added) == 1 and synced.has_more
