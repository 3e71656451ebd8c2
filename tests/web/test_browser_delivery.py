"""Delivery in a real browser (Debian's chromium): the notification centre shows how each
notification went on each channel, and the settings page sets quiet hours and the daily
digest. Screenshots under var/screenshots/ (60-62)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.support.client import TallyClient
from tests.web.browser import PASSWORD, heading, look, today_in

ZONE = "Europe/Paris"


def _notified(api: TallyClient) -> list[dict[str, Any]]:
    """The user's notifications once every channel has settled (no delivery PENDING)."""
    deadline = time.monotonic() + 30
    while True:
        found = api(
            """{ notifications { edges { node { title
                 deliveries { channel status reason } } } } }"""
        )["notifications"]["edges"]
        nodes = [edge["node"] for edge in found]
        settled = nodes and all(
            d["status"] != "PENDING" for node in nodes for d in node["deliveries"]
        )
        if settled or time.monotonic() > deadline:
            return nodes
        time.sleep(0.2)


def test_the_notification_centre_shows_deliveries_and_settings_set_quiet_hours(
    page: Any, live_server: str, smtp_server: Any
) -> None:
    email = f"delivery-{uuid.uuid4().hex[:8]}@example.com"
    api = TallyClient(live_server)
    try:
        api.token = api(
            """mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }""",
            {"input": {"email": email, "password": PASSWORD, "timeZone": ZONE}},
        )["signUp"]["accessToken"]
        account = api(
            """mutation { createAccount(input: {name: "Checking", type: CHECKING, currency: "USD",
                 openingBalance: "5000.00"}) { account { id } } }"""
        )["createAccount"]["account"]["id"]
        api(
            """mutation { createAlertRule(input: {kind: LARGE_TRANSACTION, threshold: "500.00",
                 channels: [IN_APP, EMAIL, PUSH, WEBHOOK]}) { alertRule { id } } }"""
        )
        api(
            """mutation($input: CreateTransactionInput!) {
                 createTransaction(input: $input) { transaction { id } } }""",
            {
                "input": {
                    "accountId": account,
                    "date": today_in(ZONE).isoformat(),
                    "amount": "-1234.50",
                    "description": "New laptop",
                }
            },
        )
        [notification] = _notified(api)
        assert {d["channel"]: d["status"] for d in notification["deliveries"]} == {
            "IN_APP": "SENT",
            "EMAIL": "SENT",
            "PUSH": "FAILED",
            "WEBHOOK": "FAILED",
        }

        page.goto("/login")
        heading(page, "Log in").wait_for()
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        heading(page, "Dashboard").wait_for()
        nav = page.get_by_role("navigation", name="Main")

        nav.get_by_role("link", name="Notifications").click()
        heading(page, "Notifications").wait_for()
        item = page.get_by_role("listitem").filter(has_text="Large transaction: $1,234.50")
        statuses = item.locator(".deliveries")
        statuses.wait_for()
        text = " ".join(statuses.inner_text().split())
        assert "Email sent" in text
        assert "Push failed: no browser has push turned on" in text
        assert "Webhook failed: no webhook is on for this kind of alert" in text
        look(page, "60-notification-deliveries")

        nav.get_by_role("link", name="Settings").click()
        heading(page, "Settings").wait_for()
        section = page.get_by_role("region", name="Quiet hours and digest")
        section.get_by_text("Times are in your time zone, Europe/Paris.").wait_for()
        section.get_by_label("Hold alerts during quiet hours").check()
        section.get_by_label("From").fill("22:30")
        section.get_by_label("Until").fill("06:45")
        section.get_by_label("One email a day").check()
        section.get_by_label("Send it at").select_option("08:00")
        look(page, "61-settings-quiet-hours-and-digest")
        section.get_by_role("button", name="Save quiet hours and digest").click()
        section.get_by_role("status").get_by_text(
            "Saved: quiet from 22:30 to 06:45, a daily digest at 08:00 (Europe/Paris)."
        ).wait_for()
        saved = api("{ notificationSettings { quietHours { start end } digest { hour kinds } } }")
        assert saved["notificationSettings"] == {
            "quietHours": {"start": "22:30", "end": "06:45"},
            "digest": {"hour": 8, "kinds": None},
        }
        look(page, "62-settings-quiet-hours-saved")
    finally:
        api.close()
