"""A GraphQL client over real HTTP and websocket, as any client of Tally would be."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect


class GraphQLError(AssertionError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(json.dumps(errors, indent=1))
        self.errors = errors

    @property
    def codes(self) -> list[str]:
        return [str(error.get("extensions", {}).get("code")) for error in self.errors]


class TallyClient:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url
        self.token = token
        self.http = httpx.Client(base_url=base_url, timeout=30)

    def close(self) -> None:
        self.http.close()

    def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    def raw(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run an operation and insist on success: its `data`."""
        body = self.raw(query, variables)
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    def errors(self, query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run an operation that must fail: its errors."""
        body = self.raw(query, variables)
        assert body.get("errors"), f"expected errors, got {body}"
        errors: list[dict[str, Any]] = body["errors"]
        return errors

    def sign_up(self, email: str, password: str = "correct horse battery") -> dict[str, Any]:
        payload: dict[str, Any] = self(
            """mutation($email: String!, $password: String!) {
                 signUp(input: {email: $email, password: $password}) {
                   accessToken refreshToken user { id email } } }""",
            {"email": email, "password": password},
        )["signUp"]
        self.token = payload["accessToken"]
        return payload

    def subscribe(self, query: str) -> Subscription:
        ws_url = self.base_url.replace("http://", "ws://") + "/graphql"
        stack = contextlib.ExitStack()
        connection = stack.enter_context(
            connect(ws_url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
        )
        connection.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {self.token}"}}
            )
        )
        ack = json.loads(connection.recv(timeout=10))
        assert ack["type"] == "connection_ack", ack
        connection.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        return Subscription(connection, stack)


class Subscription:
    def __init__(self, connection: ClientConnection, stack: contextlib.ExitStack) -> None:
        self.connection = connection
        self._stack = stack

    def next(self, timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(
                self.connection.recv(timeout=max(0.01, deadline - time.monotonic()))
            )
            if message["type"] == "next":
                payload: dict[str, Any] = message["payload"]
                return payload
            if message["type"] == "ping":
                self.connection.send(json.dumps({"type": "pong"}))
                continue
            raise AssertionError(f"unexpected subscription message {message}")

    def completes(self, timeout: float = 10) -> bool:
        """Whether the next message (pings aside) is the server's `complete`."""
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(
                self.connection.recv(timeout=max(0.01, deadline - time.monotonic()))
            )
            if message["type"] == "ping":
                self.connection.send(json.dumps({"type": "pong"}))
                continue
            return bool(message["type"] == "complete")

    def nothing_within(self, seconds: float) -> bool:
        try:
            message = self.connection.recv(timeout=seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected subscription message {message}")

    def close(self) -> None:
        self._stack.close()


def eventually(check: Callable[[], Any], timeout: float = 30, interval: float = 0.1) -> Any:
    """Poll until `check` returns something truthy (background jobs finish asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)
