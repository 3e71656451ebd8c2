"""STAND-IN until the alertkinds branch merges: which channels a rule delivers on.

The lead rewires this at merge to `services.notifier.rules.service.channels_of_rule` (same
signature), which reads the rule's `channels` column. Until then every rule (and no rule)
delivers IN_APP and EMAIL, plus PUSH and WEBHOOK, whose stand-in senders answer FAILED
"channel not configured" (delivery/channels.py).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

_STAND_IN = frozenset({"IN_APP", "EMAIL", "PUSH", "WEBHOOK"})


async def channels_of_rule(session: AsyncSession, rule_id: uuid.UUID | None) -> frozenset[str]:
    return _STAND_IN
