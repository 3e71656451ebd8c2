"""Each CI run must really use the backends it is configured for: no silent fallback.

`.ci/run` sets TALLY_EXPECT_BACKENDS=postgresql,redis for the service-backed run; every run
also checks that what is in use is what the configuration names.
"""

from __future__ import annotations

import os

from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import text

from shared.config import get_settings
from shared.db import read_session
from shared.messaging import broker

EXPECTED = {name for name in os.environ.get("TALLY_EXPECT_BACKENDS", "").split(",") if name}


async def test_the_run_uses_the_backends_it_is_configured_for() -> None:
    async with read_session() as session:
        assert session.bind is not None
        dialect = session.bind.dialect.name
        if dialect == "postgresql":
            version = (await session.execute(text("SELECT version()"))).scalar_one()
            assert "PostgreSQL" in version
    if "postgresql" in EXPECTED:
        assert dialect == "postgresql"
    if "redis" in EXPECTED:
        assert get_settings().redis_url
        assert isinstance(broker, RedisBroker)
        assert broker.client.ping()
    settings = get_settings()
    configured_dialect = "sqlite" if settings.is_sqlite else "postgresql"
    assert dialect == configured_dialect
    assert isinstance(broker, RedisBroker) == bool(settings.redis_url)
