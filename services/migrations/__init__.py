"""Alembic environment. Each service keeps its own branch of revisions in
`services/<service>/migrations/`; `tally migrate` applies every head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

SERVICES = ("gateway", "ledger", "sync", "notifier")
_ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parent))
    config.set_main_option(
        "version_locations",
        " ".join(str(_ROOT / service / "migrations") for service in SERVICES),
    )
    config.set_main_option("path_separator", "space")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Apply every service's migrations up to its head."""
    command.upgrade(alembic_config(database_url), "heads")
