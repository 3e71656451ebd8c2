"""The notifier: alert rules, evaluated when the ledger announces changed transactions, and
the notifications they produce, kept in an in-app inbox and delivered live and by email.

One room per aggregate, each with a service (business rules; never commits) over a
repository (its queries):

- recipients/  where a user's notifications go (the email address the gateway hands over)
- rules/       alert rules: the kinds, the default rule, creating, listing, switching
- evaluation/  the ledger's announcement turned into notifications, one module per alert
               kind, each stored once (a dedupe key per user)
- inbox/       in-app notifications: listed newest first in keyset pages, marked read, and
               the topic new ones are published on live
- delivery/    a delivery row per (notification, channel) with its status, a leased job per
               delivery through the channel's Sender, quiet hours, the daily digest, rate
               limits, email templates and one-click unsubscribe
- user_data/   the user's alerts as a whole: their export's sections, and their deletion
- push/        web push: browsers' subscriptions (VAPID), and send_push, the PUSH channel
- webhooks/    outgoing webhooks: signed POSTs, their delivery log, switching off after
               repeated failures; send_webhook, the WEBHOOK channel

Around them:

- api.py       the door other services use: provision_user, export_user_data,
               delete_user_data, release_due_deliveries (the scheduler's pass),
               unsubscribe_page (the gateway's one-click unsubscribe), QUEUE, SUBSCRIPTIONS
- actors.py    Dramatiq actors on QUEUE: on_transactions_changed, deliver_notification,
               send_digest (and deliver_notification_email for jobs queued before deliveries)
- graphql/     the notifier's part of the graph (the only place here that imports strawberry)
- queue.py     the queue's name, for the actors and for the services that send to it
- outbound.py  which URLs the notifier may send requests to for a user (SSRF rules)
- models.py    the notifier's tables (no other service imports them)
- migrations/  their Alembic history

Dependencies point one way: graphql, actors, api -> evaluation -> delivery -> inbox ->
rules, recipients -> models (pyproject.toml's import-linter contracts keep it so). The
ledger is reached only through services.ledger.api.
"""
