"""What the browser tests share: Debian's chromium (never a downloaded browser), a look at a
page (a screenshot under var/screenshots/ and an axe-core check), and seeded money. The
fixtures (`browser`, `page`) are in conftest.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.support.client import TallyClient

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "web" / "dist" / "index.html"
AXE = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "var" / "screenshots"
PASSWORD = "a long and unusual passphrase"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    reasons = []
    chromium = os.environ.get("TALLY_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        reasons.append("no chromium (apt-get install chromium)")
    if not BUILD.is_file():
        reasons.append("no build of the web app (make web)")
    if not AXE.is_file():
        reasons.append("no axe-core (npm ci in web/)")
    if reasons:
        message = "browser tests need " + ", ".join(reasons)
        if os.environ.get("TALLY_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (TALLY_REQUIRE_BROWSER=1)")
        pytest.skip(message + "; set TALLY_REQUIRE_BROWSER=1 to fail instead")
    assert chromium is not None
    return chromium


def look(page: Any, name: str) -> None:
    """Keep a screenshot of the page as it is, and check it with axe-core."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document)).violations.map((v) => ({
             id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }))"""
    )
    (SCREENSHOTS / f"{name}.axe.json").write_text(json.dumps(violations, indent=1))
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: axe-core found {json.dumps(serious, indent=1)}"


def heading(page: Any, name: str) -> Any:
    return page.get_by_role("heading", level=1, name=name)


def today_in(zone: str) -> dt.date:
    return dt.datetime.now(ZoneInfo(zone)).date()


def seed_money(api: TallyClient, months: set[str]) -> dict[str, str]:
    """An account, income, a grocery shop, a budget for each month, a goal with savings."""
    categories = {c["name"]: c["id"] for c in api("{ categories { id name } }")["categories"]}
    account = api(
        """mutation { createAccount(input: {name: "Everyday checking", type: CHECKING,
             currency: "USD", openingBalance: "2500.00"}) { account { id } } }"""
    )["createAccount"]["account"]["id"]
    today = today_in("Europe/Paris").isoformat()
    for amount, description, category in (
        ("3000.00", "Salary", "Income"),
        ("-123.45", "Whole Foods", "Groceries"),
    ):
        api(
            """mutation($input: CreateTransactionInput!) {
                 createTransaction(input: $input) { transaction { id } } }""",
            {
                "input": {
                    "accountId": account,
                    "date": today,
                    "amount": amount,
                    "description": description,
                    "categoryId": categories[category],
                }
            },
        )
    for month in months:
        api(
            """mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget { id } } }""",
            {"input": {"categoryId": categories["Groceries"], "month": month, "amount": "400.00"}},
        )
    goal = api(
        """mutation { createGoal(input: {name: "Emergency fund", targetAmount: "5000.00"}) {
             goal { id } } }"""
    )["createGoal"]["goal"]["id"]
    api(
        """mutation($input: ContributeToGoalInput!) {
             contributeToGoal(input: $input) { goal { id } } }""",
        {"input": {"goalId": goal, "amount": "1200.00"}},
    )
    return {"account": account, "groceries": categories["Groceries"]}
