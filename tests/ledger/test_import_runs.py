"""An import run's guarantees, with the job called here instead of by a worker: whatever fails
where, nothing of the import is half-written; a run that died is taken over and adds each row
once; a big import announces its change in bounded batches."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from services.ledger.imports import running
from services.ledger.imports import service as import_service
from services.ledger.models import ImportRow
from shared.db import read_session
from shared.ids import decode_id
from tests.ledger.imports_support import GIROKONTO, file_text, job, run, start
from tests.ledger.support import create_account, new_user, transaction_count


class Killed(BaseException):
    """The process dies here (not an error the job could catch and record)."""


@pytest.fixture(autouse=True)
def no_worker(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """runImport's message is kept here: each test runs the job itself."""
    sent: list[Any] = []
    monkeypatch.setattr(import_service, "send_after_commit", lambda _work, msg: sent.append(msg))
    return sent


async def _queued_import(user: uuid.UUID) -> str:
    account = await create_account(user, currency="EUR")
    started = await start(user, account["id"], "CSV", file_text("girokonto.csv"))
    await run(user, started["id"], GIROKONTO)
    return str(started["id"])


async def _staged_rows() -> int:
    async with read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(ImportRow)) or 0)


async def test_a_failure_while_publishing_leaves_nothing_half_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = await new_user()
    job_id = await _queued_import(user)

    async def broken_publish(*_args: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(running.repository, "publish", broken_publish)
    await running.run_import_job(decode_id("ImportJob", job_id))

    failed = await job(user, job_id)
    assert failed["status"] == "FAILED"
    assert failed["errors"] == [
        {"row": None, "field": "file", "column": None,
         "message": "the import failed unexpectedly; run it again"},
    ]  # fmt: skip
    assert failed["added"] == 0
    assert await transaction_count(user) == 0
    assert await _staged_rows() == 0


async def test_a_run_that_died_after_staging_is_taken_over_and_adds_each_row_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = await new_user()
    job_id = await _queued_import(user)
    import_id = decode_id("ImportJob", job_id)
    publish = running._publish

    async def dies(*_args: Any, **_kwargs: Any) -> None:
        raise Killed

    monkeypatch.setattr(running, "_publish", dies)
    with pytest.raises(Killed):
        await running.run_import_job(import_id)
    stuck = await job(user, job_id)
    assert (stuck["status"], stuck["rowsDone"], stuck["rowsTotal"]) == ("RUNNING", 5, 5)
    assert await _staged_rows() == 5
    assert await transaction_count(user) == 0  # staged rows are not in the ledger

    monkeypatch.setattr(running, "_publish", publish)
    await running.run_import_job(import_id)  # the message, redelivered
    done = await job(user, job_id)
    assert (done["status"], done["added"]) == ("COMPLETED", 5)
    assert await transaction_count(user) == 5
    assert await _staged_rows() == 0

    await running.run_import_job(import_id)  # and once more: a finished import is left alone
    assert await transaction_count(user) == 5


async def test_an_import_announces_its_transactions_in_bounded_batches(
    monkeypatch: pytest.MonkeyPatch, announcements: list[dict[str, Any]]
) -> None:
    monkeypatch.setattr(running, "ANNOUNCE_BATCH", 2)
    user = await new_user()
    job_id = await _queued_import(user)
    await running.run_import_job(decode_id("ImportJob", job_id))

    assert [len(a["transaction_ids"]) for a in announcements] == [2, 2, 1]
    assert {a["user_id"] for a in announcements} == {str(user)}
    assert {month for a in announcements for month in a["months"]} == {"2026-03"}
    announced = {tid for a in announcements for tid in a["transaction_ids"]}
    assert len(announced) == 5


async def test_a_preview_and_a_failed_run_write_nothing_to_the_ledger() -> None:
    user = await new_user()
    account = await create_account(user)
    text = "date,description,amount\n2026-03-01,ok,-1.00\n2026-03-02,bad,-1.0.0\n"
    settings = {
        "dateFormat": "YYYY_MM_DD",
        "csv": {"dateColumn": 1, "descriptionColumn": 2, "amountColumn": 3},
    }
    started = await start(user, account["id"], "CSV", text)
    await run(user, started["id"], settings)
    await running.run_import_job(decode_id("ImportJob", started["id"]))
    failed = await job(user, started["id"])
    assert (failed["status"], failed["errorCount"]) == ("FAILED", 1)
    assert failed["errors"][0]["row"] == 3
    assert await transaction_count(user) == 0
    assert await _staged_rows() == 0
