"""One settings class, read once from the environment (twelve-factor)."""

from __future__ import annotations

import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet
from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "production", "test"]
PlaidEnvironment = Literal["local", "sandbox", "production"]

_PLAID_HOSTS = {
    "sandbox": "https://sandbox.plaid.com",
    "production": "https://production.plaid.com",
}


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
    worker_threads: int = 4
    # How often `tally serve` (and by default `tally scheduler`) looks for items to re-sync.
    scheduler_interval_seconds: float = 300.0
    sign_ups_per_address_per_hour: int = 10
    log_level: str = "INFO"

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
        if self.env == "production":
            missing = [
                name
                for name, value in (
                    ("TALLY_SECRET_KEY", self.secret_key),
                    ("TALLY_ENCRYPTION_KEYS", self.encryption_keys),
                    ("PLAID_CLIENT_ID", self.plaid_client_id),
                    ("PLAID_SECRET", self.plaid_secret),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"production needs these secrets set: {', '.join(missing)}")
            return self
        generated = _generated_secrets(self.var_dir)
        self.secret_key = self.secret_key or SecretStr(generated["secret_key"])
        self.encryption_keys = self.encryption_keys or SecretStr(generated["encryption_key"])
        return self

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

    def secret(self, name: Literal["secret_key", "encryption_keys", "plaid_secret"]) -> str:
        value: SecretStr | None = getattr(self, name)
        if value is None:
            raise RuntimeError(f"{name} is not configured")
        return value.get_secret_value()


def _generated_secrets(var_dir: Path) -> dict[str, str]:
    """Secrets for development and tests, generated once and kept under var/.

    Keeping them on disk lets restarts and sibling processes (workers) agree.
    """
    path = var_dir / "secrets.json"
    try:
        return dict(json.loads(path.read_text()))
    except FileNotFoundError:
        pass
    var_dir.mkdir(parents=True, exist_ok=True)
    values = {
        "secret_key": secrets.token_urlsafe(48),
        "encryption_key": Fernet.generate_key().decode(),
    }
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
