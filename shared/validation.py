"""Checks of what people type, shared by every service: text and email addresses.

Each check answers with the clean value or a BAD_USER_INPUT naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.errors import BadUserInput

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path, minus the angle brackets
_MAX_LOCAL_PART = 64
# Deliberately plainer than RFC 5322: an ASCII dot-atom local part (no quoted strings or
# comments) and a hostname of at least two labels whose top level starts with a letter.
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?"
)


# Characters that reorder what is displayed around them (Trojan Source, CVE-2021-42574): a
# name or description could show one thing and be another. The marks (U+200E, U+200F, U+061C)
# stay: right-to-left text needs them and they reorder nothing beyond themselves.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BOM = "\ufeff"
# Visible nowhere, though not whitespace to str.isspace(): text made only of these (and
# whitespace) is empty. Format characters (category Cf: zero-width spaces and joiners, word
# joiner, BOM, soft hyphen...) are covered by their category; these are the other blanks.
_VARIATION_SELECTORS = frozenset(chr(code) for code in range(0xFE00, 0xFE10))
_BLANKS = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0") | _VARIATION_SELECTORS


def check_unicode(value: str, field: str) -> str:
    """`value` if it is Unicode text that can be stored and sent, or BAD_USER_INPUT.

    JSON may carry a lone UTF-16 surrogate ("\\ud800"); Python accepts it in a str, but no
    UTF-8 encoder (the database drivers, hashing, logging) does. Every string from a client
    goes through this, or through a check built on it, before it is used.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadUserInput(field, "must be valid Unicode text (it has a lone surrogate)") from None
    return value


def is_invisible(text: str) -> bool:
    """True when nothing of `text` would show: only whitespace, format and blank characters."""
    return all(ch.isspace() or ch in _BLANKS or unicodedata.category(ch) == "Cf" for ch in text)


def clean_text(
    value: str, field: str, *, max_length: int, required: bool = True, multiline: bool = False
) -> str:
    """NFC-normalized, trimmed text within bounds (in code points), or BAD_USER_INPUT naming
    the field. Text that shows nothing counts as empty. Control characters, the BOM and bidi
    overrides are refused; `multiline` text may hold line feeds and tabs.
    """
    text = unicodedata.normalize("NFC", check_unicode(value, field)).strip()
    if is_invisible(text):
        text = ""
    if required and not text:
        raise BadUserInput(field, "must not be empty")
    if len(text) > max_length:
        raise BadUserInput(field, f"must be at most {max_length} characters")
    allowed_controls = "\n\t" if multiline else ""
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed_controls for ch in text):
        raise BadUserInput(field, "must not contain control characters")
    if _BOM in text:
        raise BadUserInput(field, "must not contain a byte order mark (U+FEFF)")
    if any(ch in _BIDI_CONTROLS for ch in text):
        raise BadUserInput(field, "must not contain bidirectional override characters")
    return text


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: trimmed, lower case."""
    return email.strip().lower()


def clean_email(email: str, field: str = "email") -> str:
    """The normalized address, or BAD_USER_INPUT on `field` if it is not one we can send to."""
    normalized = normalize_email(check_unicode(email, field))
    if not normalized:
        raise BadUserInput(field, "must not be empty")
    if len(normalized) > MAX_EMAIL_LENGTH:
        raise BadUserInput(field, f"must be at most {MAX_EMAIL_LENGTH} characters")
    local_part = normalized.partition("@")[0]
    if len(local_part) > _MAX_LOCAL_PART or not _EMAIL.fullmatch(normalized):
        raise BadUserInput(field, "is not a valid email address")
    return normalized


def clean_time_zone(name: str, field: str = "timeZone") -> str:
    """An IANA time zone name ("Europe/Paris", "Pacific/Auckland"), or BAD_USER_INPUT."""
    text = check_unicode(name, field).strip()
    if not text or len(text) > 64 or text.startswith(("/", ".")) or ".." in text:
        raise BadUserInput(field, 'must be an IANA time zone such as "Europe/Paris"')
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadUserInput(field, 'must be an IANA time zone such as "Europe/Paris"') from None
    return text
