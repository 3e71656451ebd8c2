"""The whole story through the app, as a newcomer walks it in a real browser: sign up, link
the sandbox bank through the Link look-alike, see its transactions, set a budget, overspend it
by recording a purchase, see the alert arrive live, and mark it read. Nothing is done through
the API behind the page's back; every step is a click or a key, and every page is looked at
(screenshots story-*.png, axe-core)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.web.browser import PASSWORD, heading, look

BANK = "First Platypus Bank"


def test_sign_up_link_a_bank_budget_overspend_and_read_the_alert(page: Any) -> None:
    page.goto("/signup")
    heading(page, "Create your account").wait_for()
    page.get_by_label("Email").fill(f"story-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    heading(page, "Dashboard").wait_for()
    look(page, "story-01-dashboard-new")
    nav = page.get_by_role("navigation", name="Main")

    # Link the sandbox bank: search, sign in, choose accounts.
    nav.get_by_role("link", name="Accounts & banks").click()
    heading(page, "Accounts & banks").wait_for()
    page.get_by_role("button", name="Link a bank").click()
    link = page.get_by_role("dialog", name="Select your bank")
    link.get_by_label("Search for your bank").fill("platyp")
    link.get_by_role("button", name=BANK).click()
    sign_in = page.get_by_role("dialog", name=f"Sign in to {BANK}")
    sign_in.get_by_label("Username").fill("user_good")
    sign_in.get_by_label("Password").fill("pass_good")
    sign_in.get_by_role("button", name="Sign in").click()
    page.get_by_role("dialog", name="Choose accounts").get_by_role(
        "button", name="Continue"
    ).click()
    page.get_by_role("dialog", name="Success").get_by_role("button", name="Continue").click()
    card = page.get_by_role("region", name=BANK)
    card.get_by_text("Connected").wait_for(timeout=30_000)
    look(page, "story-02-bank-linked")

    # Its transactions, from the first sync.
    nav.get_by_role("link", name="Transactions").click()
    heading(page, "Transactions").wait_for()
    page.get_by_text(re.compile(r"^[1-9][\d,]* transactions?$")).wait_for(timeout=30_000)
    look(page, "story-03-transactions")

    # A small grocery budget for this month.
    nav.get_by_role("link", name="Budgets").click()
    heading(page, "Budgets").wait_for()
    page.get_by_label("Budget for Groceries").fill("20")
    page.get_by_label("Budget for Groceries").press("Enter")
    page.get_by_role("progressbar", name="Groceries budget").wait_for()
    look(page, "story-04-budget-set")

    # Overspend it: a purchase recorded by hand in the bank's checking account.
    nav.get_by_role("link", name="Transactions").click()
    heading(page, "Transactions").wait_for()
    page.get_by_role("button", name="New transaction").click()
    form = page.get_by_role("form", name="New transaction")
    checking = form.get_by_label("Account").locator("option", has_text="Checking").first
    form.get_by_label("Account").select_option(value=checking.get_attribute("value"))
    form.get_by_label("Amount (USD)").fill("45")
    form.get_by_label("Description").fill("Farmers market")
    form.get_by_label("Category").select_option(label="Groceries")
    form.get_by_role("button", name="Record transaction").click()
    page.get_by_text("Recorded “Farmers market”.").wait_for()

    # The alert arrives live: the unread badge shows without a reload.
    badge = nav.locator(".badge")
    badge.wait_for(timeout=30_000)
    assert re.fullmatch(r"1\s*unread", badge.inner_text())
    look(page, "story-05-alert-arrived")

    nav.get_by_role("link", name="Notifications").click()
    heading(page, "Notifications").wait_for()
    alert = page.locator(".notification-unread")
    assert "Groceries" in alert.inner_text()
    look(page, "story-06-alert")
    alert.get_by_role("button", name=re.compile("^Mark read")).click()
    page.locator(".notification-read").wait_for()
    badge.wait_for(state="detached")
    look(page, "story-07-alert-read")

    # The budget shows the overspending.
    nav.get_by_role("link", name="Budgets").click()
    page.locator(".budget-over", has_text="Groceries").get_by_text(
        re.compile(r"^Overspent \$")
    ).wait_for()
    look(page, "story-08-budget-overspent")
