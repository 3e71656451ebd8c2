"""The ASGI app that `tally serve` and `tally gateway` run.

The gateway's edge, plus what the composition root puts beside it: the local Plaid emulator
at /plaid-sandbox in `PLAID_ENV=local`, and in the embedded configuration the job workers,
started and stopped with the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from typing import Any

import dramatiq
import httpx
from alembic.script import ScriptDirectory
from starlette.applications import Starlette
from starlette.routing import Mount

from plaid_sandbox import LOOPBACK_HOSTS, create_emulator_app
from services.gateway.app import ReadinessCheck, create_gateway
from services.gateway.identity import throttle
from shared import outbox
from shared.config import Settings, get_settings
from shared.db import applied_revisions, dispose_engine
from shared.logging import configure_logging
from shared.messaging import start_worker
from tally.actors import load_actors
from tally.migrations import alembic_config
from tally.relay import run_relay
from tally.scheduler import schedule
from tally.serving import WEB_PROCESSES_VARIABLE, settle_memory


def create_app(
    settings: Settings | None = None,
    *,
    run_workers: bool = False,
    plaid_on_response: Callable[[str, int, bytes], None] | None = None,
) -> Starlette:
    """Tally's app. With `run_workers` (embedded mode), this process also runs the job workers,
    the outbox's relay and the scheduler.

    `plaid_on_response` sees every response of the mounted Plaid emulator (tests validate them).
    """
    settings = settings or get_settings()
    load_actors()
    sandbox: Starlette | None = None
    mounts: list[Mount] = []
    if settings.plaid_env == "local":
        sandbox = local_plaid_sandbox(settings, on_response=plaid_on_response)
        mounts.append(Mount("/plaid-sandbox", app=sandbox))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        worker: dramatiq.Worker | None = None
        stop = asyncio.Event()
        background: list[asyncio.Task[Any]] = []
        if run_workers:
            # Embedded: the previous run's in-memory queue is gone; its messages are due again.
            await outbox.release_in_flight()
            worker = start_worker()
            background = [
                asyncio.create_task(run_relay(stop), name="outbox-relay"),
                asyncio.create_task(
                    schedule(settings.scheduler_interval_seconds, stop), name="scheduler"
                ),
            ]
        app.state.background = background
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*background, return_exceptions=True)
            if worker is not None:
                worker.stop()
            if sandbox is not None:
                # Mounted apps get no lifespan of their own: let the emulator finish its webhooks.
                await sandbox.state.emulator.aclose()
            await throttle.close_redis_clients()
            await dispose_engine()

    return create_gateway(
        settings,
        mounts=mounts,
        lifespan=lifespan,
        readiness_checks={"migrations": migrations_at_head(settings.database_url)},
    )


def serve_web_process() -> Starlette:
    """One web process of `tally serve` (uvicorn's factory, in each process it spawns): its jobs
    run in the jobs process (tally.jobs), whose relay takes the messages this one stores."""
    settings = _process_settings()
    if not settings.redis_url:
        outbox.hand_over_to_relay()  # Redis would carry them between processes itself
    app = create_app(settings)
    settle_memory()
    return app


def gateway_process() -> Starlette:
    """One process of `tally gateway` (uvicorn's factory): the edge alone, its jobs run by
    `tally worker` processes."""
    app = create_app(_process_settings())
    settle_memory()
    return app


def _process_settings() -> Settings:
    # A spawned process starts afresh: it reads the settings and sets its logging up again.
    settings = get_settings()
    configure_logging(settings.log_level)
    several = int(os.environ.get(WEB_PROCESSES_VARIABLE, "1")) > 1
    if several and not settings.redis_url:
        # Log-in and sign-up attempts counted in one process's memory would let a guesser
        # multiply the limits by the number of processes.
        throttle.count_in_database()
    return settings


def migrations_at_head(database_url: str) -> ReadinessCheck:
    """/readyz's check that the database is migrated to every head this release ships: on an
    older or unmigrated database the first request would fail instead."""
    scripts = ScriptDirectory.from_config(alembic_config(database_url))
    heads = frozenset(scripts.get_heads())
    known = frozenset(script.revision for script in scripts.walk_revisions())

    async def check() -> str | None:
        applied = await applied_revisions()
        if applied - known:
            # A newer release migrated it during a rollout: refusing would take this release's
            # processes out of service before the new ones are ready.
            return None
        missing = heads - applied
        if not missing:
            return None
        return f"not at head: missing {', '.join(sorted(missing))}; run `tally migrate`"

    return check


def local_plaid_sandbox(
    settings: Settings, *, on_response: Callable[[str, int, bytes], None] | None = None
) -> Starlette:
    """The local Plaid emulator, mounted at /plaid-sandbox in `PLAID_ENV=local`.

    Mounted, it gets no lifespan events: on shutdown, `await app.state.emulator.aclose()` lets
    webhooks in flight finish. Its webhooks go out on connections closed after each, so none
    is left open whether or not that is done.
    """
    return create_emulator_app(
        state_path=settings.var_dir / "plaid-sandbox.db",
        client_id=settings.plaid_client_id or "",
        secret=settings.secret("plaid_secret"),
        on_response=on_response,
        webhook_client=httpx.AsyncClient(
            timeout=10.0, limits=httpx.Limits(max_keepalive_connections=0)
        ),
        webhook_hosts=emulator_webhook_hosts(settings),
    )


def emulator_webhook_hosts(settings: Settings) -> list[str]:
    """Where the emulator may send webhooks: this machine, and Tally's own public address."""
    return [*LOOPBACK_HOSTS, httpx.URL(settings.public_url).host]
