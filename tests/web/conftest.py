"""The browser and a fresh page (desktop size, Paris time, axe-core allowed in) for every
browser test; what they share otherwise is in browser.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browser import DESKTOP, SCREENSHOTS, chromium_path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = chromium_path()
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--headless", "--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    # axe-core is injected as a script: the app's CSP (script-src 'self') would refuse it.
    context = browser.new_context(
        base_url=live_server,
        viewport=DESKTOP,
        locale="en-US",
        timezone_id="Europe/Paris",
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    failures: list[str] = []
    opened.on("pageerror", lambda error: failures.append(str(error)))
    yield opened
    context.close()
    assert not failures, f"the page threw: {failures}"
