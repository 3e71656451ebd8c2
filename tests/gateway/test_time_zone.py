"""Each user's time zone, kept from sign-up and changeable: "today" is theirs, not UTC's."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator

import pytest

from services.gateway.identity import service as identity
from services.notifier.recipients.service import time_zone as notifier_time_zone
from shared import clock
from shared.db import read_session
from tests.support.client import TallyClient

# Noon in UTC is already tomorrow on Kiritimati (UTC+14).
NOON_UTC = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
KIRITIMATI_TODAY = "2026-11-27"

SIGN_UP = """mutation($email: String!, $password: String!, $zone: String) {
  signUp(input: {email: $email, password: $password, timeZone: $zone}) {
    accessToken user { timeZone } } }"""
GOAL = """mutation { createGoal(input: {name: "Trip", targetAmount: "900.00", currency: "USD"}) {
  goal { id } } }"""
CONTRIBUTE = """mutation($goal: ID!, $date: Date) {
  contributeToGoal(input: {goalId: $goal, amount: "10.00", date: $date}) {
    goal { savedAmount { amount } } } }"""


@pytest.fixture
def people(live_server: str) -> Iterator[Callable[[str | None], TallyClient]]:
    made: list[TallyClient] = []

    def person(zone: str | None) -> TallyClient:
        made.append(_person(TallyClient(live_server), zone))
        return made[-1]

    yield person
    for client in made:
        client.close()


def _person(client: TallyClient, zone: str | None) -> TallyClient:
    payload = client(
        SIGN_UP,
        {"email": f"tz-{uuid.uuid4().hex[:10]}@example.com", "password": "a long passphrase",
         "zone": zone},
    )["signUp"]  # fmt: skip
    client.token = payload["accessToken"]
    return client


def test_the_time_zone_is_kept_from_sign_up_and_can_change(
    people: Callable[[str | None], TallyClient],
) -> None:
    client = people("Pacific/Kiritimati")
    assert client("{ me { timeZone } }")["me"]["timeZone"] == "Pacific/Kiritimati"
    moved = client(
        'mutation { setTimeZone(input: {timeZone: "Europe/Paris"}) { user { timeZone } } }'
    )
    assert moved["setTimeZone"]["user"]["timeZone"] == "Europe/Paris"
    assert people(None)("{ me { timeZone } }")["me"]["timeZone"] == "UTC"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../../etc/passwd", "UTC+14"])
def test_an_unknown_time_zone_is_refused_naming_the_field(live_server: str, zone: str) -> None:
    client = TallyClient(live_server)
    [error] = client.errors(
        SIGN_UP, {"email": f"tz-{uuid.uuid4().hex[:10]}@example.com",
                  "password": "a long passphrase", "zone": zone},
    )  # fmt: skip
    client.close()
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.timeZone"}


def test_a_user_ahead_of_utc_may_record_money_on_their_own_today(
    people: Callable[[str | None], TallyClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: NOON_UTC)
    ahead, behind = people("Pacific/Kiritimati"), people("UTC")

    for client, accepted in ((ahead, True), (behind, False)):
        goal = client(GOAL)["createGoal"]["goal"]["id"]
        result = client.raw(CONTRIBUTE, {"goal": goal, "date": KIRITIMATI_TODAY})
        if accepted:
            assert not result.get("errors"), result
        else:
            assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_the_notifier_words_alerts_in_the_zone_the_user_chose() -> None:
    signed_in = await identity.sign_up(
        f"tz-{uuid.uuid4().hex[:10]}@example.com",
        "a long passphrase",
        client_address="192.0.2.10",
        user_agent=None,
        time_zone="Pacific/Kiritimati",
    )
    user_id = signed_in.account.user_id

    async with read_session() as session:
        assert await notifier_time_zone(session, user_id) == "Pacific/Kiritimati"
    await identity.set_time_zone(user_id, "Europe/Paris")
    async with read_session() as session:
        assert await notifier_time_zone(session, user_id) == "Europe/Paris"
