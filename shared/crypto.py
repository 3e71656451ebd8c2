"""Encryption at rest with rotatable keys (TALLY_ENCRYPTION_KEYS, comma-separated, newest first).

New values are encrypted with the newest key; any listed key decrypts, so a key can be rotated
by prepending a new one and re-encrypting at leisure.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from functools import lru_cache
from typing import Protocol, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from shared.config import get_settings
from shared.db import unit_of_work


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


class _Row(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


R = TypeVar("R", bound=_Row)


async def reencrypt_column(
    batch_after: Callable[[AsyncSession, uuid.UUID | None, int], Awaitable[Sequence[R]]],
    column: QueryableAttribute[str],
    batch_size: int,
) -> int:
    """Re-encrypt `column` of every row under the newest key, a batch per short transaction
    (`batch_after` pages through every user's rows by id); how many were. May be run again."""
    done = 0
    after: uuid.UUID | None = None
    while True:
        async with unit_of_work() as work:
            rows = await batch_after(work.session, after, batch_size)
            for row in rows:
                setattr(row, column.key, reencrypt(getattr(row, column.key)))
        if not rows:
            return done
        done += len(rows)
        after = rows[-1].id
