"""Errors over the websocket as a graphql-transport-ws client meets them: an operation's
failure is masked and coded like any GraphQL error; a failure outside any operation (the
database down while `connection_init` authenticates) closes the connection with 1011, logged once.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from structlog.testing import capture_logs
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from services.gateway.app import create_gateway
from shared import db, pubsub
from shared.config import Settings, get_settings
from tests.support.servers import Served, served

SIGN_UP = """mutation($email: String!, $password: String!) {
  signUp(input: {email: $email, password: $password}) { accessToken } }"""
PASSWORD = "a long and unremarkable passphrase 4q7z"


@asynccontextmanager
async def _closing_its_pool(app: Starlette) -> AsyncIterator[None]:
    yield
    await db.dispose_engine()  # the server thread's own engine, as `tally serve` does


def _served_gateway(settings: Settings) -> Iterator[Served]:
    with served(create_gateway(settings, lifespan=_closing_its_pool), lifespan="on") as server:
        yield server


@pytest.fixture
def gateway() -> Iterator[Served]:
    yield from _served_gateway(get_settings())


@pytest.fixture
def production_gateway() -> Iterator[Served]:
    yield from _served_gateway(get_settings().model_copy(update={"env": "production"}))


def _sign_up(server: Served) -> str:
    variables = {"email": f"ws-{uuid.uuid4().hex[:12]}@example.com", "password": PASSWORD}
    response = httpx.post(
        server.url + "/graphql", json={"query": SIGN_UP, "variables": variables}, timeout=10
    )
    return str(response.json()["data"]["signUp"]["accessToken"])


@contextmanager
def _open(server: Served, token: str) -> Iterator[ClientConnection]:
    """A graphql-transport-ws connection that has sent its `connection_init`."""
    with connect(
        server.ws_url + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    ) as connection:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        connection.send(json.dumps(init))
        yield connection


def _receive(connection: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(connection.recv(timeout=10))
    return message


def _subscribe(connection: ClientConnection, query: str) -> dict[str, Any]:
    assert _receive(connection)["type"] == "connection_ack"
    connection.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
    return _receive(connection)


@pytest.fixture
async def database_down_for(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """The database unreachable from the server's thread only (the test's own stays up)."""
    unreachable = db.build_engine("postgresql+asyncpg://tally:tally@127.0.0.1:1/tally")
    real_engine = db.get_engine

    def go_down(server: Served) -> None:
        def engine() -> Any:
            return unreachable if threading.get_ident() == server.thread.ident else real_engine()

        monkeypatch.setattr(db, "get_engine", engine)

    yield go_down
    monkeypatch.undo()
    await unreachable.dispose()


def test_an_outage_at_connection_init_closes_with_an_internal_error_logged_once(
    gateway: Served, database_down_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    token = _sign_up(gateway)
    database_down_for(gateway)

    with (
        capture_logs() as logs,
        _open(gateway, token) as connection,
        pytest.raises(ConnectionClosed) as closed,
    ):
        connection.recv(timeout=10)

    assert closed.value.rcvd is not None, "closed without a close frame"
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1011, "Internal server error.")
    logged = [entry for entry in logs if entry["log_level"] in ("error", "critical")]
    assert [entry["event"] for entry in logged] == ["unexpected_error"]
    assert logged[0]["request_id"] and logged[0]["exc_info"]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_subscription_that_fails_answers_a_masked_internal_error(
    gateway: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*topics: str) -> AsyncIterator[str]:
        raise RuntimeError("redis at 10.0.0.7:6379 said no")
        yield ""  # an async generator, as pubsub's are

    monkeypatch.setattr(pubsub, "subscribe_until", broken)
    token = _sign_up(gateway)

    with capture_logs() as logs, _open(gateway, token) as connection:
        answer = _subscribe(connection, "subscription { notifications { id } }")
        assert _receive(connection) == {"id": "1", "type": "complete"}

    assert answer["type"] == "next"
    [error] = answer["payload"]["errors"]
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL"
    assert "10.0.0.7" not in json.dumps(answer)
    logged = [entry for entry in logs if entry["log_level"] == "error"]
    assert [entry["request_id"] for entry in logged] == [error["extensions"]["requestId"]]


def test_an_invalid_subscription_is_bad_user_input_naming_the_field(gateway: Served) -> None:
    with _open(gateway, _sign_up(gateway)) as connection:
        answer = _subscribe(connection, "subscription { notifications { idd } }")

    assert answer["type"] == "error"
    [error] = answer["payload"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "idd"}
    assert "Did you mean" in error["message"]  # development helps


def test_production_suggests_no_names_over_the_websocket(production_gateway: Served) -> None:
    with _open(production_gateway, _sign_up(production_gateway)) as connection:
        answer = _subscribe(connection, "subscription { notificationz { id } }")

    [error] = answer["payload"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Did you mean" not in error["message"]
    assert "notifications" not in error["message"]
