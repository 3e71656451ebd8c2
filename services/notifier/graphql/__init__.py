"""The notifier's part of the graph (thin: resolvers call the rooms' services).

The gateway merges the module-level `Query`, `Mutation` and `Subscription` into the one graph.

- kinds.py         AlertKind (the rules room's kinds, described)
- alert_rules.py   AlertRule, AlertChannel, the rules' inputs and payloads
- notifications.py Notification, its connection, markNotificationsRead's input and payload
- deliveries.py    Delivery, its channel and status, the per-request deliveries loader
- settings.py      NotificationSettings and updateNotificationSettings' input and payload
- queries.py       alertRules, alertRule, notifications, notification; NODES for `node(id:)`
- mutations.py     createAlertRule, updateAlertRule, snoozeAlertRule, unsnoozeAlertRule,
                   deleteAlertRule, markNotificationsRead
- subscription.py  notifications, live
- push.py          vapidPublicKey, pushSubscriptions, (un)registerPushSubscription
- webhooks.py      webhooks, createWebhook, updateWebhook, deleteWebhook
"""

from strawberry.tools import merge_types

from services.notifier.graphql import push, webhooks
from services.notifier.graphql.mutations import Mutation as AlertMutation
from services.notifier.graphql.queries import NODES as ALERT_NODES
from services.notifier.graphql.queries import Query as AlertQuery
from services.notifier.graphql.subscription import Subscription
from shared.graphql import NodeResolver

Query = merge_types("Query", (AlertQuery, push.PushQuery, webhooks.WebhookQuery))
Mutation = merge_types("Mutation", (AlertMutation, push.PushMutation, webhooks.WebhookMutation))
NODES: dict[str, NodeResolver] = {
    **ALERT_NODES,
    "PushSubscription": push.resolve_push_subscription,
    "Webhook": webhooks.resolve_webhook,
}

__all__ = ["NODES", "Mutation", "Query", "Subscription"]
