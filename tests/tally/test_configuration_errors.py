"""A wrong setting stops every `tally` command at start with one line naming the variable,
as an operator meets it: the real console script, run with a bad environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.support.keys import VAPID_KEY

TALLY = Path(sys.executable).with_name("tally")
GOOD_KEY = Fernet.generate_key().decode()
PRODUCTION = {
    "TALLY_ENV": "production",
    "TALLY_SECRET_KEY": "s" * 48,
    "TALLY_ENCRYPTION_KEYS": GOOD_KEY,
    "TALLY_VAPID_PRIVATE_KEY": VAPID_KEY,
    "PLAID_ENV": "sandbox",
    "PLAID_CLIENT_ID": "client-id",
    "PLAID_SECRET": "plaid-secret",
}

CASES = [
    pytest.param({"PLAID_ENV": "sandbox"}, "PLAID_CLIENT_ID", id="plaid-sandbox-without-keys"),
    pytest.param(
        {"PLAID_ENV": "production", "PLAID_CLIENT_ID": "id"},
        "PLAID_SECRET",
        id="plaid-production-without-secret",
    ),
    pytest.param(
        {"TALLY_ENCRYPTION_KEYS": "not-a-fernet-key"},
        "TALLY_ENCRYPTION_KEYS: key 1 is not a Fernet key",
        id="encryption-key-not-fernet",
    ),
    pytest.param(
        {"TALLY_ENCRYPTION_KEYS": f"{GOOD_KEY},short"},
        "TALLY_ENCRYPTION_KEYS: key 2 is not a Fernet key",
        id="second-encryption-key-not-fernet",
    ),
    pytest.param(
        {**PRODUCTION, "TALLY_SECRET_KEY": "x"},
        "TALLY_SECRET_KEY: must be at least 32 characters",
        id="short-secret-key-in-production",
    ),
    pytest.param(
        {**PRODUCTION, "PLAID_ENV": "local"},
        "PLAID_ENV: local",
        id="emulator-in-production",
    ),
    pytest.param(
        {"TALLY_DATABASE_URL": "postgres://tally@db/tally"},
        "TALLY_DATABASE_URL: unsupported driver",
        id="database-url-sync-driver",
    ),
    pytest.param(
        {"TALLY_DATABASE_URL": "postgresql+asyncpg://tally@db:port/tally"},
        "TALLY_DATABASE_URL: not a valid URL",
        id="database-url-bad-port",
    ),
    pytest.param(
        {"TALLY_REDIS_URL": "localhost:6379"}, "TALLY_REDIS_URL: expected", id="redis-no-scheme"
    ),
    pytest.param(
        {"TALLY_REDIS_URL": "redis://redis:6379/zero"},
        "TALLY_REDIS_URL: the database must be a number",
        id="redis-db-not-a-number",
    ),
    pytest.param({"TALLY_SMTP_URL": "mail.example.com"}, "TALLY_SMTP_URL", id="smtp-no-scheme"),
    pytest.param(
        {"TALLY_PUBLIC_URL": "tally.example.com"}, "TALLY_PUBLIC_URL", id="public-url-no-scheme"
    ),
    pytest.param({"TALLY_WORKER_THREADS": "0"}, "TALLY_WORKER_THREADS", id="no-worker-threads"),
    pytest.param({"TALLY_LOG_LEVEL": "LOUD"}, "TALLY_LOG_LEVEL", id="unknown-log-level"),
    pytest.param({"TALLY_ENV": "prod"}, "TALLY_ENV", id="unknown-environment"),
]


def run_tally(
    tmp_path: Path, variables: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TALLY_", "PLAID_"))
    }
    environment.update(variables, TALLY_VAR_DIR=str(tmp_path / "var"))
    return subprocess.run(  # noqa: S603 - our own console script
        [str(TALLY), *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("variables", "named"), CASES)
def test_a_wrong_setting_stops_tally_with_one_line_naming_it(
    tmp_path: Path, variables: dict[str, str], named: str
) -> None:
    result = run_tally(tmp_path, variables, "migrate")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"tally: configuration error: {named}"), lines[0]
    assert result.stdout == ""
    # Nothing was started: not even the SQLite file of `migrate`.
    assert not (tmp_path / "var" / "tally.db").exists()


def test_the_error_never_repeats_a_secret(tmp_path: Path) -> None:
    result = run_tally(
        tmp_path,
        {"TALLY_DATABASE_URL": "postgresql+asyncpg://tally:hunter2-secret@db:port/tally"},
        "worker",
        "sync",
    )
    assert result.returncode == 2
    assert "hunter2-secret" not in result.stderr


def test_every_command_checks_the_settings_first(tmp_path: Path) -> None:
    for command in (["serve"], ["gateway"], ["scheduler"], ["relay"], ["worker", "notifier"]):
        result = run_tally(tmp_path, {"PLAID_ENV": "sandbox"}, *command)
        assert result.returncode == 2, (command, result.stderr)
        assert len(result.stderr.splitlines()) == 1, (command, result.stderr)
