"""A rule's conditions: every one given must hold.

They speak the filter language where it has the words (transactions/filters.py): `accountIds`
and `payeeIds` (any of them), `minAmount`/`maxAmount` (bounds on the amount's size, whatever
its sign, in the transaction's own currency) and `direction`, checked and compiled by the same
code as the transaction list's filter. A rule adds conditions on text:

- `descriptionContains`, `payeeContains`: the text, ignoring case, anywhere in the description
  (or the payee's name);
- `descriptionMatches`, `payeeMatches`: a regular expression in RE2's syntax, found anywhere in
  the text unless anchored (`^` at its start, `$` at its end), ignoring case. RE2 has no
  backreferences or lookarounds, and matches in time linear in the text, so no pattern can
  backtrack for minutes; a pattern is at most MAX_PATTERN characters.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import re2
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.transactions.filters import (
    MAX_FILTER_IDS,
    Direction,
    TransactionFilter,
    compile_filter,
)
from services.ledger.transactions.service import TransactionQuery
from shared.errors import BadUserInput
from shared.validation import clean_text

MAX_CONTAINS = 200
MAX_PATTERN = 200

# The field names of the contract, by attribute (errors name them).
FIELD_NAMES = {
    "description_contains": "descriptionContains",
    "description_matches": "descriptionMatches",
    "payee_contains": "payeeContains",
    "payee_matches": "payeeMatches",
    "payee_ids": "payeeIds",
    "account_ids": "accountIds",
    "min_amount": "minAmount",
    "max_amount": "maxAmount",
    "direction": "direction",
}


@dataclass(frozen=True)
class Conditions:
    """A rule's conditions (ids decoded); None is "no condition on this"."""

    description_contains: str | None = None
    description_matches: str | None = None
    payee_contains: str | None = None
    payee_matches: str | None = None
    payee_ids: tuple[uuid.UUID, ...] | None = None
    account_ids: tuple[uuid.UUID, ...] | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    direction: Direction | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def as_filter(self) -> TransactionFilter:
        """The part the filter language expresses (the rest is text, matched in Python)."""
        return TransactionFilter(
            account_ids=self.account_ids,
            payee_ids=self.payee_ids,
            min_amount=self.min_amount,
            max_amount=self.max_amount,
            direction=self.direction,
        )

    def to_json(self) -> dict[str, Any]:
        """As stored: only the conditions given; ids as hex, amounts as exact text."""
        stored: dict[str, Any] = {}
        for name in FIELD_NAMES:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = [item.hex for item in value]
            elif isinstance(value, Decimal):
                value = format(value, "f")
            elif isinstance(value, Direction):
                value = value.value
            stored[name] = value
        return stored

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> Conditions:
        def ids(name: str) -> tuple[uuid.UUID, ...] | None:
            values = stored.get(name)
            return tuple(uuid.UUID(hex=value) for value in values) if values is not None else None

        def amount(name: str) -> Decimal | None:
            value = stored.get(name)
            return Decimal(value) if value is not None else None

        direction = stored.get("direction")
        return cls(
            description_contains=stored.get("description_contains"),
            description_matches=stored.get("description_matches"),
            payee_contains=stored.get("payee_contains"),
            payee_matches=stored.get("payee_matches"),
            payee_ids=ids("payee_ids"),
            account_ids=ids("account_ids"),
            min_amount=amount("min_amount"),
            max_amount=amount("max_amount"),
            direction=Direction(direction) if direction is not None else None,
        )


async def check_conditions(
    session: AsyncSession, user_id: uuid.UUID, given: Conditions, field: str
) -> tuple[Conditions, TransactionQuery]:
    """The conditions cleaned, and their filter-language part compiled: ids must be the
    user's (NOT_FOUND otherwise), texts and patterns sane, at least one condition given
    (BAD_USER_INPUT naming `field`.<name>)."""
    texts = {
        name: _text(getattr(given, name), f"{field}.{FIELD_NAMES[name]}", MAX_CONTAINS)
        for name in ("description_contains", "payee_contains")
    }
    patterns = {}
    for name in ("description_matches", "payee_matches"):
        pattern = _text(getattr(given, name), f"{field}.{FIELD_NAMES[name]}", MAX_PATTERN)
        if pattern is not None:
            compile_pattern(pattern, f"{field}.{FIELD_NAMES[name]}")
        patterns[name] = pattern
    for name in ("payee_ids", "account_ids"):
        values: Sequence[uuid.UUID] | None = getattr(given, name)
        if values is not None and not values:
            raise BadUserInput(
                f"{field}.{FIELD_NAMES[name]}", "must name at least one (or be left out)"
            )
        if values is not None and len(values) > MAX_FILTER_IDS:
            raise BadUserInput(
                f"{field}.{FIELD_NAMES[name]}", f"must name at most {MAX_FILTER_IDS} ids"
            )
    cleaned = Conditions(
        **texts,
        **patterns,
        payee_ids=_unique(given.payee_ids),
        account_ids=_unique(given.account_ids),
        min_amount=given.min_amount,
        max_amount=given.max_amount,
        direction=given.direction,
    )
    if cleaned.is_empty():
        raise BadUserInput(field, "give at least one condition (a rule matching everything is "
                           "a bulk edit: use bulkEditTransactions)")  # fmt: skip
    query = await compile_filter(session, user_id, cleaned.as_filter(), field)
    return cleaned, query


def _text(value: str | None, field: str, max_length: int) -> str | None:
    if value is None:
        return None
    text = clean_text(value, field, max_length=max_length, required=False)
    if not text:
        raise BadUserInput(field, "must not be empty (leave it out instead)")
    return text


def _unique(ids: Sequence[uuid.UUID] | None) -> tuple[uuid.UUID, ...] | None:
    return tuple(dict.fromkeys(ids)) if ids is not None else None


class Pattern:
    """A compiled regular expression of a rule: case-insensitive, found anywhere."""

    def __init__(self, compiled: Any) -> None:
        self._compiled = compiled

    def found_in(self, text: str) -> bool:
        return self._compiled.search(text) is not None


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # a refused pattern is the user's error, not the server's
    return options


def compile_pattern(pattern: str, field: str) -> Pattern:
    """A pattern RE2 accepts, compiled; BAD_USER_INPUT naming `field` otherwise."""
    if len(pattern) > MAX_PATTERN:
        raise BadUserInput(field, f"must be at most {MAX_PATTERN} characters")
    try:
        return Pattern(re2.compile(pattern, _options()))
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise BadUserInput(
            field, f"is not a regular expression in RE2's syntax ({reason})"
        ) from None


def folded(text: str) -> str:
    """Text as `contains` compares it: composed the same way, and case-folded."""
    return unicodedata.normalize("NFC", text).casefold()
