"""The scheduler loop: one event loop for its whole life, a pass per interval, a failed pass
retried at the next tick, and its connection pool closed when it stops."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from services.sync import api as sync_api
from shared import db
from tally.scheduler import run_scheduler


def test_the_scheduler_keeps_one_loop_survives_a_failed_pass_and_closes_its_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen_loops: list[asyncio.AbstractEventLoop] = []
    stop: asyncio.Event | None = None

    async def enqueue_due_syncs() -> int:
        seen_loops.append(asyncio.get_running_loop())
        async with db.read_session() as session:  # what the real pass does first
            await session.execute(text("SELECT 1"))
        if len(seen_loops) == 1:
            raise RuntimeError("Plaid is unreachable")
        if len(seen_loops) == 3:
            assert stop is not None
            stop.set()
        return 0

    monkeypatch.setattr(sync_api, "enqueue_due_syncs", enqueue_due_syncs)

    async def scheduler_process() -> tuple[int, asyncio.AbstractEventLoop]:
        nonlocal stop
        stop = asyncio.Event()
        passes = await run_scheduler(0.01, stop)
        return passes, asyncio.get_running_loop()

    passes, loop = asyncio.run(scheduler_process())

    assert passes == 3
    assert set(seen_loops) == {loop}
    assert loop not in db._engines  # the pool was disposed before the loop closed
