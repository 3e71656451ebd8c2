"""Sync benchmark: how long the first sync of a freshly linked item takes, end to end.

    python -m bench.sync_first_item [--items 5] [--page-size 500]
    TALLY_DATABASE_URL=postgresql+asyncpg://.../empty_db python -m bench.sync_first_item

Runs the real gateway (with the Plaid emulator mounted) on a free port in a thread, WITHOUT
job workers, on a fresh SQLite file under a temporary directory (or the given, empty,
database). Links each item through the sync service (public token from the sandbox, exchange,
/item/get, /institutions/get_by_id, /accounts/get, accounts into the ledger), then times
`sync_linked_item` on it: /transactions/sync paging through plaid-python over HTTP, mapping,
and the one unit of work that ingests the 90-day history and moves the cursor. Also times the
Plaid part alone (paging from no cursor again) and the idempotent re-sync. Prints numbers;
the tests never run it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path


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
        update = await runs.fetch_update(
            decrypt(item.access_token_encrypted), None, page_size=page_size
        )
        plaid_only.append(time.perf_counter() - started)
        assert update.pages == result.pages

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--page-size", type=int, default=500)
    arguments = parser.parse_args()
    _configure_environment()

    from shared.config import get_settings
    from shared.logging import configure_logging
    from tally.migrations import upgrade

    configure_logging("WARNING")
    upgrade(get_settings().database_url)
    print(f"database: {get_settings().database_url.split('@')[-1]}")
    server = _serve()
    try:
        asyncio.run(_run(arguments.items, arguments.page_size))
    finally:
        server.should_exit = True  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
