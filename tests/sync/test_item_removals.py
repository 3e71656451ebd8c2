"""Removing at Plaid, after the fact, a deleted user's item that Plaid did not confirm removing:
what time may cure is retried, any other refusal is kept for the scheduler, and a removal
Plaid confirms (or that finds the item already gone) is forgotten."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from services.sync.models import ItemRemoval
from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from services.sync.user_data import repository
from services.sync.user_data import service as user_data
from shared.crypto import encrypt
from shared.db import read_session, unit_of_work


@pytest.fixture
async def removal_id() -> AsyncIterator[uuid.UUID]:
    """A removal waiting for Plaid (gone after the test, whatever it did)."""
    async with unit_of_work() as work:
        made = repository.add_removal(
            work.session, f"item-{uuid.uuid4().hex[:8]}", encrypt("access-sandbox-gone")
        )
    yield made
    async with unit_of_work() as work:
        await repository.delete_removal(work.session, made)


async def _removal(removal_id: uuid.UUID) -> ItemRemoval | None:
    async with read_session() as session:
        return await session.get(ItemRemoval, removal_id)


def _plaid_answers(monkeypatch: pytest.MonkeyPatch, error: PlaidError | None) -> list[str]:
    asked: list[str] = []

    async def remove_item(access_token: str) -> None:
        asked.append(access_token)
        if error is not None:
            raise error

    monkeypatch.setattr(plaid_client, "remove_item", remove_item)
    return asked


async def test_plaid_down_is_retried_and_the_attempt_recorded(
    monkeypatch: pytest.MonkeyPatch, removal_id: uuid.UUID
) -> None:
    _plaid_answers(monkeypatch, PlaidError(503, "API_ERROR", "INTERNAL_SERVER_ERROR", "down"))

    with pytest.raises(PlaidError):
        await user_data.remove_pending_item(removal_id)

    removal = await _removal(removal_id)
    assert removal is not None
    assert (removal.attempts, removal.last_error_code) == (1, "INTERNAL_SERVER_ERROR")


async def test_a_refusal_time_will_not_cure_is_kept_for_later_without_a_retry_storm(
    monkeypatch: pytest.MonkeyPatch, removal_id: uuid.UUID
) -> None:
    _plaid_answers(monkeypatch, PlaidError(400, "INVALID_INPUT", "INVALID_API_KEYS", "keys"))

    await user_data.remove_pending_item(removal_id)  # no retry: the scheduler asks again

    removal = await _removal(removal_id)
    assert removal is not None
    assert removal.attempts == 1
    assert removal.last_error_code == "INVALID_API_KEYS"
    assert removal.attempted_at is not None


@pytest.mark.parametrize("answer", [None, "ITEM_NOT_FOUND", "INVALID_ACCESS_TOKEN"])
async def test_a_removal_plaid_confirms_or_finds_already_done_is_forgotten(
    monkeypatch: pytest.MonkeyPatch, removal_id: uuid.UUID, answer: str | None
) -> None:
    error = None if answer is None else PlaidError(400, "ITEM_ERROR", answer, "gone")
    asked = _plaid_answers(monkeypatch, error)

    await user_data.remove_pending_item(removal_id)
    await user_data.remove_pending_item(removal_id)  # delivered twice: nothing more to do

    assert await _removal(removal_id) is None
    assert asked == ["access-sandbox-gone"]
