"""The `tally` command as an operator meets it."""

from __future__ import annotations

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
        build_parser().parse_args(["worker", "ledger"])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'ledger'" in error
    assert "notifier" in error and "sync" in error


def test_the_mounted_emulator_calls_back_only_to_loopback_and_the_public_address() -> None:
    from shared.config import Settings
    from tally.app import emulator_webhook_hosts

    hosts = emulator_webhook_hosts(Settings(public_url="https://tally.example.com:8443/"))
    assert set(hosts) == {"127.0.0.1", "::1", "localhost", "tally.example.com"}
