"""Evaluation: turning the ledger's "transactions changed" announcement into notifications.

One module per alert kind, each finding the alerts its enabled rules call for; the service
stores what is new, once (a dedupe key per user), and hands it to delivery.

- service.py            evaluate an announcement: every kind's alerts, stored, then delivered
- budget_overspent.py   BUDGET_OVERSPENT: a category's month spent beyond its budget
- large_transaction.py  LARGE_TRANSACTION: money out at or above a threshold
- announcement.py       the announcement, parsed and checked
- alert.py              what a kind's evaluator returns: rule, dedupe key, wording
- wording.py            what notifications say (titles and bodies, exact money)
- repository.py         storing a notification unless its dedupe key is taken

To add a kind: a member of rules.service.AlertKind (with what its rules take), a module
here, its text in wording.py, and its line in service.py's EVALUATORS.
"""
