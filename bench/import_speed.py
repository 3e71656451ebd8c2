"""File import benchmark: rows per second importing CSV, OFX and QIF files of 10,000 and 100,000
rows into a fresh account, on SQLite and (when reachable) PostgreSQL.

    python -m bench.import_speed [--rows 10000 100000] [--formats csv ofx qif]
                                 [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432]

Each database runs in a child process (settings are read once per process): SQLite in a
temporary file, PostgreSQL in a database created for the run and dropped after. The file goes
through the service as a client sends it (parts of at most 400,000 bytes), is previewed, then
run by the job itself (as a worker would); a second import of the same file (all duplicates)
is timed too. Prints one JSON object; the tests never run it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"


def _csv(rows: int) -> str:
    start = dt.date(2020, 1, 1)
    lines = ["Date,Description,Amount,Memo"]
    for index in range(rows):
        day = start + dt.timedelta(days=index // 40)
        amount = f"-{index % 997}.{index % 100:02d}" if index % 9 else f"{index % 5000}.00"
        lines.append(
            f'{day:%d/%m/%Y},"Shop {index % 313}, branch {index % 7}",{amount},ref {index}'
        )
    return "\r\n".join(lines) + "\r\n"


def _ofx(rows: int) -> str:
    start = dt.date(2020, 1, 1)
    head = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX>"
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS>"
        "<CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>42<ACCTTYPE>CHECKING</BANKACCTFROM>"
        "<BANKTRANLIST><DTSTART>20200101<DTEND>20300101\n"
    )
    body = "".join(
        f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{start + dt.timedelta(days=i // 40):%Y%m%d}"
        f"<TRNAMT>-{i % 997}.{i % 100:02d}<FITID>F{i:09d}<NAME>Shop {i % 313}"
        f"<MEMO>ref {i}</STMTTRN>\n"
        for i in range(rows)
    )
    return head + body + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"


def _qif(rows: int) -> str:
    start = dt.date(2020, 1, 1)
    return "!Type:Bank\n" + "".join(
        f"D{start + dt.timedelta(days=i // 40):%m/%d/%Y}\nT-{i % 997}.{i % 100:02d}\n"
        f"PShop {i % 313}\nMref {i}\n^\n"
        for i in range(rows)
    )


FILES = {"csv": _csv, "ofx": _ofx, "qif": _qif}
SETTINGS: dict[str, dict[str, Any]] = {
    "csv": {
        "date_format": "DD_MM_YYYY",
        "csv": {"date": 1, "description": 2, "amount": 3, "notes": 4},
    },
    "ofx": {},
    "qif": {"date_format": "MM_DD_YYYY"},
}


async def _measure(file_format: str, rows: int) -> dict[str, Any]:
    from services.ledger.accounts import service as account_service
    from services.ledger.imports import running
    from services.ledger.imports import service as import_service
    from services.ledger.imports.settings import (
        CsvColumns,
        DateFormat,
        FileFormat,
        ImportSettings,
    )
    from shared.db import read_session, unit_of_work

    given = SETTINGS[file_format]
    settings = ImportSettings(
        date_format=DateFormat[given["date_format"]] if "date_format" in given else None,
        csv=CsvColumns(**given["csv"]) if "csv" in given else None,
    )
    text = FILES[file_format](rows)
    user_id = uuid.uuid4()
    async with unit_of_work() as work:
        account = await account_service.create_account(
            work, user_id, name="Bench", type="checking", currency="USD", opening_balance=None
        )
    result: dict[str, Any] = {"rows": rows, "bytes": len(text.encode())}
    for label in ("first", "again"):
        began = time.perf_counter()
        parts = _parts(text)
        async with unit_of_work() as work:
            job = await import_service.start_import(
                work,
                user_id,
                import_service.NewImport(account.id, FileFormat[file_format.upper()], parts[0]),
            )
        for number, part in enumerate(parts[1:], start=2):
            async with unit_of_work() as work:
                await import_service.append_text(work, user_id, job.id, number, part)
        uploaded = time.perf_counter()
        if label == "first":
            async with read_session() as session:
                await import_service.preview(session, user_id, job.id, settings, 20)
        previewed = time.perf_counter()
        async with unit_of_work() as work:
            await import_service.run_import(work, user_id, job.id, settings)
        queued = time.perf_counter()
        await running.run_import_job(job.id)
        finished = time.perf_counter()
        async with read_session() as session:
            done = await import_service.require_import(session, user_id, job.id)
        assert done.status == "completed", (done.status, done.errors)
        result[label] = {
            "parts": len(parts),
            "added": done.added,
            "duplicates": done.duplicates,
            "upload_s": round(uploaded - began, 3),
            "preview_s": round(previewed - uploaded, 3) if label == "first" else None,
            "job_s": round(finished - queued, 3),
            "job_rows_per_s": round(rows / (finished - queued)),
        }
    assert result["first"]["added"] == rows and result["again"]["added"] == 0
    return result


def _parts(text: str) -> list[str]:
    from services.ledger.imports.service import MAX_PART_BYTES

    parts, current, size = [], [], 0
    for line in text.splitlines(keepends=True):
        if size + len(line) > MAX_PART_BYTES and current:
            parts.append("".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line.encode())
    parts.append("".join(current))
    return parts


async def _child(formats: list[str], counts: list[int]) -> dict[str, Any]:
    from services.ledger.api import TRANSACTIONS_CHANGED
    from shared import events
    from shared.db import dispose_engine
    from shared.messaging import broker

    # Announcements go somewhere (nobody consumes them here).
    broker.declare_queue("bench")
    events.subscribe(events.Subscription(TRANSACTIONS_CHANGED, "bench", "bench_sink"))
    measured = {}
    for file_format in formats:
        for rows in counts:
            measured[f"{file_format}_{rows}"] = await _measure(file_format, rows)
    await dispose_engine()
    return measured


def child_main(url: str, formats: list[str], counts: list[int]) -> None:
    os.environ["TALLY_DATABASE_URL"] = url
    os.environ.setdefault("TALLY_ENV", "test")
    os.environ.pop("TALLY_REDIS_URL", None)
    from tally.migrations import upgrade

    upgrade(url)
    print(json.dumps(asyncio.run(_child(formats, counts))))


def _postgres(admin_url: str, statement: str) -> None:
    import asyncpg

    async def execute() -> None:
        connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg", "postgresql"))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(execute())


def _run_child(url: str, formats: list[str], counts: list[int]) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.import_speed", "--child", url, "--formats", *formats]
    command += ["--rows", *(str(count) for count in counts)]
    with tempfile.TemporaryDirectory() as var_dir:
        env = {**os.environ, "TALLY_VAR_DIR": var_dir}
        env.pop("TALLY_REDIS_URL", None)
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--formats", nargs="+", choices=sorted(FILES), default=["csv", "ofx", "qif"]
    )
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL, no database")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child_main(arguments.child, arguments.formats, arguments.rows)
        return
    results: dict[str, Any] = {"cpu_count": os.cpu_count()}
    with tempfile.TemporaryDirectory() as directory:
        sqlite_url = f"sqlite+aiosqlite:///{directory}/bench.db"
        results["sqlite"] = _run_child(sqlite_url, arguments.formats, arguments.rows)
    database = f"tally_bench_imports_{uuid.uuid4().hex[:8]}"
    try:
        _postgres(f"{arguments.postgres}/postgres", f'CREATE DATABASE "{database}"')
    except (OSError, ImportError) as error:
        results["postgresql"] = f"skipped: {error}"
    else:
        try:
            url = f"{arguments.postgres}/{database}"
            results["postgresql"] = _run_child(url, arguments.formats, arguments.rows)
        finally:
            _postgres(
                f"{arguments.postgres}/postgres",
                f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
            )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
