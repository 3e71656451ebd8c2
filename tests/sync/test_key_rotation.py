"""Rotating the encryption keys: with a new key prepended, every stored Plaid access token
moves to it, so the old key can be dropped and the bank still syncs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr
from sqlalchemy import func, select

from services.sync import api
from services.sync.models import LinkedItem
from services.sync.runs import service as runs
from shared import crypto
from shared.config import get_settings
from shared.db import read_session
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")


@dataclass(frozen=True)
class Keys:
    old: str
    new: str


def _configure(monkeypatch: pytest.MonkeyPatch, keys: str) -> None:
    """TALLY_ENCRYPTION_KEYS as a restart with `keys` would read it (the keyring is cached)."""
    monkeypatch.setattr(get_settings(), "encryption_keys", SecretStr(keys))
    crypto._keyring.cache_clear()


@pytest.fixture
async def keys(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Keys]:
    """The key tokens are stored under now, and a new one; the run is left as it was found."""
    old = get_settings().secret("encryption_keys")
    assert "," not in old  # the test run generates one key
    keys = Keys(old=old, new=Fernet.generate_key().decode())
    yield keys
    # Every token back under the old key, then the old key alone, for the tests that follow.
    _configure(monkeypatch, f"{keys.old},{keys.new}")
    await api.rotate_encryption_keys()
    monkeypatch.undo()
    crypto._keyring.cache_clear()


async def _stored_token(bank_item: bank.LinkedBank) -> str:
    return (await bank.stored_item(bank_item.item_ref)).access_token_encrypted


async def _linked_items() -> int:
    async with read_session() as session:
        count = await session.scalar(select(func.count()).select_from(LinkedItem))
    return int(count or 0)


async def test_a_new_key_prepended_and_rotated_to_opens_every_access_token_alone(
    keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    linked = await bank.link_bank(await bank.new_user())
    await bank.first_sync_done(linked)
    before = await _stored_token(linked)
    assert Fernet(keys.old.encode()).decrypt(before.encode()).decode() == linked.access_token

    _configure(monkeypatch, f"{keys.new},{keys.old}")
    rotated = await api.rotate_encryption_keys(batch_size=2)

    stored = await _stored_token(linked)
    assert stored != before
    assert Fernet(keys.new.encode()).decrypt(stored.encode()).decode() == linked.access_token
    with pytest.raises(InvalidToken):
        Fernet(keys.old.encode()).decrypt(stored.encode())
    # Every item of the run's database, a batch of two at a time (the last one maybe short).
    assert rotated == await _linked_items()

    # With the old key dropped, the bank still syncs.
    _configure(monkeypatch, keys.new)
    assert crypto.decrypt(stored) == linked.access_token
    assert (await runs.sync_linked_item(linked.item_ref)).outcome == "synced"


async def test_rotating_again_leaves_every_token_under_the_newest_key(
    keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    linked = await bank.link_bank(await bank.new_user())
    await bank.first_sync_done(linked)
    _configure(monkeypatch, f"{keys.new},{keys.old}")

    first = await api.rotate_encryption_keys()
    second = await api.rotate_encryption_keys(batch_size=1)

    assert first == second == await _linked_items()
    stored = await _stored_token(linked)
    assert Fernet(keys.new.encode()).decrypt(stored.encode()).decode() == linked.access_token
