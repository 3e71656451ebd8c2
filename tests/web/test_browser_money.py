"""The money pages in a real browser (Debian's chromium through Playwright), against the whole
embedded deployment: someone with three months of history searches and filters their
transactions, edits one in place, splits one, recategorises many at once, records one by hand,
then sets budgets and watches their progress in both budgeting styles, on a desktop and on a
phone's screen.

Every state looked at is kept under var/screenshots/money-*.png and checked by axe-core. Without
chromium or a build (`make web`) these tests skip, saying why; TALLY_REQUIRE_BROWSER=1 fails them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from tests.support.client import TallyClient
from tests.web.browser import DESKTOP, PASSWORD, PHONE, heading, look
from tests.web.money_history import ZONE, seed_history

TRANSACTIONS = """query($filter: TransactionFilter) {
  transactions(filter: $filter, first: 100) { totalCount edges { node {
    description reviewed notes category { name } tags { name }
    splits { amount { amount } category { name } } } } } }"""


@pytest.fixture
def someone(live_server: str) -> Iterator[tuple[TallyClient, dict[str, Any], str]]:
    """A person with three months of history, signed up through the API."""
    email = f"money-{uuid.uuid4().hex[:8]}@example.com"
    api = TallyClient(live_server)
    try:
        api(
            """mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }""",
            {"input": {"email": email, "password": PASSWORD, "timeZone": ZONE}},
        )
        login = api(
            """mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }""",
            {"input": {"email": email, "password": PASSWORD}},
        )
        api.token = login["logIn"]["accessToken"]
        yield api, seed_history(api), email
    finally:
        api.close()


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    heading(page, "Dashboard").wait_for()


def transactions(api: TallyClient, **filter: Any) -> dict[str, Any]:
    found: dict[str, Any] = api(TRANSACTIONS, {"filter": filter or None})["transactions"]
    return found


def usd(amount: str) -> str:
    """An amount as en-US shows it in dollars: "-1234.5" → "-$1,234.50"."""
    value = Decimal(amount)
    return f"{'-' if value < 0 else ''}${abs(value):,.2f}"


def wait_count(page: Any, expected: str) -> None:
    page.locator(".tx-count", has_text=re.compile(f"^{re.escape(expected)}$")).wait_for()


def answered(page: Any, operation: str) -> Any:
    """Wait, around an action, for the API's answer to the operation it sends."""
    return page.expect_response(
        lambda response: (
            response.url.endswith("/graphql")
            and response.request.method == "POST"
            and f'"{operation}' in (response.request.post_data or "")
        )
    )


def row(page: Any, description: str) -> Any:
    return page.locator(".tx-row", has=page.get_by_text(description, exact=True)).first


