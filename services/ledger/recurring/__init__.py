"""Recurring transactions: series detected in a user's history (same payee, similar amounts,
a regular interval), the user's verdict on each, and the bills they expect next.

    keys.py        THE one place that says which transactions form a series (today the
                   normalised description; the payee when payees land)
    schedule.py    intervals and their calendar arithmetic (month-end aware)
    detection.py   the rules, applied in one pass over a stream of the history
    service.py     detecting and storing, confirming, dismissing, correcting, deleting, the
                   list, upcoming bills, and the series of given transactions
    repository.py  their queries, each scoped by the owning user

Detection runs on demand (the `detectRecurring` mutation, or `api.detect_recurring`); a
periodic re-detection would hook into the scheduler (tally/scheduler.py) through that api
function. It does not run after bank ingest: it reads up to 18 months of a user's history,
too much for a sync's write transaction.
"""
