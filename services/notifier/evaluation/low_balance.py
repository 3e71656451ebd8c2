"""LOW_BALANCE: an account's balance below a threshold (in the account's currency), alerted
once per account, threshold and month (where the user lives) while it stays low.

Checked when the ledger announces changed transactions (the accounts they touch) and on the
scheduler's pass (every account: a bank's reported balance moves without transactions)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, Evaluation, ScheduledEvaluation, money_fact
from services.notifier.rules.service import AlertKind, AlertRuleView
from shared.db import UnitOfWork
from shared.ids import encode_id


def _alerts(
    rules: Sequence[AlertRuleView], balances: Sequence[ledger.AccountBalanceView], today: date
) -> list[Alert]:
    found = []
    month = f"{today.year:04d}-{today.month:02d}"
    for account in balances:
        for rule in rules:
            threshold = rule.threshold
            if threshold is None or not rule.covers(account_id=account.id):
                continue
            if account.balance.currency != threshold.currency:
                continue
            if account.balance.minor >= threshold.minor:
                continue
            found.append(
                Alert(
                    rule=rule,
                    dedupe_key=(
                        f"{AlertKind.LOW_BALANCE}:{account.id.hex}:{threshold.minor}"
                        f"{threshold.currency}:{month}"
                    ),
                    text=wording.low_balance(account.name, account.balance, threshold),
                    data={
                        "accountId": encode_id("Account", account.id),
                        "balance": money_fact(account.balance),
                        "threshold": money_fact(threshold),
                    },
                )
            )
    return found


def _watched(rules: Sequence[AlertRuleView], touched: Collection[uuid.UUID]) -> list[uuid.UUID]:
    return sorted(
        account for account in touched if any(rule.covers(account_id=account) for rule in rules)
    )


async def alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    if not evaluation.rules or not evaluation.change.transaction_ids:
        return []
    touched = {t.account_id for t in await evaluation.changed_transactions(work)}
    accounts = _watched(evaluation.rules, touched)
    if not accounts:
        return []
    balances = await ledger.account_balances(work, evaluation.change.user_id, accounts)
    return _alerts(evaluation.rules, balances, evaluation.today)


async def scheduled_alerts(work: UnitOfWork, evaluation: ScheduledEvaluation) -> list[Alert]:
    if not evaluation.rules:
        return []
    balances = await ledger.account_balances(work, evaluation.user_id)
    return _alerts(evaluation.rules, balances, evaluation.today)
