"""The spec checker every emulator test relies on: it accepts what the emulator sends and
reports what breaks Plaid's spec."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from plaid_sandbox.history import (
    generate_history,
    sandbox_accounts,
)
from plaid_sandbox.render import render_transaction
from plaid_sandbox.state import TxnRecord
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
