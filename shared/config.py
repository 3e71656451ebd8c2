"""One settings class, read once from the environment (twelve-factor), and checked whole.

Every value is checked when the settings are read, so a process refuses to start on a wrong
one instead of failing on first use; each problem names its variable (`problems`).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import os
import secrets
from collections.abc import Callable
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import SplitResult, urlsplit

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "production", "test"]
PlaidEnvironment = Literal["local", "sandbox", "production"]

_PLAID_HOSTS = {
    "sandbox": "https://sandbox.plaid.com",
    "production": "https://production.plaid.com",
}
# Plaid Link's script: Plaid requires it loaded from its CDN, never bundled or self-hosted.
PLAID_LINK_SCRIPT = "https://cdn.plaid.com/link/v2/stable/link-initialize.js"
# The emulator's Link look-alike, on this server where the emulator is mounted (local mode).
EMULATED_LINK_SCRIPT = "/plaid-sandbox/link/v2/stable/link-initialize.js"
# The drivers shared.db builds its async engines with.
_DATABASE_SHAPES = (
    "sqlite+aiosqlite:///<path> or postgresql+asyncpg://<user>:<password>@<host>/<db>"
)
MIN_SECRET_KEY_LENGTH = 32
# How to make a VAPID key, for the messages that ask for one.
VAPID_KEY_RECIPE = (
    "make one with `python -c 'import base64; from cryptography.hazmat.primitives.asymmetric "
    "import ec; k = ec.generate_private_key(ec.SECP256R1()); print(base64.urlsafe_b64encode("
    'k.private_numbers().private_value.to_bytes(32, "big")).rstrip(b"=").decode())\'`'
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TALLY_", extra="ignore")

    env: Environment = "development"
    var_dir: Path = Path("var")
    database_url: str = ""
    redis_url: str | None = None
    smtp_url: str | None = None
    smtp_sender: str = "Tally <alerts@tally.local>"
    secret_key: SecretStr | None = None
    encryption_keys: SecretStr | None = None
    # Web push (RFC 8292): the P-256 private key that signs this server's push requests, as the
    # base64url of its 32 bytes; browsers subscribe with its public half (`vapidPublicKey`).
    vapid_private_key: SecretStr | None = None
    # Who push services may contact about this server's pushes: mailto:... or https://...
    # Default: TALLY_PUBLIC_URL when it is https, else the address emails are sent from.
    vapid_subject: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    # Where the local emulator is served (PLAID_ENV=local only: Plaid's own environments always
    # use Plaid's hosts, so a stray value can never send real API keys elsewhere).
    plaid_url: str | None = None
    plaid_env: PlaidEnvironment = Field(
        default="local", validation_alias=AliasChoices("PLAID_ENV", "TALLY_PLAID_ENV")
    )
    plaid_client_id: str | None = Field(
        default=None, validation_alias=AliasChoices("PLAID_CLIENT_ID", "TALLY_PLAID_CLIENT_ID")
    )
    plaid_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PLAID_SECRET", "TALLY_PLAID_SECRET")
    )
    worker_threads: int = Field(default=4, ge=1)
    # How often `tally serve` (and by default `tally scheduler`) looks for items to re-sync.
    scheduler_interval_seconds: float = Field(default=300.0, gt=0)
    sign_ups_per_address_per_hour: int = Field(default=10, ge=1)
    # What one signed-in user's operations may cost in a minute (services/gateway/cost.py).
    cost_per_user_per_minute: int = Field(default=4_000, ge=1)
    log_level: str = "INFO"
    # Proxies (addresses or networks, comma-separated) whose X-Forwarded-For / -Proto headers
    # are believed: the client address then comes from them. Empty: no proxy, the header of
    # any peer is ignored (anyone could write it). Behind an ingress: its pods' network.
    trusted_proxies: str = ""
    # Origins (scheme://host[:port], comma-separated) whose pages may call the API from a
    # browser: a front end served elsewhere, e.g. the Vite dev server at http://localhost:5173.
    # Empty: only the gateway's own origin, which serves the built app.
    cors_origins: str = ""
    # The built web app (`make web`: web/dist): served at / when it holds an index.html.
    web_dir: Path = Path("web/dist")

    @field_validator("cors_origins")
    @classmethod
    def _check_cors_origins(cls, value: str) -> str:
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

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: str) -> str:
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

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value:
            return value  # the SQLite file under var_dir, filled in below
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

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
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

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        expected = "smtp://<host>:<port>, smtp://...?starttls=1 or smtps://<host>:<port>"
        parts = _split(value, expected)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"expected {expected}")
        return value

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("plaid_url")
    @classmethod
    def _check_plaid_url(cls, value: str | None) -> str | None:
        return _http_url(value) if value else None

    @field_validator("secret_key")
    @classmethod
    def _check_secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None  # unset: generated in development, required in production
        return value

    @field_validator("encryption_keys")
    @classmethod
    def _check_encryption_keys(cls, value: SecretStr | None) -> SecretStr | None:
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

    @field_validator("vapid_private_key")
    @classmethod
    def _check_vapid_private_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None  # unset: generated in development, required in production
        vapid_private_key(value.get_secret_value())
        return SecretStr(value.get_secret_value().strip())

    @field_validator("vapid_subject")
    @classmethod
    def _check_vapid_subject(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        text = value.strip()
        if not text.startswith(("mailto:", "https://")) or len(text) > 200:
            raise ValueError("expected mailto:<address> or https://<site> (RFC 8292)")
        return text

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.var_dir.resolve() / 'tally.db'}"
        if self.env == "production" and self.plaid_env == "local":
            # The emulator's keys are public and it serves anyone who asks: never in production.
            raise ValueError(
                "PLAID_ENV: local (the Plaid emulator) cannot run with TALLY_ENV=production; "
                "set PLAID_ENV=sandbox or production, with PLAID_CLIENT_ID and PLAID_SECRET"
            )
        if self.plaid_env == "local":
            self.plaid_client_id = self.plaid_client_id or "local-client"
            self.plaid_secret = self.plaid_secret or SecretStr("local-secret")
        for name, value in (
            ("PLAID_CLIENT_ID", self.plaid_client_id),
            ("PLAID_SECRET", self.plaid_secret),
        ):
            if not value:
                raise ValueError(
                    f"{name}: required with PLAID_ENV={self.plaid_env} (your keys from Plaid's "
                    "dashboard); PLAID_ENV=local runs the emulator instead"
                )
        if self.env == "production":
            return self._check_production_secrets()
        generated = _generated_secrets(self.var_dir)
        self.secret_key = self.secret_key or SecretStr(generated["secret_key"])
        self.encryption_keys = self.encryption_keys or SecretStr(generated["encryption_key"])
        self.vapid_private_key = self.vapid_private_key or SecretStr(
            _generated_vapid_key(self.var_dir)
        )
        return self

    def _check_production_secrets(self) -> Settings:
        # Development generates its secrets under var/; production must be given them.
        if self.encryption_keys is None:
            raise ValueError("TALLY_ENCRYPTION_KEYS: required with TALLY_ENV=production")
        if self.secret_key is None:
            raise ValueError("TALLY_SECRET_KEY: required with TALLY_ENV=production")
        key = self.secret_key.get_secret_value()
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(
                f"TALLY_SECRET_KEY: must be at least {MIN_SECRET_KEY_LENGTH} characters with "
                f"TALLY_ENV=production (it has {len(key)}); make one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        if self.vapid_private_key is None:
            raise ValueError(
                "TALLY_VAPID_PRIVATE_KEY: required with TALLY_ENV=production (it signs web "
                f"pushes; keep it: a new key ends every browser's subscription); {VAPID_KEY_RECIPE}"
            )
        return self

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin for origin in self.cors_origins.split(",") if origin]

    @property
    def push_subject(self) -> str:
        """The VAPID `sub` claim: who push services may contact about this server's pushes."""
        if self.vapid_subject:
            return self.vapid_subject
        if self.public_url.startswith("https://"):
            return self.public_url.rstrip("/")
        return "mailto:" + (parseaddr(self.smtp_sender)[1] or "alerts@tally.local")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def plaid_host(self) -> str:
        if self.plaid_env != "local":
            return _PLAID_HOSTS[self.plaid_env]
        if self.plaid_url:
            return self.plaid_url.rstrip("/")
        return self.public_url.rstrip("/") + "/plaid-sandbox"

    @property
    def plaid_link_script(self) -> str:
        """Where browsers load Plaid Link from: Plaid's CDN, or in local mode the emulator's
        look-alike (a path on this server, where the gateway mounts the emulator)."""
        return EMULATED_LINK_SCRIPT if self.plaid_env == "local" else PLAID_LINK_SCRIPT

    def secret(
        self,
        name: Literal["secret_key", "encryption_keys", "plaid_secret", "vapid_private_key"],
    ) -> str:
        value: SecretStr | None = getattr(self, name)
        if value is None:
            raise RuntimeError(f"{name} is not configured")
        return value.get_secret_value()


