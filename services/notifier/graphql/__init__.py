"""The notifier's part of the graph (thin: resolvers call the rooms' services).

The gateway merges the module-level `Query`, `Mutation` and `Subscription` into the one graph.

- types.py         AlertRule, Notification and its connection, AlertKind, inputs and payloads
- queries.py       alertRules, alertRule, notifications, notification; NODES for `node(id:)`
- mutations.py     createAlertRule, updateAlertRule, snoozeAlertRule, unsnoozeAlertRule,
                   deleteAlertRule, markNotificationsRead
- subscription.py  notifications, live
"""

from services.notifier.graphql.mutations import Mutation
from services.notifier.graphql.queries import NODES, Query
from services.notifier.graphql.subscription import Subscription

__all__ = ["NODES", "Mutation", "Query", "Subscription"]
