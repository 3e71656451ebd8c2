"""The web app in a real browser (Debian's chromium, driven by Playwright, never a downloaded
browser), against the whole embedded deployment: a person signs up, sees their dashboard, sets
their time zone, gets an alert live and marks it read, on a desktop and on a phone's screen.

Every page visited is saved as a screenshot under var/screenshots/ and checked by axe-core
(WCAG 2.1 A and AA, plus axe's best practices): no serious or critical violation may remain.

Without chromium or a build of the app (`make web`) these tests skip, saying why; with
TALLY_REQUIRE_BROWSER=1 (CI sets it) they fail instead.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.support.client import TallyClient
from tests.web.browser import (
    DESKTOP,
    PASSWORD,
    PHONE,
    SCREENSHOTS,
    heading,
    look,
    seed_money,
    today_in,
)


def test_a_person_signs_up_sees_their_money_and_gets_an_alert_live(
    page: Any, live_server: str
) -> None:
    email = f"web-{uuid.uuid4().hex[:8]}@example.com"

    page.goto("/")
    heading(page, "Log in").wait_for()
    look(page, "01-log-in")

    page.get_by_role("link", name="Create an account").click()
    heading(page, "Create your account").wait_for()
    look(page, "02-sign-up")

    # A password the API refuses: its message shows next to the password field.
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    password_error = page.locator(".field-invalid .field-error")
    password_error.wait_for()
    assert "12" in password_error.inner_text()
    assert page.get_by_label("Password").get_attribute("aria-invalid") == "true"
    look(page, "03-sign-up-refused")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    heading(page, "Dashboard").wait_for()
    page.get_by_text("No budgets for this month yet.").wait_for()
    look(page, "04-dashboard-new")

    # The access token stays in memory; only the refresh token is stored.
    stored = page.evaluate("() => Object.assign({}, window.localStorage)")
    assert list(stored) == ["tally.refreshToken"]

    api = TallyClient(live_server)
    try:
        login = api(
            """mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }""",
            {"input": {"email": email, "password": PASSWORD}},
        )
        api.token = login["logIn"]["accessToken"]
        me = api("{ me { timeZone } }")["me"]
        assert me["timeZone"] == "Europe/Paris"  # from the browser, at sign-up
        months = {today_in(zone).strftime("%Y-%m") for zone in ("Europe/Paris", "Asia/Tokyo")}
        ids = seed_money(api, months)

        page.reload()
        page.get_by_text("Whole Foods").wait_for()
        net_worth = page.locator("#net-worth-heading + .figure")
        assert net_worth.inner_text() == "$5,376.55"
        assert page.get_by_text("$123.45 of $400.00").is_visible()
        assert page.get_by_text("$1,200.00 of $5,000.00").is_visible()
        groceries = page.get_by_role("progressbar", name="Groceries budget")
        assert groceries.get_attribute("aria-valuenow") == "31"
        look(page, "05-dashboard")

        nav = page.get_by_role("navigation", name="Main")
        nav.get_by_role("link", name="Settings").click()
        heading(page, "Settings").wait_for()
        assert page.locator("dd").get_by_text(email).is_visible()
        page.get_by_label("Time zone").select_option("Asia/Tokyo")
        page.get_by_role("button", name="Save time zone").click()
        page.get_by_text("Time zone saved: Asia/Tokyo.").wait_for()
        look(page, "06-settings")
        assert api("{ me { timeZone } }")["me"]["timeZone"] == "Asia/Tokyo"

        nav.get_by_role("link", name="Notifications").click()
        heading(page, "Notifications").wait_for()
        page.get_by_text("No notifications yet.").wait_for()
        look(page, "07-notifications-empty")

        # Overspend the groceries budget: the alert arrives live, without a reload. (Alone it
        # overspends, should Tokyo's month already be the next one.)
        api(
            """mutation($input: CreateTransactionInput!) {
                 createTransaction(input: $input) { transaction { id } } }""",
            {
                "input": {
                    "accountId": ids["account"],
                    "date": today_in("Asia/Tokyo").isoformat(),
                    "amount": "-500.00",
                    "description": "Farmers market",
                    "categoryId": ids["groceries"],
                }
            },
        )
        alert = page.locator(".notification-unread")
        alert.wait_for(timeout=30_000)
        badge = nav.locator(".badge")
        assert re.fullmatch(r"1\s*unread", badge.inner_text())
        look(page, "08-notification-live")

        alert.get_by_role("button", name=re.compile("^Mark read")).click()
        page.locator(".notification-read").wait_for()
        badge.wait_for(state="detached")
        look(page, "09-notification-read")
        notifications = api("{ notifications(first: 5) { edges { node { kind readAt } } } }")
        [edge] = notifications["notifications"]["edges"]
        assert edge["node"]["kind"] == "BUDGET_OVERSPENT" and edge["node"]["readAt"]

        nav.get_by_role("link", name="Reports").click()
        heading(page, "Reports").wait_for()
        look(page, "10-reports")
    finally:
        api.close()

    page.goto("/")
    heading(page, "Dashboard").wait_for()
    page.get_by_text(re.compile(r"^\$(623\.45|500\.00) of \$400\.00$")).wait_for()
    look(page, "11-dashboard-overspent")

    # On a phone's screen the navigation folds behind a Menu button.
    page.set_viewport_size(PHONE)
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    look(page, "12-phone-dashboard")
    page.get_by_role("button", name="Menu").click()
    assert nav.is_visible()
    look(page, "13-phone-menu")
    page.keyboard.press("Escape")  # closes it, back on the button
    assert not nav.is_visible()
    assert page.evaluate("() => document.activeElement.textContent") == "Menu"
    page.keyboard.press("Enter")
    assert nav.is_visible()
    nav.get_by_role("link", name="Settings").click()
    heading(page, "Settings").wait_for()
    assert not nav.is_visible()
    look(page, "14-phone-settings")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Log out").click()
    heading(page, "Log in").wait_for()
    assert page.evaluate("() => window.localStorage.length") == 0

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    heading(page, "Dashboard").wait_for()


def test_the_app_is_usable_from_the_keyboard(page: Any) -> None:
    page.goto("/signup")
    heading(page, "Create your account").wait_for()
    page.keyboard.press("Tab")
    email_field = page.get_by_label("Email").get_attribute("id")
    assert page.evaluate("() => document.activeElement.id") == email_field
    page.keyboard.type(f"keys-{uuid.uuid4().hex[:8]}@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    heading(page, "Dashboard").wait_for()

    # The first Tab on a page reaches the skip link, which jumps past the navigation.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # Every page of the navigation is reached with Tab and Enter, and its heading takes focus.
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Goals").focus()
    page.keyboard.press("Enter")
    heading(page, "Goals").wait_for()
    assert page.evaluate("() => document.activeElement.tagName") == "H1"
    look(page, "20-keyboard-goals")


def test_graphiql_loads_from_the_servers_own_files_offline(browser: Any) -> None:
    """In development GraphiQL comes from the app's build: no request leaves this server."""
    from services.gateway.app import create_gateway
    from shared.config import get_settings
    from tests.support.servers import served

    development = get_settings().model_copy(update={"env": "development"})
    with served(create_gateway(development), lifespan="off") as server:
        context = browser.new_context(base_url=server.url, viewport=DESKTOP)
        try:
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            with page.expect_response(
                lambda response: (
                    response.url.endswith("/graphql") and response.request.method == "POST"
                )
            ) as introspection:
                page.goto("/graphql")
            assert introspection.value.ok
            page.locator(".graphiql-container").wait_for()
            page.get_by_text("Loading GraphiQL").wait_for(state="detached")
            page.screenshot(path=str(SCREENSHOTS / "30-graphiql.png"))
            elsewhere = [url for url in requested if not url.startswith(server.url)]
            assert not elsewhere, f"GraphiQL fetched from elsewhere: {elsewhere}"
        finally:
            context.close()
