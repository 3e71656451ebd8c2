"""The settings class: every variable Tally reads, with its default, read once from the
environment (twelve-factor) and checked whole; and the messages that name a variable.

Each value is checked by shared.config.values when the settings are read, so a process refuses
to start on a wrong one instead of failing on first use; production's extra demands are in
shared.config.production, development's generated secrets in shared.config.dev_secrets.
"""

from __future__ import annotations

from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.config import values
from shared.config.dev_secrets import generated_secrets, generated_vapid_key
from shared.config.production import check_plaid_environment, check_production_secrets

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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TALLY_", extra="ignore")

    env: Environment = "development"
    var_dir: Path = Path("var")
    database_url: str = ""
    # PostgreSQL connections each process keeps open, and how many more it may open for a
    # burst (closed again when returned to a full pool). A request's root fields read in
    # sessions of their own at once (a dashboard: four), so a pool smaller than what a
    # process's concurrent requests hold makes it connect (and prepare its statements) anew
    # on every burst.
    database_pool_size: int = Field(default=20, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
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
        return values.cors_origins(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: str) -> str:
        return values.trusted_proxies(value)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        return values.database_url(value)  # empty: the SQLite file under var_dir, filled in below

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        return values.redis_url(value)

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, value: str | None) -> str | None:
        return values.smtp_url(value)

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str) -> str:
        return values.http_url(value)

    @field_validator("plaid_url")
    @classmethod
    def _check_plaid_url(cls, value: str | None) -> str | None:
        return values.http_url(value) if value else None

    @field_validator("secret_key")
    @classmethod
    def _check_secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        return values.secret_key(value)

    @field_validator("encryption_keys")
    @classmethod
    def _check_encryption_keys(cls, value: SecretStr | None) -> SecretStr | None:
        return values.encryption_keys(value)

    @field_validator("vapid_private_key")
    @classmethod
    def _check_vapid_private_key(cls, value: SecretStr | None) -> SecretStr | None:
        return values.vapid_private_key_setting(value)

    @field_validator("vapid_subject")
    @classmethod
    def _check_vapid_subject(cls, value: str | None) -> str | None:
        return values.vapid_subject(value)

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        return values.log_level(value)

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.var_dir.resolve() / 'tally.db'}"
        check_plaid_environment(self.env, self.plaid_env)
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
            check_production_secrets(
                secret_key=self.secret_key,
                encryption_keys=self.encryption_keys,
                vapid_private_key=self.vapid_private_key,
            )
            return self
        generated = generated_secrets(self.var_dir)
        self.secret_key = self.secret_key or SecretStr(generated["secret_key"])
        self.encryption_keys = self.encryption_keys or SecretStr(generated["encryption_key"])
        self.vapid_private_key = self.vapid_private_key or SecretStr(
            generated_vapid_key(self.var_dir)
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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
