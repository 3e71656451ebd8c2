"""The `tally` command as an operator meets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tally.actors import SERVICE_QUEUES
from tally.cli import build_parser


def test_every_process_of_the_design_is_a_command() -> None:
    parser = build_parser()
    for command in (
        ["serve"],
        ["gateway", "--port", "9000"],
        ["scheduler", "--interval", "60"],
        ["migrate"],
        ["relay"],
        ["demo"],
        ["rotate-keys", "--batch-size", "50"],
        ["plaid-sandbox"],
        *(["worker", service] for service in SERVICE_QUEUES),
    ):
        assert parser.parse_args(command).handler is not None


def test_a_worker_for_a_service_without_a_queue_is_refused_with_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["worker", "gateway"])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'gateway'" in error
    assert "ledger" in error and "notifier" in error and "sync" in error


def test_the_mounted_emulator_calls_back_only_to_loopback_and_the_public_address() -> None:
    from shared.config import Settings
    from tally.app import emulator_webhook_hosts

    hosts = emulator_webhook_hosts(Settings(public_url="https://tally.example.com:8443/"))
    assert set(hosts) == {"127.0.0.1", "::1", "localhost", "tally.example.com"}


def test_a_migration_logs_nothing_but_json_lines_on_stderr(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TALLY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}",
        "TALLY_VAR_DIR": str(tmp_path),
        "TALLY_LOG_LEVEL": "INFO",
    }
    completed = subprocess.run(
        [sys.executable, "-c", "from tally.cli import main; main()", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = completed.stderr.splitlines()
    assert lines, "Alembic said nothing: the test would prove nothing"
    for line in lines:
        assert isinstance(json.loads(line), dict), line
    upgrades = [
        entry
        for entry in map(json.loads, lines)
        if entry["event"].startswith("Running upgrade") and entry["level"] == "info"
    ]
    assert upgrades and all(entry["logger"] == "alembic.runtime.migration" for entry in upgrades)
