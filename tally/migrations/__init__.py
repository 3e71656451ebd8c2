"""Migrations of every service's tables, applied together.

Each service keeps its own branch of Alembic revisions in `services/<service>/migrations/`;
this package is the one Alembic environment that knows all of them (it is the only code that
reads every service's models), and `tally migrate` applies every head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

SERVICES = ("gateway", "ledger", "sync", "notifier")
_ROOT = Path(__file__).resolve().parent.parent.parent
# Each service's branch, and the outbox's (shared by every service's units of work).
VERSION_LOCATIONS = (
    *(_ROOT / "services" / service / "migrations" for service in SERVICES),
    _ROOT / "shared" / "migrations",
)


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parent))
    config.set_main_option(
        "version_locations",
        " ".join(str(location) for location in VERSION_LOCATIONS),
    )
    config.set_main_option("path_separator", "space")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Apply every service's migrations up to its head."""
    command.upgrade(alembic_config(database_url), "heads")
