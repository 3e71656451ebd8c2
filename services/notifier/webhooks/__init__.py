"""Outgoing webhooks: URLs a user's notifications are POSTed to, signed, with a delivery log.

- service.py     creating (the signing secret shown once, stored encrypted), changing,
                 re-enabling, deleting and listing webhooks with their recent attempts; the
                 record of an attempt, and switching a webhook off after repeated failures
- signing.py     the Tally-Signature header (HMAC-SHA256 of "<unix time>.<body>")
- sender.py      send_webhook, the WEBHOOK channel's Sender
- repository.py  the webhooks and their delivery log, by user
"""
