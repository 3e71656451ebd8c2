"""Test configuration: set before any Tally module reads its settings.

`make test` alone runs on a fresh SQLite file with in-process jobs. With TALLY_DATABASE_URL
pointing at PostgreSQL, a fresh database is created on that server for this run and dropped
after; with TALLY_REDIS_URL, jobs and live events go through that Redis.
"""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Fixtures several areas share (worker fixtures) live once, in tests/support.
pytest_plugins = ("tests.support.workers",)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_VAR = Path(tempfile.mkdtemp(prefix="tally-test-"))
_SERVER_PORT = _free_port()
_SMTP_PORT = _free_port()
_SERVICE_URL = os.environ.get("TALLY_DATABASE_URL", "")
_PG_DATABASE = f"tally_test_{uuid.uuid4().hex[:10]}"

os.environ["TALLY_ENV"] = "test"
# The live server serves the web app as built by `make web` (the browser tests need it).
os.environ["TALLY_WEB_DIR"] = str(Path(__file__).resolve().parent.parent / "web" / "dist")
os.environ["TALLY_VAR_DIR"] = str(_VAR)
os.environ["TALLY_PUBLIC_URL"] = f"http://127.0.0.1:{_SERVER_PORT}"
os.environ["TALLY_SMTP_URL"] = f"smtp://127.0.0.1:{_SMTP_PORT}"
os.environ.pop("TALLY_PLAID_URL", None)
os.environ["PLAID_ENV"] = "local"
# Every HTTP test signs up from 127.0.0.1; the limit itself is tested with its own addresses.
os.environ["TALLY_SIGN_UPS_PER_ADDRESS_PER_HOUR"] = "1000"
# The live server's scheduler would re-sync other tests' banks in the middle of their checks;
# its loop has tests of its own (tests/tally).
os.environ["TALLY_SCHEDULER_INTERVAL_SECONDS"] = "86400"
if _SERVICE_URL.startswith("postgresql"):
    base, _, _ = _SERVICE_URL.rpartition("/")
    os.environ["TALLY_DATABASE_URL"] = f"{base}/{_PG_DATABASE}"
else:
    os.environ["TALLY_DATABASE_URL"] = f"sqlite+aiosqlite:///{_VAR / 'tally.db'}"


# A test using any of these talks to a real server on a port: it is marked `live`. (A notifier
# worker delivers email to the SMTP server that TALLY_SMTP_URL names.)
LIVE_FIXTURES = frozenset(
    {"live_server", "smtp_server", "notifier_worker", "shared_emulator", "private_emulator"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if LIVE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.live)


async def _postgres(statement: str) -> None:
    import asyncpg

    dsn = _SERVICE_URL.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[str]:
    """A fresh, migrated database for this run (migrations, never create_all)."""
    from tally.migrations import upgrade

    url = os.environ["TALLY_DATABASE_URL"]
    if url.startswith("postgresql"):
        asyncio.run(_postgres(f'CREATE DATABASE "{_PG_DATABASE}"'))
    upgrade(url)
    _forget_throttle_counters()
    yield url
    if url.startswith("postgresql"):
        from shared.messaging import broker

        broker.close()
        asyncio.run(_postgres(f'DROP DATABASE IF EXISTS "{_PG_DATABASE}" WITH (FORCE)'))


def _forget_throttle_counters() -> None:
    """Throttle windows and queued jobs outlive a run in Redis; a new run starts from none."""
    url = os.environ.get("TALLY_REDIS_URL")
    if not url:
        return
    import redis

    with redis.Redis.from_url(url) as client:
        for key in client.scan_iter("tally:throttle:*"):
            client.delete(key)
    # Jobs left by an earlier run point at a database that no longer exists.
    from shared.messaging import broker

    broker.flush_all()


@pytest.fixture(scope="session", autouse=True)
def wiring() -> None:
    """Every actor declared and every event subscription registered, as in any Tally process."""
    from tally.actors import load_actors

    load_actors()


@pytest.fixture(scope="session")
def server_port() -> int:
    return _SERVER_PORT


@pytest.fixture(scope="session")
def smtp_port() -> int:
    return _SMTP_PORT


class SmtpInbox:
    """A real SMTP server (aiosmtpd) that keeps what it receives, and refuses the recipients it
    is told to refuse with the reply it is given (a bounce, a greylisting)."""

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.messages: list[Any] = []
        self.refusals: dict[str, str] = {}
        self.recipient_attempts: dict[str, int] = {}

    def refuse(self, address: str, reply: str) -> None:
        self.refusals[address.lower()] = reply

    def attempts_to(self, address: str) -> int:
        return self.recipient_attempts.get(address.lower(), 0)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        key = address.lower()
        self.recipient_attempts[key] = self.recipient_attempts.get(key, 0) + 1
        if key in self.refusals:
            return self.refusals[key]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-Recipients"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_server(smtp_port: int) -> Iterator[SmtpInbox]:
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox(smtp_port)
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def plaid_responses() -> list[tuple[str, int, bytes]]:
    """Every response the emulator gives in this run, checked against Plaid's spec at the end."""
    return []


@pytest.fixture(scope="session")
def live_server(
    database: str,
    server_port: int,
    plaid_responses: list[tuple[str, int, bytes]],
    smtp_server: SmtpInbox,
) -> Iterator[str]:
    """The whole embedded deployment on a real port: gateway, Plaid emulator, job workers."""
    import threading
    import time

    import uvicorn

    from tally.app import create_app

    def record(path: str, status: int, body: bytes) -> None:
        plaid_responses.append((path, status, body))

    app = create_app(run_workers=True, plaid_on_response=record)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=server_port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{server_port}"
    server.should_exit = True
    thread.join(timeout=20)
    if plaid_responses:
        from tests.support.plaid_contract import assert_all_valid

        assert_all_valid(plaid_responses)
