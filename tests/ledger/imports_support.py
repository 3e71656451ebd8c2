"""Story helpers for the import tests: a file's text, and an import driven through the GraphQL
contract as a client drives it (start, preview, run, follow the job)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from services.ledger import api as ledger_api
from tests.support.graphql import data
from tests.support.workers import drain

FILES = Path(__file__).resolve().parent / "files"

JOB_FIELDS = (
    "id status format fileName partsReceived bytesReceived rowsTotal rowsDone added duplicates "
    "errorCount errors { row field column message } account { id } firstLines"
)
PREVIEW_FIELDS = (
    "rowsTotal newRows duplicates errorCount columns errors { row field column message } "
    "rows { row date amount { amount currency } description notes reference duplicate }"
)
GIROKONTO = {
    "dateFormat": "DD_MM_YYYY",
    "decimalSeparator": "COMMA",
    "csv": {
        "delimiter": "SEMICOLON",
        "headerRows": 2,
        "dateColumn": 1,
        "descriptionColumn": 2,
        "amountColumn": 3,
        "notesColumn": 4,
    },
}
QIF_US = {"dateFormat": "MM_DD_YYYY"}


def file_text(name: str) -> str:
    with (FILES / name).open(encoding="utf-8", newline="") as file:
        return file.read()


async def start(
    user_id: uuid.UUID,
    account_id: str,
    file_format: str,
    text: str,
    file_name: str | None = None,
    total_bytes: int | None = None,
) -> dict[str, Any]:
    result = await data(
        f"""mutation($i: StartImportInput!) {{
              startImport(input: $i) {{ importJob {{ {JOB_FIELDS} }} }} }}""",
        {
            "i": {
                "accountId": account_id,
                "format": file_format,
                "text": text,
                "fileName": file_name,
                "totalBytes": total_bytes,
            }
        },
        user_id=user_id,
    )
    job: dict[str, Any] = result["startImport"]["importJob"]
    return job


async def preview(
    user_id: uuid.UUID, job_id: str, settings: dict[str, Any] | None = None, first: int = 20
) -> dict[str, Any]:
    result = await data(
        f"""query($i: ImportPreviewInput!) {{ importPreview(input: $i) {{ {PREVIEW_FIELDS} }} }}""",
        {"i": {"importJobId": job_id, "settings": settings, "first": first}},
        user_id=user_id,
    )
    found: dict[str, Any] = result["importPreview"]
    return found


async def run(
    user_id: uuid.UUID, job_id: str, settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = await data(
        f"""mutation($i: RunImportInput!) {{
              runImport(input: $i) {{ importJob {{ {JOB_FIELDS} }} }} }}""",
        {"i": {"importJobId": job_id, "settings": settings}},
        user_id=user_id,
    )
    job: dict[str, Any] = result["runImport"]["importJob"]
    return job


async def job(user_id: uuid.UUID, job_id: str) -> dict[str, Any]:
    result = await data(
        f"query($id: ID!) {{ importJob(id: $id) {{ {JOB_FIELDS} }} }}",
        {"id": job_id},
        user_id=user_id,
    )
    found: dict[str, Any] = result["importJob"]
    return found


async def import_file(
    user_id: uuid.UUID,
    account_id: str,
    file_format: str,
    text: str,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Start, run and wait for an import (a ledger worker must run); the finished job."""
    started = await start(user_id, account_id, file_format, text)
    await run(user_id, started["id"], settings)
    await drain(ledger_api.QUEUE)
    return await job(user_id, started["id"])