def _split(url: str, expected: str) -> SplitResult:
    """The URL's parts; a URL that does not parse (a bad port, say) is refused, never echoed."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in range
    except ValueError:
        raise ValueError(f"not a valid URL; expected {expected}") from None
    return parts


def _http_url(value: str) -> str:
    expected = "http(s)://<host>[:<port>][/<path>]"
    parts = _split(value, expected)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected {expected}")
    return value


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


def variable(field: str) -> str:
    """The environment variable a settings field is read from."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"TALLY_{field.upper()}"


def problems(error: ValidationError) -> str:
    """Every problem of a settings error on one line, each naming its variable.

    Values are never repeated: they may be secrets or URLs holding passwords.
    """
    described = []
    for problem in error.errors(include_url=False, include_input=False):
        cause = problem.get("ctx", {}).get("error")
        message = str(cause) if cause is not None else problem["msg"]
        if problem["loc"]:
            message = f"{variable(str(problem['loc'][0]))}: {message}"
        described.append(" ".join(message.split()))
    return "; ".join(described)


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


def _generated_vapid_key(var_dir: Path) -> str:
    """A VAPID key for development and tests, generated once and kept under var/ (a file of
    its own, so a secrets.json made before web push existed stays as it is)."""

    def make() -> dict[str, str]:
        key = ec.generate_private_key(ec.SECP256R1())
        raw = key.private_numbers().private_value.to_bytes(32, "big")
        return {"vapid_private_key": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}

    return _kept_under_var(var_dir / "vapid.json", make)["vapid_private_key"]


def _generated_secrets(var_dir: Path) -> dict[str, str]:
    """Secrets for development and tests, generated once and kept under var/.

    Keeping them on disk lets restarts and sibling processes (workers) agree.
    """
    return _kept_under_var(
        var_dir / "secrets.json",
        lambda: {
            "secret_key": secrets.token_urlsafe(48),
            "encryption_key": Fernet.generate_key().decode(),
        },
    )


def _kept_under_var(path: Path, make: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The values kept in `path`, made by `make` and written once if the file is not there yet
    (the first of racing processes wins; the others read what it wrote)."""
    try:
        return dict(json.loads(path.read_text()))
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    values = make()
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(values))
    os.chmod(temporary, 0o600)
    try:
        os.link(temporary, path)
    except FileExistsError:
        # A sibling process won the race: use its secrets, not ours.
        return dict(json.loads(path.read_text()))
    finally:
        temporary.unlink(missing_ok=True)
    return values


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
