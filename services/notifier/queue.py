"""The notifier's queue: its actors consume it, and its services send to it (email delivery).

`api.QUEUE` exports it to other services and to whatever starts the workers. It lives in a
module of its own so that the service layer, below `api`, can name it too.
"""

QUEUE = "notifier"
