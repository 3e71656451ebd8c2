"""A user's delivery settings: quiet hours, the daily digest, per-kind rate limits, the kinds
whose emails are off, and the locale emails are written in. Validated here, field by field.

Functions take a session or a unit of work and never commit.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel import Locale, UnknownLocaleError
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.delivery import repository
from services.notifier.models import DeliverySettings
from services.notifier.rules.service import AlertKind
from shared import clock
from shared.db import UnitOfWork
from shared.errors import BadUserInput

# At most this many notifications of one kind an hour go out by email, push or webhook unless
# the user says otherwise; the rest wait for the digest (email) or are marked FAILED "rate
# limited" (push, webhook). The in-app inbox is never limited.
DEFAULT_PER_HOUR = 10
MAX_PER_HOUR = 1000
# The hour the digest goes out when the user set none but a rate limit sent something there.
DEFAULT_DIGEST_HOUR = 8
_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
KEEP: Any = object()


@dataclass(frozen=True)
class QuietHours:
    start_minute: int
    end_minute: int

    @staticmethod
    def text(minute: int) -> str:
        return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class Digest:
    hour: int
    kinds: frozenset[str] | None  # None: every kind

    def covers(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


@dataclass(frozen=True)
class Preferences:
    time_zone: str = "UTC"
    locale: str = "en"
    quiet_hours: QuietHours | None = None
    digest: Digest | None = None
    rate_limits: dict[str, int] = field(default_factory=dict)
    email_off_kinds: frozenset[str] = frozenset()
    digest_sent_for: date | None = None

    def per_hour(self, kind: str) -> int:
        return self.rate_limits.get(kind, DEFAULT_PER_HOUR)

    @property
    def digest_hour(self) -> int:
        return self.digest.hour if self.digest else DEFAULT_DIGEST_HOUR


@dataclass(frozen=True)
class PreferenceChanges:
    """What to change; KEEP leaves a field as it is, None clears quiet hours or the digest."""

    quiet_hours: tuple[str, str] | None = KEEP  # ("22:00", "07:00")
    digest: tuple[int, Sequence[str] | None] | None = KEEP  # (hour, kinds or None for all)
    rate_limits: Sequence[tuple[str, int]] = KEEP  # replaces the whole list
    email_off_kinds: Sequence[str] = KEEP
    locale: str = KEEP


async def preferences(session: AsyncSession, user_id: uuid.UUID) -> Preferences:
    """The user's settings, the defaults where they set nothing."""
    person = await repository.recipient(session, user_id)
    row = await repository.settings(session, user_id)
    return _view(row, person.time_zone if person else "UTC", person.locale if person else "en")


def _view(row: DeliverySettings | None, time_zone: str, locale: str) -> Preferences:
    if row is None:
        return Preferences(time_zone=time_zone, locale=locale)
    quiet = None
    if row.quiet_start_minute is not None and row.quiet_end_minute is not None:
        quiet = QuietHours(row.quiet_start_minute, row.quiet_end_minute)
    digest = None
    if row.digest_hour is not None:
        kinds = frozenset(row.digest_kinds) if row.digest_kinds is not None else None
        digest = Digest(row.digest_hour, kinds)
    return Preferences(
        time_zone=time_zone,
        locale=locale,
        quiet_hours=quiet,
        digest=digest,
        rate_limits=dict(row.rate_limits or {}),
        email_off_kinds=frozenset(row.email_off_kinds or ()),
        digest_sent_for=row.digest_sent_for,
    )


def _minute(text: str, name: str) -> int:
    found = _CLOCK_TIME.match(text.strip())
    if found is None:
        raise BadUserInput(name, "must be a time of day as HH:MM (00:00 to 23:59)")
    return int(found[1]) * 60 + int(found[2])


def _kind(text: str, name: str) -> str:
    if text not in AlertKind.__members__:
        raise BadUserInput(name, "is not an alert kind")
    return text


def clean_locale(text: str, name: str = "input.locale") -> str:
    """A locale Babel knows ("en", "fr_CH", "de-AT"), in Babel's spelling."""
    try:
        return str(Locale.parse(text.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise BadUserInput(name, "is not a locale (e.g. en, en_GB, fr_CH)") from None


async def update_preferences(
    work: UnitOfWork, user_id: uuid.UUID, changes: PreferenceChanges
) -> Preferences:
    """Apply `changes` (all validated before anything is written); the settings as they are
    now. Raises BadUserInput naming the field."""
    values: dict[str, Any] = {}
    if changes.quiet_hours is not KEEP:
        if changes.quiet_hours is None:
            values |= {"quiet_start_minute": None, "quiet_end_minute": None}
        else:
            start = _minute(changes.quiet_hours[0], "input.quietHours.start")
            end = _minute(changes.quiet_hours[1], "input.quietHours.end")
            if start == end:
                raise BadUserInput("input.quietHours.end", "must differ from the start")
            values |= {"quiet_start_minute": start, "quiet_end_minute": end}
    if changes.digest is not KEEP:
        if changes.digest is None:
            values |= {"digest_hour": None, "digest_kinds": None}
        else:
            hour, kinds = changes.digest
            if not 0 <= hour <= 23:
                raise BadUserInput("input.digest.hour", "must be an hour from 0 to 23")
            if kinds is not None:
                kinds = sorted({_kind(kind, "input.digest.kinds") for kind in kinds})
                if not kinds:
                    raise BadUserInput("input.digest.kinds", "must name a kind, or be null for all")
            values |= {"digest_hour": hour, "digest_kinds": kinds}
    if changes.rate_limits is not KEEP:
        limits: dict[str, int] = {}
        for kind, per_hour in changes.rate_limits:
            kind = _kind(kind, "input.rateLimits.kind")
            if kind in limits:
                raise BadUserInput("input.rateLimits.kind", "names a kind twice")
            if not 1 <= per_hour <= MAX_PER_HOUR:
                raise BadUserInput("input.rateLimits.perHour", f"must be from 1 to {MAX_PER_HOUR}")
            limits[kind] = per_hour
        values["rate_limits"] = limits
    if changes.email_off_kinds is not KEEP:
        values["email_off_kinds"] = sorted(
            {_kind(kind, "input.emailOffKinds") for kind in changes.email_off_kinds}
        )
    locale = clean_locale(changes.locale) if changes.locale is not KEEP else None
    await _write(work, user_id, values)
    if locale is not None:
        person = await repository.recipient(work.session, user_id)
        if person is not None:
            person.locale, person.updated_at = locale, clock.utcnow()
    return await preferences(work.session, user_id)


async def _write(work: UnitOfWork, user_id: uuid.UUID, values: dict[str, Any]) -> None:
    row = await repository.settings(work.session, user_id)
    if row is None:
        row = DeliverySettings(user_id=user_id, rate_limits={}, email_off_kinds=[])
        repository.add_settings(work.session, row)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = clock.utcnow()
    await work.session.flush()


async def switch_email_off(work: UnitOfWork, user_id: uuid.UUID, kinds: Collection[str]) -> None:
    """The one-click unsubscribe: no more emails of these kinds (other channels unchanged).
    Nothing for a user the notifier does not know (deleted since the email went)."""
    if await repository.recipient(work.session, user_id) is None:
        return
    current = await preferences(work.session, user_id)
    await _write(work, user_id, {"email_off_kinds": sorted(current.email_off_kinds | set(kinds))})


async def record_digest_sent(work: UnitOfWork, user_id: uuid.UUID, day: date) -> None:
    await _write(work, user_id, {"digest_sent_for": day})
