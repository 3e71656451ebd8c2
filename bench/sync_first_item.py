"""Sync benchmark: how long the first sync of a freshly linked item takes, end to end, and how
much memory a sync worker needs as items grow.

    python -m bench.sync_first_item [--items 5] [--page-size 500]
    python -m bench.sync_first_item --memory 1000,20000,100000 [--output results.json]
        [--baseline-code DIR]    # also sync each size with an older checkout's code
    TALLY_DATABASE_URL=postgresql+asyncpg://.../empty_db python -m bench.sync_first_item

Runs the real gateway (with the Plaid emulator mounted) on a free port in a thread, WITHOUT
job workers, on a fresh SQLite file under a temporary directory (or the given, empty,
database). Links each item through the sync service (public token from the sandbox, exchange,
/item/get, /institutions/get_by_id, /accounts/get, accounts into the ledger), then times
`sync_linked_item` on it: /transactions/sync paging through plaid-python over HTTP, mapping,
and a unit of work per page that ingests it and moves the cursor. Also times the Plaid part
alone (paging from no cursor again) and the idempotent re-sync. Prints numbers.

With --memory, each size is an item whose 90-day history is topped up to that many
transactions through the emulator's own /emulator/transactions/generate; its first sync runs
in a child process (a sync worker's imports: every actor loaded), which reports its resident
memory before the sync and its peak during it (the high-water mark VmHWM, reset when the sync
starts), the time, the pages, and the
emulator's time to answer one page of 500 at that size. Prints one JSON document. The tests
never run this.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _configure_environment() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="tally-bench-sync-"))
    port = _free_port()
    os.environ.setdefault("TALLY_ENV", "development")
    os.environ["TALLY_VAR_DIR"] = str(var_dir)
    os.environ["TALLY_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    os.environ["PLAID_ENV"] = "local"
    os.environ.pop("TALLY_PLAID_URL", None)
    os.environ.pop("TALLY_REDIS_URL", None)
    os.environ.setdefault("TALLY_DATABASE_URL", f"sqlite+aiosqlite:///{var_dir / 'bench.db'}")


def _serve() -> object:
    import uvicorn

    from shared.config import get_settings
    from tally.app import create_app

    port = int(get_settings().public_url.rsplit(":", 1)[1])
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(run_workers=False), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    return server


def _public_token() -> str:
    from plaid.model.products import Products
    from plaid.model.sandbox_public_token_create_request import SandboxPublicTokenCreateRequest

    from services.sync.plaid import client as plaid_client

    response = plaid_client.client().sandbox_public_token_create(
        SandboxPublicTokenCreateRequest(
            institution_id="ins_109508", initial_products=[Products("transactions")]
        )
    )
    return str(response.public_token)


def _summary(label: str, seconds: list[float]) -> str:
    return (
        f"{label:<38} median {statistics.median(seconds) * 1000:8.1f} ms   "
        f"min {min(seconds) * 1000:8.1f}   max {max(seconds) * 1000:8.1f}"
    )


async def _page_through(access_token: str, page_size: int) -> int:
    """Every page of the item's update from no cursor (nothing stored); how many."""
    from services.sync.plaid import client as plaid_client

    cursor, pages = None, 0
    while True:
        page = await plaid_client.sync_transactions_page(access_token, cursor, page_size)
        pages += 1
        if not page.has_more:
            return pages
        cursor = page.next_cursor


async def _run(items: int, page_size: int) -> None:
    from services.ledger import api as ledger_api
    from services.sync.linking import service as linking
    from services.sync.runs import service as runs
    from shared.crypto import decrypt
    from shared.db import dispose_engine, unit_of_work

    link, first, plaid_only, again, counts = [], [], [], [], []
    for _ in range(items):
        user_id = uuid.uuid4()
        async with unit_of_work() as work:
            await ledger_api.provision_user(work, user_id)
        token = await asyncio.to_thread(_public_token)
        started = time.perf_counter()
        item = await linking.link_institution(user_id, token)
        link.append(time.perf_counter() - started)

        started = time.perf_counter()
        result = await runs.sync_linked_item(item.id, page_size=page_size)
        first.append(time.perf_counter() - started)
        counts.append(result.added)

        started = time.perf_counter()
        pages = await _page_through(decrypt(item.access_token_encrypted), page_size)
        plaid_only.append(time.perf_counter() - started)
        assert pages == result.pages

        started = time.perf_counter()
        repeat = await runs.sync_linked_item(item.id, page_size=page_size)
        again.append(time.perf_counter() - started)
        assert repeat.added == 0
    await dispose_engine()

    print(f"items: {items}, page size: {page_size}, transactions per item: {counts}")
    print(_summary("linkInstitution (exchange+accounts)", link))
    print(_summary("first sync, 90-day history", first))
    print(_summary("  of which Plaid paging alone", plaid_only))
    print(_summary("re-sync, nothing new", again))


