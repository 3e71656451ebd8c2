"""Password rules and argon2id hashing.

Hashing is deliberately slow and CPU-bound, so every hash and verification runs in a worker
thread, never on the event loop (argon2-cffi releases the GIL while it works).
"""

from __future__ import annotations

import asyncio
import secrets
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from shared.errors import BadUserInput
from shared.validation import check_unicode, is_invisible

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

# OWASP's recommended argon2id configuration: 19 MiB of memory, 2 passes, 1 lane.
_hasher = PasswordHasher(
    time_cost=2, memory_cost=19_456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)


def check_password_rules(password: str) -> None:
    """NIST SP 800-63B 5.1.1.2: length counted in code points after normalization, no
    composition rules, no trimming; refused if it is invisible, holds control characters, is
    one character repeated, or is on the list of common and breached passwords.
    """
    # Length as the user sees it (composed, NFC); the checks below see the form we hash.
    length = len(unicodedata.normalize("NFC", check_password_text(password)))
    if length < MIN_PASSWORD_LENGTH:
        raise BadUserInput("input.password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if length > MAX_PASSWORD_LENGTH:
        raise BadUserInput("input.password", f"must be at most {MAX_PASSWORD_LENGTH} characters")
    canonical = _canonical(password)
    if is_invisible(canonical):
        raise BadUserInput(
            "input.password", "must not be made only of spaces or invisible characters"
        )
    if any(unicodedata.category(ch) == "Cc" for ch in canonical):
        raise BadUserInput("input.password", "must not contain control characters")
    if len(set(canonical)) == 1:
        raise BadUserInput("input.password", "must not be one character repeated")
    if canonical.casefold() in _common_passwords():
        raise BadUserInput("input.password", "is too common: it is on a list of breached passwords")


def check_password_text(password: str) -> str:
    """The password if it can be hashed at all (no lone surrogates): checked before a log-in
    reads anything, so a malformed one is BAD_USER_INPUT rather than a crash in the hasher.
    """
    return check_unicode(password, "input.password")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # The 30,000 most common passwords of the Xato corpus of 10 million leaked credentials, as
    # shipped (offline) by the maintained zxcvbn package (MIT). Compared case-insensitively:
    # "Password1234" is as guessable as "password1234".
    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])


async def hash_password(password: str) -> str:
    """An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`)."""
    return await asyncio.to_thread(_hasher.hash, _canonical(password))


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash (unknown user) the same work is done anyway,
    against a dummy hash, so that the answer takes as long as for a real account.
    """
    return await asyncio.to_thread(_verify, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash was made with other parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def _canonical(password: str) -> str:
    # The same password may arrive with "é" as one code point from one keyboard and as "e"
    # plus a combining accent from another; NFKC makes them one (NIST SP 800-63B 5.1.1.2).
    return unicodedata.normalize("NFKC", password)


def _verify(password_hash: str | None, password: str) -> bool:
    password = _canonical(password)
    try:
        if password_hash is None:
            _hasher.verify(_dummy_hash(), password)
            return False
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Made on first use (the first unknown-email log-in of a process pays for two hashes).
@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(32))
