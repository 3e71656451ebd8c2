"""`tally`: every process Tally runs as, from one command."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.config import Settings, get_settings, problems
from shared.logging import configure_logging

# Exit status of a refused configuration (argparse uses 2 for a refused command line too).
CONFIGURATION_ERROR = 2


def _migrate() -> None:
    from tally.migrations import upgrade

    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)


def _follow_port(host: str, port: int) -> None:
    if "TALLY_PUBLIC_URL" not in os.environ:
        # Served on another port, the local Plaid and its webhooks must follow it there (every
        # process it starts reads this environment).
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        os.environ["TALLY_PUBLIC_URL"] = f"http://{shown}:{port}"
        get_settings.cache_clear()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves Tally: forwarded headers believed only from the trusted proxies (none
    by default: a peer's X-Forwarded-For is then ignored), and its logs through Tally's JSON
    logging instead of its own plain-text setup."""
    trusted = settings.trusted_proxies
    return {
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
        "log_config": None,
        "log_level": "warning",
    }


def cmd_serve(args: argparse.Namespace) -> None:
    from tally.serving import SERVE_APP, jobs_beside, serve_web

    settings = get_settings()
    if settings.is_sqlite:
        _migrate()
    _follow_port(args.host, args.port)
    workers = _workers(args)
    print(
        f"Tally is running at http://{args.host}:{args.port}  (GraphQL: /graphql; "
        f"{workers} web process{'es' if workers > 1 else ''} and one for jobs)",
        flush=True,
    )
    with jobs_beside():
        serve_web(SERVE_APP, args.host, args.port, workers, uvicorn_options(get_settings()))


def cmd_gateway(args: argparse.Namespace) -> None:
    from tally.serving import GATEWAY_APP, serve_web

    _follow_port(args.host, args.port)
    serve_web(GATEWAY_APP, args.host, args.port, _workers(args), uvicorn_options(get_settings()))


def _workers(args: argparse.Namespace) -> int:
    from tally.serving import default_workers

    return int(args.workers or default_workers())


def cmd_worker(args: argparse.Namespace) -> None:
    from shared.messaging import start_worker
    from tally.actors import SERVICE_QUEUES, load_actors
    from tally.serving import settle_memory

    load_actors()
    worker = start_worker([SERVICE_QUEUES[args.service]], threads=args.threads)
    settle_memory()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(f"worker for {args.service} started", flush=True)
    stop.wait()
    worker.stop()


def _until_signalled(banner: str, loop: Callable[[asyncio.Event], Awaitable[object]]) -> None:
    """Run a process's loop on one event loop until SIGINT or SIGTERM asks it to stop."""

    async def run() -> None:
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        print(banner, flush=True)
        await loop(stop)

    asyncio.run(run())


def cmd_scheduler(args: argparse.Namespace) -> None:
    from tally.actors import load_actors
    from tally.scheduler import run_scheduler

    load_actors()
    interval = args.interval or get_settings().scheduler_interval_seconds
    _until_signalled(
        f"scheduler started: every {interval:g} s", lambda stop: run_scheduler(interval, stop)
    )


def cmd_relay(_: argparse.Namespace) -> None:
    from tally.actors import load_actors
    from tally.relay import run_relay_process

    load_actors()
    _until_signalled("outbox relay started", run_relay_process)


def cmd_migrate(_: argparse.Namespace) -> None:
    _migrate()
    print("database is up to date", flush=True)
    # Users older than the report totals get theirs (a no-op once every user has them).
    cmd_rebuild_reports(argparse.Namespace(user=None))


def cmd_rebuild_reports(args: argparse.Namespace) -> None:
    from services.ledger import api as ledger_api
    from shared.db import dispose_engine

    async def rebuild() -> dict[uuid.UUID, int]:
        try:
            return await ledger_api.rebuild_report_totals(args.user or None)
        finally:
            await dispose_engine()

    stored = asyncio.run(rebuild())
    rows = sum(stored.values())
    print(f"report totals rebuilt for {len(stored)} users ({rows} rows)", flush=True)


def cmd_plaid_sandbox(args: argparse.Namespace) -> None:
    from plaid_sandbox import run_standalone
    from tally.app import emulator_webhook_hosts

    settings = get_settings()
    run_standalone(
        args.host,
        args.port,
        settings.var_dir / "plaid-sandbox.db",
        settings.plaid_client_id or "local-client",
        settings.secret("plaid_secret"),
        emulator_webhook_hosts(settings),
    )


