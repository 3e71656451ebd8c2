"""Settings as an operator meets them: a wrong value is refused at start, naming its variable."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from shared.config import Settings, problems
from tests.support.keys import VAPID_KEY

NEW_KEY = Fernet.generate_key().decode()
PRODUCTION = {
    "TALLY_ENV": "production",
    "TALLY_SECRET_KEY": "s" * 48,
    "TALLY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "TALLY_VAPID_PRIVATE_KEY": VAPID_KEY,
    "TALLY_DATABASE_URL": "postgresql+asyncpg://tally:tally@db:5432/tally",
    "TALLY_PUBLIC_URL": "https://tally.example.com",
    "PLAID_ENV": "sandbox",
    "PLAID_CLIENT_ID": "client-id",
    "PLAID_SECRET": "plaid-secret",
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """An environment holding none of the suite's Tally or Plaid variables."""
    for name in list(os.environ):
        if name.startswith(("TALLY_", "PLAID_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TALLY_VAR_DIR", str(tmp_path))
    yield monkeypatch


def settings_with(environment: pytest.MonkeyPatch, **variables: str) -> Settings:
    for name, value in variables.items():
        environment.setenv(name, value)
    return Settings()


def test_a_complete_production_environment_is_accepted(
    environment: pytest.MonkeyPatch,
) -> None:
    settings = settings_with(environment, **PRODUCTION)
    assert settings.plaid_host == "https://sandbox.plaid.com"
    # Browsers load Plaid's own Link, from Plaid's CDN.
    assert settings.plaid_link_script == "https://cdn.plaid.com/link/v2/stable/link-initialize.js"


def test_production_refuses_the_local_plaid_emulator(environment: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="PLAID_ENV: local"):
        settings_with(environment, **{**PRODUCTION, "PLAID_ENV": "local"})


def test_development_runs_the_local_emulator_with_its_own_keys(
    environment: pytest.MonkeyPatch,
) -> None:
    settings = settings_with(environment, TALLY_ENV="development", PLAID_ENV="local")
    assert settings.plaid_host == "http://127.0.0.1:8000/plaid-sandbox"
    assert settings.plaid_client_id == "local-client"
    # ...and the emulator's Link look-alike, mounted on this server.
    assert settings.plaid_link_script == "/plaid-sandbox/link/v2/stable/link-initialize.js"


def test_plaids_own_environments_ignore_the_emulators_url(
    environment: pytest.MonkeyPatch,
) -> None:
    # A left-over TALLY_PLAID_URL must never receive the real Plaid keys.
    settings = settings_with(environment, **PRODUCTION, TALLY_PLAID_URL="http://elsewhere:8000")
    assert settings.plaid_host == "https://sandbox.plaid.com"


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"PLAID_ENV": "sandbox"}, "PLAID_CLIENT_ID"),
        ({**PRODUCTION, "PLAID_SECRET": ""}, "PLAID_SECRET"),
        ({"TALLY_ENCRYPTION_KEYS": "not-a-key"}, "key 1 is not a Fernet key"),
        ({"TALLY_ENCRYPTION_KEYS": " , "}, "TALLY_ENCRYPTION_KEYS: holds no key"),
        ({**PRODUCTION, "TALLY_SECRET_KEY": "x" * 31}, "TALLY_SECRET_KEY: must be at least 32"),
        ({**PRODUCTION, "TALLY_SECRET_KEY": ""}, "TALLY_SECRET_KEY: required"),
        ({**PRODUCTION, "TALLY_ENCRYPTION_KEYS": ""}, "TALLY_ENCRYPTION_KEYS: required"),
        ({**PRODUCTION, "TALLY_VAPID_PRIVATE_KEY": ""}, "TALLY_VAPID_PRIVATE_KEY: required"),
        ({"TALLY_VAPID_PRIVATE_KEY": "not base64!"}, "TALLY_VAPID_PRIVATE_KEY: is not base64url"),
        ({"TALLY_VAPID_PRIVATE_KEY": "c2hvcnQ"}, "TALLY_VAPID_PRIVATE_KEY: must be the 32 bytes"),
        ({"TALLY_VAPID_PRIVATE_KEY": "_" * 43}, "TALLY_VAPID_PRIVATE_KEY: is not a P-256"),
        ({"TALLY_VAPID_SUBJECT": "admin@example.com"}, "TALLY_VAPID_SUBJECT: expected mailto:"),
        ({"TALLY_DATABASE_URL": "mysql+aiomysql://db/tally"}, "TALLY_DATABASE_URL: unsupported"),
        ({"TALLY_DATABASE_URL": "postgresql+asyncpg:///tally"}, "TALLY_DATABASE_URL: needs a host"),
        ({"TALLY_DATABASE_URL": "sqlite+aiosqlite://"}, "TALLY_DATABASE_URL: names no database"),
        ({"TALLY_REDIS_URL": "http://redis:6379"}, "TALLY_REDIS_URL: expected"),
        ({"TALLY_REDIS_URL": "redis://redis:99999/0"}, "TALLY_REDIS_URL: not a valid URL"),
        ({"TALLY_SMTP_URL": "smtp://"}, "TALLY_SMTP_URL: expected"),
        ({"TALLY_PUBLIC_URL": "ftp://tally.example.com"}, "TALLY_PUBLIC_URL: expected"),
        ({"TALLY_PLAID_URL": "gateway:8000"}, "TALLY_PLAID_URL: expected"),
        ({"TALLY_SCHEDULER_INTERVAL_SECONDS": "0"}, "TALLY_SCHEDULER_INTERVAL_SECONDS"),
        ({"TALLY_SIGN_UPS_PER_ADDRESS_PER_HOUR": "-1"}, "TALLY_SIGN_UPS_PER_ADDRESS_PER_HOUR"),
        ({"TALLY_CORS_ORIGINS": "*"}, "TALLY_CORS_ORIGINS"),
        ({"TALLY_CORS_ORIGINS": "localhost:5173"}, "TALLY_CORS_ORIGINS"),
        ({"TALLY_CORS_ORIGINS": "http://localhost:5173/app"}, "TALLY_CORS_ORIGINS"),
        ({"TALLY_CORS_ORIGINS": "ftp://files.example.com"}, "TALLY_CORS_ORIGINS"),
        ({"TALLY_DATABASE_POOL_SIZE": "0"}, "TALLY_DATABASE_POOL_SIZE"),
        ({"TALLY_DATABASE_MAX_OVERFLOW": "-1"}, "TALLY_DATABASE_MAX_OVERFLOW"),
        ({"TALLY_DATABASE_POOL_SIZE": "many"}, "TALLY_DATABASE_POOL_SIZE"),
    ],
)
def test_a_wrong_setting_is_refused_naming_its_variable(
    environment: pytest.MonkeyPatch, variables: dict[str, str], named: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        settings_with(environment, **variables)
    assert named in problems(refused.value)
    assert "\n" not in problems(refused.value)


@pytest.mark.parametrize(
    "variables",
    [
        {"TALLY_DATABASE_URL": "postgresql+asyncpg://tally:p%40ss@db:5432/tally?ssl=require"},
        {"TALLY_DATABASE_URL": "sqlite+aiosqlite:////var/lib/tally/tally.db"},
        {"TALLY_REDIS_URL": "rediss://:password@redis.example.com:6380/2"},
        {"TALLY_REDIS_URL": "unix:///run/redis.sock"},
        {"TALLY_SMTP_URL": "smtp://user:password@mail.example.com:587?starttls=1"},
        {"TALLY_SMTP_URL": "smtps://mail.example.com"},
        {"TALLY_SMTP_URL": ""},
        {"TALLY_ENCRYPTION_KEYS": f"{PRODUCTION['TALLY_ENCRYPTION_KEYS']}, {NEW_KEY},"},
        {"TALLY_LOG_LEVEL": "debug"},
        {"TALLY_CORS_ORIGINS": ""},
        {"TALLY_DATABASE_POOL_SIZE": "40", "TALLY_DATABASE_MAX_OVERFLOW": "0"},
    ],
)
def test_ordinary_settings_are_accepted(
    environment: pytest.MonkeyPatch, variables: dict[str, str]
) -> None:
    settings_with(environment, **variables)


def test_every_problem_is_on_one_line_and_no_value_is_repeated(
    environment: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ValidationError) as refused:
        settings_with(
            environment,
            TALLY_DATABASE_URL="postgresql+asyncpg://tally:hunter2@db:port/tally",
            TALLY_WORKER_THREADS="none",
        )
    described = problems(refused.value)
    assert described.startswith("TALLY_DATABASE_URL: ")
    assert "; TALLY_WORKER_THREADS: " in described
    assert "hunter2" not in described


def test_cors_origins_are_kept_as_browsers_send_them(environment: pytest.MonkeyPatch) -> None:
    settings = settings_with(
        environment,
        TALLY_CORS_ORIGINS="http://localhost:5173/, HTTPS://App.Example.com:8443,,"
        "http://localhost:5173,https://tally.example.com:443",
    )
    assert settings.cors_origin_list == [
        "http://localhost:5173",
        "https://app.example.com:8443",
        "https://tally.example.com",
    ]


def test_development_generates_a_vapid_key_once_and_keeps_it(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = settings_with(environment, TALLY_ENV="development")
    again = Settings()
    key = first.secret("vapid_private_key")
    assert key == again.secret("vapid_private_key")
    assert (tmp_path / "vapid.json").exists()
    assert first.push_subject == "mailto:alerts@tally.local"


def test_production_signs_pushes_with_the_configured_key_and_subject(
    environment: pytest.MonkeyPatch,
) -> None:
    settings = settings_with(environment, **PRODUCTION)
    assert settings.secret("vapid_private_key") == VAPID_KEY
    assert settings.push_subject == "https://tally.example.com"
    settings = settings_with(environment, **PRODUCTION, TALLY_VAPID_SUBJECT="mailto:ops@x.org")
    assert settings.push_subject == "mailto:ops@x.org"
