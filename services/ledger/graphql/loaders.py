"""Per-request DataLoaders of the ledger's GraphQL types. Each batch opens its own read
session (sibling resolvers run concurrently and must not share one) and is scoped to the
requesting user.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from services.ledger.accounts import reconciliation
from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.models import (
    Account,
    Category,
    CategoryGroup,
    Payee,
    Rule,
    Tag,
    Transaction,
    TransactionSplit,
)
from services.ledger.payees import service as payee_service
from services.ledger.reports import totals
from services.ledger.rules import service as rule_service
from services.ledger.tags import service as tag_service
from services.ledger.transactions import service as transaction_service
from services.ledger.transactions import splits as split_service
from shared.db import read_session
from shared.graphql import Context, Info

K = TypeVar("K")
V = TypeVar("V")


def _loader(
    load: Callable[[AsyncSession, uuid.UUID, list[K]], Awaitable[list[V]]],
) -> Callable[[Context], DataLoader[K, V]]:
    """A loader factory: one batch -> one read session, as the request's user."""

    def factory(context: Context) -> DataLoader[K, V]:
        user_id = context.require_user()

        async def batch(keys: Sequence[K]) -> list[V]:
            async with read_session() as session:
                return await load(session, user_id, list(keys))

        return DataLoader(load_fn=batch)

    return factory


async def _accounts(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Account | None]:
    found = {row.id: row for row in await account_service.accounts_by_ids(session, user_id, ids)}
    return [found.get(key) for key in ids]


async def _categories(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Category | None]:
    found = {row.id: row for row in await category_service.categories_by_ids(session, user_id, ids)}
    return [found.get(key) for key in ids]


