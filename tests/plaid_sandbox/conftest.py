"""Fixtures for the Plaid emulator tests (the harness itself is in `harness`).

Every response an emulator gives during a test is checked against Plaid's spec when the test
ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.plaid_sandbox.harness import Emulator, FakeClock, WebhookReceiver
from tests.support.plaid_contract import PlaidContract, assert_all_valid


@pytest.fixture(scope="session")
def plaid_contract() -> PlaidContract:
    return PlaidContract.load()


@pytest.fixture(scope="session")
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def shared_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    # One server for the session: starting and stopping uvicorn costs more than most tests.
    running = Emulator(
        tmp_path_factory.mktemp("plaid-emulator") / "plaid-state.sqlite3", FakeClock()
    )
    running.start()
    yield running
    running.stop()


def _checked(running: Emulator, plaid_contract: PlaidContract) -> Iterator[Emulator]:
    running.records.clear()
    running.clock.offset = timedelta()
    yield running
    running.clock.offset = timedelta()
    records = list(running.records)
    running.records.clear()
    assert records, "the emulator answered nothing"
    assert_all_valid(records, plaid_contract)


@pytest.fixture
def emulator(shared_emulator: Emulator, plaid_contract: PlaidContract) -> Iterator[Emulator]:
    """The running emulator; every response it gives during the test must follow the spec."""
    yield from _checked(shared_emulator, plaid_contract)


@pytest.fixture
def private_emulator(tmp_path: Path, plaid_contract: PlaidContract) -> Iterator[Emulator]:
    """An emulator of the test's own, on a fresh state file (for restarts)."""
    running = Emulator(tmp_path / "plaid-state.sqlite3", FakeClock())
    running.start()
    try:
        yield from _checked(running, plaid_contract)
    finally:
        running.stop()


@pytest.fixture
def clock(emulator: Emulator) -> FakeClock:
    return emulator.clock
