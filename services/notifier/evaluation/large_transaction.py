"""LARGE_TRANSACTION: money out at or above a threshold (a transfer between the user's own
accounts is not money out), alerted once per transaction.

A threshold in the user's base currency applies to every transaction: one in another
currency counts at the figure the ledger converted it to at its stored rate (one still
waiting for a rate is not judged yet). A threshold in another currency applies to that
currency's transactions."""

from __future__ import annotations

from collections.abc import Sequence

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, Evaluation, money_fact
from services.notifier.rules.service import AlertKind, AlertRuleView
from shared.db import UnitOfWork
from shared.ids import encode_id
from shared.money import Money


def _money_out_in(transaction: ledger.AlertTransactionView, currency: str) -> int | None:
    """The money out of the transaction in `currency` (minor units), if it is known in it."""
    if transaction.amount.currency == currency:
        return -transaction.amount.minor
    converted = transaction.in_base_currency
    if converted is not None and converted.currency == currency:
        return -converted.minor
    return None


def _rule_reached(
    rules: Sequence[AlertRuleView], transaction: ledger.AlertTransactionView
) -> tuple[AlertRuleView, Money] | None:
    """The most specific, highest threshold the money out reaches, if any, with that
    threshold."""
    if transaction.amount.minor >= 0 or transaction.is_transfer:
        return None  # money in, or money moved between the user's own accounts
    reached = []
    for rule in rules:
        if rule.threshold is None or not rule.covers(
            account_id=transaction.account_id,
            category_id=transaction.category_id,
            tag_ids=transaction.tag_ids,
        ):
            continue
        out = _money_out_in(transaction, rule.threshold.currency)
        if out is not None and out >= rule.threshold.minor:
            reached.append((rule, rule.threshold))
    if not reached:
        return None
    return max(reached, key=lambda pair: (_specificity(pair[0]), pair[1].minor))


def _specificity(rule: AlertRuleView) -> int:
    return sum(scope is not None for scope in (rule.account_id, rule.category_id, rule.tag_id))


async def alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    change, rules = evaluation.change, evaluation.rules
    if not rules or not change.transaction_ids:
        return []
    found = []
    for transaction in await evaluation.changed_transactions(work):
        reached = _rule_reached(rules, transaction)
        if reached is None:
            continue
        rule, threshold = reached
        found.append(
            Alert(
                rule=rule,
                dedupe_key=f"{AlertKind.LARGE_TRANSACTION}:{transaction.id.hex}",
                text=wording.large_transaction(
                    transaction.description,
                    transaction.date,
                    transaction.amount,
                    threshold,
                    transaction.pending,
                    today=evaluation.today,
                ),
                data={
                    "transactionId": encode_id("Transaction", transaction.id),
                    "accountId": encode_id("Account", transaction.account_id),
                    "date": transaction.date.isoformat(),
                    "amount": money_fact(transaction.amount),
                    "threshold": money_fact(threshold),
                    "pending": transaction.pending,
                },
            )
        )
    return found
