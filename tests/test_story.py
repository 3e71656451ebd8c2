"""The walking skeleton, end to end through HTTP and websocket only: sign up, budget, link a
bank, sync, overspend, get told exactly once — live and by email.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from tests.support.client import TallyClient, eventually

LIST_TRANSACTIONS = """
query($first: Int, $after: String) {
  transactions(first: $first, after: $after) {
    edges { node { id date description pending amount { amount currency }
                   account { id name } category { name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def _all_transactions(client: TallyClient) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = client(LIST_TRANSACTIONS, {"first": 100, "after": after})["transactions"]
        nodes.extend(edge["node"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def _public_token(base_url: str) -> str:
    response = httpx.post(
        f"{base_url}/plaid-sandbox/sandbox/public_token/create",
        json={
            "client_id": "local-client",
            "secret": "local-secret",
            "institution_id": "ins_109508",
            "initial_products": ["transactions"],
            "options": {"webhook": f"{base_url}/webhooks/plaid"},
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["public_token"]
    return token


def test_overspending_a_budget_after_linking_a_bank_alerts_once(
    live_server: str, smtp_server: Any
) -> None:
    client = TallyClient(live_server)
    email = f"story-{uuid.uuid4().hex[:8]}@example.com"
    client.sign_up(email)
    month = date.today().strftime("%Y-%m")

    categories = {c["name"]: c for c in client("{ categories { id name group } }")["categories"]}
    groceries = categories["Groceries"]["id"]
    set_budget = """mutation($input: SetBudgetInput!) {
        setBudget(input: $input) { budget {
          id amount { amount currency } spent { amount } remaining { amount } } } }"""
    client(set_budget, {"input": {"categoryId": groceries, "month": month, "amount": "100000.00"}})

    link = client("mutation { createLinkToken { linkToken expiration } }")["createLinkToken"]
    assert link["linkToken"].startswith("link-")

    linked = client(
        """mutation($token: String!) { linkInstitution(input: {publicToken: $token}) {
             linkedInstitution {
               id name status accounts { id name type balance { amount currency } } } } }""",
        {"token": _public_token(live_server)},
    )["linkInstitution"]["linkedInstitution"]
    assert linked["name"] == "First Platypus Bank"
    assert {a["type"] for a in linked["accounts"]} >= {"CHECKING", "SAVINGS", "CREDIT"}

    def synced() -> bool:
        institutions = client("{ linkedInstitutions { id lastSyncedAt status } }")
        return bool(institutions["linkedInstitutions"][0]["lastSyncedAt"])

    eventually(synced, timeout=60)

    transactions = _all_transactions(client)
    assert len(transactions) >= 50
    grocery_rows = [t for t in transactions if (t["category"] or {}).get("name") == "Groceries"]
    income_rows = [t for t in transactions if (t["category"] or {}).get("name") == "Income"]
    assert grocery_rows and income_rows
    assert all(Decimal(t["amount"]["amount"]) < 0 for t in grocery_rows)  # money out
    assert all(Decimal(t["amount"]["amount"]) > 0 for t in income_rows)  # money in
    assert all(t["amount"]["currency"] == "USD" for t in transactions)

    budget = next(
        b
        for b in client(
            "query($m: Month!) { budgets(month: $m) { category { id } spent { amount } } }",
            {"m": month},
        )["budgets"]
        if b["category"]["id"] == groceries
    )
    spent = Decimal(budget["spent"]["amount"])
    # Leave 100.00 of headroom, then spend 150.00 on groceries: 50.00 over.
    client(
        set_budget,
        {
            "input": {
                "categoryId": groceries,
                "month": month,
                "amount": str(spent + Decimal("100.00")),
            }
        },
    )

    live = client.subscribe("subscription { notifications { id kind title body } }")
    checking = next(a for a in linked["accounts"] if a["type"] == "CHECKING")
    create = """mutation($input: CreateTransactionInput!) {
             createTransaction(input: $input) { transaction { id } } }"""
    client(
        create,
        {
            "input": {
                "accountId": checking["id"],
                "date": date.today().isoformat(),
                "amount": "-150.00",
                "description": "Whole Foods Market",
                "categoryId": groceries,
            }
        },
    )

    alert = live.next(timeout=30)["data"]["notifications"]
    assert alert["kind"] == "BUDGET_OVERSPENT"
    assert "Groceries" in alert["title"]
    mail = eventually(lambda: [m for m in smtp_server.messages if email in m["To"]], timeout=30)
    assert len(mail) == 1
    assert "Groceries" in mail[0]["Subject"]

    client(
        create,
        {
            "input": {
                "accountId": checking["id"],
                "date": date.today().isoformat(),
                "amount": "-20.00",
                "description": "Trader Joe's",
                "categoryId": groceries,
            }
        },
    )
    assert live.nothing_within(3.0)
    live.close()
    stored = client("{ notifications(first: 50) { edges { node { kind } } } }")["notifications"]
    kinds = [edge["node"]["kind"] for edge in stored["edges"]]
    assert kinds.count("BUDGET_OVERSPENT") == 1
    assert len([m for m in smtp_server.messages if email in m["To"]]) == 1
    client.close()
