"""Settings as an operator meets them: a wrong value is refused at start, naming its variable."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from shared.config import Settings

PRODUCTION = {
    "TALLY_ENV": "production",
    "TALLY_SECRET_KEY": "s" * 48,
    "TALLY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
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


def test_production_refuses_the_local_plaid_emulator(environment: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="PLAID_ENV: local"):
        settings_with(environment, **{**PRODUCTION, "PLAID_ENV": "local"})


def test_development_runs_the_local_emulator_with_its_own_keys(
    environment: pytest.MonkeyPatch,
) -> None:
    settings = settings_with(environment, TALLY_ENV="development", PLAID_ENV="local")
    assert settings.plaid_host == "http://127.0.0.1:8000/plaid-sandbox"
    assert settings.plaid_client_id == "local-client"


def test_plaids_own_environments_ignore_the_emulators_url(
    environment: pytest.MonkeyPatch,
) -> None:
    # A left-over TALLY_PLAID_URL must never receive the real Plaid keys.
    settings = settings_with(environment, **PRODUCTION, TALLY_PLAID_URL="http://elsewhere:8000")
    assert settings.plaid_host == "https://sandbox.plaid.com"
