"""A linked item's accounts when the user unlinks its bank: kept, with their history, as manual
accounts, or deleted with it. Either way nothing of the item is left to a bank: its pending
tombstones go too (no posted transaction will follow them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.bank_ingest import repository
from shared.db import UnitOfWork


@dataclass(frozen=True)
class BankHistoryDeleted:
    """What deleting an unlinked item's history removed."""

    account_ids: list[uuid.UUID]
    transaction_count: int


async def check_history_deletable(
    session: AsyncSession, user_id: uuid.UUID, item_ref: uuid.UUID, field: str
) -> None:
    """Raise BadUserInput(field) if deleting the item's history would be refused (a goal is
    funded by one of its accounts): to be asked before the bank is told anything."""
    accounts = await account_service.accounts_of_items(session, user_id, [item_ref])
    await account_service.refuse_goal_funding(
        session, user_id, [account.id for account in accounts], field
    )


async def keep_bank_accounts(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID
) -> list[uuid.UUID]:
    """The item's accounts become manual accounts, keeping their transactions and balances; the
    ids of those accounts."""
    accounts = await account_service.accounts_of_items(work.session, user_id, [item_ref], lock=True)
    await account_service.keep_as_manual(work, user_id, accounts, item_ref)
    await repository.delete_tombstones_of_item(work.session, user_id, item_ref)
    return [account.id for account in accounts]


async def delete_bank_accounts(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID, field: str
) -> BankHistoryDeleted:
    """Delete the item's accounts with all their transactions (announced, so budgets, alerts and
    the report totals follow). Refused (BadUserInput naming `field`) while a goal is funded by
    one of them."""
    accounts = await account_service.accounts_of_items(work.session, user_id, [item_ref], lock=True)
    ids = [account.id for account in accounts]
    removed = await account_service.delete_with_history(work, user_id, accounts, field)
    await repository.delete_tombstones_of_item(work.session, user_id, item_ref)
    return BankHistoryDeleted(account_ids=ids, transaction_count=removed)
