"""`tally serve --workers N` as an operator starts it: several web processes on one port and a
jobs process, answering GraphQL, and all of them gone after SIGTERM."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.client import TallyClient

pytestmark = pytest.mark.live

# Spawned processes import all of Tally; on a busy 2-core machine that takes a while.
START_SECONDS = 120
STOP_SECONDS = 60
JOB_SECONDS = 60
TALLY = (sys.executable, "-c", "from tally.cli import main; main()")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _own_deployment(tmp_path: Path, port: int) -> dict[str, str]:
    """A deployment of its own: its SQLite file (its jobs must not take the test run's outbox
    messages), no Redis (nor the run's queues), and no email (the run's SMTP server may not be
    listening)."""
    env = {
        **os.environ,
        "TALLY_VAR_DIR": str(tmp_path),
        "TALLY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tally.db'}",
        "TALLY_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TALLY_LOG_LEVEL": "INFO",
    }
    env.pop("TALLY_REDIS_URL", None)
    env.pop("TALLY_SMTP_URL", None)
    return env


def _wait_until_up(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "tally serve exited while starting"
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError("tally serve did not answer in time")


def _graphql(
    url: str, token: str | None, query: str, variables: dict[str, Any] | None = None
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    # A connection of its own each time: the kernel spreads them over the web processes.
    with httpx.Client(base_url=url, timeout=30) as client:
        answer = client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        ).json()
    assert "errors" not in answer, answer
    return answer["data"]


def _sign_up(url: str) -> str:
    signed_up = _graphql(
        url,
        None,
        "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
        {
            "i": {
                "email": f"serve-{uuid.uuid4().hex[:8]}@example.com",
                "password": "correct horse battery staple",
            }
        },
    )
    return str(signed_up["signUp"]["accessToken"])


def _overspend_groceries(url: str, token: str) -> None:
    account = _graphql(
        url,
        token,
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } } }",
        {"i": {"name": "Checking", "type": "CHECKING", "currency": "USD"}},
    )["createAccount"]["account"]["id"]
    groceries = next(
        category["id"]
        for category in _graphql(url, token, "{ categories { id name } }")["categories"]
        if category["name"] == "Groceries"
    )
    today = dt.date.today()
    _graphql(
        url,
        token,
        "mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }",
        {"i": {"categoryId": groceries, "month": today.strftime("%Y-%m"), "amount": "10"}},
    )
    _graphql(
        url,
        token,
        "mutation($i: CreateTransactionInput!) { createTransaction(input: $i) { "
        "transaction { id } } }",
        {
            "i": {
                "accountId": account,
                "date": today.isoformat(),
                "amount": "-50.00",
                "description": "Whole Foods Market",
                "categoryId": groceries,
            }
        },
    )


def test_serve_with_two_workers_answers_graphql_runs_jobs_and_stops_cleanly(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own command
        [*TALLY, "serve", "--port", str(port), "--workers", "2"],
        env=_own_deployment(tmp_path, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_up(url, server)
        token = _sign_up(url)
        # Several connections, so that both web processes take some.
        for _ in range(8):
            assert _graphql(url, token, "{ me { id } accounts { id } }")["accounts"] == []
        live = TallyClient(url, token).subscribe("subscription { notifications { title } }")
        try:
            assert live.nothing_within(0.5)  # subscribed, on whichever web process
            _overspend_groceries(url, token)
            # The announcement went through the outbox to the jobs process, whose notifier
            # stored the alert: the web processes run no jobs.
            deadline = time.monotonic() + JOB_SECONDS
            while not _graphql(url, token, "{ notifications { totalCount } }")["notifications"][
                "totalCount"
            ]:
                assert time.monotonic() < deadline, "no job ran: the alert never came"
                time.sleep(0.2)
            # Published by the jobs process, it reached the web process holding the socket.
            alert = live.next(timeout=JOB_SECONDS)
            assert alert["data"]["notifications"] == {"title": "Groceries budget overspent"}
        finally:
            live.close()
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=STOP_SECONDS)

    assert server.returncode == 0, stderr[-2000:]
    assert "2 web processes and one for jobs" in stdout
    assert '"jobs.started"' in stderr and '"jobs.stopped"' in stderr, stderr[-2000:]
    assert "Traceback" not in stderr, stderr[-4000:]
    with socket.socket() as probe:
        # Free again: no web process outlived it (SO_REUSEADDR passes connections the server
        # closed, in TIME_WAIT, but never a socket still listening).
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def test_the_default_number_of_web_processes_follows_the_cores_and_the_cgroup_quota(
    tmp_path: Path,
) -> None:
    from tally.serving import default_workers

    cores = len(os.sched_getaffinity(0))
    cpu_max = tmp_path / "cpu.max"
    assert default_workers(tmp_path / "absent") == cores
    cpu_max.write_text("max 100000\n")
    assert default_workers(cpu_max) == cores
    cpu_max.write_text("50000 100000\n")  # half a core: still one process
    assert default_workers(cpu_max) == 1
    cpu_max.write_text(f"{100000 * (cores + 4)} 100000\n")
    assert default_workers(cpu_max) == cores
