"""One-click unsubscribe (RFC 8058) on the gateway: the link of a real email, no login. A GET
(what link scanners do) only asks; the mail client's POST switches that kind's emails off."""

from __future__ import annotations

from typing import Any

import httpx

from services.notifier.delivery import unsubscribe
from tests.notifier.delivery.support import raise_notification, rows_of, settle
from tests.notifier.factories import mail_to, sign_up
from tests.support.graphql import data

OFF = "{ notificationSettings { emailOffKinds } }"


async def _off(user_id: Any) -> list[str]:
    return list((await data(OFF, user_id=user_id))["notificationSettings"]["emailOffKinds"])


async def test_the_emails_one_click_link_switches_that_kind_off_without_a_login(
    live_server: str, smtp_server: Any
) -> None:
    person = await sign_up(ledger=False)
    await settle(await raise_notification(person))
    [mail] = mail_to(smtp_server, person.email)
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith(f"{live_server}/unsubscribe/email?token=")

    async with httpx.AsyncClient(timeout=30) as client:
        page = await client.get(link)
        assert page.status_code == 200
        assert "Stop emails about <strong>large transaction</strong>?" in page.text
        assert await _off(person.id) == []  # a GET changes nothing

        done = await client.post(
            link,
            content="List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert done.status_code == 200
        assert "no more emails about <strong>large transaction</strong>" in done.text
        again = await client.post(link, content="List-Unsubscribe=One-Click")
        assert again.status_code == 200

    assert await _off(person.id) == ["LARGE_TRANSACTION"]
    later = await raise_notification(person, title="Another large one")
    assert "EMAIL" not in await rows_of(later)


async def test_a_forged_or_broken_link_changes_nothing(live_server: str) -> None:
    person = await sign_up(ledger=False)
    forged = f"{person.id.hex}.LARGE_TRANSACTION.{'0' * 40}"

    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:
        for token in (forged, "", "nonsense"):
            response = await client.post(f"/unsubscribe/email?token={token}")
            assert response.status_code == 400
            assert "not valid" in response.text

    assert await _off(person.id) == []


async def test_the_confirm_pages_button_posts_the_token(live_server: str) -> None:
    person = await sign_up(ledger=False)
    token = unsubscribe.token(person.id, "BUDGET_OVERSPENT")

    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:
        response = await client.post("/unsubscribe/email", data={"token": token})

    assert response.status_code == 200
    assert await _off(person.id) == ["BUDGET_OVERSPENT"]
