"""Linking a bank in a real browser (Debian's chromium, driven by Playwright), against the whole
embedded deployment and its Plaid emulator: a person signs up, links the sandbox bank through
the emulator's Link look-alike (bank search, a wrong password then user_good / pass_good, the
accounts to share), sees its accounts and transactions arrive, signs in again when the bank
breaks the connection, and unlinks it keeping the history; on a desktop and a phone's screen,
and once more under the app's real Content-Security-Policy.

Every view is kept as a screenshot under var/screenshots/ (banks-*.png) and checked by axe-core.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from services.sync.linking import repository as linked_items
from shared.crypto import decrypt
from shared.db import dispose_engine, read_session
from shared.ids import decode_id
from tests.support.client import TallyClient
from tests.sync import bank
from tests.web.browser import DESKTOP, PASSWORD, PHONE, heading, look

BANK = "First Platypus Bank"
TRANSACTION_COUNT = "{ transactions(first: 1) { totalCount } }"


def _access_token(api: TallyClient) -> str:
    """The linked item's Plaid access token, as the sync service stored it (to break it)."""
    user_id = decode_id("User", api("{ me { id } }")["me"]["id"])

    async def read() -> str:
        try:
            async with read_session() as session:
                [item] = await linked_items.list_user_items(session, user_id)
            return decrypt(item.access_token_encrypted)
        finally:
            await dispose_engine()

    # Playwright's sync API runs a loop in this thread: the database is read from another.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(lambda: asyncio.run(read())).result()


def _signed_in_api(base_url: str, email: str) -> TallyClient:
    api = TallyClient(base_url)
    login = api(
        """mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }""",
        {"input": {"email": email, "password": PASSWORD}},
    )
    api.token = login["logIn"]["accessToken"]
    return api


def _until(check: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.25)


def _sign_up(page: Any, email: str) -> None:
    page.goto("/signup")
    heading(page, "Create your account").wait_for()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    heading(page, "Dashboard").wait_for()


