"""Emulator benchmark: what one /transactions/sync page of 500 costs the Plaid emulator as its
Item grows, and what adding transactions to a big Item costs.

    python -m bench.emulator_pages [--sizes 1000,20000,100000] [--output results.json]
    PYTHONPATH=/path/to/older/checkout python bench/emulator_pages.py   # the same, older code

Calls the endpoint handlers directly (no HTTP, no plaid-python: those cost the same whatever
the emulator does) on a state file of its own, with an Item of each size, and times the first
page, a page from the middle and the last page of a full pagination, then adding ten
transactions (/sandbox/transactions/create). Works with the state of version 1 (the change log
inside the Item's record) as with version 2 (a row per change), so that an older checkout can
be measured too. Prints one JSON document; the tests never run it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

NOW = datetime.now(UTC)


def _item(store: Any, size: int) -> str:
    """An Item of `size` posted transactions behind the access token it answers to."""
    from plaid_sandbox.history import sandbox_accounts
    from plaid_sandbox.merchants import categorize, make_transaction
    from plaid_sandbox.state import Session

    item_id = f"item-{size}"
    accounts = sandbox_accounts(item_id)
    record: dict[str, Any] = {
        "item_id": item_id,
        "institution_id": "ins_109508",
        "products": ["transactions"],
        "webhook": None,
        "username": "user_good",
        "created_at": NOW.isoformat(),
        "access_token": f"access-sandbox-{size}",
        "error": None,
        "accounts": accounts,
        "next_seq": 0,
        "last_webhook": None,
        "last_successful_update": NOW.isoformat(),
    }
    transactions = [
        make_transaction(
            transaction_id=f"txn-{size}-{n:07d}",
            account_id=accounts[0]["account_id"],
            merchant=categorize("SAFEWAY #1507", 1234),
            amount_cents=1234 + n % 500,
            posted=date.today() - timedelta(days=n % 700),
            authorized=date.today() - timedelta(days=n % 700),
        )
        for n in range(size)
    ]
    with store.write() as session:
        if hasattr(Session, "append_change"):
            record["log_length"] = 0
            session.add_item(record)
            for txn in transactions:
                session.append_change(record, "added", txn)
        else:
            record["log"] = [{"op": "added", "txn": txn} for txn in transactions]
            session.add_item(record)
        session.add_access_token(record["access_token"], item_id)
    return str(record["access_token"])


def _timed(call: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def measure(size: int, directory: Path) -> dict[str, Any]:
    from plaid_sandbox.handlers import HANDLERS, Context
    from plaid_sandbox.state import StateStore
    from plaid_sandbox.validation import Fields
    from plaid_sandbox.webhooks import WebhookHosts, WebhookSigner, new_signing_key

    store = StateStore(directory / f"state-{size}.sqlite3", lambda: new_signing_key(NOW))
    context = Context(
        store=store,
        signer=WebhookSigner(store.signing_key),
        clock=lambda: NOW,
        initial_update_delay=0.0,
        webhook_hosts=WebhookHosts(()),
    )
    token = _item(store, size)
    sync = HANDLERS["/transactions/sync"]
    pages: list[float] = []
    cursor = ""
    while True:
        fields = {"access_token": token, "count": 500} | ({"cursor": cursor} if cursor else {})
        elapsed, outcome = _timed(lambda fields=fields: sync(context, Fields(fields)))
        pages.append(elapsed)
        cursor = outcome.payload["next_cursor"]
        if not outcome.payload["has_more"]:
            break
    create = HANDLERS["/sandbox/transactions/create"]
    custom = {
        "date_transacted": date.today().isoformat(),
        "date_posted": date.today().isoformat(),
        "amount": 12.34,
        "description": "SAFEWAY #1507",
    }
    created, _ = _timed(
        lambda: create(context, Fields({"access_token": token, "transactions": [custom] * 10}))
    )
    store.close()
    return {
        "item_transactions": size,
        "pages": len(pages),
        "first_page_ms": round(pages[0], 1),
        "median_page_ms": round(statistics.median(pages), 1),
        "last_page_ms": round(pages[-1], 1),
        "add_10_transactions_ms": round(created, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,20000,100000")
    parser.add_argument("--output", type=Path, default=None, help="also write the JSON here")
    arguments = parser.parse_args()
    import plaid_sandbox

    directory = Path(tempfile.mkdtemp(prefix="tally-bench-emulator-"))
    report = {
        "code": str(Path(plaid_sandbox.__file__).resolve().parent.parent),
        "sizes": [measure(int(size), directory) for size in arguments.sizes.split(",")],
    }
    text = json.dumps(report, indent=2)
    if arguments.output is not None:
        arguments.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
