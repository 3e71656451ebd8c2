"""Keys for settings in tests: a VAPID key as TALLY_VAPID_PRIVATE_KEY takes it."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric import ec


def _vapid_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


VAPID_KEY = _vapid_key()
