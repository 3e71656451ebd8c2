"""A user's whole ledger: the sections of their export, and the deletion of everything.

The export names every object by the contract's global id (a client can fetch it again with
`node(id:)` while the account lives), money as exact strings with their currency, dates in
ISO 8601 (see records.py). Each section is read in keyset pages, each page a short read of its
own; a page of transactions brings its tags and split parts along, read for that page alone.

What is not exported, being the ledger's bookkeeping rather than the user's data:
- the memory of the user's edits on a pending bank transaction that the bank removed
  (`ledger_pending_tombstones`), kept a few days to put them back on the posted transaction;
  the edits themselves are on that transaction once it arrives;
- which of the user's categories stands for each default category (`ledger_category_presets`):
  where the bank's category hints land, not something the user enters;
- the normalised descriptions that find a payee (`ledger_payee_keys`); the payees are exported;
- the report totals (`ledger_report_totals`, `ledger_report_totals_built`,
  `ledger_report_category_totals`): monthly sums of the transactions, which are exported;
- an import's file text (`ledger_import_parts`, and its first lines) and the rows a run has
  staged but not yet added (`ledger_import_rows`): the import's metadata is exported, and the
  transactions it added are among the transactions;
- the text search index (on SQLite the FTS5 tables `ledger_transactions_search` and
  `ledger_payees_search` with their shadow tables, on PostgreSQL trigram indexes): trigrams of
  the descriptions, notes and payees' names, which are exported. No model describes it and
  nothing deletes from it by hand: on SQLite, triggers take a row's text out of it as the row
  goes (transactions/search.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import AsyncGenerator, Callable, Sequence

from services.ledger.models import (
    Account,
    Budget,
    Category,
    CategoryGroup,
    ExchangeRate,
    Goal,
    GoalContribution,
    Import,
    Payee,
    Reconciliation,
    RecurringSeries,
    Rule,
    Tag,
    TransactionSplit,
)
from services.ledger.rules import service as rule_service
from services.ledger.user_data import records, repository
from services.ledger.user_data.records import RuleRecord, TransactionRecord
from shared.db import UnitOfWork, read_session
from shared.export import JSONObject, Section, one, paged
from shared.pagination import Keyset


def export_sections(user_id: uuid.UUID) -> list[Section]:
    """The ledger's part of the user's export, read when the document is written."""
    return [
        Section("ledgerSettings", lambda: one(lambda: _settings(user_id)), many=False),
        Section("categoryGroups", lambda: _by_id(CategoryGroup, user_id, records.category_group)),
        Section("categories", lambda: _categories(user_id)),
        Section("accounts", lambda: _by_id(Account, user_id, records.account)),
        Section("reconciliations", lambda: _reconciliations(user_id)),
        Section("payees", lambda: _by_name(Payee, user_id, records.payee)),
        Section("tags", lambda: _by_name(Tag, user_id, records.tag)),
        Section("transactions", lambda: _transactions(user_id)),
        Section("budgets", lambda: _by_id(Budget, user_id, records.budget)),
        Section("goals", lambda: _by_id(Goal, user_id, records.goal)),
        Section("goalContributions", lambda: _contributions(user_id)),
        Section("exchangeRates", lambda: _rates(user_id)),
        Section("recurringSeries", lambda: _recurring(user_id)),
        Section("imports", lambda: _imports(user_id)),
        Section("rules", lambda: _rules(user_id)),
    ]


async def delete_user_data(work: UnitOfWork, user_id: uuid.UUID) -> dict[str, int]:
    """Delete every row of the user in the ledger, in `work`; how many went, by table.

    Nothing is announced: whoever would listen is deleting the user's data too."""
    return await repository.delete_everything(work.session, user_id)


async def account_ids_of_items(
    user_id: uuid.UUID, item_refs: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The ids of the user's accounts of each linked item."""
    async with read_session() as session:
        pairs = await repository.account_ids_of_items(session, user_id, item_refs)
    found: dict[uuid.UUID, list[uuid.UUID]] = {item_ref: [] for item_ref in item_refs}
    for item_ref, account_id in pairs:
        found[item_ref].append(account_id)
    return found


async def _settings(user_id: uuid.UUID) -> JSONObject | None:
    async with read_session() as session:
        row = await repository.settings(session, user_id)
    return None if row is None else records.settings(row)


def _by_id(
    model: type[repository.Owned],
    user_id: uuid.UUID,
    render: Callable[[repository.Owned], JSONObject],
) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[repository.Owned]:
        async with read_session() as session:
            return await repository.rows_after(session, model, user_id, after, limit)

    return paged(fetch, lambda row: row.id, render)


def _by_name(
    model: type[repository.Named],
    user_id: uuid.UUID,
    render: Callable[[repository.Named], JSONObject],
) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: str | None, limit: int) -> list[repository.Named]:
        async with read_session() as session:
            return await repository.named_after(session, model, user_id, after, limit)

    return paged(fetch, lambda row: row.name, render)


def _categories(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[tuple[Category, str]]:
        async with read_session() as session:
            return await repository.categories_after(session, user_id, after, limit)

    return paged(fetch, lambda row: row[0].id, records.category)


def _reconciliations(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[Reconciliation]:
        async with read_session() as session:
            return await repository.reconciliations_after(session, user_id, after, limit)

    return paged(fetch, lambda row: row.id, records.reconciliation)


def _transactions(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: Keyset[dt.date] | None, limit: int) -> list[TransactionRecord]:
        async with read_session() as session:
            rows = await repository.transactions_after(session, user_id, after, limit)
            ids = [row.id for row in rows]
            links = await repository.tag_links(session, user_id, ids)
            parts = await repository.split_parts(session, user_id, ids)
        tag_ids: defaultdict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for transaction_id, tag_id in links:
            tag_ids[transaction_id].append(tag_id)
        parts_of: defaultdict[uuid.UUID, list[TransactionSplit]] = defaultdict(list)
        for part in parts:
            parts_of[part.transaction_id].append(part)
        return [TransactionRecord(row, tag_ids[row.id], parts_of[row.id]) for row in rows]

    return paged(fetch, lambda record: Keyset(record.row.date, record.row.id), records.transaction)


def _rates(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: Keyset[dt.date] | None, limit: int) -> list[ExchangeRate]:
        async with read_session() as session:
            return await repository.rates_after(session, user_id, after, limit)

    return paged(fetch, lambda row: Keyset(row.date, row.id), records.rate)


def _recurring(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: Keyset[dt.date] | None, limit: int) -> list[RecurringSeries]:
        async with read_session() as session:
            return await repository.recurring_after(session, user_id, after, limit)

    return paged(fetch, lambda row: Keyset(row.last_date, row.id), records.recurring_series)


def _imports(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: Keyset[dt.datetime] | None, limit: int) -> list[Import]:
        async with read_session() as session:
            return await repository.imports_after(session, user_id, after, limit)

    return paged(fetch, lambda row: Keyset(row.created_at, row.id), records.import_job)


def _contributions(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[tuple[GoalContribution, str]]:
        async with read_session() as session:
            return await repository.contributions_after(session, user_id, after, limit)

    return paged(fetch, lambda row: row[0].id, records.contribution)


def _rules(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[RuleRecord]:
        async with read_session() as session:
            rows = await repository.rows_after(session, Rule, user_id, after, limit)
            tags = await rule_service.tags_of_rules(session, user_id, [row.id for row in rows])
        return [RuleRecord(row, tags.get(row.id, [])) for row in rows]

    return paged(fetch, lambda record: record.row.id, records.rule)
