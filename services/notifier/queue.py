"""The notifier's queue and the names of the actors on it: its actors consume it, its services
send to it (email delivery), and `api` subscribes one of them to the ledger's announcement.

`api.QUEUE` and `api.SUBSCRIPTIONS` export them to whatever starts the workers. They live in a
module of their own so that the service layer, below `api`, can name them too.
"""

QUEUE = "notifier"
TRANSACTIONS_CHANGED_ACTOR = "on_transactions_changed"
# The sync service's "a bank connection needs attention", subscribed by the composition root
# (the notifier may not name the sync service's event).
BANK_CONNECTION_ACTOR = "on_bank_connection_needs_attention"
# One user's rules of the kinds a clock drives, queued by the scheduler's pass.
SCHEDULED_ALERTS_ACTOR = "evaluate_scheduled_alerts"
