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
_SERVICES_ROOT = Path(__file__).resolve().parent.parent.parent / "services"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parent))
    config.set_main_option(
        "version_locations",
        " ".join(str(_SERVICES_ROOT / service / "migrations") for service in SERVICES),
    )
    config.set_main_option("path_separator", "space")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Apply every service's migrations up to its head."""
    command.upgrade(alembic_config(database_url), "heads")
