"""Checks of what people type, shared by every service: text and email addresses.

Each check answers with the clean value or a BAD_USER_INPUT naming the field.
"""

from __future__ import annotations

import re

from shared.errors import BadUserInput

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path, minus the angle brackets
_MAX_LOCAL_PART = 64
# Deliberately plainer than RFC 5322: an ASCII dot-atom local part (no quoted strings or
# comments) and a hostname of at least two labels whose top level starts with a letter.
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?"
)


def clean_text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    """Trimmed text within bounds, or a BAD_USER_INPUT naming the field."""
    text = value.strip()
    if required and not text:
        raise BadUserInput(field, "must not be empty")
    if len(text) > max_length:
        raise BadUserInput(field, f"must be at most {max_length} characters")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise BadUserInput(field, "must not contain control characters")
    return text


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: trimmed, lower case."""
    return email.strip().lower()


def clean_email(email: str, field: str = "email") -> str:
    """The normalized address, or BAD_USER_INPUT on `field` if it is not one we can send to."""
    normalized = normalize_email(email)
    if not normalized:
        raise BadUserInput(field, "must not be empty")
    if len(normalized) > MAX_EMAIL_LENGTH:
        raise BadUserInput(field, f"must be at most {MAX_EMAIL_LENGTH} characters")
    local_part = normalized.partition("@")[0]
    if len(local_part) > _MAX_LOCAL_PART or not _EMAIL.fullmatch(normalized):
        raise BadUserInput(field, "is not a valid email address")
    return normalized