async def _category_groups(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[CategoryGroup | None]:
    found = {row.id: row for row in await category_service.groups_by_ids(session, user_id, ids)}
    return [found.get(key) for key in ids]


async def _group_categories(
    session: AsyncSession, user_id: uuid.UUID, group_ids: list[uuid.UUID]
) -> list[list[Category]]:
    by_group: defaultdict[uuid.UUID, list[Category]] = defaultdict(list)
    for row in await category_service.categories_in_groups(
        session, user_id, group_ids, include_hidden=True
    ):
        by_group[row.group_id].append(row)
    return [by_group[key] for key in group_ids]


async def _transaction_sums(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[int]:
    sums = await totals.account_sums(session, user_id, ids)
    return [sums.get(key, 0) for key in ids]


async def _item_accounts(
    session: AsyncSession, user_id: uuid.UUID, item_refs: list[uuid.UUID]
) -> list[list[Account]]:
    by_item: defaultdict[uuid.UUID | None, list[Account]] = defaultdict(list)
    for row in await account_service.accounts_of_items(session, user_id, item_refs):
        by_item[row.item_ref].append(row)
    return [by_item[key] for key in item_refs]


async def _payees(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Payee | None]:
    found = {row.id: row for row in await payee_service.payees_by_ids(session, user_id, ids)}
    return [found.get(key) for key in ids]


async def _transaction_tags(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[list[Tag]]:
    found = await tag_service.tags_of_transactions(session, user_id, ids)
    return [found.get(key, []) for key in ids]


async def _transaction_parts(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[list[TransactionSplit]]:
    found = await split_service.parts_of(session, user_id, ids)
    return [found.get(key, []) for key in ids]


async def _transactions(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Transaction | None]:
    found = {
        row.id: row for row in await transaction_service.transactions_by_ids(session, user_id, ids)
    }
    return [found.get(key) for key in ids]


_accounts_factory = _loader(_accounts)
_categories_factory = _loader(_categories)
_transaction_sums_factory = _loader(_transaction_sums)
_category_groups_factory = _loader(_category_groups)
_group_categories_factory = _loader(_group_categories)
_item_accounts_factory = _loader(_item_accounts)
_payees_factory = _loader(_payees)
_transaction_tags_factory = _loader(_transaction_tags)
_transaction_parts_factory = _loader(_transaction_parts)
_transactions_factory = _loader(_transactions)


def accounts(info: Info) -> DataLoader[uuid.UUID, Account | None]:
    return info.context.loader("ledger.accounts", _accounts_factory)


def categories(info: Info) -> DataLoader[uuid.UUID, Category | None]:
    return info.context.loader("ledger.categories", _categories_factory)


def transaction_sums(info: Info) -> DataLoader[uuid.UUID, int]:
    """Sum of each account's transactions, in minor units of the account's currency."""
    return info.context.loader("ledger.transaction_sums", _transaction_sums_factory)


def item_accounts(info: Info) -> DataLoader[uuid.UUID, list[Account]]:
    """The user's accounts of each linked item (keyed by the sync service's item id)."""
    return info.context.loader("ledger.item_accounts", _item_accounts_factory)


async def _account_sums(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[account_service.AccountSums]:
    sums = await account_service.sums_with_cleared(session, user_id, ids)
    return [sums.get(key, account_service.AccountSums(0, 0)) for key in ids]


async def _reconciliation_histories(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[account_service.ReconciliationHistory]:
    histories = await reconciliation.reconciliation_histories(session, user_id, ids)
    return [histories[key] for key in ids]


_account_sums_factory = _loader(_account_sums)
_reconciliation_histories_factory = _loader(_reconciliation_histories)


def account_sums(info: Info) -> DataLoader[uuid.UUID, account_service.AccountSums]:
    """Each account's transactions summed, all and cleared only, in minor units."""
    return info.context.loader("ledger.account_sums", _account_sums_factory)


def reconciliation_histories(
    info: Info,
) -> DataLoader[uuid.UUID, account_service.ReconciliationHistory]:
    """Each account's latest reconciliation and when one last balanced."""
    return info.context.loader("ledger.reconciliation_histories", _reconciliation_histories_factory)


def category_groups(info: Info) -> DataLoader[uuid.UUID, CategoryGroup | None]:
    return info.context.loader("ledger.category_groups", _category_groups_factory)


def group_categories(info: Info) -> DataLoader[uuid.UUID, list[Category]]:
    """Each group's categories (hidden ones too), in their order."""
    return info.context.loader("ledger.group_categories", _group_categories_factory)


def payees(info: Info) -> DataLoader[uuid.UUID, Payee | None]:
    return info.context.loader("ledger.payees", _payees_factory)


def transaction_tags(info: Info) -> DataLoader[uuid.UUID, list[Tag]]:
    """Each transaction's tags, by name."""
    return info.context.loader("ledger.transaction_tags", _transaction_tags_factory)


def transaction_parts(info: Info) -> DataLoader[uuid.UUID, list[TransactionSplit]]:
    """Each transaction's split parts, in order (none when it is not split)."""
    return info.context.loader("ledger.transaction_parts", _transaction_parts_factory)


def transactions(info: Info) -> DataLoader[uuid.UUID, Transaction | None]:
    return info.context.loader("ledger.transactions", _transactions_factory)


# --- transaction rules -------------------------------------------------------------------------


async def _rules(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Rule | None]:
    found = {row.id: row for row in await rule_service.rules_by_ids(session, user_id, ids)}
    return [found.get(key) for key in ids]


async def _tags(
    session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Tag | None]:
    found = {row.id: row for row in await tag_service.tags_by_ids(session, user_id, ids)}
    return [found.get(key) for key in ids]


async def _rule_tags(
    session: AsyncSession, user_id: uuid.UUID, rule_ids: list[uuid.UUID]
) -> list[list[Tag]]:
    tag_ids = await rule_service.tags_of_rules(session, user_id, rule_ids)
    wanted = sorted({tag_id for ids in tag_ids.values() for tag_id in ids})
    found = {row.id: row for row in await tag_service.tags_by_ids(session, user_id, wanted)}
    return [
        sorted((found[t] for t in tag_ids.get(key, []) if t in found), key=lambda tag: tag.name)
        for key in rule_ids
    ]


_rules_factory = _loader(_rules)
_tags_factory = _loader(_tags)
_rule_tags_factory = _loader(_rule_tags)


def rules(info: Info) -> DataLoader[uuid.UUID, Rule | None]:
    return info.context.loader("ledger.rules", _rules_factory)


def tags(info: Info) -> DataLoader[uuid.UUID, Tag | None]:
    return info.context.loader("ledger.tags", _tags_factory)


def rule_tags(info: Info) -> DataLoader[uuid.UUID, list[Tag]]:
    """The tags each rule adds, by name."""
    return info.context.loader("ledger.rule_tags", _rule_tags_factory)
