"""A local emulator of Plaid's API (2020-09-14), for development and tests; nothing of Tally.

`app` builds the Starlette app (and says what is emulated and how); `validation` checks each
request (JSON body, API keys, typed fields); `handlers/` holds the endpoints by area (link,
items, transactions, sandbox); `state` keeps Items, tokens and change logs in one SQLite file;
`changelog` is the per-Item log behind /transactions/sync and its cursors; `history` and
`merchants` generate the sandbox accounts and transactions; `render` shapes Plaid's JSON;
`webhooks` signs and sends webhooks; `errors` are Plaid's error objects; `link_ui` is a
look-alike of Plaid Link for browsers.
"""

from plaid_sandbox.app import create_emulator_app, run_standalone
from plaid_sandbox.webhooks import LOOPBACK_HOSTS

__all__ = ["LOOPBACK_HOSTS", "create_emulator_app", "run_standalone"]
