"""Plaid Link as a browser drives it, without the browser: the emulator's Link look-alike's
endpoints (/link/v2/...), called the way its dialog calls them."""

from __future__ import annotations

from typing import Any

import httpx

INSTITUTION = "ins_109508"  # First Platypus Bank
ALL_ACCOUNTS = ("0000", "1111", "3333", "4444")


def link_ui(plaid_base_url: str, step: str, **fields: Any) -> httpx.Response:
    """POST one of the look-alike's steps (session, credentials, complete)."""
    return httpx.post(f"{plaid_base_url}/link/v2/{step}", json=fields, timeout=30)


def complete_link(
    plaid_base_url: str,
    link_token: str,
    *,
    username: str = "user_good",
    password: str = "pass_good",
    institution_id: str = INSTITUTION,
    account_masks: tuple[str, ...] = ALL_ACCOUNTS,
) -> dict[str, Any]:
    """Go through Link for `link_token` as a user would; onSuccess's {public_token, metadata}.
    In update mode (a token made with an access token) only the sign-in is asked."""
    opened = link_ui(plaid_base_url, "session", link_token=link_token)
    assert opened.status_code == 200, opened.text
    session = opened.json()
    fields: dict[str, Any] = {
        "link_token": link_token,
        "username": username,
        "password": password,
        "link_session_id": session["link_session_id"],
    }
    if session["mode"] == "create":
        signed_in = link_ui(
            plaid_base_url,
            "credentials",
            link_token=link_token,
            institution_id=institution_id,
            username=username,
            password=password,
        )
        assert signed_in.status_code == 200, signed_in.text
        fields |= {"institution_id": institution_id, "account_masks": list(account_masks)}
    done = link_ui(plaid_base_url, "complete", **fields)
    assert done.status_code == 200, done.text
    answer: dict[str, Any] = done.json()
    return answer
