"""`tally demo`: a demo user with a linked bank and 90 days of history, made through the
public API of a running Tally (start it with `make run` first), exactly as a user would.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import httpx

from shared.config import get_settings

_AUTH = "accessToken refreshToken user { id email }"


class DemoError(RuntimeError):
    pass


def _graphql(
    client: httpx.Client, query: str, variables: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    payload: dict[str, Any] = body.json()
    if payload.get("errors"):
        raise DemoError(payload["errors"][0]["message"])
    data: dict[str, Any] = payload["data"]
    return data


def _sign_in(client: httpx.Client, email: str, password: str) -> str:
    variables = {"email": email, "password": password}
    try:
        data = _graphql(
            client,
            f"mutation($email: String!, $password: String!) {{ signUp(input: {{email: $email, password: $password}}) {{ {_AUTH} }} }}",  # noqa: E501
            variables,
        )
        return str(data["signUp"]["accessToken"])
    except DemoError:
        data = _graphql(
            client,
            f"mutation($email: String!, $password: String!) {{ logIn(input: {{email: $email, password: $password}}) {{ {_AUTH} }} }}",  # noqa: E501
            variables,
        )
        return str(data["logIn"]["accessToken"])


def create_demo(*, email: str, password: str) -> None:
    settings = get_settings()
    base = settings.public_url.rstrip("/")
    with httpx.Client(base_url=base, timeout=60) as client:
        try:
            client.get("/healthz").raise_for_status()
        except httpx.HTTPError as error:
            raise SystemExit(
                f"Tally is not answering at {base}: start it with `make run` first."
            ) from error
        token = _sign_in(client, email, password)
        if _graphql(client, "{ linkedInstitutions { id } }", {}, token)["linkedInstitutions"]:
            print(f"demo user {email} already has a linked bank")
            return
        public = client.post(
            f"{settings.plaid_host}/sandbox/public_token/create",
            json={
                "client_id": settings.plaid_client_id,
                "secret": settings.secret("plaid_secret"),
                "institution_id": "ins_109508",
                "initial_products": ["transactions"],
                "options": {"webhook": f"{base}/webhooks/plaid"},
            },
        ).json()["public_token"]
        linked = _graphql(
            client,
            "mutation($t: String!) { linkInstitution(input: {publicToken: $t}) {"
            " linkedInstitution { id name } } }",
            {"t": public},
            token,
        )["linkInstitution"]["linkedInstitution"]
        print(f"linked {linked['name']}; waiting for the first sync…", flush=True)
        for _ in range(120):
            items = _graphql(client, "{ linkedInstitutions { lastSyncedAt } }", {}, token)
            if items["linkedInstitutions"][0]["lastSyncedAt"]:
                break
            time.sleep(0.5)
        categories = _graphql(client, "{ categories { id name } }", {}, token)["categories"]
        groceries = next(c["id"] for c in categories if c["name"] == "Groceries")
        _graphql(
            client,
            "mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }",
            {
                "i": {
                    "categoryId": groceries,
                    "month": date.today().strftime("%Y-%m"),
                    "amount": "1500.00",
                }
            },
            token,
        )
        print(f"demo ready: sign in at {base} as {email} / {password}")
