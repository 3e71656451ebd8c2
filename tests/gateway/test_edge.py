"""The public edge: malformed requests, limits, masking, health and metrics over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import strawberry
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from services.gateway.errors import ErrorCodes
from services.gateway.schema import MAX_ALIASES, MAX_TOKENS, build_schema


@pytest.fixture
def http(live_server: str) -> httpx.Client:
    with httpx.Client(base_url=live_server, timeout=30) as client:
        yield client


def test_malformed_json_answers_400_with_a_message(http: httpx.Client) -> None:
    response = http.post(
        "/graphql", content=b'{"query": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON" in response.text


def test_malformed_graphql_answers_400_with_the_syntax_error(http: httpx.Client) -> None:
    response = http.post("/graphql", json={"query": "{ me { id "})
    assert response.status_code == 400
    assert "Syntax Error" in response.json()["errors"][0]["message"]


def test_batched_operations_are_refused(http: httpx.Client) -> None:
    response = http.post("/graphql", json=[{"query": "{ categories { id } }"}] * 2)
    assert response.status_code == 400


def test_oversized_bodies_are_refused_before_parsing(http: httpx.Client) -> None:
    response = http.post(
        "/graphql", content=b"x" * 1_100_000, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_queries_over_get_are_refused(http: httpx.Client) -> None:
    response = http.get("/graphql", params={"query": "{ categories { id } }"})
    assert response.status_code in (400, 405)


def test_too_many_aliases_are_refused(http: httpx.Client) -> None:
    aliases = " ".join(f"a{i}: categories {{ id }}" for i in range(MAX_ALIASES + 1))
    body = http.post("/graphql", json={"query": f"{{ {aliases} }}"}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_too_deep_queries_are_refused(http: httpx.Client) -> None:
    query = (
        "{ a: transactions { edges { node { account { id } } } } "
        "b: transactions { edges { node { account { id } } } } }"
    )
    assert http.post("/graphql", json={"query": query}).status_code == 200
    too_deep = "{ " + "me { " * 12 + "id" + " }" * 13
    body = http.post("/graphql", json={"query": too_deep}).json()
    assert any("depth" in error["message"] for error in body["errors"]), body


def test_introspection_is_off_outside_development(http: httpx.Client) -> None:
    body = http.post("/graphql", json={"query": "{ __schema { types { name } } }"}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "introspection" in body["errors"][0]["message"].lower()


# Each misspelling graphql-core answers with a suggestion, and where the suggestion comes from.
MISSPELLINGS = {
    "unknown field": ("{ categorie { id } }", None),
    "unknown argument": ("{ transactions(frist: 5) { pageInfo { hasNextPage } } }", None),
    "unknown type of a variable": (
        "query($input: CreateAcountInput!) { accounts { id } }",
        None,
    ),
    "unknown input field": (
        'mutation { createAccount(input: {nam: "x", type: CASH, currency: "USD"}) {'
        " account { id } } }",
        None,
    ),
    "unknown input field of a variable": (
        "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }",
        {"input": {"nam": "x", "type": "CASH", "currency": "USD"}},
    ),
}


@pytest.mark.parametrize("case", MISSPELLINGS)
async def test_production_never_suggests_names_development_still_does(case: str) -> None:
    query, variables = MISSPELLINGS[case]

    development = await build_schema(environment="development").execute(
        query, variable_values=variables
    )
    production = await build_schema(environment="production").execute(
        query, variable_values=variables
    )

    assert development.errors is not None and production.errors is not None
    assert any("Did you mean" in error.message for error in development.errors)
    assert [error.extensions for error in production.errors] == [
        error.extensions for error in development.errors
    ]
    for error in production.errors:
        assert "Did you mean" not in error.message, error.message


def test_requests_without_a_token_are_unauthenticated(http: httpx.Client) -> None:
    body = http.post("/graphql", json={"query": "{ categories { id } }"}).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    bad = http.post(
        "/graphql",
        json={"query": "{ categories { id } }"},
        headers={"Authorization": "Bearer not-a-token"},
    ).json()
    assert bad["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_unexpected_errors_are_masked_as_internal() -> None:
    @strawberry.type
    class Query:
        @strawberry.field
        def explode(self) -> int:
            raise RuntimeError("database password is hunter2")

    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])
    result = schema.execute_sync("{ explode }")
    assert result.errors is not None
    error = result.errors[0]
    assert error.message == "Internal server error."
    assert error.extensions is not None and error.extensions["code"] == "INTERNAL"
    assert "hunter2" not in str(error.formatted)


def test_health_readiness_and_metrics(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok" and ready.json()["broker"] == "ok"
    http.post("/graphql", json={"query": "query Categories { categories { id } }"})
    metrics = http.get("/metrics").text
    assert 'tally_graphql_operations_total{operation="Categories"' in metrics
    assert "tally_graphql_operation_seconds_bucket" in metrics


def test_every_response_carries_a_request_id(http: httpx.Client) -> None:
    assert http.get("/healthz").headers["x-request-id"]
    echoed = http.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert echoed.headers["x-request-id"] == "abc123"


def test_overlong_documents_are_refused_by_their_token_count(http: httpx.Client) -> None:
    fields = " ".join(["id"] * (MAX_TOKENS + 1))
    body = http.post("/graphql", json={"query": f"{{ categories {{ {fields} }} }}"}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "token" in body["errors"][0]["message"].lower()


def test_subscriptions_without_a_valid_token_are_refused(live_server: str) -> None:
    url = live_server.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as connection:
        init = {"type": "connection_init", "payload": {"Authorization": "Bearer forged"}}
        connection.send(json.dumps(init))
        with pytest.raises(ConnectionClosed) as closed:
            connection.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


@pytest.mark.parametrize("path", ["/graphql", "/webhooks/plaid"])
def test_a_chunked_body_past_the_limit_is_refused_while_it_streams(
    http: httpx.Client, path: str
) -> None:
    # A generator body goes out chunked: no Content-Length tells the server its size.
    fifty_megabytes = 50 * 1024 * 1024
    chunk = b"x" * 64 * 1024
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        while sent < fifty_megabytes:
            sent += len(chunk)
            yield chunk

    response = http.post(path, content=body(), headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert sent < fifty_megabytes, "the server read the whole body"
    assert http.get("/healthz").json() == {"status": "ok"}


def test_a_chunked_body_within_the_limit_is_served(http: httpx.Client) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"query": "{ __typenam'
        yield b'e }"}'

    response = http.post("/graphql", content=body(), headers={"Content-Type": "application/json"})
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "query", ["{ }", "query { }", "{ me { } }", "query Q { ...F } fragment F on Query { }"]
)
def test_an_empty_selection_is_bad_input_not_a_crash(http: httpx.Client, query: str) -> None:
    body = http.post("/graphql", json={"query": query}).json()

    assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"]
    assert "max()" not in json.dumps(body)


def test_an_exception_of_the_servers_own_before_execution_is_masked_as_internal() -> None:
    from graphql import GraphQLError

    from services.gateway.errors import classify

    ours = GraphQLError("max() arg is an empty sequence", original_error=ValueError("max()"))

    masked = classify(ours, "req-1")

    assert (masked.message, masked.extensions) == (
        "Internal server error.",
        {"code": "INTERNAL", "requestId": "req-1"},
    )
