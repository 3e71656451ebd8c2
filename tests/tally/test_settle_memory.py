"""A started server process moves what it loaded out of the garbage collector's way."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tally.serving import GC_YOUNG_THRESHOLD, settle_memory


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_what_is_loaded_is_frozen_and_the_young_collected_less_often(
    restored_collector: None,
) -> None:
    loaded = {"a long-lived object": object()}
    settle_memory()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
    # Frozen objects are out of every generation the collector scans.
    assert not any(item is loaded for item in gc.get_objects())