async def _item_of_size(size: int) -> tuple[uuid.UUID, str, int]:
    """A linked item topped up to `size` transactions: (its id, access token, how many)."""
    from plaid_sandbox.client import generate_transactions
    from services.ledger import api as ledger_api
    from services.sync.linking import service as linking
    from services.sync.plaid import client as plaid_client
    from shared.config import get_settings
    from shared.crypto import decrypt
    from shared.db import unit_of_work

    user_id = uuid.uuid4()
    async with unit_of_work() as work:
        await ledger_api.provision_user(work, user_id)
    item = await linking.link_institution(user_id, await asyncio.to_thread(_public_token))
    access_token = decrypt(item.access_token_encrypted)
    history = len((await plaid_client.sync_transactions_page(access_token, None, 500)).added)
    settings = get_settings()
    assert settings.plaid_client_id is not None and settings.plaid_secret is not None
    missing = size - history
    while missing > 0:
        count = min(missing, 100_000)
        await asyncio.to_thread(
            generate_transactions,
            settings.plaid_host,
            client_id=settings.plaid_client_id,
            secret=settings.plaid_secret.get_secret_value(),
            access_token=access_token,
            count=count,
            days=730,
        )
        missing -= count
    return item.id, access_token, max(size, history)


async def _page_seconds(access_token: str) -> dict[str, float]:
    """The emulator's answer to one page of 500, first and last of the item's history."""
    from services.sync.plaid import client as plaid_client

    started = time.perf_counter()
    page = await plaid_client.sync_transactions_page(access_token, None, 500)
    first = time.perf_counter() - started
    last = first
    while page.has_more:
        started = time.perf_counter()
        page = await plaid_client.sync_transactions_page(access_token, page.next_cursor, 500)
        last = time.perf_counter() - started
    return {"first_page_ms": round(first * 1000, 1), "last_page_ms": round(last * 1000, 1)}


def _sync_in_child(item_id: uuid.UUID, page_size: int, code: Path | None) -> dict[str, Any]:
    """The sync run by a child process, with Tally's code from `code` if given (a checkout of
    an older commit, to compare), else this one."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child-sync",
        str(item_id),
        "--page-size",
        str(page_size),
    ]
    environment = dict(os.environ)
    if code is not None:
        environment["PYTHONPATH"] = str(code)
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    if done.returncode != 0:
        raise RuntimeError(f"the child sync failed: {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def _status_kb(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _child_sync(item_id: str, page_size: int) -> None:
    """In a process of its own, as a sync worker: every actor loaded, then one sync. Its peak
    resident memory is the high-water mark (VmHWM) reset just before the sync (clear_refs)."""
    import resource

    from shared.logging import configure_logging
    from tally.actors import load_actors

    configure_logging("ERROR")
    load_actors()
    from services.sync.runs import service as runs

    process_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    result = asyncio.run(runs.sync_linked_item(uuid.UUID(item_id), page_size=page_size))
    seconds = time.perf_counter() - started
    peak = _status_kb("VmHWM")
    print(
        json.dumps(
            {
                "outcome": result.outcome,
                "added": result.added,
                "pages": result.pages,
                "seconds": round(seconds, 1),
                "rows_per_s": round(result.added / seconds),
                "rss_mb_before_sync": round(before / 1024, 1),
                "peak_rss_mb_during_sync": round(peak / 1024, 1),
                "peak_rss_mb_above_before": round((peak - before) / 1024, 1),
                "peak_rss_mb_of_the_imports": round(process_peak / 1024, 1),
            }
        )
    )


async def _memory(sizes: list[int], page_size: int, baseline: Path | None) -> dict[str, Any]:
    from shared.config import get_settings
    from shared.db import dispose_engine

    measured = []
    for size in sizes:
        item_id, access_token, transactions = await _item_of_size(size)
        emulator = await _page_seconds(access_token)
        child = await asyncio.to_thread(_sync_in_child, item_id, page_size, None)
        entry = {"item_transactions": transactions, **child, "emulator": emulator}
        if baseline is not None:
            item_id, _, _ = await _item_of_size(size)
            entry["baseline"] = await asyncio.to_thread(
                _sync_in_child, item_id, page_size, baseline
            )
        measured.append(entry)
        print(f"  {transactions}: {entry}", file=sys.stderr)
    await dispose_engine()
    database = get_settings().database_url.split("://")[0]
    return {"database": database, "page_size": page_size, "sizes": measured}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--memory", help="item sizes, e.g. 1000,20000,100000")
    parser.add_argument("--output", type=Path, default=None, help="also write the JSON here")
    parser.add_argument(
        "--baseline-code",
        type=Path,
        default=None,
        help="with --memory: also sync each size with the Tally code in this directory",
    )
    parser.add_argument("--child-sync", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child_sync:
        _child_sync(arguments.child_sync, arguments.page_size)
        return
    _configure_environment()

    from shared.config import get_settings
    from shared.logging import configure_logging
    from tally.migrations import upgrade

    configure_logging("WARNING")
    upgrade(get_settings().database_url)
    print(f"database: {get_settings().database_url.split('@')[-1]}")
    server = _serve()
    try:
        if arguments.memory:
            sizes = [int(size) for size in arguments.memory.split(",")]
            report = asyncio.run(_memory(sizes, arguments.page_size, arguments.baseline_code))
            text = json.dumps(report, indent=2)
            if arguments.output is not None:
                arguments.output.write_text(text + "\n", encoding="utf-8")
            print(text)
        else:
            asyncio.run(_run(arguments.items, arguments.page_size))
    finally:
        server.should_exit = True  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
