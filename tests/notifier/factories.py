"""Test data for the notifier, in the notifier's words (a person, their rules and
notifications), on the shared factories of tests/support: the services' api modules and the
GraphQL contract, plus the notifier's own repositories.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from services.notifier import api as notifier_api
from services.notifier.delivery import service as delivery
from services.notifier.evaluation import repository
from services.notifier.inbox.service import NotificationView
from services.notifier.models import AlertRule, Delivery
from services.notifier.rules import repository as rules_repository
from shared.db import read_session, unit_of_work
from tests.support import factories
from tests.support.factories import Person, add_transaction, category_ids, create_account, sign_up
from tests.support.graphql import data
from tests.support.workers import drain

__all__ = ["Person", "sign_up"]


async def category_id(person: Person, name: str) -> str:
    return (await category_ids(person.id))[name]


async def open_account(person: Person, currency: str = "USD") -> str:
    return str((await create_account(person.id, "Checking", currency=currency))["id"])


async def set_budget(person: Person, category: str, month: str, amount: str) -> None:
    await factories.set_budget(person.id, category, month, amount)


async def spend(
    person: Person,
    account: str,
    amount: str,
    *,
    day: str = "2026-11-05",
    category: str | None = None,
    description: str = "Whole Foods Market",
) -> str:
    """Record a transaction through the ledger (which announces it to the notifier)."""
    created = await add_transaction(
        person.id, account, amount, day, description=description, category_id=category
    )
    return str(created["id"])


async def create_rule(person: Person, **fields: Any) -> dict[str, Any]:
    created = await data(
        """mutation($input: CreateAlertRuleInput!) {
             createAlertRule(input: $input) {
               alertRule { id kind enabled threshold { amount currency } categoryId } } }""",
        {"input": fields},
        user_id=person.id,
    )
    rule: dict[str, Any] = created["createAlertRule"]["alertRule"]
    return rule


async def set_rule_enabled(person: Person, rule_id: str, enabled: bool) -> None:
    await data(
        """mutation($id: ID!, $enabled: Boolean!) {
             updateAlertRule(input: {id: $id, enabled: $enabled}) { alertRule { id } } }""",
        {"id": rule_id, "enabled": enabled},
        user_id=person.id,
    )


async def rules(person: Person) -> list[dict[str, Any]]:
    found = await data(
        "{ alertRules { id kind enabled threshold { amount currency } categoryId } }",
        user_id=person.id,
    )
    return list(found["alertRules"])


async def notifications(person: Person, **arguments: Any) -> list[dict[str, Any]]:
    found = await data(
        """query($unreadOnly: Boolean, $first: Int, $after: String) {
             notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
               edges { cursor node { id kind title body createdAt readAt } }
               pageInfo { hasNextPage endCursor } } }""",
        arguments,
        user_id=person.id,
    )
    return [edge["node"] for edge in found["notifications"]["edges"]]


async def stored_notification(
    person: Person,
    title: str,
    created_at: datetime,
    *,
    kind: str | None = None,
    data: dict[str, Any] | None = None,
) -> uuid.UUID:
    """A notification stored directly with its delivery rows, no job queued (for listing,
    read-state and delivery tests that need no ledger)."""
    async with read_session() as session:
        rule: AlertRule = next(iter(await rules_repository.rules(session, person.id)))
    notification_id = uuid.uuid4()
    async with unit_of_work() as work:
        inserted = await repository.insert_notification_if_absent(
            work.session,
            {
                "id": notification_id,
                "user_id": person.id,
                "rule_id": rule.id,
                "kind": kind or rule.kind,
                "dedupe_key": f"test:{notification_id.hex}",
                "title": title,
                "body": f"{title}.",
                "created_at": created_at.astimezone(UTC),
                "data": data,
            },
        )
        view = NotificationView(
            notification_id, kind or rule.kind, title, f"{title}.", created_at, None
        )
        await delivery.create_deliveries(work, person.id, [view])
    assert inserted
    return notification_id


async def delivery_id(notification_id: uuid.UUID, channel: str) -> uuid.UUID:
    async with read_session() as session:
        found = await session.scalar(
            select(Delivery.id).where(
                Delivery.notification_id == notification_id, Delivery.channel == channel
            )
        )
    assert found is not None, (notification_id, channel)
    return found


async def delivery_row(notification_id: uuid.UUID, channel: str) -> Delivery:
    async with read_session() as session:
        found = await session.scalar(
            select(Delivery).where(
                Delivery.notification_id == notification_id, Delivery.channel == channel
            )
        )
    assert found is not None, (notification_id, channel)
    return found


async def drain_notifier_queue() -> None:
    """Wait until the notifier's worker has handled every queued message (emails included)."""
    await drain(notifier_api.QUEUE)


def mail_to(smtp_server: Any, address: str) -> list[Any]:
    return [message for message in smtp_server.messages if address in message["To"]]
