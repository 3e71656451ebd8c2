"""Access tokens (short-lived signed JWTs) and refresh tokens (opaque, stored hashed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

import jwt

from shared.clock import utcnow
from shared.config import get_settings
from shared.errors import Unauthenticated

ACCESS_TOKEN_LIFETIME = dt.timedelta(minutes=15)
REFRESH_TOKEN_LIFETIME = dt.timedelta(days=30)

ISSUER = "tally"
AUDIENCE = "tally:graphql"
# One algorithm, pinned: the token's own header never chooses how it is checked.
ALGORITHM = "HS256"
# Gateway pods' clocks may disagree by a few seconds.
CLOCK_LEEWAY = dt.timedelta(seconds=5)
# secrets.token_urlsafe(32) gives 43 characters; anything much longer is not ours.
MAX_REFRESH_TOKEN_LENGTH = 128


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: dt.datetime


def issue_access_token(
    user_id: uuid.UUID, session_id: uuid.UUID, *, now: dt.datetime | None = None
) -> str:
    issued_at = now or utcnow()
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": int(issued_at.timestamp()),
        "exp": int((issued_at + ACCESS_TOKEN_LIFETIME).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, _signing_key(), algorithm=ALGORITHM)


def read_access_token(token: str) -> AccessClaims:
    """The claims of a genuine, unexpired access token; UNAUTHENTICATED for anything else."""
    try:
        claims = jwt.decode(
            token,
            _signing_key(),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=CLOCK_LEEWAY,
            options={"require": ["iss", "aud", "sub", "sid", "iat", "exp", "jti"]},
        )
        return AccessClaims(
            user_id=uuid.UUID(claims["sub"]),
            session_id=uuid.UUID(claims["sid"]),
            expires_at=dt.datetime.fromtimestamp(claims["exp"], dt.UTC),
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("Your access token has expired. Refresh your session.") from None
    except (jwt.InvalidTokenError, ValueError, TypeError, AttributeError):
        raise Unauthenticated("The access token is not valid.") from None


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    """The only form in which a refresh token is stored.

    A plain SHA-256 is enough here, unlike for passwords: the token is 256 bits from a CSPRNG,
    so there is no dictionary to try and brute force is hopeless; a slow, salted hash would
    only cost time on every refresh. Being deterministic, it also lets us look the token up
    by an indexed, unique column.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def _signing_key() -> str:
    return get_settings().secret("secret_key")
