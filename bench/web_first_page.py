"""How fast the web app's first page is on this machine, in a real browser.

    make web && python -m bench.web_first_page [--runs 7]

Starts `tally serve` on its embedded defaults (SQLite in a temporary directory, in-process
jobs, the local Plaid emulator) and drives Debian's chromium (headless, through Playwright,
never a downloaded browser) with a cold cache for each run:

- the log-in page: when it is interactive (the navigation's domInteractive), when its form is
  on screen and usable (the heading visible, the email field enabled), and the JavaScript it
  transferred;
- signing up through the form until the dashboard's heading shows;
- reloading the signed-in dashboard until its heading and its first figures show.

Prints one JSON document of medians and minimums (milliseconds, bytes); nothing here is a
test, and the 300 kB budget of the first page's JavaScript is `make web`'s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.http import _free_port, _running

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long and unusual passphrase"

NAVIGATION = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {dom_interactive_ms: n.domInteractive, dom_content_loaded_ms: n.domContentLoadedEventEnd,
          load_ms: n.loadEventEnd}; }"""
SCRIPT_BYTES = """() => performance.getEntriesByType('resource')
  .filter((r) => r.name.endsWith('.js')).reduce((sum, r) => sum + r.transferSize, 0)"""


def _summary(samples: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(samples), 1), "min": round(min(samples), 1)}


def measure(url: str, chromium: str, runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    found: dict[str, list[float]] = {}

    def keep(name: str, value: float) -> None:
        found.setdefault(name, []).append(value)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--headless", "--no-sandbox"]
        )
        try:
            for _ in range(runs):
                context = browser.new_context(base_url=url, locale="en-US")  # a cold cache
                page = context.new_page()
                began = time.perf_counter()
                page.goto("/login")
                page.get_by_role("heading", level=1, name="Log in").wait_for()
                page.get_by_label("Email").wait_for(state="visible")
                assert page.get_by_label("Email").is_enabled()
                keep("log_in_form_usable_ms", (time.perf_counter() - began) * 1000)
                for name, value in page.evaluate(NAVIGATION).items():
                    keep(f"log_in_{name}", value)
                keep("log_in_javascript_bytes", page.evaluate(SCRIPT_BYTES))

                page.get_by_role("link", name="Create an account").click()
                page.get_by_label("Email").fill(f"bench-{uuid.uuid4().hex[:8]}@example.com")
                page.get_by_label("Password").fill(PASSWORD)
                began = time.perf_counter()
                page.get_by_role("button", name="Create account").click()
                page.get_by_role("heading", level=1, name="Dashboard").wait_for()
                keep("sign_up_to_dashboard_ms", (time.perf_counter() - began) * 1000)

                began = time.perf_counter()
                page.reload()
                page.get_by_role("heading", level=1, name="Dashboard").wait_for()
                keep("dashboard_reload_heading_ms", (time.perf_counter() - began) * 1000)
                page.locator("#net-worth-heading + .figure").wait_for()
                keep("dashboard_reload_figures_ms", (time.perf_counter() - began) * 1000)
                context.close()
        finally:
            browser.close()
    return {name: _summary(samples) for name, samples in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    chromium = os.environ.get("TALLY_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        raise SystemExit("bench.web_first_page: needs chromium (apt-get install chromium)")
    if not (ROOT / "web" / "dist" / "index.html").is_file():
        raise SystemExit("bench.web_first_page: needs a build of the web app (make web)")
    with tempfile.TemporaryDirectory() as var:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        # The embedded defaults: the database in TALLY_VAR_DIR, no Redis.
        env = {**os.environ, "TALLY_VAR_DIR": var, "TALLY_LOG_LEVEL": "WARNING"}
        for name in ("TALLY_DATABASE_URL", "TALLY_REDIS_URL"):
            env.pop(name, None)
        command = [str(Path(sys.executable).parent / "tally"), "serve", "--port", str(port)]
        with _running(command, env, url):
            report = {"runs": arguments.runs, "measures": measure(url, chromium, arguments.runs)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
