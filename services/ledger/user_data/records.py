"""How each of the user's ledger rows reads in their export: as a client of the contract reads
it. Global ids (`node(id:)` fetches them while the account lives), enum values as the contract
spells them, money exact with its currency, dates and moments in ISO 8601."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.ledger.models import (
    Account,
    Budget,
    Category,
    CategoryGroup,
    ExchangeRate,
    Goal,
    GoalContribution,
    Import,
    LedgerSettings,
    Payee,
    Reconciliation,
    RecurringSeries,
    Tag,
    Transaction,
    TransactionSplit,
)
from shared.export import JSONObject, moment, money
from shared.ids import encode_id
from shared.money import Money

# The contract's RecurringDirection (the other enums are the stored values, upper-cased).
_DIRECTIONS = {"out": "MONEY_OUT", "in": "MONEY_IN"}


@dataclass(frozen=True)
class TransactionRecord:
    """A transaction with what hangs off it: its tags' ids and its split parts."""

    row: Transaction
    tag_ids: Sequence[uuid.UUID]
    parts: Sequence[TransactionSplit]


def _id(kind: str, value: uuid.UUID | None) -> str | None:
    return None if value is None else encode_id(kind, value)


def settings(row: LedgerSettings) -> JSONObject:
    return {
        "baseCurrency": row.base_currency,
        "budgetStyle": row.budget_style.upper(),
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


def category_group(row: CategoryGroup) -> JSONObject:
    return {
        "id": encode_id("CategoryGroup", row.id),
        "name": row.name,
        "position": row.position,
        "createdAt": moment(row.created_at),
    }


def category(row: tuple[Category, str]) -> JSONObject:
    found, group_name = row
    return {
        "id": encode_id("Category", found.id),
        "name": found.name,
        "groupId": encode_id("CategoryGroup", found.group_id),
        "group": group_name,
        "position": found.position,
        "hidden": found.hidden,
        "kind": found.kind.upper(),
        "rollover": found.rollover,
        "createdAt": moment(found.created_at),
    }


def account(row: Account) -> JSONObject:
    return {
        "id": encode_id("Account", row.id),
        "name": row.name,
        "type": row.type.upper(),
        "currency": row.currency,
        "institutionLabel": row.institution_label,
        "openingBalance": money(Money(row.opening_balance_minor, row.currency)),
        "linked": row.item_ref is not None,
        "mask": row.mask,
        "bankBalance": (
            money(Money(row.bank_balance_minor, row.currency))
            if row.bank_balance_minor is not None
            else None
        ),
        "closedAt": moment(row.closed_at),
        "closedOn": moment(row.closed_on),
        "createdAt": moment(row.created_at),
    }


def reconciliation(row: Reconciliation) -> JSONObject:
    return {
        "id": encode_id("Reconciliation", row.id),
        "accountId": encode_id("Account", row.account_id),
        "statementDate": moment(row.statement_date),
        "statementBalance": money(Money(row.statement_balance_minor, row.currency)),
        "clearedBalance": money(Money(row.cleared_balance_minor, row.currency)),
        "reconciledAt": moment(row.created_at),
    }


def transaction(record: TransactionRecord) -> JSONObject:
    row = record.row
    converted = None
    if row.converted_minor is not None and row.converted_currency is not None:
        converted = {
            "amount": money(Money(row.converted_minor, row.converted_currency)),
            "rate": None if row.conversion_rate is None else format(row.conversion_rate, "f"),
            "rateDate": moment(row.conversion_rate_date),
        }
    return {
        "id": encode_id("Transaction", row.id),
        "accountId": encode_id("Account", row.account_id),
        "date": moment(row.date),
        "amount": money(Money(row.amount_minor, row.currency)),
        "description": row.description,
        "pending": row.pending,
        "notes": row.notes,
        "categoryId": _id("Category", row.category_id),
        "payeeId": _id("Payee", row.payee_id),
        "tagIds": [encode_id("Tag", tag_id) for tag_id in record.tag_ids],
        "splits": [_split_part(part, row.currency) for part in record.parts],
        "transferCounterpartId": _id("Transaction", row.transfer_counterpart_id),
        "reviewed": row.reviewed,
        "cleared": row.cleared,
        "clearedAt": moment(row.cleared_at),
        "converted": converted,
        "fromBank": row.provider_transaction_id is not None,
        "importJobId": _id("ImportJob", row.import_id),
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


def _split_part(part: TransactionSplit, currency: str) -> JSONObject:
    return {
        "amount": money(Money(part.amount_minor, currency)),
        "categoryId": _id("Category", part.category_id),
        "notes": part.notes,
    }


def payee(row: Payee) -> JSONObject:
    return {
        "id": encode_id("Payee", row.id),
        "name": row.name,
        "createdAt": moment(row.created_at),
    }


def tag(row: Tag) -> JSONObject:
    return {"id": encode_id("Tag", row.id), "name": row.name, "createdAt": moment(row.created_at)}


def budget(row: Budget) -> JSONObject:
    return {
        "id": encode_id("Budget", row.id),
        "categoryId": encode_id("Category", row.category_id),
        "month": row.month,
        "amount": money(Money(row.amount_minor, row.currency)),
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


def goal(row: Goal) -> JSONObject:
    return {
        "id": encode_id("Goal", row.id),
        "name": row.name,
        "targetAmount": money(Money(row.target_minor, row.currency)),
        "targetDate": moment(row.target_date),
        "funding": row.funding.upper(),
        "accountId": _id("Account", row.account_id),
        "categoryId": _id("Category", row.category_id),
        "fundedSince": moment(row.funded_since),
        "pausedAt": moment(row.paused_at),
        "createdAt": moment(row.created_at),
    }


def contribution(row: tuple[GoalContribution, str]) -> JSONObject:
    found, currency = row
    return {
        "id": encode_id("GoalContribution", found.id),
        "goalId": encode_id("Goal", found.goal_id),
        "amount": money(Money(found.amount_minor, currency)),
        "date": moment(found.contributed_on),
        "createdAt": moment(found.created_at),
    }


def rate(row: ExchangeRate) -> JSONObject:
    return {
        "id": encode_id("ExchangeRate", row.id),
        "currency": row.currency,
        "quoteCurrency": row.quote_currency,
        "date": moment(row.date),
        "rate": format(row.rate, "f"),
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


def recurring_series(row: RecurringSeries) -> JSONObject:
    """As the contract shows it (the user's corrections winning over what detection found),
    with the corrections themselves (null where the user gave none)."""
    detected = Money(row.expected_minor, row.currency)
    corrected = None
    if row.user_expected_minor is not None:
        corrected = Money(row.user_expected_minor, row.currency)
    return {
        "id": encode_id("RecurringSeries", row.id),
        "name": row.user_name or row.name,
        "status": row.status.upper(),
        "direction": _DIRECTIONS[row.direction],
        "interval": (row.user_interval or row.detected_interval).upper(),
        "detectedInterval": row.detected_interval.upper(),
        "expectedAmount": money(corrected if corrected is not None else detected),
        "usualAmounts": {
            "smallest": money(Money(row.smallest_minor, row.currency)),
            "largest": money(Money(row.largest_minor, row.currency)),
        },
        "occurrenceCount": row.occurrence_count,
        "firstDate": moment(row.first_date),
        "lastDate": moment(row.last_date),
        "userCorrections": {
            "name": row.user_name,
            "interval": row.user_interval.upper() if row.user_interval else None,
            "expectedAmount": money(corrected),
        },
        "detectedAt": moment(row.detected_at),
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


def import_job(row: Import) -> JSONObject:
    """What the import was and did; never the file's text (its parts, its first lines)."""
    errors: list[Any] = json.loads(row.errors or "[]")
    return {
        "id": encode_id("ImportJob", row.id),
        "accountId": encode_id("Account", row.account_id),
        "format": row.format.upper(),
        "fileName": row.file_name,
        "status": row.status.upper(),
        "partsReceived": row.parts,
        "bytesReceived": row.bytes_received,
        "totalBytes": row.total_bytes,
        "rowsTotal": row.rows_total,
        "rowsDone": row.rows_done,
        "added": row.added,
        "duplicates": row.duplicates,
        "errorCount": row.error_count,
        "errors": errors,
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
        "startedAt": moment(row.started_at),
        "finishedAt": moment(row.finished_at),
    }
