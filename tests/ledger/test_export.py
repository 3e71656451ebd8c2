"""Exporting transactions as CSV: RFC 4180, exact amounts, safe from spreadsheet formulas,
scoped to the caller, and an export imports back as it was."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.ledger.imports_support import import_file
from tests.ledger.support import add_transaction, all_transactions, create_account, new_user
from tests.support.graphql import data, error_codes, execute

pytestmark = pytest.mark.usefixtures("ledger_worker")

EXPORT = "query($f: TransactionFilter) { exportTransactionsCsv(filter: $f) { text rowCount } }"
# How to read Tally's own export back.
TALLY_CSV = {
    "dateFormat": "YYYY_MM_DD",
    "csv": {"dateColumn": 1, "descriptionColumn": 2, "amountColumn": 3, "notesColumn": 7},
}


async def _export(user: Any, **filter: Any) -> dict[str, Any]:
    result = await data(EXPORT, {"f": filter or None}, user_id=user)
    exported: dict[str, Any] = result["exportTransactionsCsv"]
    return exported


async def _shop(user: Any, account_id: str) -> None:
    await add_transaction(user, account_id, "-12.34", "2026-03-01", "Corner shop")
    await add_transaction(
        user, account_id, "-5.00", "2026-03-02", '=HYPERLINK("http://evil")', notes="+1 cell"
    )
    await add_transaction(
        user, account_id, "1500.00", "2026-03-03", 'Pay, "March"', notes="line one\nline two"
    )
    await add_transaction(user, account_id, "-0.99", "2026-03-03", "@mention -dash")


async def test_an_export_is_rfc_4180_with_exact_amounts_and_no_formulas() -> None:
    user = await new_user()
    account = await create_account(user, name="Wallet")
    await _shop(user, account["id"])
    exported = await _export(user, accountId=account["id"])
    assert exported["rowCount"] == 4
    text = exported["text"]
    assert text.startswith("Date,Description,Amount,Currency,Account,Category,Notes,Pending\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1:] == [
        ["2026-03-01", "Corner shop", "-12.34", "USD", "Wallet", "", "", "false"],
        ["2026-03-02", "'=HYPERLINK(\"http://evil\")", "-5.00", "USD", "Wallet", "", "'+1 cell",
         "false"],
        ["2026-03-03", 'Pay, "March"', "1500.00", "USD", "Wallet", "", "line one\nline two",
         "false"],
        ["2026-03-03", "'@mention -dash", "-0.99", "USD", "Wallet", "", "", "false"],
    ]  # fmt: skip
    assert '"Pay, ""March"""' in text  # quotes doubled inside a quoted field


async def test_an_export_imports_back_into_another_account_as_it_was() -> None:
    user = await new_user()
    source = await create_account(user, name="Old bank")
    await _shop(user, source["id"])
    exported = await _export(user, accountId=source["id"])

    target = await create_account(user, name="New bank")
    done = await import_file(user, target["id"], "CSV", exported["text"], TALLY_CSV)
    assert (done["status"], done["added"]) == ("COMPLETED", 4), done

    def shape(account_id: str, transactions: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return sorted(
            (t["date"], t["amount"]["amount"], t["description"], t["notes"] or "")
            for t in transactions
            if t["account"]["id"] == account_id
        )

    everything = await all_transactions(user)
    assert shape(target["id"], everything) == shape(source["id"], everything)

    again = await import_file(user, source["id"], "CSV", exported["text"], TALLY_CSV)
    assert (again["added"], again["duplicates"]) == (0, 4)


async def test_an_export_holds_only_the_callers_transactions() -> None:
    owner = await new_user()
    intruder = await new_user()
    account = await create_account(owner)
    await add_transaction(owner, account["id"], "-1.00", description="owner's secret")
    assert (await _export(intruder))["rowCount"] == 0
    assert "owner's secret" not in (await _export(intruder))["text"]
    result = await execute(EXPORT, {"f": {"accountId": account["id"]}}, user_id=intruder)
    assert error_codes(result) == ["NOT_FOUND"]
    assert (await _export(owner))["rowCount"] == 1
