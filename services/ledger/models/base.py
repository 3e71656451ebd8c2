"""What every ledger table shares: the metadata (one per service), the declarative base,
the exact decimal column type, and the longest texts the columns of several rooms hold.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from shared.db import service_metadata

metadata = service_metadata()

# The longest texts the columns hold; the aggregates refuse (or clip bank data) beyond them.
MAX_NAME = 100  # account and goal names
MAX_DESCRIPTION = 500
MAX_NOTES = 2000
MAX_IMPORT_KEY = 64


class Base(DeclarativeBase):
    metadata = metadata


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal kept as its plain text ("1.0825"): exact on every database. (NUMERIC on
    SQLite has float affinity, so an exchange rate could come back rounded.)"""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"expected a finite Decimal, got {value!r}")
        return format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
