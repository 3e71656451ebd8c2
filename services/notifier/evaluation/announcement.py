"""The ledger's "transactions changed" announcement, as evaluation reads it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

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
