"""Checking one configuration value at a time: URLs, origins, networks, keys and levels.

Each check returns the value as the settings keep it, or raises ValueError with a message
that never repeats the value when it may be a secret or a URL holding a password (the
settings name the variable: shared.config.problems).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import logging
from urllib.parse import SplitResult, urlsplit

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import SecretStr

# The drivers shared.db builds its async engines with.
_DATABASE_SHAPES = (
    "sqlite+aiosqlite:///<path> or postgresql+asyncpg://<user>:<password>@<host>/<db>"
)
# How to make a VAPID key, for the messages that ask for one.
VAPID_KEY_RECIPE = (
    "make one with `python -c 'import base64; from cryptography.hazmat.primitives.asymmetric "
    "import ec; k = ec.generate_private_key(ec.SECP256R1()); print(base64.urlsafe_b64encode("
    'k.private_numbers().private_value.to_bytes(32, "big")).rstrip(b"=").decode())\'`'
)


def cors_origins(value: str) -> str:
    """Comma-separated browser origins, normalised and without repeats; never '*'."""
    origins = []
    for part in (part.strip() for part in value.split(",")):
        if not part:
            continue
        if part == "*":
            raise ValueError(
                "'*' would let any site call the API with a user's token; list the origins"
            )
        origins.append(_origin(part))
    return ",".join(dict.fromkeys(origins))


def trusted_proxies(value: str) -> str:
    """Comma-separated addresses or networks, as networks."""
    networks = []
    for part in (part.strip() for part in value.split(",")):
        if not part:
            continue
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ValueError(
                f"{part[:60]!r} is not an IP address or network (e.g. 10.0.0.0/8)"
            ) from None
    return ",".join(networks)


def database_url(value: str) -> str:
    """A database URL of a driver shared.db builds engines with; empty stays empty (the
    settings fill in the SQLite file under var_dir)."""
    if not value:
        return value
    parts = _split(value, _DATABASE_SHAPES)
    if parts.scheme == "sqlite+aiosqlite":
        if not parts.path.lstrip("/"):
            raise ValueError(f"names no database file; expected {_DATABASE_SHAPES}")
        return value
    if parts.scheme != "postgresql+asyncpg":
        raise ValueError(f"unsupported driver {parts.scheme!r}; expected {_DATABASE_SHAPES}")
    if not parts.hostname or not parts.path.strip("/"):
        raise ValueError(f"needs a host and a database name; expected {_DATABASE_SHAPES}")
    return value


def redis_url(value: str | None) -> str | None:
    if not value:
        return None
    expected = "redis://<host>:<port>/<db>, rediss://... or unix://<path>"
    parts = _split(value, expected)
    if parts.scheme == "unix" and parts.path:
        return value
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError(f"expected {expected}")
    database = parts.path.strip("/")
    if database and not database.isdigit():
        raise ValueError(f"the database must be a number; expected {expected}")
    return value


def smtp_url(value: str | None) -> str | None:
    if not value:
        return None
    expected = "smtp://<host>:<port>, smtp://...?starttls=1 or smtps://<host>:<port>"
    parts = _split(value, expected)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"expected {expected}")
    return value


def http_url(value: str) -> str:
    expected = "http(s)://<host>[:<port>][/<path>]"
    parts = _split(value, expected)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected {expected}")
    return value


def secret_key(value: SecretStr | None) -> SecretStr | None:
    if value is None or not value.get_secret_value():
        return None  # unset: generated in development, required in production
    return value


def encryption_keys(value: SecretStr | None) -> SecretStr | None:
    """Comma-separated Fernet keys, newest first."""
    if value is None or not value.get_secret_value().strip():
        return None  # unset: generated in development, required in production
    # Blank entries (a trailing comma) are skipped, as shared.crypto skips them.
    keys = [key.strip() for key in value.get_secret_value().split(",") if key.strip()]
    if not keys:
        raise ValueError("holds no key")
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise ValueError(
                f"key {number} is not a Fernet key (32 url-safe base64 bytes); "
                "make one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`"
            ) from None
    return value


def vapid_private_key_setting(value: SecretStr | None) -> SecretStr | None:
    if value is None or not value.get_secret_value().strip():
        return None  # unset: generated in development, required in production
    vapid_private_key(value.get_secret_value())
    return SecretStr(value.get_secret_value().strip())


def vapid_subject(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    text = value.strip()
    if not text.startswith(("mailto:", "https://")) or len(text) > 200:
        raise ValueError("expected mailto:<address> or https://<site> (RFC 8292)")
    return text


def log_level(value: str) -> str:
    level = value.strip().upper()
    if level not in logging.getLevelNamesMapping():
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def vapid_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """The P-256 key a TALLY_VAPID_PRIVATE_KEY value holds (base64url of 32 bytes)."""
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(f"is not base64url; {VAPID_KEY_RECIPE}") from None
    if len(raw) != 32:
        raise ValueError(f"must be the 32 bytes of a P-256 private key; {VAPID_KEY_RECIPE}")
    try:
        return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        raise ValueError(f"is not a P-256 private key; {VAPID_KEY_RECIPE}") from None


def _split(url: str, expected: str) -> SplitResult:
    """The URL's parts; a URL that does not parse (a bad port, say) is refused, never echoed."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in range
    except ValueError:
        raise ValueError(f"not a valid URL; expected {expected}") from None
    return parts


def _origin(value: str) -> str:
    """A browser origin, as browsers send it in the Origin header (lower case, no slash)."""
    expected = "http(s)://<host>[:<port>], no path"
    parts = _split(value, expected)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value[:60]!r} is not an origin; expected {expected}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"{value[:60]!r} is not an origin; expected {expected}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port not in (None, default_port) else ""
    return f"{parts.scheme}://{host}{port}"
