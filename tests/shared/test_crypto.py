"""Encryption at rest: any listed key opens, rotation moves to the newest, a stranger's fails."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from shared import crypto
from shared.config import get_settings


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    _use(monkeypatch, old)
    yield old, new
    monkeypatch.undo()  # the run's own keys again
    get_settings.cache_clear()
    crypto._keyring.cache_clear()


def _use(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TALLY_ENCRYPTION_KEYS", value)
    get_settings.cache_clear()
    crypto._keyring.cache_clear()


def test_rotation_moves_a_secret_to_the_newest_key(
    keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = keys
    sealed = crypto.encrypt("access-sandbox-123")
    _use(monkeypatch, f"{new},{old}")
    assert crypto.decrypt(sealed) == "access-sandbox-123"  # any listed key opens
    rotated = crypto.reencrypt(sealed)
    _use(monkeypatch, new)
    assert crypto.decrypt(rotated) == "access-sandbox-123"


def test_a_secret_no_listed_key_opens_is_a_clear_error(
    keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, new = keys
    sealed = crypto.encrypt("access-sandbox-123")
    _use(monkeypatch, new)
    for attempt in (crypto.decrypt, crypto.reencrypt):
        with pytest.raises(ValueError, match="no configured key matches"):
            attempt(sealed)
