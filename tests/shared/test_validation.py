"""One set of rules for text and email addresses, wherever they are typed."""

from __future__ import annotations

import pytest

from shared.errors import BadUserInput
from shared.validation import MAX_EMAIL_LENGTH, clean_email, clean_text


def test_text_is_trimmed_and_bounded() -> None:
    assert clean_text("  Rent  ", "input.name", max_length=10) == "Rent"
    assert clean_text("  ", "input.notes", max_length=10, required=False) == ""
    for value, message in (
        ("", "input.name: must not be empty"),
        ("x" * 11, "input.name: must be at most 10 characters"),
        ("a\x00b", "input.name: must not contain control characters"),
    ):
        with pytest.raises(BadUserInput, match=message):
            clean_text(value, "input.name", max_length=10)


def test_an_email_is_normalized_or_refused_naming_the_field() -> None:
    assert clean_email("  Me@Example.COM ") == "me@example.com"
    too_long = "a" * 60 + "@" + "b" * (MAX_EMAIL_LENGTH - 60) + ".com"
    for wrong in ("", "me", "me@localhost", "me@@example.com", "me @example.com", too_long,
                  "a" * 65 + "@example.com"):  # fmt: skip
        with pytest.raises(BadUserInput) as error:
            clean_email(wrong, "input.email")
        assert error.value.field == "input.email"
