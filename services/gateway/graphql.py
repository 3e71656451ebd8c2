"""The gateway's own part of the graph: identity and sessions."""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    @strawberry.field
    def healthy(self) -> bool:
        return True
