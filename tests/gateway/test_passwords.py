"""Password rules at sign-up, after NIST SP 800-63B: length in code points, no invisible or
control characters, nothing from the list of common and breached passwords."""

from __future__ import annotations

import uuid

import pytest

from services.gateway.identity import passwords
from tests.gateway.test_identity import SIGN_UP, run, sign_up, users_named
from tests.support.graphql import error_codes

# "password1234" typed on a full-width keyboard: NFKC makes it the common one.
FULL_WIDTH_PASSWORD1234 = "".join(chr(ord(ch) + 0xFEE0) for ch in "password1234")


async def refused_message(password: str) -> str:
    """Sign up with `password`, which must be refused naming the field; the message."""
    marker = uuid.uuid4().hex[:12]
    result = await run(SIGN_UP, {"email": f"pw-{marker}@example.com", "password": password})
    assert error_codes(result) == ["BAD_USER_INPUT"], (password, result.errors)
    assert result.errors is not None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["field"] == "input.password"
    assert await users_named(marker) == 0
    return result.errors[0].message


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (" " * 12, "only of spaces or invisible characters"),
        ("\t\n " * 4, "only of spaces or invisible characters"),
        ("\u200b" * 12, "only of spaces or invisible characters"),
        ("\u200b\u200c\u200d\u2060\ufeff" * 3, "only of spaces or invisible characters"),
        ("\u3000" * 12, "only of spaces or invisible characters"),  # ideographic space
        ("\x00" * 12, "control characters"),
        ("a long passphrase\x00", "control characters"),
        ("a long passphrase\x1b[2J", "control characters"),
        ("a long passphrase\x85", "control characters"),  # C1
        ("password1234", "is too common"),
        ("Password1234", "is too common"),
        (FULL_WIDTH_PASSWORD1234, "is too common"),
        ("qwertyuiop123", "is too common"),
        ("zzzzzzzzzzzz", "one character repeated"),
    ],
)
async def test_weak_passwords_are_refused_with_a_reason_a_user_understands(
    password: str, message: str
) -> None:
    assert message in await refused_message(password)


async def test_length_counts_code_points_after_normalization() -> None:
    # Eleven characters as the user sees them, though twelve code points as typed: "e" plus a
    # combining accent is one "é".
    decomposed = "cafe\u0301 au lai"
    assert len(decomposed) == 12
    assert "at least 12 characters" in await refused_message(decomposed)
    # Twelve characters of a script outside ASCII are twelve, whatever their UTF-8 size.
    japanese = "\u65e5\u672c\u8a9e\u306e\u5408\u8a00\u8449\u3092\u5b88\u308b\u732b\u3002"
    assert len(japanese) == 12
    await sign_up(password=japanese)


def test_the_blocklist_is_shipped_with_the_code_and_large() -> None:
    common = passwords._common_passwords()
    assert len(common) >= 10_000
    assert "password1234" in common
