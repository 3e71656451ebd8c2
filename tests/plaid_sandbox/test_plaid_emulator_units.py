"""The emulator's parts on their own: contract checker, history, change log, state file."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from plaid_sandbox import app as emulator_app
from plaid_sandbox import errors
from plaid_sandbox.changelog import read_page
from plaid_sandbox.history import (
    HISTORY_DAYS,
    categorize,
    generate_history,
    make_transaction,
    sandbox_accounts,
)
from plaid_sandbox.render import render_transaction
from plaid_sandbox.state import LogEntry, StateStore, TxnRecord
from plaid_sandbox.webhooks import new_signing_key
from tests.support.plaid_contract import PlaidContract, assert_all_valid, make_recorder


def sync_body(transactions: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {
            "transactions_update_status": "HISTORICAL_UPDATE_COMPLETE",
            "accounts": [],
            "added": transactions,
            "modified": [],
            "removed": [],
            "next_cursor": "c",
            "has_more": False,
            "request_id": "r",
        }
    ).encode()


def sample_transaction() -> TxnRecord:
    accounts = sandbox_accounts("item-x")
    return generate_history("item-x", accounts, date(2025, 3, 31))[0]


def test_contract_accepts_emulator_transactions(plaid_contract: PlaidContract) -> None:
    body = sync_body([render_transaction(sample_transaction())])
    assert plaid_contract.violations("/transactions/sync", 200, body) == []


def test_contract_reports_every_violation(plaid_contract: PlaidContract) -> None:
    good = render_transaction(sample_transaction())
    missing = {key: value for key, value in good.items() if key != "pending"}
    bad_date = {**good, "date": "2025-3-1"}
    null_amount = {**good, "amount": None}
    record, records = make_recorder()
    record("/transactions/sync", 200, sync_body([missing, bad_date, null_amount]))
    record("/accounts/get", 400, b'{"error_type": "ITEM_ERROR", "error_code": "X"}')
    record("/accounts/get", 200, b"[]")
    record("/item/get", 302, b"{}")
    with pytest.raises(AssertionError) as caught:
        assert_all_valid(records, plaid_contract)
    report = str(caught.value)
    assert report.startswith("9 Plaid contract violation(s)")
    for expected in (
        "'pending' is a required property",
        "'2025-3-1' is not a 'date'",
        "None is not of type 'number'",
        "error body has no request_id",
        "'error_message' is a required property",
        "body is not a JSON object",
        "unexpected HTTP status 302",
    ):
        assert expected in report


def test_contract_checks_webhooks(plaid_contract: PlaidContract) -> None:
    assert plaid_contract.webhook_violations({"webhook_type": "ITEM", "webhook_code": "NOPE"}) == [
        "no schema known for webhook ('ITEM', 'NOPE')"
    ]
    problems = plaid_contract.webhook_violations(
        {"webhook_type": "ITEM", "webhook_code": "ERROR", "item_id": "i", "environment": "sandbox"}
    )
    assert problems == ["(body): 'error' is a required property"]


def test_history_shape() -> None:
    end = date(2025, 6, 30)
    for n in range(12):
        item_id = f"item-{n}"
        history = generate_history(item_id, sandbox_accounts(item_id), end)
        assert 100 <= len(history) <= 200
        days = [date.fromisoformat(txn["date"]) for txn in history]
        assert days == sorted(days)
        assert min(days) >= end - timedelta(days=HISTORY_DAYS - 1) and max(days) <= end
        pending = [txn for txn in history if txn["pending"]]
        assert pending and all(txn["date"] >= "2025-06-28" for txn in pending)
        assert all(isinstance(txn["amount_cents"], int) for txn in history)
        assert len({txn["transaction_id"] for txn in history}) == len(history)
        income = [txn for txn in history if txn["category_detailed"] == "INCOME_WAGES"]
        assert 5 <= len(income) <= 7 and all(txn["amount_cents"] < 0 for txn in income)


@pytest.mark.parametrize(
    ("description", "cents", "merchant", "detailed"),
    [
        ("Whole Foods Market #123", 4217, "Whole Foods", "FOOD_AND_DRINK_GROCERIES"),
        ("TRADER JOE'S #55", 1999, "Trader Joe's", "FOOD_AND_DRINK_GROCERIES"),
        ("Starbucks Coffee", 575, "Starbucks", "FOOD_AND_DRINK_COFFEE"),
        ("CHIPOTLE ONLINE", 1450, "Chipotle Mexican Grill", "FOOD_AND_DRINK_RESTAURANT"),
        ("Uber 063015 SF**POOL**", 1200, "Uber", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES"),
        ("SHELL OIL 1234", 4000, "Shell", "TRANSPORTATION_GAS"),
        ("Netflix.com", 1549, "Netflix", "ENTERTAINMENT_TV_AND_MOVIES"),
        (
            "PG&E utility",
            9000,
            "Pacific Gas and Electric",
            "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
        ),
        ("Amazon.com*AB12", 2599, "Amazon", "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES"),
        ("CVS/PHARMACY", 899, "CVS", "MEDICAL_PHARMACIES_AND_SUPPLEMENTS"),
        ("Corner grocery store", 1000, None, "FOOD_AND_DRINK_GROCERIES"),
        ("McDonald's", 850, None, "FOOD_AND_DRINK_FAST_FOOD"),
        ("Monthly rent", 180000, None, "RENT_AND_UTILITIES_RENT"),
        ("Gusto payroll", -250000, None, "INCOME_WAGES"),
        ("Venmo from Sam", -2000, None, "TRANSFER_IN_DEPOSIT"),
        ("Targeted ads llc", 100, None, "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE"),
    ],
)
def test_categorize(description: str, cents: int, merchant: str | None, detailed: str) -> None:
    guess = categorize(description, cents)
    assert (guess.merchant_name, guess.detailed, guess.name) == (merchant, detailed, description)
    assert detailed.startswith(guess.primary)


def _txn(txn_id: str, cents: int = 100) -> TxnRecord:
    return make_transaction(
        transaction_id=txn_id,
        account_id="acct",
        merchant=categorize("Safeway", cents),
        amount_cents=cents,
        posted=date(2025, 1, 2),
        authorized=date(2025, 1, 1),
    )


def test_pages_fold_changes_to_one_transaction() -> None:
    log: list[LogEntry] = [
        {"op": "added", "txn": _txn("a")},
        {"op": "added", "txn": _txn("b")},
        {"op": "modified", "txn": _txn("a", 200)},
        {"op": "removed", "txn": _txn("b")},
        {"op": "added", "txn": _txn("c")},
    ]
    page = read_page(log, "item", "", 100, None)
    assert [(t["transaction_id"], t["amount_cents"]) for t in page.added] == [
        ("a", 200),
        ("c", 100),
    ]
    assert page.modified == [] and page.removed == [] and not page.has_more

    first = read_page(log, "item", "", 2, None)
    assert first.has_more
    rest = read_page(log, "item", first.next_cursor, 10, None)
    assert [t["transaction_id"] for t in rest.modified] == ["a"]
    assert [t["transaction_id"] for t in rest.removed] == ["b"]
    assert [t["transaction_id"] for t in rest.added] == ["c"]

    log.append({"op": "added", "txn": _txn("d")})
    with pytest.raises(errors.PlaidApiError) as caught:
        read_page(log, "item", first.next_cursor, 10, None)
    assert caught.value.error_code == "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"
    with pytest.raises(errors.PlaidApiError) as caught:
        read_page(log, "other-item", rest.next_cursor, 10, None)
    assert caught.value.error_code == "INVALID_FIELD"


def test_stores_on_one_file_see_each_other(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    now = datetime(2025, 1, 1, tzinfo=UTC)
    first = StateStore(path, lambda: new_signing_key(now))
    second = StateStore(path, lambda: new_signing_key(now))
    assert first.signing_key == second.signing_key

    def add(store: StateStore, token: str) -> None:
        with store.write() as session:
            session.add_public_token(token, {"item_id": "i", "created_at": "c", "used": False})

    threads = [
        threading.Thread(target=add, args=(store, f"token-{n}-{m}"))
        for n in range(10)
        for m, store in enumerate((first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with first.read() as session:
        assert all(session.public_token(f"token-{n}-1") for n in range(10))
    with second.read() as session:
        assert all(session.public_token(f"token-{n}-0") for n in range(10))

    with pytest.raises(RuntimeError), second.write() as session:
        session.add_public_token("abandoned", {"item_id": "i", "created_at": "c", "used": False})
        raise RuntimeError("abandoned")
    with first.read() as session:
        assert session.public_token("abandoned") is None
    first.close()
    second.close()
    reopened = StateStore(path, lambda: new_signing_key(now))
    assert reopened.signing_key == first.signing_key
    reopened.close()


def test_a_file_that_is_not_emulator_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plaid-sandbox.json"
    path.write_text('{"not": "sqlite"}\n' * 100)
    with pytest.raises(RuntimeError, match="is not a Plaid emulator state file"):
        StateStore(path, lambda: new_signing_key(datetime.now(UTC)))


def test_run_standalone_serves_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    emulator_app.run_standalone("127.0.0.1", 8765, tmp_path / "s.sqlite3", "id", "secret")
    [(app, options)] = calls
    assert options["host"] == "127.0.0.1" and options["port"] == 8765
    assert isinstance(app.state.emulator, emulator_app.PlaidEmulator)
    asyncio.run(app.state.emulator.aclose())
    assert (tmp_path / "s.sqlite3").exists()