def cmd_rotate_keys(args: argparse.Namespace) -> None:
    from services.notifier import api as notifier_api
    from services.sync import api as sync_api
    from shared.db import dispose_engine

    async def rotate() -> tuple[int, int]:
        try:
            tokens = await sync_api.rotate_encryption_keys(batch_size=args.batch_size)
            secrets = await notifier_api.rotate_encryption_keys(batch_size=args.batch_size)
            return tokens, secrets
        finally:
            await dispose_engine()

    try:
        count, secrets = asyncio.run(rotate())
    except ValueError as error:
        sys.exit(
            f"tally rotate-keys: {error}. TALLY_ENCRYPTION_KEYS must list the new key first and "
            "still list every key the stored tokens were encrypted with. Tokens already "
            "re-encrypted stay so; fix the keys and run it again."
        )
    print(
        f"re-encrypted {count} bank access tokens and {secrets} webhook and push secrets under "
        "the newest key; once every process "
        "runs with the new TALLY_ENCRYPTION_KEYS, the old key can be removed from it",
        flush=True,
    )


def cmd_demo(args: argparse.Namespace) -> None:
    from tally.demo import create_demo

    if get_settings().is_sqlite:
        _migrate()
    create_demo(email=args.email, password=args.password)


def cmd_schema(args: argparse.Namespace) -> None:
    from services.gateway.schema import build_schema

    sdl = build_schema(environment="development").as_str() + "\n"
    if args.output is None:
        sys.stdout.write(sdl)
        return
    Path(args.output).write_text(sdl, encoding="utf-8")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    # Imported here: the actors' modules read the settings, which main() checks first.
    from tally.actors import SERVICE_QUEUES

    parser = argparse.ArgumentParser(prog="tally", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    default_port = int(os.environ.get("PORT", "8000"))

    def with_address(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--host", default="127.0.0.1")
        sub.add_argument("--port", type=int, default=default_port)
        return sub

    def with_workers(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--workers",
            type=_positive,
            default=None,
            help="web processes sharing the port (default: the number of cores)",
        )
        return sub

    with_workers(
        with_address(
            commands.add_parser(
                "serve", help="everything on one machine: web processes and a jobs process"
            )
        )
    ).set_defaults(handler=cmd_serve)
    with_workers(
        with_address(commands.add_parser("gateway", help="the GraphQL gateway only"))
    ).set_defaults(handler=cmd_gateway)
    worker = commands.add_parser("worker", help="a job worker for one service queue")
    worker.add_argument("service", choices=sorted(SERVICE_QUEUES))
    worker.add_argument("--threads", type=int, default=None)
    worker.set_defaults(handler=cmd_worker)
    scheduler = commands.add_parser("scheduler", help="periodic jobs (bank syncs)")
    scheduler.add_argument(
        "--interval", type=float, default=None, help="seconds between passes (default: 300)"
    )
    scheduler.set_defaults(handler=cmd_scheduler)
    commands.add_parser(
        "relay", help="deliver stored messages the broker has not taken yet (the outbox)"
    ).set_defaults(handler=cmd_relay)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(
        handler=cmd_migrate
    )
    rebuild = commands.add_parser(
        "rebuild-reports",
        help="sum users' histories into their report totals anew",
        description="Without --user: every user with transactions whose report totals were "
        "never built (users older than the totals; their reports read transactions until "
        "then). With --user: those users, anew. Safe to run again.",
    )
    rebuild.add_argument("--user", type=uuid.UUID, action="append", help="a user id (repeatable)")
    rebuild.set_defaults(handler=cmd_rebuild_reports)
    rotate = commands.add_parser(
        "rotate-keys",
        help="re-encrypt stored secrets under the newest of TALLY_ENCRYPTION_KEYS",
        description="After prepending a new key to TALLY_ENCRYPTION_KEYS (newest first), "
        "re-encrypt every stored bank access token under it; safe to run again.",
    )
    rotate.add_argument("--batch-size", type=_positive, default=200, help="tokens per transaction")
    rotate.set_defaults(handler=cmd_rotate_keys)
    demo = commands.add_parser("demo", help="a demo user with a linked bank and history")
    demo.add_argument("--email", default="demo@tally.local")
    demo.add_argument("--password", default="demo-password-123")
    demo.set_defaults(handler=cmd_demo)
    with_address(
        commands.add_parser("plaid-sandbox", help="the local Plaid emulator alone")
    ).set_defaults(handler=cmd_plaid_sandbox)
    schema = commands.add_parser("schema", help="print the public GraphQL contract (SDL)")
    schema.add_argument("--output", "-o", default=None, help="write it to this file instead")
    schema.set_defaults(handler=cmd_schema)
    return parser


def check_settings() -> None:
    """Read and check every setting; on a wrong one, say which in one line and exit 2."""
    try:
        get_settings()
    except ValidationError as error:
        print(f"tally: configuration error: {problems(error)}", file=sys.stderr, flush=True)
        sys.exit(CONFIGURATION_ERROR)


def main(argv: Sequence[str] | None = None) -> None:
    check_settings()
    args = build_parser().parse_args(argv)
    configure_logging(get_settings().log_level)
    try:
        args.handler(args)
    except KeyboardInterrupt:
        sys.exit(130)
