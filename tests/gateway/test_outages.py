"""A database outage as a GraphQL client meets it: a GraphQL error coded INTERNAL, never a
plain-text 500, logged once with the request id.

The outage is injected: the engine of this test's thread points at a PostgreSQL port nothing
listens on, while every other thread (a live server's workers) keeps the real database.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

from services.gateway.app import create_gateway
from shared import db
from shared.config import get_settings

SIGN_UP = """mutation($email: String!, $password: String!) {
  signUp(input: {email: $email, password: $password}) { accessToken } }"""
LOG_IN = """mutation($email: String!, $password: String!) {
  logIn(input: {email: $email, password: $password}) { accessToken } }"""
PASSWORD = "a long and unremarkable passphrase 4q7z"


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_gateway(get_settings()))
    async with httpx.AsyncClient(transport=transport, base_url="http://tally") as client:
        yield client


@pytest.fixture
async def database_down(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Callable[[], None]]:
    unreachable = db.build_engine("postgresql+asyncpg://tally:tally@127.0.0.1:1/tally")
    real_engine = db.get_engine
    this_thread = threading.get_ident()

    def engine() -> Any:
        return unreachable if threading.get_ident() == this_thread else real_engine()

    def go_down() -> None:
        monkeypatch.setattr(db, "get_engine", engine)

    yield go_down
    monkeypatch.undo()
    await unreachable.dispose()


async def _sign_up(gateway: httpx.AsyncClient) -> tuple[str, str]:
    email = f"outage-{uuid.uuid4().hex[:12]}@example.com"
    variables = {"email": email, "password": PASSWORD}
    response = await gateway.post("/graphql", json={"query": SIGN_UP, "variables": variables})
    return email, response.json()["data"]["signUp"]["accessToken"]


def _assert_one_masked_internal_error(
    response: httpx.Response, logs: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    request_id = response.headers["x-request-id"]
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    errors = response.json()["errors"]
    assert [(error["message"], error["extensions"]) for error in errors] == [
        ("Internal server error.", {"code": "INTERNAL", "requestId": request_id})
    ]
    assert "127.0.0.1" not in response.text
    logged = [entry for entry in logs if entry["log_level"] in ("error", "critical")]
    assert len(logged) == 1, logged
    assert logged[0]["request_id"] == request_id
    assert logged[0]["exc_info"]
    # ... and not a second time through the standard library (strawberry's default logging).
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_an_outage_while_authenticating_answers_a_graphql_error(
    gateway: httpx.AsyncClient,
    database_down: Callable[[], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, token = await _sign_up(gateway)
    database_down()

    with capture_logs() as logs:
        response = await gateway.post(
            "/graphql",
            json={"query": "{ me { id } }"},
            headers={"Authorization": f"Bearer {token}"},
        )

    _assert_one_masked_internal_error(response, logs, caplog)


async def test_an_outage_while_executing_answers_a_graphql_error(
    gateway: httpx.AsyncClient,
    database_down: Callable[[], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    email, _ = await _sign_up(gateway)
    database_down()

    with capture_logs() as logs:
        response = await gateway.post(
            "/graphql", json={"query": LOG_IN, "variables": {"email": email, "password": PASSWORD}}
        )

    _assert_one_masked_internal_error(response, logs, caplog)
    assert response.json()["data"] is None
