"""The ledger's queue (its only job today: running an import) and the message that runs one.

The service sends it by name; `services.ledger.actors.run_import` consumes it, and `api.QUEUE`
tells `tally worker ledger` which queue to drain.
"""

from __future__ import annotations

import uuid
from typing import Any

from dramatiq import Message

from shared.messaging import message

QUEUE = "ledger"
RUN_IMPORT_ACTOR = "run_import"


def run_import_message(import_id: uuid.UUID) -> Message[Any]:
    return message(QUEUE, RUN_IMPORT_ACTOR, import_id=str(import_id))
