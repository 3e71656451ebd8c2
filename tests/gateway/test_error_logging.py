"""What the server log says about errors: a client's mistake is one line (its code, where,
which request), never a traceback; an unexpected failure is logged once, with its traceback
(tests/gateway/test_outages.py)."""

from __future__ import annotations

import logging

import pytest
from structlog.testing import capture_logs

from tests.support.factories import new_user
from tests.support.graphql import error_codes, execute

CREATE_ACCOUNT = """mutation($input: CreateAccountInput!) {
  createAccount(input: $input) { account { id } } }"""


async def test_a_bad_user_input_is_one_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    user_id = await new_user()
    caplog.set_level(logging.DEBUG)
    invalid = {"name": "Rocket fund", "type": "CHECKING", "currency": "ZZZ"}

    with capture_logs() as logs:
        result = await execute(CREATE_ACCOUNT, {"input": invalid}, user_id=user_id)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    errors_logged = [entry for entry in logs if entry["event"].endswith("_error")]
    assert errors_logged == [
        {
            "event": "client_error",
            "log_level": "info",
            "code": "BAD_USER_INPUT",
            "path": ["createAccount"],
            "request_id": "test",
        }
    ]
    # Nothing besides, through the standard library (strawberry's default logs a traceback).
    assert not [record for record in caplog.records if record.levelno >= logging.INFO]
    assert "Traceback" not in caplog.text


async def test_an_unauthenticated_request_is_one_line_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with capture_logs() as logs:
        result = await execute("{ categories { id } }", user_id=None)

    assert error_codes(result) == ["UNAUTHENTICATED"]
    assert [(entry["event"], entry["code"]) for entry in logs] == [
        ("client_error", "UNAUTHENTICATED")
    ]
    assert "Traceback" not in caplog.text
