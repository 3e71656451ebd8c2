"""/readyz as an orchestrator sees it: a database that lacks this release's migrations is not
ready, however well it answers `SELECT 1`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tally import app as tally_app
from tally.app import migrations_at_head
from tally.migrations import alembic_config

# The app reads its database from the settings once per process: a fresh process, on a fresh
# SQLite file, asks /readyz before and after `tally migrate`'s upgrade.
_ASK_BEFORE_AND_AFTER_MIGRATING = """
import asyncio, json, os
import httpx
from shared.db import dispose_engine
from tally.app import create_app
from tally.migrations import upgrade

async def readyz(app):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tally") as client:
        response = await client.get("/readyz")
    return {"status": response.status_code, "body": response.json()}

async def main():
    app = create_app()
    before = await readyz(app)
    await asyncio.to_thread(upgrade, os.environ["TALLY_DATABASE_URL"])
    after = await readyz(app)
    await dispose_engine()
    print(json.dumps([before, after]))

asyncio.run(main())
"""


def test_an_unmigrated_database_is_not_ready_until_it_is_migrated(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TALLY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}",
        "TALLY_VAR_DIR": str(tmp_path),
    }
    completed = subprocess.run(  # noqa: S603 - our own interpreter, our own script
        [sys.executable, "-c", _ASK_BEFORE_AND_AFTER_MIGRATING],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    before, after = json.loads(completed.stdout.strip().splitlines()[-1])

    assert before["status"] == 503
    assert before["body"]["database"] == "ok"
    assert "tally migrate" in before["body"]["migrations"]
    assert after == {
        "status": 200,
        "body": {"status": "ready", "database": "ok", "broker": "ok", "migrations": "ok"},
    }


async def test_a_database_a_newer_release_migrated_stays_ready_one_behind_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = migrations_at_head(os.environ["TALLY_DATABASE_URL"])
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    applied: set[str] = set(heads)
    ledger_head = next(head for head in heads if head.startswith("ledger"))

    async def revisions_in_the_database() -> frozenset[str]:
        return frozenset(applied)

    monkeypatch.setattr(tally_app, "applied_revisions", revisions_in_the_database)
    assert await check() is None

    # During a rollout the new release's migration replaces a head this one ships.
    applied.remove(ledger_head)
    applied.add("ledger_9999_from_a_newer_release")
    assert await check() is None

    applied.remove("ledger_9999_from_a_newer_release")
    assert ledger_head in (await check() or "")
