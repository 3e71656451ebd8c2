"""Opaque, typed GraphQL ids: an Account id never works as a Goal id."""

from __future__ import annotations

import base64
import binascii
import uuid

from shared.errors import BadUserInput, NotFound


def encode_id(kind: str, value: uuid.UUID) -> str:
    raw = f"{kind}:{value.hex}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_global_id(value: str, field: str = "id") -> tuple[str, uuid.UUID]:
    """The kind and uuid an id names; BAD_USER_INPUT on `field` if it is not one of ours."""
    if not value or len(value) > 120:
        raise BadUserInput(field, "is not a valid id")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        kind, _, hex_value = raw.partition(":")
        parsed = uuid.UUID(hex=hex_value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput(field, "is not a valid id") from None
    return kind, parsed


def decode_id(kind: str, value: str, field: str = "id") -> uuid.UUID:
    """Decode an id of the given kind; a well-formed id of another kind is simply not found."""
    found_kind, parsed = decode_global_id(value, field)
    if found_kind != kind:
        raise NotFound(kind)
    return parsed
