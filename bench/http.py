"""HTTP benchmark: Tally as a client meets it, against the limit of its own stack.

    python -m bench.http --database tally_bench_http --workers 2 --seconds 10

Builds a PostgreSQL database of its own (next to TALLY_BENCH_POSTGRES, default
postgres@127.0.0.1:5432), starts `tally serve --workers N` on it, signs a user up and gives
them three accounts, --transactions transactions over the last 200 days, five budgets this
month and 30 notifications (10 unread). Then starts bench/http_baseline.py (Starlette +
asyncpg by hand, same uvicorn, same number of processes), checks that both answer each
operation with the same JSON, and drives each with wrk (`apt-get install wrk`) for --seconds a
cell: `me`, a first page of 100 transactions, and a dashboard (accounts, this month's budgets,
the 20 latest transactions, the unread count), at 1, 16 and 64 connections.

Prints one JSON document: requests/s and latency percentiles per cell, Tally's throughput as a
share of the baseline's, and the issue's goals (at least 60% of the baseline; the dashboard's
p99 under 25 ms at 16 connections). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench" / "http"
POSTGRES_SERVER = os.environ.get(
    "TALLY_BENCH_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)
SECRET_KEY = "bench-secret-key-" + "x" * 32
PASSWORD = "correct horse battery staple"
CONNECTIONS = (1, 16, 64)

ME = "query Me { me { id } }"
FIRST_PAGE = """query FirstPage { transactions(first: 100) {
  edges { cursor node { id date description pending amount { amount currency }
                        account { id name } category { id name } } }
  pageInfo { hasNextPage endCursor } } }"""
DASHBOARD = """query Dashboard($month: Month!) {
  accounts { id name type currency balance { amount currency } }
  budgets(month: $month) { id month category { id name } amount { amount currency }
                           spent { amount currency } remaining { amount currency } }
  transactions(first: 20) { edges { node { id date description amount { amount currency }
                                            category { name } } } }
  notifications(unreadOnly: true) { totalCount } }"""
MERCHANTS = (
    ("Whole Foods Market", "Groceries", 2_000, 15_000),
    ("Blue Bottle Coffee", "Dining", 350, 1_400),
    ("Shell Oil", "Transport", 3_000, 7_000),
    ("Amazon Marketplace", "Shopping", 1_000, 20_000),
    ("Netflix", "Entertainment", 1_549, 1_549),
    ("Pacific Gas and Electric", "Utilities", 6_000, 18_000),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(database: str) -> dict[str, str]:
    env = {
        **os.environ,
        "TALLY_ENV": "production",
        "TALLY_DATABASE_URL": f"{POSTGRES_SERVER}/{database}",
        "TALLY_VAR_DIR": str(VAR),
        "TALLY_SECRET_KEY": SECRET_KEY,
        "TALLY_ENCRYPTION_KEYS": "YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMDA=",
        # A production server signs web pushes with its own key (none are sent here).
        "TALLY_VAPID_PRIVATE_KEY": "rF6CbCwa9Aor6Tqg_BpPcD0cPO5gZ3oHT7i7jZhEDd0",
        "PLAID_ENV": "sandbox",
        "PLAID_CLIENT_ID": "bench",
        "PLAID_SECRET": "bench",
        "TALLY_LOG_LEVEL": "WARNING",
        # One user drives thousands of requests a second: the per-minute budget would stop it.
        "TALLY_COST_PER_USER_PER_MINUTE": str(10**9),
    }
    env.pop("TALLY_REDIS_URL", None)
    return env


async def _recreate(database: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    server = POSTGRES_SERVER.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(f"{server}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()


@contextmanager
def _running(command: list[str], env: dict[str, str], url: str) -> Iterator[None]:
    # Their output goes to stderr: stdout is the JSON document.
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=sys.stderr)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, f"{command[:4]} exited while starting"
            try:
                httpx.post(f"{url}/graphql", json={}, timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"{command[:4]} did not start"
                time.sleep(0.5)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=90)


def _post(url: str, token: str | None, query: str, variables: dict[str, Any] | None = None) -> Any:
    named = re.match(r"query (\w+)", query)
    name = named.group(1) if named else None
    body = {"query": query, "operationName": name, "variables": variables or {}}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{url}/graphql", json=body, headers=headers, timeout=60).json()


def _data(answer: Any) -> Any:
    assert "errors" not in answer, answer
    return answer["data"]


def _seed_by_api(url: str) -> tuple[str, uuid.UUID, list[str], dict[str, str]]:
    """The user, their token, three accounts and their categories, through Tally's API."""
    signed_up = _data(
        _post(
            url,
            None,
            "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken user { id } } }",
            {"i": {"email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}},
        )
    )["signUp"]
    token = signed_up["accessToken"]
    from shared.ids import decode_id

    user_id = decode_id("User", signed_up["user"]["id"])
    accounts = []
    for name, kind in (("Checking", "CHECKING"), ("Savings", "SAVINGS"), ("Card", "CREDIT")):
        created = _data(
            _post(
                url,
                token,
                "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } } }",
                {"i": {"name": name, "type": kind, "currency": "USD", "openingBalance": "2500"}},
            )
        )
        accounts.append(created["createAccount"]["account"]["id"])
    categories = {
        row["name"]: row["id"]
        for row in _data(_post(url, token, "{ categories { id name } }"))["categories"]
    }
    return token, user_id, accounts, categories


async def _seed_rows(
    user_id: uuid.UUID, accounts: list[str], categories: dict[str, str], count: int
) -> None:
    """Transactions and notifications, written straight to the tables (as bench/scale.py
    does), then the report totals summed from them."""
    from sqlalchemy import insert, select

    from services.ledger import api
    from services.ledger import models as ledger
    from services.notifier import models as notifier
    from shared.db import dispose_engine, unit_of_work
    from shared.ids import decode_id

    rng = random.Random(8)
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    account_ids = [decode_id("Account", account) for account in accounts]
    rows = []
    for n in range(count):
        description, category, low, high = MERCHANTS[n % len(MERCHANTS)]
        rows.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "user_id": user_id,
                "account_id": account_ids[n % 3],
                "category_id": decode_id("Category", categories[category]),
                "category_source": "user",
                "date": today - dt.timedelta(days=(n * 200) // count),
                "amount_minor": -rng.randint(low, high),
                "currency": "USD",
                "description": f"{description} #{rng.randint(100, 9999)}",
                "pending": False,
                "created_at": now,
                "updated_at": now,
            }
        )
    async with unit_of_work() as work:
        await work.session.execute(insert(ledger.Transaction), rows)
        rule_id = await work.session.scalar(
            select(notifier.AlertRule.id).where(notifier.AlertRule.user_id == user_id).limit(1)
        )
        await work.session.execute(
            insert(notifier.Notification),
            [
                {
                    "id": uuid.uuid4(),
                    "user_id": user_id,
                    "rule_id": rule_id,
                    "kind": "LARGE_TRANSACTION",
                    "dedupe_key": f"bench:{n}",
                    "title": f"Large transaction {n}",
                    "body": "A large transaction was recorded.",
                    "created_at": now - dt.timedelta(hours=n),
                    "read_at": None if n < 10 else now,
                }
                for n in range(30)
            ],
        )
    await api.rebuild_report_totals([user_id])
    await dispose_engine()


def _wrk(url: str, token: str, body: dict[str, Any], connections: int, seconds: int) -> Any:
    env = {**os.environ, "BENCH_BODY": json.dumps(body), "BENCH_TOKEN": token}
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "-s", str(ROOT / "bench" / "http.lua"), f"{url}/graphql"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cells(
    targets: dict[str, str], token: str, operations: dict[str, Any], seconds: int
) -> dict[str, Any]:
    """Every cell for every target, the targets taking turns cell by cell: on a machine whose
    load changes, neither gets all the quiet minutes."""
    measured: dict[str, Any] = {}
    for name, body in operations.items():
        measured[name] = {}
        for url in targets.values():
            _wrk(url, token, body, 4, 2)  # warm every process's pools and caches
        for connections in CONNECTIONS:
            cell = measured[name][str(connections)] = {}
            for target, url in targets.items():
                cell[target] = _wrk(url, token, body, connections, seconds)
                cell[target]["load_average_1m"] = round(os.getloadavg()[0], 2)
            cell["throughput_share"] = round(
                cell["tally"]["requests_per_second"] / cell["baseline"]["requests_per_second"], 3
            )
        for url in targets.values():
            # Still answering without errors after the load (no budget ran out, nothing broke).
            _data(_post(url, token, body["query"], body["variables"]))
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="tally_bench_http")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--transactions", type=int, default=2_000)
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/http.py needs wrk: apt-get install wrk")

    load_before = round(os.getloadavg()[0], 2)
    env = _environment(arguments.database)
    os.environ.update(env)
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    asyncio.run(_recreate(arguments.database))
    subprocess.run(
        [sys.executable, "-c", "from tally.cli import main; main()", "migrate"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    month = dt.date.today().strftime("%Y-%m")
    operations = {
        "me": {"query": ME, "operationName": "Me", "variables": {}},
        "first_page_100": {"query": FIRST_PAGE, "operationName": "FirstPage", "variables": {}},
        "dashboard": {
            "query": DASHBOARD,
            "operationName": "Dashboard",
            "variables": {"month": month},
        },
    }
    tally_url = f"http://127.0.0.1:{_free_port()}"
    baseline_url = f"http://127.0.0.1:{_free_port()}"
    tally = [sys.executable, "-c", "from tally.cli import main; main()", "serve"]
    tally += ["--port", tally_url.rsplit(":", 1)[1], "--workers", str(arguments.workers)]
    baseline = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.http_baseline:app",
        "--log-level",
        "warning",
    ]
    baseline += ["--port", baseline_url.rsplit(":", 1)[1], "--workers", str(arguments.workers)]
    baseline_env = {
        **env,
        "BENCH_DSN": env["TALLY_DATABASE_URL"].replace("+asyncpg", ""),
        "BENCH_SECRET_KEY": SECRET_KEY,
    }

    with _running(tally, env, tally_url):
        token, user_id, accounts, categories = _seed_by_api(tally_url)
        for name in ("Groceries", "Dining", "Transport", "Shopping", "Utilities"):
            _data(
                _post(
                    tally_url,
                    token,
                    "mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }",
                    {"i": {"categoryId": categories[name], "month": month, "amount": "400"}},
                )
            )
        asyncio.run(_seed_rows(user_id, accounts, categories, arguments.transactions))
        with _running(baseline, baseline_env, baseline_url):
            for name, body in operations.items():
                ours = _data(_post(tally_url, token, body["query"], body["variables"]))
                theirs = _data(_post(baseline_url, token, body["query"], body["variables"]))
                assert ours == theirs, f"{name}: the answers differ\n{ours}\n{theirs}"
            results = _cells(
                {"baseline": baseline_url, "tally": tally_url}, token, operations, arguments.seconds
            )

    dashboard_16 = results["dashboard"]["16"]
    print(
        json.dumps(
            {
                "benchmark": "http",
                "database": "postgresql",
                "workers": arguments.workers,
                "cores": os.cpu_count(),
                "load_average_1m_before": load_before,
                "seconds_per_cell": arguments.seconds,
                "transactions": arguments.transactions,
                "results": results,
                "goals": {
                    "every_cell_at_least_60_percent": all(
                        cell["throughput_share"] >= 0.6
                        for cells in results.values()
                        for cell in cells.values()
                    ),
                    "dashboard_p99_ms_at_16": dashboard_16["tally"]["latency_ms"]["p99"],
                    "dashboard_p99_under_25_ms_at_16": dashboard_16["tally"]["latency_ms"]["p99"]
                    < 25,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
