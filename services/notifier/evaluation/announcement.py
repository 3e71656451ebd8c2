"""The announcements evaluation reads: the ledger's "transactions changed", the sync
service's "a bank connection needs attention"."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class TransactionsChanged:
    """The ledger's announcement, parsed: which transactions and months changed for whom."""

    user_id: uuid.UUID
    transaction_ids: tuple[uuid.UUID, ...]
    months: tuple[str, ...]

    @classmethod
    def parse(
        cls, user_id: str, transaction_ids: Sequence[str], months: Sequence[str]
    ) -> TransactionsChanged:
        """Raises ValueError on a malformed announcement (retrying would not help)."""
        bad_months = [month for month in months if not _MONTH.match(month)]
        if bad_months:
            raise ValueError(f"months must be YYYY-MM: {bad_months[:3]!r}")
        return cls(
            user_id=uuid.UUID(user_id),
            transaction_ids=tuple(dict.fromkeys(uuid.UUID(text) for text in transaction_ids)),
            months=tuple(sorted(set(months))),
        )


# The statuses of a linked item that need the user (the sync service's ItemStatus names).
ATTENTION_STATUSES = ("LOGIN_REQUIRED", "ERROR")


@dataclass(frozen=True)
class BankConnectionChanged:
    """The sync service's announcement that a linked bank needs the user: sign in again
    (LOGIN_REQUIRED) or relink after an error (ERROR)."""

    user_id: uuid.UUID
    item_id: uuid.UUID
    institution_name: str
    status: str
    error_code: str | None
    observed_on: date

    @classmethod
    def parse(
        cls,
        user_id: str,
        item_id: str,
        institution_name: str,
        status: str,
        error_code: str | None,
        observed_at: str,
    ) -> BankConnectionChanged:
        """Raises ValueError on a malformed announcement (retrying would not help)."""
        if status not in ATTENTION_STATUSES:
            raise ValueError(f"status must be one of {ATTENTION_STATUSES}: {status!r}")
        return cls(
            user_id=uuid.UUID(user_id),
            item_id=uuid.UUID(item_id),
            institution_name=str(institution_name)[:200],
            status=status,
            error_code=str(error_code)[:100] if error_code else None,
            observed_on=datetime.fromisoformat(observed_at).astimezone(UTC).date(),
        )
