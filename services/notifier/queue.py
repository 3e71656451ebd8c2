"""The notifier's queue and the names of the actors on it: its actors consume it, its services
send to it (email delivery), and `api` subscribes one of them to the ledger's announcement.

`api.QUEUE` and `api.SUBSCRIPTIONS` export them to whatever starts the workers. They live in a
module of their own so that the service layer, below `api`, can name them too.
"""

QUEUE = "notifier"
TRANSACTIONS_CHANGED_ACTOR = "on_transactions_changed"
