"""A user with data in every table of every service, and every row that refers to a user.

`user_with_data_everywhere` makes the user the way Tally does: signed up, then through the
GraphQL contract, a bank linked through Plaid's sandbox (the live server's emulator), the
bank's ingest for what the sandbox cannot stage; the ledger's newer tables are filled by
`ledger_everywhere.fill_the_ledger` (the contract again, and an import job run here that dies
after staging its rows). `rows_of` finds a user's rows in a snapshot
of every table, without asking any service: a row is theirs if any of its values is their id,
or the id of a row of theirs (a foreign key or not), or a text naming one of those ids (an
outbox message's arguments). So a table added later is covered without a line here.
"""

from __future__ import annotations

import base64
import contextlib
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from services.gateway.models import metadata as gateway_metadata
from services.ledger.models import metadata as ledger_metadata
from services.notifier.models import metadata as notifier_metadata
from services.sync.models import metadata as sync_metadata
from services.sync.runs import service as sync_runs
from shared import outbox
from shared.db import read_session
from shared.ids import decode_id
from shared.outbox import metadata as outbox_metadata
from tests.ledger.support import bank_account, bank_transaction, ingest, link_item
from tests.support.graphql import data
from tests.support.ledger_everywhere import fill_the_ledger
from tests.sync import bank

# Every service's tables, and the outbox every service writes to.
EVERY_METADATA: tuple[MetaData, ...] = (
    gateway_metadata,
    ledger_metadata,
    sync_metadata,
    notifier_metadata,
    outbox_metadata,
)
# Tables that by design never refer to a user: replayed webhooks' digests, the bank items of
# deleted users still to be removed at Plaid (an encrypted access token, nothing else), and the
# throttle's attempt windows (keyed by hashes, gone when they expire).
HOLD_NO_USER = frozenset(
    {"sync_webhook_receipts", "sync_item_removals", "gateway_throttle_windows"}
)
PASSWORD = "correct horse battery"

SIGN_UP = """mutation($i: SignUpInput!) { signUp(input: $i) {
  accessToken refreshToken user { id } } }"""

Row = dict[str, Any]
Snapshot = dict[str, list[Row]]


@dataclass(frozen=True)
class Someone:
    user_id: uuid.UUID
    graphql_id: str
    email: str
    access_token: str
    refresh_token: str


async def sign_up(time_zone: str = "Europe/Paris") -> Someone:
    """A new account, signed up through the contract (with its first session)."""
    email = f"whole-{uuid.uuid4().hex[:12]}@example.com"
    signed_up = (
        await data(
            SIGN_UP,
            {"i": {"email": email, "password": PASSWORD, "timeZone": time_zone}},
            user_id=None,
        )
    )["signUp"]
    graphql_id = signed_up["user"]["id"]
    return Someone(
        decode_id("User", graphql_id),
        graphql_id,
        email,
        signed_up["accessToken"],
        signed_up["refreshToken"],
    )


@dataclass(frozen=True)
class DataEverywhere:
    person: Someone
    linked: bank.LinkedBank
    ids: dict[str, str]  # what the user made, by name: GraphQL ids


class _Stopped(Exception):
    pass


async def _a_sync_stopped_between_pages(linked: bank.LinkedBank) -> None:
    """New bank transactions, of which a sync stored one page before it stopped: the item is
    mid-pagination (what its stored pages reported is in sync_pagination_reports)."""
    await bank.in_thread(
        bank.add_transactions, linked.access_token, [("Kiosk", "1.50"), ("Kiosk", "2.50")]
    )

    async def stop(_page: int) -> None:
        raise _Stopped

    with contextlib.suppress(_Stopped):
        await sync_runs.sync_linked_item(linked.item_ref, page_size=1, between_pages=stop)


