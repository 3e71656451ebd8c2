"""Goals, reports, alert rules and settings in a real browser (Debian's chromium, driven by
Playwright), against the whole embedded deployment, with money seeded through the API: a person
makes a goal and saves toward it, reads their reports and changes how they are cut, sets up an
alert, changes their base currency, downloads their data, and deletes their account.

Every page is saved as a screenshot under var/screenshots/ at a desktop's and a phone's width,
and checked by axe-core: no serious or critical violation may remain.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.support.client import GraphQLError, TallyClient
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

ZONE = "Europe/Paris"


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 10)


def _seed_history(api: TallyClient, ids: dict[str, str]) -> None:
    """Two earlier months of spending in several categories, payees and a tag, and a euro
    account without a rate into dollars (left out of reports, and said so)."""
    categories = {c["name"]: c["id"] for c in api("{ categories { id name } }")["categories"]}
    holiday = api('mutation { createTag(input: {name: "holiday"}) { tag { id } } }')["createTag"][
        "tag"
    ]["id"]
    today = today_in(ZONE)
    add = """mutation($input: CreateTransactionInput!) {
               createTransaction(input: $input) { transaction { id } } }"""
    for months in (1, 2):
        day = _months_back(today, months).isoformat()
        for amount, description, category, tags in (
            ("3000.00", "Salary", "Income", []),
            ("-1200.00", "Landlord", "Rent", []),
            ("-86.40", "Corner bistro", "Dining", [holiday]),
            ("-42.00", "Metro pass", "Transport", []),
            ("-210.15", "Whole Foods", "Groceries", []),
        ):
            api(
                add,
                {
                    "input": {
                        "accountId": ids["account"],
                        "date": day,
                        "amount": amount,
                        "description": description,
                        "categoryId": categories[category],
                        "tagIds": tags,
                    }
                },
            )
    euros = api(
        """mutation { createAccount(input: {name: "Euro wallet", type: CASH, currency: "EUR",
             openingBalance: "300.00"}) { account { id } } }"""
    )["createAccount"]["account"]["id"]
    api(
        add,
        {
            "input": {
                "accountId": euros,
                "date": today.isoformat(),
                "amount": "-50.00",
                "description": "Boulangerie",
                "categoryId": categories["Dining"],
            }
        },
    )


def _log_in(page: Any, email: str) -> None:
    page.goto("/login")
    heading(page, "Log in").wait_for()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    heading(page, "Dashboard").wait_for()


def _on_a_phone(page: Any, name: str) -> None:
    """The page at a phone's width: the whole of it, and the first screenful as a person sees it."""
    page.set_viewport_size(PHONE)
    look(page, name)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-screen.png"))
    page.set_viewport_size(DESKTOP)


def _query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_goals_reports_alert_rules_and_settings(page: Any, live_server: str) -> None:
    email = f"pages-{uuid.uuid4().hex[:8]}@example.com"
    api = TallyClient(live_server)
    try:
        api.token = api(
            """mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }""",
            {"input": {"email": email, "password": PASSWORD, "timeZone": ZONE}},
        )["signUp"]["accessToken"]
        ids = seed_money(api, {today_in(ZONE).strftime("%Y-%m")})
        _seed_history(api, ids)
        _log_in(page, email)
        nav = page.get_by_role("navigation", name="Main")

        _goals(page, nav, api)
        _reports(page, nav)
        _alert_rules(page, nav, api)
        _settings(page, nav, api, email)
    finally:
        api.close()


def _goals(page: Any, nav: Any, api: TallyClient) -> None:
    nav.get_by_role("link", name="Goals").click()
    heading(page, "Goals").wait_for()
    emergency = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Emergency fund")
    )
    assert emergency.get_by_text("$1,200.00 of $5,000.00").is_visible()
    assert emergency.get_by_text("No target date").is_visible()

    page.get_by_role("button", name="New goal").click()
    page.get_by_label("Name").fill("New bike")
    page.get_by_label("Target amount").fill("800")
    target = date(today_in(ZONE).year + 1, 6, 30)
    page.get_by_label("Target date (optional)").fill(target.isoformat())
    look(page, "40-goals-new")
    page.get_by_role("button", name="Create goal").click()
    page.get_by_role("status").get_by_text("Goal “New bike” created.").wait_for()
    bike = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="New bike"))
    assert bike.get_by_text("Behind").is_visible()  # a date to meet, and nothing saved yet

    bike.get_by_role("button", name="Contribute to New bike").click()
    bike.get_by_label("Amount (USD)").fill("200")
    bike.get_by_role("button", name="Add contribution").click()
    bike.get_by_text("$200.00 of $800.00").wait_for()
    assert bike.get_by_role("progressbar").get_attribute("aria-valuenow") == "25"
    look(page, "41-goals")
    _on_a_phone(page, "42-goals-phone")

    goals = api(
        "{ goals { name savedAmount { amount } targetDate monthlyAmountNeeded { amount } } }"
    )
    [made] = [goal for goal in goals["goals"] if goal["name"] == "New bike"]
    assert made["savedAmount"]["amount"] == "200.00"
    assert made["targetDate"] == target.isoformat()
    assert bike.get_by_text(_dollars(made["monthlyAmountNeeded"]["amount"])).is_visible()


