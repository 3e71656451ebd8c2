"""A live subscription lives no longer than the session it was opened under."""

from __future__ import annotations

import uuid

from tests.support.client import TallyClient

NOTIFICATIONS = "subscription { notifications { id title } }"


def test_logging_out_ends_the_sessions_live_subscription(live_server: str) -> None:
    client = TallyClient(live_server)
    client.sign_up(f"live-{uuid.uuid4().hex[:10]}@example.com")
    live = client.subscribe(NOTIFICATIONS)
    try:
        assert live.nothing_within(0.5)  # open, and quiet

        assert client("mutation { logOut { loggedOut } }")["logOut"]["loggedOut"] is True

        assert live.completes()
    finally:
        live.close()
        client.close()


def test_a_session_revoked_for_a_stolen_refresh_token_ends_its_subscription(
    live_server: str,
) -> None:
    client = TallyClient(live_server)
    signed_in = client.sign_up(f"live-{uuid.uuid4().hex[:10]}@example.com")
    live = client.subscribe(NOTIFICATIONS)
    refresh = """mutation($token: String!) { refreshSession(input: {refreshToken: $token}) {
                   accessToken } }"""
    try:
        assert live.nothing_within(0.5)
        client(refresh, {"token": signed_in["refreshToken"]})
        # The same refresh token again: a copy is in someone else's hands; the session ends.
        assert client.errors(refresh, {"token": signed_in["refreshToken"]})

        assert live.completes()
    finally:
        live.close()
        client.close()
