"""What the sync service announces to other services, always after commit (see shared.events:
the publisher names the event and its payload, never who listens)."""

from __future__ import annotations

# A linked item started needing the user: the bank wants them to sign in again
# (LOGIN_REQUIRED) or Plaid refused it for another reason (ERROR). Announced when the item's
# status turns to one of those from another. Payload: {"user_id": str, "item_id": str,
# "institution_name": str, "status": "LOGIN_REQUIRED" | "ERROR", "error_code": str | None,
# "observed_at": ISO moment}.
BANK_CONNECTION_NEEDS_ATTENTION = "sync.bank_connection_needs_attention"
