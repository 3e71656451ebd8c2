"""Alert latency: from a bank's change at Plaid to the in-app notification on the user's live
GraphQL subscription, in the distributed configuration.

    python -m bench.alert_latency [--runs 60]
        [--database postgresql+asyncpg://postgres@127.0.0.1:5432/tally_alert_bench]
        [--redis redis://127.0.0.1:6379/7] [--output bench/results/alert-latency.json]

Starts its own deployment, every part a process of its own as in production: the Plaid
emulator (`tally plaid-sandbox`), `tally gateway`, `tally worker sync`, `tally worker ledger`,
`tally worker notifier` and `tally relay`, on a PostgreSQL database it creates (dropped first
if it exists: never point it at a database you care about) and a Redis database other than 0
(flushed first). A user signs up over GraphQL, links First Platypus Bank (a sandbox public
token whose Item sends its webhooks to the gateway), waits for the first sync, creates a
LARGE_TRANSACTION alert rule at $100 and opens the live `notifications` subscription over a
graphql-transport-ws websocket.

Each run: a clock starts, the emulator's /sandbox/transactions/create adds one purchase over
the threshold (the emulator then sends SYNC_UPDATES_AVAILABLE to the gateway's
/webhooks/plaid, as Plaid does), and the clock stops when the subscription delivers that
purchase's notification. The path: emulator -> webhook -> gateway -> sync job -> emulator's
/transactions/sync -> ledger ingest -> the ledger's announcement -> notifier evaluation ->
notification and delivery rows -> Redis pub/sub -> the gateway's websocket -> this client.
The first `--warmup` runs (5) are not counted. Prints one JSON document (milliseconds: p50,
p90, p99, min, max, mean, and the machine's load average, which on a shared machine moves the
numbers most); the tests never run this.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
TALLY = [str(Path(sys.executable).parent / "tally")]
THRESHOLD = "100.00"
GOAL_P99_MS = 500.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(
    database: str, redis: str, gateway_port: int, emulator_port: int
) -> dict[str, str]:
    var_dir = Path(tempfile.mkdtemp(prefix="tally-bench-alerts-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("TALLY_")}
    env |= {
        "TALLY_ENV": "development",
        "TALLY_VAR_DIR": str(var_dir),
        "TALLY_DATABASE_URL": database,
        "TALLY_REDIS_URL": redis,
        "TALLY_PUBLIC_URL": f"http://127.0.0.1:{gateway_port}",
        "TALLY_PLAID_URL": f"http://127.0.0.1:{emulator_port}",
        "TALLY_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        "PLAID_ENV": "local",
        "PLAID_CLIENT_ID": "local-client",
        "PLAID_SECRET": "local-secret",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TALLY_SMTP_URL", None)  # email is not on this path: its delivery is FAILED, fast
    return env


async def _fresh_database(url: str) -> None:
    import asyncpg

    base, _, name = url.replace("postgresql+asyncpg://", "postgresql://").rpartition("/")
    connection = await asyncpg.connect(f"{base}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def _flush_redis(url: str) -> None:
    import redis

    if url.rstrip("/").endswith("/0") or url.rstrip("/").count("/") < 3:
        raise SystemExit("--redis must name a database other than 0 (e.g. redis://host:6379/7)")
    with redis.Redis.from_url(url) as client:
        client.flushdb()


class Deployment:
    """The processes of one distributed deployment, started and stopped together."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str) -> None:
        log = (self.log_dir / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [*TALLY, *args], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        )

    def stop(self) -> None:
        for process in self.processes:
            with suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_ready(url: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} never became ready")


def _graphql(base: str, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=60,
    ).json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


def _plaid(emulator: str, path: str, **fields: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{emulator}{path}",
        json={"client_id": "local-client", "secret": "local-secret", **fields},
        timeout=30,
    )
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


async def _access_token(env: dict[str, str]) -> str:
    """The linked Item's access token, as only the sync service holds it (decrypted with this
    deployment's keys, which live under its TALLY_VAR_DIR)."""
    os.environ.update(env)
    from sqlalchemy import select

    from services.sync.models import LinkedItem
    from shared.crypto import decrypt
    from shared.db import dispose_engine, read_session

    try:
        async with read_session() as session:
            encrypted = await session.scalar(select(LinkedItem.access_token_encrypted))
    finally:
        await dispose_engine()
    assert encrypted is not None
    return decrypt(encrypted)


