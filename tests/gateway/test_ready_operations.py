"""Known-valid queries take the short path (services/gateway/ready_operations.py): the same
answers over HTTP as Strawberry's whole path gives, errors included, each operation charged
to the caller's budget once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from services.gateway import cost
from services.gateway.ready_operations import ReadyOperations
from shared.ids import encode_id

PASSWORD = "correct horse battery staple"
NOBODY = uuid.UUID("00000000-0000-4000-8000-000000000000")


@pytest.fixture
def http(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=30) as client:
        yield client


def _token(http: httpx.Client) -> str:
    signed_up = http.post(
        "/graphql",
        json={
            "query": "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
            "variables": {
                "i": {"email": f"ready-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}
            },
        },
    ).json()
    return str(signed_up["data"]["signUp"]["accessToken"])


def _post(http: httpx.Client, token: str, body: dict[str, Any]) -> httpx.Response:
    return http.post("/graphql", json=body, headers={"Authorization": f"Bearer {token}"})


def test_a_query_answers_the_same_on_either_path(http: httpx.Client) -> None:
    token = _token(http)
    body = {
        "query": "query Start($n: Int) { me { id email } categories { id name } "
        "transactions(first: $n) { edges { node { id } } pageInfo { hasNextPage } } }",
        "operationName": "Start",
        "variables": {"n": 5},
    }
    before = ReadyOperations.answered
    answers = [_post(http, token, body) for _ in range(3)]
    # The first one validated the document (Strawberry's path); the next two took the short one.
    assert ReadyOperations.answered - before == 2
    assert {response.status_code for response in answers} == {200}
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert "errors" not in answers[0].json()
    assert answers[1].headers["content-type"] == answers[0].headers["content-type"]
    assert "x-request-id" in answers[1].headers


@pytest.mark.parametrize(
    "body",
    [
        # Another user's (or no) object: NOT_FOUND, answered by Strawberry's path every time.
        {"query": "query($id: ID!) { account(id: $id) { id } }",
         "variables": {"id": encode_id("Account", NOBODY)}},
        # A variable of the wrong type: graphql-core's coercion error.
        {"query": "query($n: Int) { transactions(first: $n) { edges { cursor } } }",
         "variables": {"n": "many"}},
        # Valid, but a page too large: BAD_USER_INPUT from the resolver.
        {"query": "query($n: Int) { transactions(first: $n) { edges { cursor } } }",
         "variables": {"n": 100000}},
    ],
)  # fmt: skip
def test_an_error_is_answered_the_one_way(http: httpx.Client, body: dict[str, Any]) -> None:
    token = _token(http)
    answers = [_post(http, token, body).json() for _ in range(3)]
    assert answers[0]["errors"]
    assert answers[0] == answers[1] == answers[2]


def test_each_operation_is_charged_once(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _token(http)
    charged: list[int] = []
    charge = cost.charge

    async def counting(context: Any, amount: int) -> Any:
        charged.append(amount)
        return await charge(context, amount)

    monkeypatch.setattr(cost, "charge", counting)
    import services.gateway.ready_operations as ready

    monkeypatch.setattr(ready, "charge", counting)
    ok = {"query": "{ categories { id } }"}
    failing = {
        "query": "query($id: ID!) { goal(id: $id) { id } }",
        "variables": {"id": encode_id("Goal", NOBODY)},
    }
    for _ in range(3):
        _post(http, token, ok)
        _post(http, token, failing)
    assert len(charged) == 6


def test_a_spent_budget_is_refused_on_the_short_path_too(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _token(http)
    body = {"query": "{ categories { name } }"}
    assert "errors" not in _post(http, token, body).json()  # now known valid

    async def refuse(context: Any, amount: int) -> Any:
        from graphql import GraphQLError

        from shared.errors import RateLimited

        error = RateLimited(retry_after_seconds=30)
        return GraphQLError(error.message, original_error=error)

    import services.gateway.ready_operations as ready

    monkeypatch.setattr(ready, "charge", refuse)
    refused = _post(http, token, body).json()
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