def _dollars(amount: str) -> str:
    whole, _, cents = amount.partition(".")
    return f"${int(whole):,}.{cents}"


def _reports(page: Any, nav: Any) -> None:
    nav.get_by_role("link", name="Reports").click()
    heading(page, "Reports").wait_for()
    page.get_by_role("heading", name="Spending by category").wait_for()
    page.locator(".recharts-surface").first.wait_for()
    # What waits for a rate is said, not silently dropped.
    assert page.get_by_text(re.compile(r"1 transaction in EUR \(€50\.00 out\)")).is_visible()
    totals = page.get_by_role("region", name="Every category over the range")
    assert totals.get_by_role("row", name=re.compile(r"^Rent 2 \$2,400\.00")).is_visible()
    look(page, "43-reports-category")

    page.get_by_label("Grouped by").select_option("WEEK")
    page.wait_for_url(re.compile(r"interval=WEEK"))
    assert _query(page)["report"] == ["category"]
    # The chart's figures are in a table for screen readers, period by period.
    hidden = page.locator(".visually-hidden table").filter(has_text="Spending by category, by week")
    hidden.get_by_role("rowheader", name=re.compile(r"^Week of ")).first.wait_for(state="attached")

    # The view switch works from the keyboard.
    page.get_by_role("button", name="Table").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Table").get_attribute("aria-pressed") == "true"
    table = page.get_by_role("region", name="Spending by category, by week")
    assert table.get_by_role("columnheader", name="Rent").is_visible()
    look(page, "44-reports-weeks-table")
    _on_a_phone(page, "45-reports-weeks-table-phone")
    page.get_by_role("button", name="Chart").click()

    page.get_by_role("link", name="By payee").click()
    page.get_by_role("heading", name="Spending by payee").wait_for()
    payees = page.get_by_role("region", name="Spending by payee, largest first")
    assert payees.get_by_role("row", name=re.compile(r"^Landlord 2 \$2,400\.00")).is_visible()
    assert _query(page)["interval"] == ["WEEK"]  # the other choices stay
    look(page, "46-reports-payee")

    page.get_by_role("link", name="By tag").click()
    page.get_by_role("heading", name="Spending by tag").wait_for()
    tags = page.get_by_role("region", name="Spending by tag, largest first")
    assert tags.get_by_role("row", name=re.compile(r"^holiday 2 \$172\.80")).is_visible()

    page.get_by_role("link", name="Cash flow").click()
    page.get_by_role("heading", name="Cash flow by month").wait_for()
    page.locator(".recharts-surface").first.wait_for()
    look(page, "47-reports-cash-flow")
    _on_a_phone(page, "48-reports-cash-flow-phone")

    page.get_by_role("link", name="Net worth").click()
    page.get_by_role("heading", name="Net worth over time").wait_for()
    page.locator(".recharts-surface").first.wait_for()
    assert page.get_by_text(re.compile(r"balances of €250\.00")).is_visible()
    look(page, "49-reports-net-worth")

    page.get_by_label("Range").select_option("last-year")
    page.wait_for_url(re.compile(r"from=\d{4}-01-01"))
    page.get_by_role("heading", name="Net worth over time").wait_for()


def _alert_rules(page: Any, nav: Any, api: TallyClient) -> None:
    nav.get_by_role("link", name="Alert rules").click()
    heading(page, "Alert rules").wait_for()
    overspent = page.get_by_role("switch", name=re.compile("^Budget overspent"))
    assert overspent.get_attribute("aria-checked") == "true"

    page.get_by_role("button", name="New alert").click()
    page.get_by_label("Alert me about").select_option("LARGE_TRANSACTION")
    page.get_by_label("Threshold").fill("250")
    page.get_by_label("Category").select_option(label="Food · Groceries")
    look(page, "50-alert-rules-new")
    page.get_by_role("button", name="Create alert").click()
    page.get_by_role("status").get_by_text("Large transaction alert created.").wait_for()
    page.get_by_text("When money out in Groceries reaches $250.00.").wait_for()
    large = page.get_by_role("switch", name=re.compile("^Large transaction"))

    large.click()
    page.get_by_role("status").get_by_text("Large transaction alert off.").wait_for()
    assert large.get_attribute("aria-checked") == "false"
    page.get_by_role("button", name=re.compile("^Edit: When money out")).click()
    page.get_by_label("Threshold").fill("300")
    page.get_by_label("Category").select_option(label="Every category")
    page.get_by_role("button", name="Save alert").click()
    page.get_by_text("When money out reaches $300.00.").wait_for()
    look(page, "51-alert-rules")
    _on_a_phone(page, "52-alert-rules-phone")

    rules = api("{ alertRules { kind enabled threshold { amount } categoryId } }")["alertRules"]
    assert rules[1] == {
        "kind": "LARGE_TRANSACTION",
        "enabled": False,
        "threshold": {"amount": "300.00"},
        "categoryId": None,
    }

    page.get_by_role("button", name="Delete: When money out reaches $300.00.").click()
    page.get_by_role("button", name="Delete alert").click()
    page.get_by_role("status").get_by_text("Large transaction alert deleted.").wait_for()
    assert [r["kind"] for r in api("{ alertRules { kind } }")["alertRules"]] == ["BUDGET_OVERSPENT"]
    _alert_kinds(page, api)