def test_a_person_links_their_bank_re_links_it_and_unlinks_it_keeping_the_history(
    page: Any, live_server: str
) -> None:
    email = f"banks-{uuid.uuid4().hex[:8]}@example.com"
    _sign_up(page, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts & banks").click()
    heading(page, "Accounts & banks").wait_for()
    page.get_by_text("No bank linked yet").wait_for()
    look(page, "banks-01-empty")

    # Plaid Link (the emulator's look-alike): search, sign in, choose the accounts.
    page.get_by_role("button", name="Link a bank").click()
    link = page.get_by_role("dialog", name="Select your bank")
    link.wait_for()
    assert page.evaluate("() => document.activeElement.type") == "search"
    look(page, "banks-02-link-search")
    link.get_by_label("Search for your bank").fill("platyp")
    assert link.get_by_role("button").filter(has_text="Gingham").count() == 0
    link.get_by_role("button", name=BANK).click()
    sign_in = page.get_by_role("dialog", name=f"Sign in to {BANK}")
    sign_in.get_by_label("Username").fill("user_good")
    sign_in.get_by_label("Password").fill("pass_bad")
    sign_in.get_by_role("button", name="Sign in").click()
    sign_in.get_by_role("alert").filter(
        has_text="The provided credentials were not correct"
    ).wait_for()
    look(page, "banks-03-link-wrong-password")
    sign_in.get_by_label("Password").fill("pass_good")
    sign_in.get_by_role("button", name="Sign in").click()
    choose = page.get_by_role("dialog", name="Choose accounts")
    choose.wait_for()
    choose.get_by_role("checkbox", name=re.compile("Plaid Money Market")).uncheck()
    look(page, "banks-04-link-accounts")
    choose.get_by_role("button", name="Continue").click()
    done = page.get_by_role("dialog", name="Success")
    done.wait_for()
    look(page, "banks-05-link-success")
    done.get_by_role("button", name="Continue").click()

    # Its accounts arrive at once, its transactions with the first sync.
    card = page.get_by_role("region", name=BANK)
    card.wait_for()
    page.get_by_text(f"{BANK} is linked. Its transactions are on their way.").wait_for()
    accounts = card.get_by_role("list", name=f"Accounts at {BANK}")
    assert accounts.get_by_role("listitem").count() == 3
    assert accounts.get_by_text("Plaid Money Market").count() == 0
    assert accounts.get_by_text("Checking ••0000").is_visible()
    card.get_by_text("Connected").wait_for(timeout=30_000)
    card.get_by_text(re.compile(r"^Updated ")).wait_for()
    look(page, "banks-06-linked")

    api = _signed_in_api(live_server, email)
    try:
        synced = _until(lambda: api(TRANSACTION_COUNT)["transactions"]["totalCount"])
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
        latest = page.get_by_role("region", name="Latest transactions")
        latest.get_by_text(re.compile("Plaid (Checking|Credit Card|Saving)")).first.wait_for()
        look(page, "banks-07-dashboard-with-bank")

        # The bank breaks the connection: the page says so, and Re-link signs in again.
        bank.reset_login(_access_token(api))
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Accounts & banks"
        ).click()

        def says_sign_in_needed() -> bool:
            page.reload()
            heading(page, "Accounts & banks").wait_for()
            card.wait_for()
            return card.get_by_text("Needs sign-in").count() > 0

        _until(says_sign_in_needed)
        look(page, "banks-08-needs-sign-in")
        card.get_by_role("button", name=f"Re-link {BANK}").click()
        again = page.get_by_role("dialog", name=f"Sign in again to {BANK}")
        again.wait_for()
        look(page, "banks-09-relink")
        again.get_by_label("Username").fill("user_good")
        again.get_by_label("Password").fill("pass_good")
        page.keyboard.press("Enter")
        page.get_by_role("dialog", name="Success").get_by_role("button", name="Continue").click()
        page.get_by_text(f"{BANK} is connected again.", exact=False).wait_for()
        card.get_by_text("Connected").wait_for(timeout=30_000)
        look(page, "banks-10-relinked")
        balances = accounts.locator(".account-balance").all_inner_texts()

        # Unlink, keeping the history, with the keyboard alone.
        card.get_by_role("button", name=f"Unlink {BANK}").click()
        unlink = page.get_by_role("dialog", name=f"Unlink {BANK}?")
        unlink.wait_for()
        assert unlink.get_by_role("radio", name=re.compile("^Keep it")).is_checked()
        look(page, "banks-11-unlink-dialog")
        page.keyboard.press("Tab")  # Cancel
        page.keyboard.press("Tab")  # Unlink and keep history
        assert page.evaluate("() => document.activeElement.textContent") == (
            "Unlink and keep history"
        )
        page.keyboard.press("Enter")
        page.get_by_text(f"{BANK} is unlinked. Its accounts stay, as your own accounts.").wait_for()
        card.wait_for(state="detached")
        own = page.get_by_role("list", name="Your own accounts")
        assert own.locator(".account-balance").all_inner_texts() == balances
        assert api(TRANSACTION_COUNT)["transactions"]["totalCount"] >= synced
        assert api("{ linkedInstitutions { id } }") == {"linkedInstitutions": []}
        look(page, "banks-12-unlinked-kept")
    finally:
        api.close()

    # On a phone's screen: the page, and Link's dialog over it.
    page.set_viewport_size(PHONE)
    look(page, "banks-13-phone")
    page.get_by_role("button", name="Link a bank").click()
    page.get_by_role("dialog", name="Select your bank").wait_for()
    look(page, "banks-14-phone-link")
    page.keyboard.press("Escape")  # Link exits, the page stays as it was
    page.get_by_role("dialog", name="Select your bank").wait_for(state="detached")
    assert page.get_by_role("button", name="Link a bank").is_enabled()
    page.set_viewport_size(DESKTOP)


def test_link_opens_under_the_apps_own_content_security_policy(
    browser: Any, live_server: str
) -> None:
    """The other tests let axe-core in by bypassing the CSP: here it holds, as for users."""
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="en-US")
    refused: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        _sign_up(page, f"csp-{uuid.uuid4().hex[:8]}@example.com")
        page.goto("/accounts")
        heading(page, "Accounts & banks").wait_for()
        page.get_by_role("button", name="Link a bank").click()
        page.get_by_role("dialog", name="Select your bank").wait_for()
        page.keyboard.press("Escape")
    finally:
        context.close()
    assert refused == []
