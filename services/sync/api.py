"""The sync service's public interface (the gateway uses it).

CONTRACT fixed by the lead; the sync service implements the bodies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp

from shared.config import Settings


@dataclass(frozen=True)
class WebhookOutcome:
    status: str  # "accepted", "ignored", "rejected"
    http_status: int  # 200 accepted/ignored, 400 malformed, 401 bad signature/stale/body mismatch


async def handle_webhook(body: bytes, verification_header: str | None) -> WebhookOutcome:
    """Verify a Plaid webhook (ES256 JWT, fresh iat, body hash) and act on it."""
    raise NotImplementedError


def local_plaid_sandbox(
    settings: Settings, *, on_response: Callable[[str, int, bytes], None] | None = None
) -> ASGIApp:
    """The local Plaid emulator, to be mounted at /plaid-sandbox in `PLAID_ENV=local`."""
    raise NotImplementedError


async def enqueue_due_syncs() -> int:
    """Queue a sync for every healthy item not synced recently (the scheduler calls this).

    Returns how many were queued.
    """
    raise NotImplementedError
