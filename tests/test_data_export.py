"""The full export of a user's data: one JSON document from every service, downloaded from
GET /export/my-data with the user's access token, read and written page by page.

Completeness is checked from the tables: every table holding rows of the user has its
section in the document, with as many records, or is named below with the reason it is not
exported. A table added later fails here until it is one or the other.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import pytest_asyncio

from services.gateway import user_data
from services.gateway.identity import throttle
from shared import export
from shared.db import count_statements
from shared.ids import decode_global_id
from tests.support.factories import add_transaction, create_account
from tests.support.graphql import data
from tests.support.ledger_everywhere import IMPORTED_FILE_FIRST_LINE, IMPORTED_ROWS
from tests.support.user_data import (
    DataEverywhere,
    rows_of,
    sign_up,
    snapshot,
    user_with_data_everywhere,
)
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")

# Where each table's rows are in the document: a single object (one), a record each (many),
# or lists nested in the section's records, under the key named.
EXPORTED_AS = {
    "gateway_users": ("user", "one"),
    "gateway_sessions": ("sessions", "many"),
    "ledger_user_settings": ("ledgerSettings", "one"),
    "ledger_category_groups": ("categoryGroups", "many"),
    "ledger_categories": ("categories", "many"),
    "ledger_accounts": ("accounts", "many"),
    "ledger_reconciliations": ("reconciliations", "many"),
    "ledger_payees": ("payees", "many"),
    "ledger_tags": ("tags", "many"),
    "ledger_transactions": ("transactions", "many"),
    "ledger_transaction_tags": ("transactions", "tagIds"),
    "ledger_transaction_splits": ("transactions", "splits"),
    "ledger_budgets": ("budgets", "many"),
    "ledger_goals": ("goals", "many"),
    "ledger_goal_contributions": ("goalContributions", "many"),
    "ledger_exchange_rates": ("exchangeRates", "many"),
    "ledger_recurring_series": ("recurringSeries", "many"),
    "ledger_imports": ("imports", "many"),
    "ledger_rules": ("rules", "many"),
    "ledger_rule_tags": ("rules", "addTagIds"),
    "sync_items": ("linkedInstitutions", "many"),
    "notifier_recipients": ("notificationSettings", "one"),
    "notifier_alert_rules": ("alertRules", "many"),
    "notifier_notifications": ("notifications", "many"),
    "notifier_push_subscriptions": ("pushSubscriptions", "many"),
    "notifier_webhooks": ("webhooks", "many"),
    "notifier_webhook_deliveries": ("webhooks", "deliveries"),
    "notifier_deliveries": ("notificationDeliveries", "many"),
    "notifier_delivery_settings": ("deliverySettings", "one"),
}
NOT_EXPORTED = {
    # Secrets: only their hashes are stored; the sessions they belong to are exported.
    "gateway_refresh_tokens",
    # A few days' memory of the user's edits on a pending bank transaction the bank removed,
    # put back on its posted version when that arrives (the edits are exported there).
    "ledger_pending_tombstones",
    # Which of the user's categories stands for each default category: where the bank's
    # category hints land, the ledger's bookkeeping (the categories themselves are exported).
    "ledger_category_presets",
    # The normalised descriptions that find a payee (the payees are exported, and the
    # descriptions are on the transactions).
    "ledger_payee_keys",
    # Report totals: monthly sums of the user's transactions (which are exported), when they
    # were first summed, and the same sums by category; derived, and summed again from the
    # transactions at will.
    "ledger_report_totals",
    "ledger_report_totals_built",
    "ledger_report_category_totals",
    # An import's file text, kept until the import completes: the import's metadata is exported,
    # and the transactions it added; the file is the user's own.
    "ledger_import_parts",
    # Rows an import run staged but has not added yet: not the user's transactions until the
    # run publishes them (then they are exported as transactions).
    "ledger_import_rows",
    # Messages in transit between services (ids and plain values the export holds anyway).
    "outbox_messages",
    # Banks the user unlinked: what was done with their history, kept so that unlinking again
    # answers the same (the accounts kept are exported as accounts).
    "sync_unlinked_items",
    # Which bank transaction ids the stored pages of a sync in progress reported: the sync's
    # bookkeeping until its last page (the transactions themselves are exported).
    "sync_pagination_reports",
}
# Not a model's table, so not walked here: the text search index (FTS5 tables on SQLite),
# trigrams of the descriptions, notes and payees' names exported above (see
# services/ledger/user_data/service.py; tests/test_migrations.py accounts for its tables).
# Ids of kinds that have no GraphQL type, so `node(id:)` does not know them.
NOT_NODES = {"Session", "GoalContribution", "Reconciliation"}


async def _download(base_url: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        return await client.get("/export/my-data", headers=headers)


@pytest_asyncio.fixture(scope="module")
async def exported(live_server: str) -> tuple[DataEverywhere, httpx.Response, dict[str, Any]]:
    everything = await user_with_data_everywhere()
    response = await _download(live_server, everything.person.access_token)
    assert response.status_code == 200, response.text
    return everything, response, json.loads(response.content)


async def test_the_export_is_a_json_download_with_everything_the_user_has(
    exported: tuple[DataEverywhere, httpx.Response, dict[str, Any]],
) -> None:
    everything, response, document = exported
    ids = everything.ids

    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith('attachment; filename="tally-export-')
    assert response.headers["cache-control"] == "no-store"
    assert document["format"] == "tally-export"
    assert document["version"] == 1
    assert document["complete"] is True
    assert document["user"]["id"] == everything.person.graphql_id
    assert document["user"]["email"] == everything.person.email
    assert document["user"]["timeZone"] == "Europe/Paris"
    assert document["ledgerSettings"]["baseCurrency"] == "USD"
    assert document["notificationSettings"]["email"] == everything.person.email
    exported_ids = _ids_in(document)
    assert set(ids.values()) <= exported_ids

    transactions = {row["id"]: row for row in document["transactions"]}
    dinner = transactions[ids["transaction"]]
    assert dinner["amount"] == {"amount": "-12.34", "currency": "USD"}
    assert dinner["notes"] == "anniversary"
    assert dinner["categoryId"] == ids["category"]
    assert dinner["accountId"] == ids["account"]
    assert transactions[ids["euro_transaction"]]["converted"] == {
        "amount": {"amount": "-10.82", "currency": "USD"},  # -10.825, half to even
        "rate": "1.0825",
        "rateDate": "2026-01-01",
    }
    [contribution] = document["goalContributions"]
    assert contribution["goalId"] == ids["goal"]
    assert contribution["amount"] == {"amount": "25.50", "currency": "USD"}
    [institution] = document["linkedInstitutions"]
    assert institution["name"] == "First Platypus Bank"
    assert sorted(institution["accountIds"]) == sorted(
        account["id"] for account in everything.linked.institution["accounts"]
    )
    [rule] = [rule for rule in document["alertRules"] if rule["id"] == ids["alert_rule"]]
    assert rule["threshold"] == {"amount": "500.00", "currency": "USD"}
    assert len(document["sessions"]) == 2
    assert not _floats_in(document), "money and rates are exact strings, never floats"


async def test_the_export_holds_the_ledger_in_full(
    exported: tuple[DataEverywhere, httpx.Response, dict[str, Any]],
) -> None:
    everything, response, document = exported
    ids = everything.ids

    assert document["ledgerSettings"]["budgetStyle"] == "ENVELOPE"
    [group] = [row for row in document["categoryGroups"] if row["id"] == ids["category_group"]]
    assert group["name"] == "Travel"
    categories = {row["id"]: row for row in document["categories"]}
    flights = categories[ids["travel_category"]]
    assert (flights["groupId"], flights["group"]) == (ids["category_group"], "Travel")
    assert (flights["hidden"], flights["rollover"], flights["kind"]) == (True, True, "EXPENSE")
    assert isinstance(flights["position"], int)
    assert {category["groupId"] for category in categories.values()} == {
        group["id"] for group in document["categoryGroups"]
    }

    accounts = {row["id"]: row for row in document["accounts"]}
    assert accounts[ids["savings_account"]]["institutionLabel"] == "Credit union"
    assert accounts[ids["closed_account"]]["closedOn"] == "2026-02-28"
    assert accounts[ids["closed_account"]]["closedAt"] is not None
    assert accounts[ids["account"]]["closedAt"] is None
    [reconciliation] = document["reconciliations"]
    assert reconciliation["accountId"] == ids["account"]
    assert reconciliation["statementDate"] == "2026-03-31"
    assert reconciliation["statementBalance"] == {"amount": "7.66", "currency": "USD"}
    assert reconciliation["clearedBalance"] == {"amount": "7.66", "currency": "USD"}

    transactions = {row["id"]: row for row in document["transactions"]}
    dinner = transactions[ids["transaction"]]
    assert dinner["payeeId"] == ids["payee"]
    assert dinner["tagIds"] == [ids["tag"]]
    assert (dinner["reviewed"], dinner["cleared"]) == (True, True)
    assert dinner["clearedAt"] is not None
    assert dinner["splits"] == [] and dinner["transferCounterpartId"] is None
    assert transactions[ids["split_transaction"]]["splits"] == [
        {"amount": {"amount": "-20.00", "currency": "USD"}, "categoryId": ids["groceries"],
         "notes": None},
        {"amount": {"amount": "-10.00", "currency": "USD"}, "categoryId": ids["health"],
         "notes": "aspirin"},
    ]  # fmt: skip
    assert transactions[ids["transfer_out"]]["transferCounterpartId"] == ids["transfer_in"]
    assert transactions[ids["transfer_in"]]["transferCounterpartId"] == ids["transfer_out"]
    assert {row["id"] for row in document["payees"]} >= {
        row["payeeId"] for row in document["transactions"] if row["payeeId"]
    }
    assert [(tag["id"], tag["name"]) for tag in document["tags"]] == [(ids["tag"], "anniversary")]

    [funded] = [goal for goal in document["goals"] if goal["id"] == ids["funded_goal"]]
    assert (funded["funding"], funded["accountId"]) == ("ACCOUNT", ids["savings_account"])
    assert funded["targetAmount"] == {"amount": "1000.00", "currency": "USD"}
    [series] = [row for row in document["recurringSeries"] if row["id"] == ids["recurring_series"]]
    assert (series["name"], series["userCorrections"]["name"]) == ("Streamly", "Streamly")
    assert (series["direction"], series["interval"]) == ("MONEY_OUT", "MONTHLY")
    assert series["expectedAmount"] == {"amount": "-9.99", "currency": "USD"}

    imports = {row["id"]: row for row in document["imports"]}
    done, interrupted = imports[ids["import_job"]], imports[ids["interrupted_import_job"]]
    assert (done["status"], done["added"], done["format"]) == ("COMPLETED", IMPORTED_ROWS, "CSV")
    assert done["fileName"] == "girokonto.csv" and done["accountId"] == ids["euro_account"]
    assert (interrupted["status"], interrupted["rowsDone"]) == ("RUNNING", IMPORTED_ROWS)
    imported = [row for row in document["transactions"] if row["importJobId"] == done["id"]]
    assert len(imported) == IMPORTED_ROWS
    assert IMPORTED_FILE_FIRST_LINE not in response.text, "an import's file text stays out"


async def test_every_id_in_the_export_is_the_one_the_api_knows(
    exported: tuple[DataEverywhere, httpx.Response, dict[str, Any]],
) -> None:
    everything, _, document = exported
    firsts = [
        section[0]["id"]
        for section in document.values()
        if isinstance(section, list) and section and "id" in section[0]
    ]
    assert len(firsts) >= 10
    for node_id in firsts:
        kind, _ = decode_global_id(node_id)
        if kind in NOT_NODES:
            continue
        found = await data(
            "query($id: ID!) { node(id: $id) { __typename id } }",
            {"id": node_id},
            user_id=everything.person.user_id,
        )
        assert found["node"] == {"__typename": kind, "id": node_id}


async def test_the_export_holds_no_secret(
    exported: tuple[DataEverywhere, httpx.Response, dict[str, Any]],
) -> None:
    everything, response, _ = exported
    text = response.text
    item = await bank.stored_item(everything.linked.item_ref)
    assert "$argon2" not in text
    assert everything.person.refresh_token not in text
    assert everything.person.access_token not in text
    assert everything.linked.access_token not in text
    assert item.access_token_encrypted not in text
    assert item.cursor and item.cursor not in text


async def test_every_table_holding_the_users_rows_is_in_their_export(
    exported: tuple[DataEverywhere, httpx.Response, dict[str, Any]],
) -> None:
    everything, _, document = exported
    theirs = rows_of(await snapshot(), everything.person.user_id)
    # (Rows made after the download, such as a new session, would not be in it: none are.)
    for table, rows in sorted(theirs.items()):
        if table in NOT_EXPORTED:
            continue
        assert table in EXPORTED_AS, f"export {table} (or say in NOT_EXPORTED why not)"
        section, shape = EXPORTED_AS[table]
        if shape == "one":
            assert len(rows) == 1 and document[section] is not None, table
        elif shape == "many":
            assert len(document[section]) == len(rows), table
        else:
            assert sum(len(record[shape]) for record in document[section]) == len(rows), table


async def test_the_export_is_read_and_written_page_by_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = await sign_up()
    account = await create_account(person.user_id)
    added = [
        await add_transaction(person.user_id, account["id"], "-1.00", f"2026-03-0{day}")
        for day in range(1, 6)
    ]
    tag = (
        await data(
            'mutation { createTag(input: {name: "paged"}) { tag { id } } }',
            user_id=person.user_id,
        )
    )["createTag"]["tag"]["id"]
    for transaction in added:
        await data(
            """mutation($t: ID!, $tag: ID!) { updateTransaction(input: {id: $t, tagIds: [$tag]})
                 { transaction { id } } }""",
            {"t": transaction["id"], "tag": tag},
            user_id=person.user_id,
        )
    await data(
        """mutation($t: ID!) { splitTransaction(input: {id: $t, parts: [{amount: "-0.40"},
             {amount: "-0.60"}]}) { transaction { id } } }""",
        {"t": added[0]["id"]},
        user_id=person.user_id,
    )
    monkeypatch.setattr(export, "EXPORT_PAGE", 2)
    monkeypatch.setattr(export, "CHUNK_BYTES", 1)  # a chunk per record

    def reads(table: str, statements: list[str]) -> int:
        return sum(f"FROM {table} " in statement for statement in statements)

    async with count_statements() as statements:
        chunks = await user_data.start_export(person.user_id)
        first = await anext(chunks)
        read_before_the_first_chunk = reads("ledger_transactions", statements)
        rest = [chunk async for chunk in chunks]

    assert read_before_the_first_chunk == 0
    # A page of transactions brings its own tags and parts along: the join tables are read a
    # page at a time too, never whole.
    for table in ("ledger_transactions", "ledger_transaction_tags", "ledger_transaction_splits"):
        assert reads(table, statements) == 3, table  # 2 + 2 + 1
    document = json.loads(b"".join([first, *rest]))
    assert [row["date"] for row in document["transactions"]] == [
        f"2026-03-0{day}" for day in range(5, 0, -1)
    ]
    assert all(row["tagIds"] == [tag] for row in document["transactions"])
    assert [len(row["splits"]) for row in document["transactions"]] == [0, 0, 0, 0, 2]


async def test_only_a_signed_in_user_downloads_their_export_a_few_times_an_hour(
    live_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for token in (None, "not-a-token"):
        refused = await _download(live_server, token)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["UNAUTHENTICATED"]

    person = await sign_up()
    monkeypatch.setattr(
        user_data, "EXPORTS_PER_USER", throttle.Limit("export-user", attempts=1, window_seconds=60)
    )
    assert (await _download(live_server, person.access_token)).status_code == 200
    again = await _download(live_server, person.access_token)
    assert again.status_code == 429
    assert int(again.headers["retry-after"]) > 0
    assert [e["extensions"]["code"] for e in again.json()["errors"]] == ["RATE_LIMITED"]


def _ids_in(value: Any) -> set[str]:
    """Every global id in the document: values of `id`, `...Id` and `...Ids` keys."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if (key == "id" or key.endswith("Id")) and isinstance(item, str):
                found.add(item)
            elif key.endswith("Ids") and isinstance(item, list):
                found |= set(item)
            else:
                found |= _ids_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= _ids_in(item)
    return found


def _floats_in(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [found for item in value.values() for found in _floats_in(item)]
    if isinstance(value, list):
        return [found for item in value for found in _floats_in(item)]
    return []