async def user_with_data_everywhere(
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> DataEverywhere:
    """A user with rows in every table of every service (but HOLD_NO_USER's). With
    `monkeypatch`, one announcement also waits in the outbox, as when the broker is down."""
    person = await sign_up()
    user = person.user_id
    await data(
        "mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }",
        {"i": {"email": person.email, "password": PASSWORD}},
        user_id=None,
    )
    await data(
        "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) { accessToken } }",
        {"t": person.refresh_token},
        user_id=None,
    )
    ids: dict[str, str] = {}
    categories = {
        row["name"]: row["id"] for row in (await data("{ categories { id name } }", user_id=user))[
            "categories"
        ]
    }  # fmt: skip
    ids["category"] = categories["Dining"]
    ids["account"] = (
        await data(
            """mutation { createAccount(input: {name: "Wallet", type: CASH, currency: "USD",
                 openingBalance: "20.00"}) { account { id } } }""",
            user_id=user,
        )
    )["createAccount"]["account"]["id"]
    ids["euro_account"] = (
        await data(
            """mutation { createAccount(input: {name: "Berlin", type: CHECKING,
                 currency: "EUR"}) { account { id } } }""",
            user_id=user,
        )
    )["createAccount"]["account"]["id"]
    ids["exchange_rate"] = (
        await data(
            """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-01-01",
                 rate: "1.0825"}) { exchangeRate { id } } }""",
            user_id=user,
        )
    )["setExchangeRate"]["exchangeRate"]["id"]
    create = """mutation($i: CreateTransactionInput!) {
      createTransaction(input: $i) { transaction { id } } }"""
    ids["transaction"] = (
        await data(
            create,
            {"i": {"accountId": ids["account"], "date": "2026-03-10", "amount": "-12.34",
                   "description": "Dinner for two", "categoryId": ids["category"],
                   "notes": "anniversary"}},
            user_id=user,
        )
    )["createTransaction"]["transaction"]["id"]  # fmt: skip
    ids["euro_transaction"] = (
        await data(
            create,
            {"i": {"accountId": ids["euro_account"], "date": "2026-03-11", "amount": "-10.00",
                   "description": "Currywurst"}},
            user_id=user,
        )
    )["createTransaction"]["transaction"]["id"]  # fmt: skip
    ids["budget"] = (
        await data(
            """mutation($c: ID!) { setBudget(input: {categoryId: $c, month: "2026-03",
                 amount: "10.00"}) { budget { id } } }""",
            {"c": ids["category"]},
            user_id=user,
        )
    )["setBudget"]["budget"]["id"]
    ids["goal"] = (
        await data(
            """mutation { createGoal(input: {name: "Boat", targetAmount: "900.00",
                 targetDate: "2027-06-01"}) { goal { id } } }""",
            user_id=user,
        )
    )["createGoal"]["goal"]["id"]
    await data(
        """mutation($g: ID!) { contributeToGoal(input: {goalId: $g, amount: "25.50"}) {
             goal { id } } }""",
        {"g": ids["goal"]},
        user_id=user,
    )
    # A pending bank transaction the user annotated, then removed by the bank: the ledger
    # keeps the edits for when its posted version arrives.
    item_ref = await link_item(user, bank_account("pending-acc"))
    await ingest(user, item_ref, added=(bank_transaction("p-1", "-7.00", account="pending-acc",
                                                         pending=True),))  # fmt: skip
    pending = (await data("{ transactions(first: 100) { edges { node { id pending } } } }",
                          user_id=user))["transactions"]["edges"]  # fmt: skip
    [pending_id] = [edge["node"]["id"] for edge in pending if edge["node"]["pending"]]
    await data(
        """mutation($t: ID!) { updateTransaction(input: {id: $t, notes: "split with Sam"}) {
             transaction { id } } }""",
        {"t": pending_id},
        user_id=user,
    )
    await ingest(user, item_ref, removed=("p-1",))
    linked = await bank.link_bank(user)
    await bank.first_sync_done(linked)
    ids["institution"] = linked.graphql_id
    # Another bank, unlinked keeping its history: the record of that stays the user's.
    unlinked = await bank.link_bank(user)
    await bank.first_sync_done(unlinked)
    await data(
        """mutation($id: ID!) { unlinkInstitution(input: {id: $id, history: KEEP}) {
             unlinkedInstitutionId } }""",
        {"id": unlinked.graphql_id},
        user_id=user,
    )
    await _a_sync_stopped_between_pages(linked)
    ids["alert_rule"] = (
        await data(
            """mutation { createAlertRule(input: {kind: LARGE_TRANSACTION,
                 threshold: "500.00"}) { alertRule { id } } }""",
            user_id=user,
        )
    )["createAlertRule"]["alertRule"]["id"]
    await data(
        """mutation { updateNotificationSettings(input: {quietHours: {start: "23:59",
             end: "00:00"}}) { notificationSettings { timeZone } } }""",
        user_id=user,
    )
    await data(
        create,
        {"i": {"accountId": ids["account"], "date": date.today().isoformat(),
               "amount": "-600.00", "description": "New laptop"}},
        user_id=user,
    )  # fmt: skip

    async def notified() -> list[str]:
        found = await data("{ notifications { edges { node { id } } } }", user_id=user)
        return [edge["node"]["id"] for edge in found["notifications"]["edges"]]

    ids["notification"] = (await bank.until(notified))[0]
    await _push_and_webhooks(user, ids)
    await fill_the_ledger(user, ids, categories)
    if monkeypatch is not None:
        await _announcement_left_waiting(monkeypatch, user, ids["account"])
    return DataEverywhere(person, linked, ids)


async def _push_and_webhooks(user: uuid.UUID, ids: dict[str, str]) -> None:
    """A browser with push on, and a webhook with an attempt in its log (nobody listens on
    port 9: the attempt is logged as one to retry)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from services.notifier.delivery.outgoing import OutgoingNotification
    from services.notifier.webhooks.sender import send_webhook

    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    ids["push_subscription"] = (
        await data(
            """mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i)
                 { pushSubscription { id } } }""",
            {"i": {"endpoint": "http://127.0.0.1:9/push/everywhere",
                   "p256dh": base64.urlsafe_b64encode(point).rstrip(b"=").decode(),
                   "auth": "AAAAAAAAAAAAAAAAAAAAAA", "userAgent": "Firefox"}},
            user_id=user,
        )
    )["registerPushSubscription"]["pushSubscription"]["id"]  # fmt: skip
    ids["webhook"] = (
        await data(
            """mutation { createWebhook(input: {url: "http://127.0.0.1:9/hook",
                 description: "home"}) { webhook { id } } }""",
            user_id=user,
        )
    )["createWebhook"]["webhook"]["id"]
    await send_webhook(
        OutgoingNotification(
            notification_id=decode_id("Notification", ids["notification"]),
            user_id=user,
            kind="LARGE_TRANSACTION",
            title="Large transaction",
            body="New laptop",
            created_at=datetime.now(UTC),
            idempotency_key=f"{ids['notification']}:WEBHOOK",
        )
    )


async def _announcement_left_waiting(
    monkeypatch: pytest.MonkeyPatch, user: uuid.UUID, account_id: str
) -> None:
    """A change whose announcement stays in the outbox: the broker refused it (down), and the
    relay's next try is an hour away."""
    with monkeypatch.context() as patched:

        async def broker_down(_messages: Any) -> None:
            return None

        patched.setattr(outbox, "_fast_path", broker_down)
        patched.setattr(outbox, "FAST_PATH_GRACE", outbox.IN_FLIGHT_LEASE * 4)
        await data(
            """mutation($i: CreateTransactionInput!) {
                 createTransaction(input: $i) { transaction { id } } }""",
            {"i": {"accountId": account_id, "date": "2026-03-12", "amount": "-1.00",
                   "description": "Gum"}},
            user_id=user,
        )  # fmt: skip


