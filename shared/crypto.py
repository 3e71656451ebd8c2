"""Encryption at rest with rotatable keys (TALLY_ENCRYPTION_KEYS, comma-separated, newest first).

New values are encrypted with the newest key; any listed key decrypts, so a key can be rotated
by prepending a new one and re-encrypting at leisure.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from shared.config import get_settings


@lru_cache(maxsize=1)
def _keyring() -> MultiFernet:
    keys = [
        key.strip() for key in get_settings().secret("encryption_keys").split(",") if key.strip()
    ]
    if not keys:
        raise RuntimeError("TALLY_ENCRYPTION_KEYS holds no key")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plaintext: str) -> str:
    return _keyring().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _keyring().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt: no configured key matches") from None


def reencrypt(ciphertext: str) -> str:
    """Re-encrypt under the newest key (for rotation)."""
    try:
        return _keyring().rotate(ciphertext.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt: no configured key matches") from None
