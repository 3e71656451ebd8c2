"""Rotating the encryption keys: with a new key prepended, every stored Plaid access token
moves to it (those of linked items, and those of deleted users' items still to be removed at
Plaid), so the old key can be dropped and the bank still syncs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr
from sqlalchemy import delete, func, select

from services.sync import api
from services.sync.models import ItemRemoval, LinkedItem
from services.sync.runs import service as runs
from services.sync.user_data import repository as user_data
from shared import crypto
from shared.config import get_settings
from shared.db import read_session, unit_of_work
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


async def _stored_tokens() -> int:
    """How many access tokens the database holds: linked items', and removals' to come."""
    async with read_session() as session:
        items = await session.scalar(select(func.count()).select_from(LinkedItem))
        removals = await session.scalar(select(func.count()).select_from(ItemRemoval))
    return int(items or 0) + int(removals or 0)


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
    assert rotated == await _stored_tokens()

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

    assert first == second == await _stored_tokens()
    stored = await _stored_token(linked)
    assert Fernet(keys.new.encode()).decrypt(stored.encode()).decode() == linked.access_token


async def test_a_deleted_users_item_waiting_for_its_removal_at_plaid_moves_to_the_new_key(
    keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with unit_of_work() as work:
        removal_id = user_data.add_removal(
            work.session, "item-of-someone-gone", crypto.encrypt("access-sandbox-gone")
        )
    try:
        _configure(monkeypatch, f"{keys.new},{keys.old}")
        await api.rotate_encryption_keys()

        async with read_session() as session:
            removal = await session.get(ItemRemoval, removal_id)
        assert removal is not None
        token = removal.access_token_encrypted
        assert Fernet(keys.new.encode()).decrypt(token.encode()).decode() == "access-sandbox-gone"
    finally:
        async with unit_of_work() as work:
            await work.session.execute(delete(ItemRemoval).where(ItemRemoval.id == removal_id))
