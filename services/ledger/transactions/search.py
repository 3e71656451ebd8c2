"""Text search over a user's transactions, the one place it is compiled: a transaction
matches when its description, its notes or its payee's name holds the text, ignoring case;
`%` and `_` are characters like any other.

An index answers it wherever the text has a trigram, i.e. at least MIN_INDEXED_LENGTH
characters (revision ledger_0011 builds it, and keeps it equal to the tables):

- SQLite: FTS5 tables with the trigram tokenizer over the descriptions and notes
  (`ledger_transactions_search`) and the payees' names (`ledger_payees_search`). The text, as
  one phrase of its trigrams, matches exactly the rows that hold it. FTS5 folds case
  throughout Unicode ("épicerie" finds "ÉPICERIE"), where SQLite's LIKE folds ASCII letters
  only: the index finds everything LIKE found, and the same text in another case.
- PostgreSQL: pg_trgm GIN indexes on the three columns serve ILIKE itself, so the meaning is
  ILIKE's (case folded by the database's locale). The payees whose name holds the text are
  read first; the planner, with statistics and every value in sight, then picks between the
  indexes and the user's newest rows.

Shorter texts have no trigram to look up: they are compared row by row over the user's
transactions, with LIKE on SQLite and ILIKE on PostgreSQL, as before the index.

How SQLite reads the hits depends on how many there are, which its planner cannot know (an
FTS5 table has no statistics, and Tally runs no ANALYZE), so one bounded statement counts up
to MANY_HITS of them first. A few lead the query: fetched by rowid and sorted, so a search
without hits costs nothing, whatever the history. Many are found along the user's
newest-first index (or whatever the other conditions narrow it to), where a page fills
within its first rows, instead of sorting every hit: an ASCII text is then compared row by
row with LIKE, which finds the same rows as FTS5 for it (but for the two letters FTS5 folds
into ASCII ones, the Kelvin sign and the long s, which count as themselves there, as they
always did); any other is checked against the gathered hits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import TableClause, UnaryExpression
from sqlalchemy.sql.operators import custom_op

from services.ledger.models import Payee, Transaction

T = TypeVar("T")

# Trigrams: a shorter text has none to look up.
MIN_INDEXED_LENGTH = 3
# From this many hits on, SQLite checks rows along the user's newest rather than fetching the
# hits: fetching and sorting 2,000 costs some 8 ms, and at that density a page of 50 fills
# within 2,500 rows of 100,000 (25,000 of a million, some 35 ms).
MANY_HITS = 2_000

# Payees whose name holds the text that PostgreSQL gets by id (a bound: each is a parameter).
MANY_PAYEES = 1_000

# The FTS5 tables (SQLite), by the table whose text each indexes.
TRANSACTION_TEXTS = "ledger_transactions_search"
PAYEE_NAMES = "ledger_payees_search"
# What FTS5 keeps for an external-content table, besides the virtual table itself.
_FTS5_SHADOWS = ("data", "idx", "docsize", "config")
# The trigram indexes (PostgreSQL).
POSTGRES_INDEXES = frozenset(
    {
        "ix_ledger_transactions_description_trgm",
        "ix_ledger_transactions_notes_trgm",
        "ix_ledger_payees_name_trgm",
    }
)


def sqlite_index_tables() -> frozenset[str]:
    """Every table the index is on SQLite: the FTS5 tables and the shadow tables FTS5 keeps
    for them (derived from the descriptions, notes and names; no model describes them)."""
    return frozenset(
        name
        for fts in (TRANSACTION_TEXTS, PAYEE_NAMES)
        for name in (fts, *(f"{fts}_{shadow}" for shadow in _FTS5_SHADOWS))
    )


@dataclass(frozen=True)
class CompiledSearch:
    """A search as conditions on `Transaction`: `scope` stands for the usual
    `Transaction.user_id == user_id` (the user's rows), `matching` picks those holding the
    text."""

    scope: ColumnElement[bool]
    matching: ColumnElement[bool]


async def compile_search(session: AsyncSession, user_id: uuid.UUID, text: str) -> CompiledSearch:
    """The conditions `text` (cleaned, not empty) sets, for the user."""
    scope = Transaction.user_id == user_id
    if len(text) < MIN_INDEXED_LENGTH:
        return CompiledSearch(scope, row_by_row(user_id, text))
    if session.get_bind().dialect.name != "sqlite":
        return CompiledSearch(scope, await _postgres_matching(session, user_id, text))
    hits = _sqlite_hits(user_id, text)
    counted = select(func.count()).select_from(hits.limit(MANY_HITS).subquery())
    if (await session.scalar(counted) or 0) < MANY_HITS:
        # Few: they lead, fetched by rowid. Without statistics (Tally runs no ANALYZE) SQLite
        # takes `user_id = ?` for a narrow index and would walk every row of the user instead.
        user_rows = _unindexed(Transaction.__table__.c.user_id) == user_id
        return CompiledSearch(user_rows, _ROWID.in_(hits))
    # Many: checked along the user's newest rows (or what other conditions narrow them to).
    if text.isascii():
        # LIKE finds what FTS5 does for an ASCII text (but for a text's Kelvin sign or long s,
        # which FTS5 folds into k and s), without first gathering every hit.
        return CompiledSearch(scope, row_by_row(user_id, text))
    return CompiledSearch(scope, _unindexed(_ROWID).in_(hits))


def row_by_row(user_id: uuid.UUID, text: str) -> ColumnElement[bool]:
    """The search compared row by row, as before the index: for texts too short for it (and
    the reference the tests hold the index to). ILIKE on PostgreSQL, lower() LIKE lower() on
    SQLite; % and _ are escaped."""
    payees = (
        select(Payee.id)
        .where(Payee.user_id == user_id, Payee.name.icontains(text, autoescape=True))
        .correlate(None)
    )
    return or_(
        Transaction.description.icontains(text, autoescape=True),
        Transaction.notes.icontains(text, autoescape=True),
        Transaction.payee_id.in_(payees),
    )


# --- SQLite: FTS5 -------------------------------------------------------------------------

# The rowid of ledger_transactions, which the FTS5 index names rows by.
_ROWID = literal_column("ledger_transactions.rowid", Integer)


def _unindexed(value: ColumnElement[T]) -> ColumnElement[T]:
    """`+value`: the same value, which SQLite's planner cannot look up in an index (its
    documented way of keeping a condition off the indexes)."""
    return UnaryExpression(value, operator=custom_op("+"), type_=value.type)


def _phrase(text: str) -> str:
    """The text as one FTS5 phrase (a double quote inside is written twice): its trigrams, in
    order, i.e. the text itself anywhere in a column, case folded."""
    return '"' + text.replace('"', '""') + '"'


def _fts5(name: str) -> TableClause:
    # FTS5 names the whole table on MATCH's left: its hidden column of the table's own name.
    return table(name, column("rowid", Integer), column(name))


def _matching(name: str, phrase: str) -> Select[tuple[int]]:
    """The rowids the FTS5 table `name` finds the phrase in."""
    fts = _fts5(name)
    return select(fts.c.rowid).where(fts.c[name].op("MATCH")(phrase)).correlate(None)


def _sqlite_hits(user_id: uuid.UUID, text: str) -> CompoundSelect[tuple[int]]:
    """The rowids of the transactions whose texts hold `text` (every user's: the user's
    conditions come with the query), and of the user's whose payee's name does."""
    phrase = _phrase(text)
    payees = (
        select(Payee.id)
        .where(
            Payee.user_id == user_id,
            literal_column("ledger_payees.rowid").in_(_matching(PAYEE_NAMES, phrase)),
        )
        .correlate(None)
    )
    by_payee = table("ledger_transactions", column("rowid", Integer), column("payee_id")).alias(
        "by_payee"
    )
    return union_all(
        _matching(TRANSACTION_TEXTS, phrase),
        select(by_payee.c.rowid).where(by_payee.c.payee_id.in_(payees)).correlate(None),
    )


# --- PostgreSQL: pg_trgm --------------------------------------------------------------------


async def _postgres_matching(
    session: AsyncSession, user_id: uuid.UUID, text: str
) -> ColumnElement[bool]:
    """ILIKE on the description and the notes, each served by its GIN index, or one of the
    payees whose name holds the text, named by id: the planner, seeing every value, may then
    combine the indexes' bitmaps (few hits) or walk the user's newest rows (many). Or-ed in as
    `payee_id IN (SELECT ...)` they would be a subplan, which no index serves; as an array
    computed in the statement, a value the planner cannot see (it guesses ten payees' worth
    of rows, most of a one-user database, and walks it all when nothing matches)."""
    payees = select(Payee.id).where(
        Payee.user_id == user_id, Payee.name.icontains(text, autoescape=True)
    )
    found = list(await session.scalars(payees.limit(MANY_PAYEES + 1)))
    matching = [
        Transaction.description.icontains(text, autoescape=True),
        Transaction.notes.icontains(text, autoescape=True),
    ]
    if len(found) > MANY_PAYEES:
        matching.append(Transaction.payee_id.in_(payees.correlate(None)))
    elif found:
        matching.append(Transaction.payee_id.in_(found))
    return or_(*matching)
