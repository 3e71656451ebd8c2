"""The emulator's own endpoints (under /emulator/, not Plaid's API): test and benchmark helpers
that Plaid's sandbox has no equivalent of.

/emulator/transactions/generate adds many realistic posted transactions to an Item at once, so
a benchmark can build a 100,000-transaction Item in a few calls (Plaid's
/sandbox/transactions/create takes at most 10 per call, within the last 14 days).
"""

from __future__ import annotations

from datetime import timedelta

from plaid_sandbox import errors
from plaid_sandbox.changelog import append, new_transaction_id
from plaid_sandbox.handlers.context import Context, Outcome, item_for_token, webhooks_for
from plaid_sandbox.history import account_with_subtype, seeded_rng
from plaid_sandbox.merchants import EVERYDAY_PURCHASES, make_transaction
from plaid_sandbox.render import rfc3339
from plaid_sandbox.validation import Fields
from plaid_sandbox.webhooks import sync_updates_available

# One call holds the state's lock while it writes (about 2 s for the maximum); more
# transactions take more calls.
GENERATE_MAX = 100_000
GENERATE_MAX_DAYS = 730
GENERATE_DEFAULT_DAYS = 365


def transactions_generate(ctx: Context, req: Fields) -> Outcome:
    """`count` (1..100,000) posted purchases spread over the `days` (1..730, default 365)
    ending today, on the Item's credit card and checking accounts, deterministic for the Item
    and how many transactions it already had. Answers {added}; the webhook says
    SYNC_UPDATES_AVAILABLE."""
    req.require("access_token", "count")
    access_token = req.string("access_token")
    count = req.opt_int("count")
    if count is None or not 1 <= count <= GENERATE_MAX:
        raise errors.invalid_field(f"count must be between 1 and {GENERATE_MAX}")
    days = req.opt_int("days")
    days = GENERATE_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= GENERATE_MAX_DAYS:
        raise errors.invalid_field(f"days must be between 1 and {GENERATE_MAX_DAYS}")
    now = ctx.clock()
    first_day = now.date() - timedelta(days=days - 1)
    with ctx.store.write() as session:
        item = item_for_token(session, access_token)
        rng = seeded_rng("generate", item["item_id"], str(item["next_seq"]))
        card = account_with_subtype(item["accounts"], "credit card")["account_id"]
        checking = account_with_subtype(item["accounts"], "checking")["account_id"]
        for n in range(count):
            merchant, low, high = rng.choice(EVERYDAY_PURCHASES)
            day = first_day + timedelta(days=n * days // count)
            txn = make_transaction(
                transaction_id=new_transaction_id(item),
                account_id=checking if n % 4 == 3 else card,
                merchant=merchant,
                amount_cents=rng.randrange(low, high + 1),
                posted=day,
                authorized=day,
            )
            append(session, item, "added", txn)
        item["last_successful_update"] = rfc3339(now)
        return Outcome(
            {"added": count}, webhooks_for(item, sync_updates_available(item["item_id"]), now)
        )
