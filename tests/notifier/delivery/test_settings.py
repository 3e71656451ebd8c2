"""Notification settings in GraphQL: the defaults, changes, and bad input named by field
with nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.notifier.delivery.support import update_settings
from tests.notifier.factories import sign_up
from tests.support.graphql import data, error_codes, execute

SETTINGS = """{ notificationSettings { timeZone locale quietHours { start end }
  digest { hour kinds } rateLimits { kind perHour } defaultRateLimitPerHour emailOffKinds } }"""
UPDATE = """mutation($input: UpdateNotificationSettingsInput!) {
  updateNotificationSettings(input: $input) { notificationSettings { locale } } }"""


async def test_a_new_user_has_the_defaults() -> None:
    person = await sign_up(ledger=False, time_zone="America/New_York")

    found = (await data(SETTINGS, user_id=person.id))["notificationSettings"]

    assert found == {
        "timeZone": "America/New_York",
        "locale": "en",
        "quietHours": None,
        "digest": None,
        "rateLimits": [],
        "defaultRateLimitPerHour": 10,
        "emailOffKinds": [],
    }


async def test_settings_change_field_by_field_and_absent_fields_stay() -> None:
    person = await sign_up(ledger=False)

    await update_settings(
        person,
        quietHours={"start": "22:30", "end": "06:45"},
        digest={"hour": 7, "kinds": None},
        rateLimits=[{"kind": "LARGE_TRANSACTION", "perHour": 3}],
        locale="fr-CH",
    )
    changed = await update_settings(person, emailOffKinds=["BUDGET_OVERSPENT"])

    assert changed["quietHours"] == {"start": "22:30", "end": "06:45"}
    assert changed["digest"] == {"hour": 7, "kinds": None}
    assert changed["rateLimits"] == [{"kind": "LARGE_TRANSACTION", "perHour": 3}]
    assert changed["locale"] == "fr_CH"
    assert changed["emailOffKinds"] == ["BUDGET_OVERSPENT"]
    cleared = await update_settings(person, quietHours=None, digest=None)
    assert (cleared["quietHours"], cleared["digest"]) == (None, None)
    assert cleared["rateLimits"] == [{"kind": "LARGE_TRANSACTION", "perHour": 3}]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"quietHours": {"start": "25:00", "end": "07:00"}}, "input.quietHours.start"),
        ({"quietHours": {"start": "22:00", "end": "7am"}}, "input.quietHours.end"),
        ({"quietHours": {"start": "22:00", "end": "22:00"}}, "input.quietHours.end"),
        ({"digest": {"hour": 24}}, "input.digest.hour"),
        ({"digest": {"hour": 8, "kinds": []}}, "input.digest.kinds"),
        ({"rateLimits": [{"kind": "LARGE_TRANSACTION", "perHour": 0}]}, "input.rateLimits.perHour"),
        (
            {
                "rateLimits": [
                    {"kind": "LARGE_TRANSACTION", "perHour": 2},
                    {"kind": "LARGE_TRANSACTION", "perHour": 3},
                ]
            },
            "input.rateLimits.kind",
        ),
        ({"locale": "xx_NOWHERE"}, "input.locale"),
    ],
)
async def test_bad_settings_name_the_field_and_change_nothing(
    fields: dict[str, Any], field: str
) -> None:
    person = await sign_up(ledger=False)
    before = (await data(SETTINGS, user_id=person.id))["notificationSettings"]

    # Quiet hours that are fine beside the bad field: nothing of it is written either.
    result = await execute(
        UPDATE,
        {"input": {"quietHours": {"start": "21:00", "end": "06:00"}} | fields},
        user_id=person.id,
    )

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["field"] == field
    assert (await data(SETTINGS, user_id=person.id))["notificationSettings"] == before


async def test_settings_need_a_signed_in_user() -> None:
    assert error_codes(await execute(SETTINGS, user_id=None)) == ["UNAUTHENTICATED"]