def test_searching_editing_splitting_and_bulk_editing_transactions(
    page: Any, someone: tuple[TallyClient, dict[str, Any], str]
) -> None:
    api, ids, email = someone
    log_in(page, email)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Transactions").click()
    heading(page, "Transactions").wait_for()
    wait_count(page, "62 transactions")
    rows = page.locator(".tx-row")
    assert rows.count() == 50  # the first page
    look(page, "money-01-transactions")

    # Scrolling to the end reads the next page.
    page.get_by_role("button", name="Load more transactions").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('.tx-row').length === 62")
    assert not page.get_by_role("button", name="Load more transactions").is_visible()

    # Text search: the address holds it, so a reload (or a shared link) finds the same.
    page.get_by_label("Search transactions").fill("coffee")
    wait_count(page, "6 transactions match")
    assert "q=coffee" in page.url
    page.reload()
    wait_count(page, "6 transactions match")
    assert page.get_by_label("Search transactions").input_value() == "coffee"
    look(page, "money-02-search")

    # Conditions: a category and an amount range, shown as chips that take them off.
    page.get_by_label("Search transactions").fill("")
    wait_count(page, "62 transactions")
    page.get_by_role("button", name="Filters").click()
    page.get_by_label("Category", exact=True).select_option(label="Dining")
    wait_count(page, "12 transactions match")
    page.get_by_label("At least").fill("5")
    page.get_by_label("At least").press("Enter")
    wait_count(page, "9 transactions match")
    assert re.search(r"category=[^&]+", page.url) and "min=5" in page.url
    assert page.get_by_role("list", name="Filters in use").inner_text().count("\n") >= 1
    look(page, "money-03-filtered")
    page.get_by_role("button", name="Remove filter At least 5").click()
    wait_count(page, "12 transactions match")

    # Uncategorized ones, recategorised all at once.
    page.get_by_label("Category", exact=True).select_option(label="Uncategorized only")
    wait_count(page, "9 transactions match")
    page.get_by_label("Select all shown").check()
    bulk = page.get_by_role("region", name="9 transactions chosen")
    bulk.get_by_label("Category").select_option(label="Shopping")
    look(page, "money-04-bulk-chosen")
    bulk.get_by_role("button", name="Recategorise").click()
    page.get_by_text("No transactions match this search.").wait_for()
    page.get_by_role("status").filter(has_text="Moved to Shopping: 9 transactions").wait_for()
    assert transactions(api, uncategorized=True)["totalCount"] == 0
    assert transactions(api, categoryId=ids["categories"]["Shopping"])["totalCount"] == 9
    look(page, "money-05-bulk-done")
    page.get_by_role("button", name="Clear filters").click()
    wait_count(page, "62 transactions")

    # In place: a category, at once, and kept by the server.
    whole_foods = row(page, "Whole Foods")
    with answered(page, "mutation useEditTransactionMutation"):
        whole_foods.get_by_label(re.compile("^Category of Whole Foods")).select_option(
            label="Dining"
        )
    [edge] = transactions(api, search="Whole Foods")["edges"]
    assert edge["node"]["category"]["name"] == "Dining"

    # Details: a tag, and notes the server refuses (too long), its reason beside the field.
    whole_foods.get_by_role("button", name=re.compile("^Details of Whole Foods")).click()
    details = whole_foods.locator(".tx-details")
    with answered(page, "mutation useEditTransactionMutation"):
        details.get_by_label("vacation").check()
    details.get_by_label("Notes").fill("x" * 2001)
    details.get_by_label("Notes").press("Enter")
    notes_error = details.locator(".field-invalid .field-error")
    notes_error.wait_for()
    assert "2000" in notes_error.inner_text()
    assert details.get_by_label("Notes").get_attribute("aria-invalid") == "true"
    look(page, "money-06-inline-error")
    details.get_by_label("Notes").fill("Birthday dinner shopping")
    with answered(page, "mutation useEditTransactionMutation"):
        details.get_by_label("Notes").press("Enter")
    notes_error.wait_for(state="detached")
    [edge] = transactions(api, search="Whole Foods")["edges"]
    assert edge["node"]["notes"] == "Birthday dinner shopping"
    assert [tag["name"] for tag in edge["node"]["tags"]] == ["vacation"]

    # A split: what is left shows as the parts are typed; uneven parts are refused.
    costco = row(page, "Costco")
    costco.get_by_role("button", name=re.compile("^Details of Costco")).click()
    costco.get_by_role("button", name="Split").click()
    split = costco.get_by_role("form", name="Split Costco")
    split.get_by_label("Part 1 amount").fill("100")
    split.get_by_text("Left to split: $52.36").wait_for()
    split.get_by_label("Part 1 category").select_option(label="Groceries")
    split.get_by_label("Part 2 amount").fill("50")
    split.get_by_text("Left to split: $2.36").wait_for()
    split.get_by_role("button", name="Save parts").click()
    split.get_by_role("alert").filter(has_text="must add up to $152.36").wait_for()
    look(page, "money-07-split-uneven")
    split.get_by_label("Part 2 amount").fill("52.36")
    split.get_by_text("The parts add up exactly.").wait_for()
    split.get_by_label("Part 2 category").select_option(label="Shopping")
    split.get_by_role("button", name="Save parts").click()
    costco.get_by_text("Split in 2 parts").wait_for()
    look(page, "money-08-split")
    split_costco = next(
        edge["node"]
        for edge in transactions(api, search="Costco")["edges"]
        if edge["node"]["splits"]
    )
    assert [(s["amount"]["amount"], s["category"]["name"]) for s in split_costco["splits"]] == [
        ("-100.00", "Groceries"),
        ("-52.36", "Shopping"),
    ]

    # Reviewed, unticked in place, and found by the filter language.
    taxi = row(page, "Taxi")
    with answered(page, "mutation useEditTransactionMutation"):
        taxi.get_by_label(re.compile("^Reviewed: Taxi")).uncheck()
    assert transactions(api, reviewed=False)["totalCount"] == 1
    assert page.get_by_role("button", name="Filters").get_attribute("aria-expanded") == "true"
    page.get_by_label("Reviewed", exact=True).select_option(label="Not reviewed yet")
    wait_count(page, "1 transaction match")
    page.get_by_label("Select all shown").check()
    page.get_by_role("button", name="Mark reviewed").click()
    page.get_by_text("No transactions match this search.").wait_for()
    assert transactions(api, reviewed=False)["totalCount"] == 0
    page.get_by_role("button", name="Clear filters").click()
    wait_count(page, "62 transactions")

    # From the keyboard: Details opens with Enter, and Tab goes on into what it opened.
    bakery = row(page, "Bakery").get_by_role("button", name=re.compile("^Details of Bakery"))
    bakery.focus()
    page.keyboard.press("Enter")
    assert bakery.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.labels[0].textContent") == "Payee"

    # Recorded by hand: it joins the list, and the count.
    page.get_by_role("button", name="New transaction").click()
    form = page.get_by_role("form", name="New transaction")
    form.get_by_label("Amount (USD)").fill("45")
    form.get_by_label("Description").fill("Farmers market")
    form.get_by_label("Category").select_option(label="Groceries")
    look(page, "money-09-new-transaction")
    form.get_by_role("button", name="Record transaction").click()
    page.get_by_text("Recorded “Farmers market”.").wait_for()
    wait_count(page, "63 transactions")
    assert row(page, "Farmers market").is_visible()
    [edge] = transactions(api, search="Farmers market")["edges"]
    assert edge["node"]["category"]["name"] == "Groceries"

    # On a phone's screen: rows stack, details and the split form fit.
    page.set_viewport_size(PHONE)
    page.evaluate("() => window.scrollTo(0, 0)")
    look(page, "money-10-phone-transactions")
    row(page, "Costco").get_by_role("button", name=re.compile("^Details of Costco")).click()
    row(page, "Costco").get_by_role("button", name="Change parts").click()
    row(page, "Costco").get_by_role("form", name="Split Costco").scroll_into_view_if_needed()
    look(page, "money-11-phone-split")
    page.set_viewport_size(DESKTOP)


