"""Prometheus metrics: GraphQL operations counted and timed by name and outcome."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import Counter, Histogram
from strawberry.extensions import SchemaExtension

OPERATIONS = Counter(
    "tally_graphql_operations_total",
    "GraphQL operations by name, type and outcome.",
    ["operation", "type", "outcome"],
)
LATENCY = Histogram(
    "tally_graphql_operation_seconds",
    "GraphQL operation latency by name.",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
HTTP_REQUESTS = Counter(
    "tally_http_requests_total", "HTTP requests by route and status.", ["route", "status"]
)


def _label(name: str | None) -> str:
    # Operation names come from clients: bound the label's size and alphabet.
    if not name:
        return "anonymous"
    return "".join(ch for ch in name[:64] if ch.isalnum() or ch == "_") or "anonymous"


def record_operation(name: str | None, kind: str, *, ok: bool, seconds: float) -> None:
    label = _label(name)
    OPERATIONS.labels(label, kind, "ok" if ok else "error").inc()
    LATENCY.labels(label, kind).observe(seconds)


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except RuntimeError:
            kind = "invalid"
        result = context.result
        ok = result is not None and not result.errors
        record_operation(context.operation_name, kind, ok=ok, seconds=time.perf_counter() - started)
