"""The request's JSON itself, before any operation runs: a lone surrogate anywhere in it is
BAD_USER_INPUT naming where, never a 500 or a dropped connection."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"query": "query Q { __typename }", "operationName": "\\ud800"}', "operationName"),
        ('{"query": "{ __typename }", "variables": {"\\udfff": 1}}', "variables"),
        ('{"query": "{ __typename }", "extensions": {"a": ["\\ud83d"]}}', "extensions.a[0]"),
    ],
)
def test_a_lone_surrogate_anywhere_in_the_request_is_bad_input(
    live_server: str, body: str, field: str
) -> None:
    response = httpx.post(
        f"{live_server}/graphql",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
