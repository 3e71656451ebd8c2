"""Calling the emulator's own endpoints (/emulator/*), which plaid-python does not know: the
same JSON over HTTP, with the API keys in the body as Plaid accepts them."""

from __future__ import annotations

from typing import Any

import httpx


def generate_transactions(
    host: str,
    *,
    client_id: str,
    secret: str,
    access_token: str,
    count: int,
    days: int | None = None,
    timeout: float = 120.0,
) -> int:
    """Add `count` generated posted transactions to the Item (see handlers.emulator); how many
    were added. `host` is the emulator's base URL, as given to plaid.Configuration."""
    body: dict[str, Any] = {
        "client_id": client_id,
        "secret": secret,
        "access_token": access_token,
        "count": count,
    }
    if days is not None:
        body["days"] = days
    response = httpx.post(
        f"{host.rstrip('/')}/emulator/transactions/generate", json=body, timeout=timeout
    )
    response.raise_for_status()
    return int(response.json()["added"])