async def snapshot() -> Snapshot:
    """Every row of every table of every service, now."""
    found: Snapshot = {}
    async with read_session() as session:
        for metadata in EVERY_METADATA:
            for table in metadata.sorted_tables:
                rows = await session.execute(select(table))
                found[table.name] = [dict(row._mapping) for row in rows]
    return found


_UUID_TEXT = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}", re.IGNORECASE
)


def _ids_in(value: Any) -> set[uuid.UUID]:
    if isinstance(value, uuid.UUID):
        return {value}
    if isinstance(value, str):
        return {uuid.UUID(text) for text in _UUID_TEXT.findall(value)}
    return set()


def _primary_key(table: str) -> list[str]:
    for metadata in EVERY_METADATA:
        if table in metadata.tables:
            return [column.name for column in metadata.tables[table].primary_key]
    raise KeyError(table)


def rows_of(tables: Snapshot, user_id: uuid.UUID) -> dict[str, list[Row]]:
    """The rows that refer to the user, by table: a value that is their id or the id of a row
    of theirs, or a text naming one. Tables without any are left out."""
    known = {user_id}
    theirs: dict[str, dict[int, Row]] = defaultdict(dict)
    mentions = {
        name: [set().union(*(_ids_in(value) for value in row.values())) for row in rows]
        for name, rows in tables.items()
    }
    grown = True
    while grown:
        grown = False
        for name, rows in tables.items():
            keys = _primary_key(name)
            for index, row in enumerate(rows):
                if index in theirs[name] or not mentions[name][index] & known:
                    continue
                theirs[name][index] = row
                known |= {row[key] for key in keys if isinstance(row[key], uuid.UUID)}
                grown = True
    return {name: list(found.values()) for name, found in theirs.items() if found}


def keys_of(rows: dict[str, list[Row]]) -> set[tuple[str, tuple[Any, ...]]]:
    """(table, primary key) of each row."""
    return {
        (name, tuple(row[key] for key in _primary_key(name)))
        for name, found in rows.items()
        for row in found
    }


def every_table() -> set[str]:
    return {name for metadata in EVERY_METADATA for name in metadata.tables}