def _set_up_user(base: str, emulator: str) -> tuple[str, str]:
    """A signed-up user with a linked bank whose first sync is done and a LARGE_TRANSACTION
    rule; their access token and the Item's webhook URL."""
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    auth = _graphql(
        base,
        "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
        {"i": {"email": email, "password": "bench-password-1234567"}},
    )["signUp"]
    token = str(auth["accessToken"])
    public = _plaid(
        emulator,
        "/sandbox/public_token/create",
        institution_id="ins_109508",
        initial_products=["transactions"],
        options={"webhook": f"{base}/webhooks/plaid"},
    )["public_token"]
    _graphql(
        base,
        "mutation($i: LinkInstitutionInput!) { linkInstitution(input: $i) {"
        " linkedInstitution { id } } }",
        {"i": {"publicToken": public}},
        token,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = _graphql(base, "{ transactions(first: 1) { edges { node { id } } } }", {}, token)
        if found["transactions"]["edges"]:
            break
        time.sleep(0.5)
    else:
        raise RuntimeError("the first sync never arrived")
    _graphql(
        base,
        "mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { alertRule { id } } }",
        {"i": {"kind": "LARGE_TRANSACTION", "threshold": THRESHOLD}},
        token,
    )
    return token, email


class Subscription:
    """The user's live `notifications` subscription over graphql-transport-ws."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    async def __aenter__(self) -> Subscription:
        import websockets

        self.socket = await websockets.connect(self.url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
        await self.socket.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {self.token}"}}
            )
        )
        ack = json.loads(await self.socket.recv())
        assert ack["type"] == "connection_ack", ack
        await self.socket.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": "subscription { notifications { id title } }"},
                }
            )
        )
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.socket.close()

    async def next_title(self) -> str:
        while True:
            message = json.loads(await self.socket.recv())
            if message["type"] == "ping":
                await self.socket.send(json.dumps({"type": "pong"}))
            elif message["type"] == "next":
                return str(message["payload"]["data"]["notifications"]["title"])
            elif message["type"] in ("error", "complete"):
                raise RuntimeError(message)


async def _measure(
    base: str, emulator: str, access_token: str, token: str, runs: int
) -> list[float]:
    ws_url = base.replace("http://", "ws://") + "/graphql"
    latencies: list[float] = []
    async with Subscription(ws_url, token) as live, httpx.AsyncClient(timeout=30) as http:
        await asyncio.sleep(1.0)  # the subscription is listening before the first run
        today = dt.datetime.now(dt.UTC).date().isoformat()
        for run in range(runs):
            amount = f"{500 + run}.{run % 100:02d}"
            expected = f"Large transaction: ${int(amount.split('.')[0]):,}.{amount.split('.')[1]}"
            started = time.perf_counter()
            response = await http.post(
                f"{emulator}/sandbox/transactions/create",
                json={
                    "client_id": "local-client",
                    "secret": "local-secret",
                    "access_token": access_token,
                    "transactions": [
                        {
                            "date_transacted": today,
                            "date_posted": today,
                            "amount": float(amount),  # Plaid's API: a JSON number
                            "description": f"Bench purchase {run}",
                            "iso_currency_code": "USD",
                        }
                    ],
                },
            )
            response.raise_for_status()
            async with asyncio.timeout(30):
                while (title := await live.next_title()) != expected:
                    print(f"  (skipped {title!r})", file=sys.stderr)
            latencies.append((time.perf_counter() - started) * 1000)
            print(f"run {run + 1}/{runs}: {latencies[-1]:.1f} ms", file=sys.stderr)
            await asyncio.sleep(0.3)
    return latencies


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument(
        "--warmup",
        type=int,
        default=5,
        help="runs first, not counted (connection pools, first imports on each path)",
    )
    parser.add_argument(
        "--database", default="postgresql+asyncpg://postgres@127.0.0.1:5432/tally_alert_bench"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    if args.runs < 50:
        raise SystemExit("--runs must be at least 50 for a p99 worth reading")

    load_at_start = [round(value, 2) for value in os.getloadavg()]
    gateway_port, emulator_port = _free_port(), _free_port()
    env = _environment(args.database, args.redis, gateway_port, emulator_port)
    base, emulator = f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{emulator_port}"
    asyncio.run(_fresh_database(args.database))
    _flush_redis(args.redis)
    subprocess.run([*TALLY, "migrate"], env=env, cwd=ROOT, check=True)

    deployment = Deployment(env, Path(env["TALLY_VAR_DIR"]))
    try:
        deployment.start("plaid-sandbox", "plaid-sandbox", "--port", str(emulator_port))
        deployment.start("gateway", "gateway", "--port", str(gateway_port), "--workers", "1")
        for service in ("sync", "ledger", "notifier"):
            deployment.start(f"worker-{service}", "worker", service)
        deployment.start("relay", "relay")
        _wait_ready(f"{base}/readyz")
        token, _ = _set_up_user(base, emulator)
        access_token = asyncio.run(_access_token(env))
        measured = asyncio.run(
            _measure(base, emulator, access_token, token, args.warmup + args.runs)
        )
        warmup, latencies = measured[: args.warmup], measured[args.warmup :]
    finally:
        deployment.stop()

    result = {
        "benchmark": "alert_latency",
        "what": "Plaid sandbox transaction (its SYNC_UPDATES_AVAILABLE webhook) to the "
        "notification on the live GraphQL subscription",
        "configuration": "distributed: PostgreSQL, Redis broker and pub/sub, tally gateway "
        "(1 web process), tally worker sync/ledger/notifier, tally relay, the Plaid emulator "
        "as its own process; all on one machine",
        "runs": len(latencies),
        "warmup_runs_ms": [round(value, 1) for value in warmup],
        "milliseconds": {
            "p50": round(_percentile(latencies, 0.50), 1),
            "p90": round(_percentile(latencies, 0.90), 1),
            "p99": round(_percentile(latencies, 0.99), 1),
            "min": round(min(latencies), 1),
            "max": round(max(latencies), 1),
            "mean": round(statistics.fmean(latencies), 1),
        },
        "goal_p99_ms": GOAL_P99_MS,
        "goal_met": _percentile(latencies, 0.99) < GOAL_P99_MS,
        "each_run_ms": [round(value, 1) for value in latencies],
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
            "python": platform.python_version(),
        },
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    document = json.dumps(result, indent=2)
    print(document)
    if args.output:
        args.output.write_text(document + "\n")


if __name__ == "__main__":
    main()
