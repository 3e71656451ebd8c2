"""End to end through the broker: the ledger announces, a real worker evaluates, and the user
is told, in the app and once by email (a real SMTP server).
"""

from __future__ import annotations

from typing import Any

from tests.notifier.factories import (
    category_id,
    create_rule,
    drain_notifier_queue,
    mail_to,
    notifications,
    open_account,
    set_budget,
    sign_up,
    spend,
)

MONTH = "2026-11"


async def test_overspending_a_budget_sends_one_alert_and_one_email(
    notifier_worker: None, smtp_server: Any
) -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    account = await open_account(person)
    await set_budget(person, groceries, MONTH, "500.00")
    await spend(person, account, "-300.00", category=groceries)
    await drain_notifier_queue()
    assert await notifications(person) == []

    await spend(person, account, "-223.10", category=groceries, day="2026-11-20")
    await drain_notifier_queue()
    await spend(person, account, "-12.00", category=groceries, day="2026-11-21")
    await drain_notifier_queue()

    [alert] = await notifications(person)
    assert alert["title"] == "Groceries budget overspent"
    assert alert["body"].startswith(
        "You've spent $523.10 of your $500.00 Groceries budget for November 2026."
    )
    [mail] = mail_to(smtp_server, person.email)
    assert mail["Subject"] == "Groceries budget overspent"
    assert alert["body"] in mail.get_body(preferencelist=("plain",)).get_content()


async def test_a_large_transaction_is_alerted_and_emailed_once_per_transaction(
    notifier_worker: None, smtp_server: Any
) -> None:
    person = await sign_up()
    account = await open_account(person)
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="750")

    await spend(person, account, "-800.00", description="Flight to Lisbon")
    await spend(person, account, "-749.99", description="Hotel")
    await spend(person, account, "-1200.00", description="Laptop")
    await drain_notifier_queue()

    titles = sorted(n["title"] for n in await notifications(person))
    assert titles == ["Large transaction: $1,200.00", "Large transaction: $800.00"]
    assert sorted(m["Subject"] for m in mail_to(smtp_server, person.email)) == titles