def test_budgets_in_both_styles(
    page: Any, someone: tuple[TallyClient, dict[str, Any], str]
) -> None:
    from playwright.sync_api import expect

    api, ids, email = someone
    log_in(page, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Budgets").click()
    heading(page, "Budgets").wait_for()
    groceries = page.get_by_role("progressbar", name="Groceries budget")
    groceries.wait_for()
    # Whole Foods 123.45, Trader Joe's 64.20, Bakery 7.40 of 400.00.
    assert groceries.get_attribute("aria-valuetext") == "$195.05 spent of $400.00, $204.95 left"
    assert groceries.get_attribute("aria-valuenow") == "49"
    look(page, "money-20-budgets-limits")

    # A budget set in place: its progress shows.
    page.get_by_label("Budget for Dining").fill("50")
    page.get_by_label("Budget for Dining").press("Enter")
    dining = page.get_by_role("progressbar", name="Dining budget")
    dining.wait_for()
    assert dining.get_attribute("aria-valuetext") == "$59.80 spent of $50.00, $9.80 overspent"
    page.locator(".budget-over", has_text="Dining").get_by_text("Overspent $9.80").wait_for()
    # A refusal shows beside the field.
    page.get_by_label("Budget for Rent").fill("twelve")
    page.get_by_label("Budget for Rent").press("Enter")
    page.get_by_text("Enter an amount in digits, like 12.50.").wait_for()
    page.get_by_label("Budget for Rent").fill("1200")
    page.get_by_label("Budget for Rent").press("Enter")
    page.get_by_role("progressbar", name="Rent budget").wait_for()
    look(page, "money-21-budget-set")

    # Rollover: what is left of November carries into December.
    with answered(page, "query BudgetsPageQuery"):
        page.locator(".budget-line", has_text="Groceries").get_by_label("Roll over").check()
    page.get_by_role("link", name=re.compile("^Next month")).click()
    page.get_by_text("Nothing is budgeted for").wait_for()
    page.locator(".budget-line", has_text="Groceries").get_by_text("+$204.95").wait_for()
    look(page, "money-22-next-month")

    # The month before's budgets, copied in.
    page.get_by_role("button", name=re.compile(r"^Copy .+ budgets$")).click()
    page.get_by_text("Copied 3 budgets from").wait_for()
    expect(page.get_by_label("Budget for Dining")).to_have_value("50.00")
    page.get_by_role("link", name="Back to this month").click()
    page.get_by_label("Budget for Dining").wait_for()

    # Envelope: ready to assign, assigning, moving money, overspending shown as such.
    page.get_by_label(re.compile("^Envelope")).check()
    page.get_by_role("heading", name="Ready to assign").wait_for()
    ready = api(
        """query($month: Month!) { budgetMonth(month: $month) {
             readyToAssign { amount { amount } } } }""",
        {"month": ids["month"]},
    )["budgetMonth"]["readyToAssign"]["amount"]["amount"]
    assert page.locator(".ready .figure").inner_text() == usd(ready)
    page.get_by_label("Assigned to Utilities").fill("100")
    page.get_by_label("Assigned to Utilities").press("Enter")
    page.locator(".budget-over", has_text="Utilities").get_by_text("Overspent $23.30").wait_for()
    look(page, "money-23-envelope")

    move = page.get_by_role("region", name="Move money")
    move.get_by_label("From").select_option(value=ids["categories"]["Groceries"])
    move.get_by_label("To").select_option(value=ids["categories"]["Utilities"])
    move.get_by_label("Amount (USD)").fill("30")
    move.get_by_role("button", name="Move money").click()
    move.get_by_text("Moved $30.00 from Groceries to Utilities.").wait_for()
    page.locator(".budget-line", has_text="Utilities").get_by_text("$6.70").wait_for()
    expect(page.get_by_label("Assigned to Groceries")).to_have_value("370.00")
    look(page, "money-24-envelope-moved")

    page.set_viewport_size(PHONE)
    page.evaluate("() => window.scrollTo(0, 0)")
    look(page, "money-25-phone-envelope")
    page.set_viewport_size(DESKTOP)

    # Back to limits: every amount as it was set.
    page.get_by_label(re.compile("^Limits")).check()
    page.get_by_role("heading", name="Ready to assign").wait_for(state="detached")
    settings = api("{ ledgerSettings { budgetStyle } }")["ledgerSettings"]
    assert settings["budgetStyle"] == "LIMITS"
    expect(page.get_by_label("Budget for Groceries")).to_have_value("370.00")
