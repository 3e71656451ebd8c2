"""Ledger: an index for text search (a transaction's description or notes, or its payee's
name, holding a text), so that a search costs what its hits cost, not the user's history.

- SQLite: FTS5 tables with the trigram tokenizer over `ledger_transactions` (description,
  notes) and `ledger_payees` (name), as "external content" (the text stays in those tables;
  the index holds trigrams keyed by each row's rowid). Triggers on the two tables keep the
  index equal to them for every writer, whatever code path writes. `rebuild` fills it from
  the existing rows.
- PostgreSQL: pg_trgm GIN indexes on the same three columns (the extension is trusted: a
  database owner may create it). Creating an index indexes the existing rows.

What a write costs on SQLite: FTS5 (3.40) writes out what it has gathered at the start of
every statement that changes it inside a transaction, so a writer that inserts one row per
statement (a DBAPI executemany) pays some 0.15 ms a row. Tally's writers insert many rows per
statement (the ORM's multi-row INSERT, an import's INSERT ... SELECT): bank ingest and a CSV
import of 10,000 rows measured the same with the index as without.

A later migration that recreates `ledger_transactions` or `ledger_payees` on SQLite (Alembic's
batch mode copies the table, drops it and renames the copy) drops these triggers with the old
table and renumbers its rowids: it must create the triggers again (SQLITE_UPGRADE's) and
rebuild the index. tests/test_migrations.py fails until it does.

Revision ID: ledger_0011
Revises: ledger_0009
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "ledger_0011"
down_revision: str | None = "ledger_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# External content: the text stays in ledger_transactions and ledger_payees; the index holds
# trigrams, naming each row by its table's implicit rowid. SQLite's documentation allows VACUUM
# to renumber the rowids of a table without an INTEGER PRIMARY KEY; its implementation keeps
# them for a table with an index (both have one), which the search tests check.
SQLITE_UPGRADE = (
    """CREATE VIRTUAL TABLE ledger_transactions_search USING fts5(
         description, notes, content='ledger_transactions', tokenize='trigram')""",
    # An external-content index forgets a row by being told the values it had indexed.
    """CREATE TRIGGER ledger_transactions_search_insert AFTER INSERT ON ledger_transactions
       BEGIN
         INSERT INTO ledger_transactions_search(rowid, description, notes)
           VALUES (new.rowid, new.description, new.notes);
       END""",
    """CREATE TRIGGER ledger_transactions_search_delete AFTER DELETE ON ledger_transactions
       BEGIN
         INSERT INTO ledger_transactions_search(ledger_transactions_search, rowid, description,
           notes) VALUES ('delete', old.rowid, old.description, old.notes);
       END""",
    # Only when a text changes: recategorising 100,000 rows leaves the index alone.
    """CREATE TRIGGER ledger_transactions_search_update
       AFTER UPDATE OF description, notes ON ledger_transactions
       WHEN old.description IS NOT new.description OR old.notes IS NOT new.notes
       BEGIN
         INSERT INTO ledger_transactions_search(ledger_transactions_search, rowid, description,
           notes) VALUES ('delete', old.rowid, old.description, old.notes);
         INSERT INTO ledger_transactions_search(rowid, description, notes)
           VALUES (new.rowid, new.description, new.notes);
       END""",
    "INSERT INTO ledger_transactions_search(ledger_transactions_search) VALUES ('rebuild')",
    """CREATE VIRTUAL TABLE ledger_payees_search USING fts5(
         name, content='ledger_payees', tokenize='trigram')""",
    """CREATE TRIGGER ledger_payees_search_insert AFTER INSERT ON ledger_payees
       BEGIN
         INSERT INTO ledger_payees_search(rowid, name) VALUES (new.rowid, new.name);
       END""",
    """CREATE TRIGGER ledger_payees_search_delete AFTER DELETE ON ledger_payees
       BEGIN
         INSERT INTO ledger_payees_search(ledger_payees_search, rowid, name)
           VALUES ('delete', old.rowid, old.name);
       END""",
    """CREATE TRIGGER ledger_payees_search_update AFTER UPDATE OF name ON ledger_payees
       WHEN old.name IS NOT new.name
       BEGIN
         INSERT INTO ledger_payees_search(ledger_payees_search, rowid, name)
           VALUES ('delete', old.rowid, old.name);
         INSERT INTO ledger_payees_search(rowid, name) VALUES (new.rowid, new.name);
       END""",
    "INSERT INTO ledger_payees_search(ledger_payees_search) VALUES ('rebuild')",
)
SQLITE_DOWNGRADE = (
    *(
        f"DROP TRIGGER IF EXISTS {index}_{event}"
        for index in ("ledger_transactions_search", "ledger_payees_search")
        for event in ("insert", "delete", "update")
    ),
    # Dropping an FTS5 table drops the shadow tables it keeps.
    "DROP TABLE IF EXISTS ledger_transactions_search",
    "DROP TABLE IF EXISTS ledger_payees_search",
)
# A GIN index gathers new entries in a pending list that every search reads whole until it
# is merged (at its limit, or by VACUUM): 4 MB by default, some 40 ms of every search after a
# bulk insert. 256 kB bounds that to a few ms; inserting costs about twice the default's
# (still some 60 us a row; fastupdate off would cost eight times).
POSTGRES_UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX ix_ledger_transactions_description_trgm ON ledger_transactions
       USING gin (description gin_trgm_ops) WITH (gin_pending_list_limit = 256)""",
    """CREATE INDEX ix_ledger_transactions_notes_trgm ON ledger_transactions
       USING gin (notes gin_trgm_ops) WITH (gin_pending_list_limit = 256)""",
    """CREATE INDEX ix_ledger_payees_name_trgm ON ledger_payees
       USING gin (name gin_trgm_ops) WITH (gin_pending_list_limit = 256)""",
)
# pg_trgm stays: it may have been there before this revision, or serve others since.
POSTGRES_DOWNGRADE = (
    "DROP INDEX IF EXISTS ix_ledger_payees_name_trgm",
    "DROP INDEX IF EXISTS ix_ledger_transactions_notes_trgm",
    "DROP INDEX IF EXISTS ix_ledger_transactions_description_trgm",
)


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _run(SQLITE_UPGRADE if sqlite else POSTGRES_UPGRADE)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _run(SQLITE_DOWNGRADE if sqlite else POSTGRES_DOWNGRADE)
