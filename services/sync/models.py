"""SQLAlchemy tables of the sync service. No other service imports this module."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from shared.db import service_metadata

metadata = service_metadata()


class Base(DeclarativeBase):
    metadata = metadata