def _alert_kinds(page: Any, api: TallyClient) -> None:
    """Rules of the other kinds: their own parameters, the channels chosen, a snooze."""
    page.get_by_role("button", name="New alert").click()
    page.get_by_label("Alert me about").select_option("BUDGET_THRESHOLD")
    page.get_by_label("Percents").fill("50, 90")
    page.get_by_label("Category").select_option(label="Food · Groceries")
    page.get_by_role("checkbox", name="Email").uncheck()
    page.get_by_role("checkbox", name="Push").check()
    look(page, "53-alert-rules-threshold-new")
    page.get_by_role("button", name="Create alert").click()
    page.get_by_text("When 50% and 90% of the Groceries budget is spent.").wait_for()

    page.get_by_role("button", name="New alert").click()
    page.get_by_label("Alert me about").select_option("BILL_DUE")
    page.get_by_label("Days ahead").fill("5")
    page.get_by_role("button", name="Create alert").click()
    page.get_by_text("5 days before a bill is due.").wait_for()

    page.get_by_role("button", name="Snooze the Budget overspent alert").click()
    page.get_by_role("status").get_by_text(
        re.compile("^Budget overspent alert snoozed until")
    ).wait_for()
    page.get_by_text(re.compile("^Snoozed until")).wait_for()
    look(page, "54-alert-rules-kinds")
    _on_a_phone(page, "55-alert-rules-kinds-phone")

    rules = api("{ alertRules { kind percents daysAhead channels categoryId snoozedUntil } }")[
        "alertRules"
    ]
    by_kind = {rule["kind"]: rule for rule in rules}
    assert by_kind["BUDGET_THRESHOLD"]["percents"] == [50, 90]
    assert by_kind["BUDGET_THRESHOLD"]["channels"] == ["IN_APP", "PUSH"]
    assert by_kind["BUDGET_THRESHOLD"]["categoryId"] is not None
    assert by_kind["BILL_DUE"]["daysAhead"] == 5
    assert by_kind["BUDGET_OVERSPENT"]["snoozedUntil"] is not None


def _settings(page: Any, nav: Any, api: TallyClient, email: str) -> None:
    nav.get_by_role("link", name="Settings").click()
    heading(page, "Settings").wait_for()
    page.get_by_label("Base currency").select_option("EUR")
    page.get_by_role("button", name="Save base currency").click()
    page.get_by_text(re.compile(r"^Base currency saved: EUR\.")).wait_for()
    assert api("{ ledgerSettings { baseCurrency } }")["ledgerSettings"]["baseCurrency"] == "EUR"

    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    saved = Path(download.value.path())
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert download.value.suggested_filename.startswith("tally-export-")
    assert document["user"]["email"] == email
    assert {goal["name"] for goal in document["goals"]} == {"Emergency fund", "New bike"}
    page.get_by_text(re.compile(r"^Downloaded tally-export-")).wait_for()
    look(page, "53-settings")

    # Deleting asks for the password and the word typed; a wrong password changes nothing.
    page.get_by_label("Your password").fill("not my password at all")
    page.get_by_label("Type DELETE to confirm").fill("DELETE")
    page.get_by_role("button", name="Delete my account").click()
    page.locator(".danger-zone .field-invalid .field-error").wait_for()
    look(page, "54-settings-delete-refused")
    _on_a_phone(page, "55-settings-phone")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    heading(page, "Log in").wait_for()
    page.get_by_text(re.compile("^Your Tally account and all its data are deleted")).wait_for()
    assert page.evaluate("() => window.localStorage.length") == 0
    look(page, "56-account-deleted")
    with pytest.raises(GraphQLError):
        api(
            """mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }""",
            {"input": {"email": email, "password": PASSWORD}},
        )
