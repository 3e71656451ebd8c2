"""Notification settings in the graph: quiet hours, the daily digest, rate limits, the kinds
never emailed and the emails' locale, and changing them."""

from __future__ import annotations

import strawberry

from services.notifier.delivery import preferences as delivery_preferences
from services.notifier.graphql.kinds import AlertKind
from shared.graphql import patch_field


@strawberry.type(description="Hours in which nothing is sent but in the app (held, then sent).")
class QuietHours:
    start: str = strawberry.field(description="Local time they start, HH:MM.")
    end: str = strawberry.field(
        description="Local time they end, HH:MM (before the start: they span midnight)."
    )


@strawberry.type(description="One email a day instead of single ones.")
class DailyDigest:
    hour: int = strawberry.field(description="The local hour it goes out, 0 to 23.")
    kinds: list[AlertKind] | None = strawberry.field(
        description="The kinds it gathers; null for every kind."
    )


@strawberry.type(description="At most so many notifications of a kind an hour, beyond the app.")
class RateLimit:
    kind: AlertKind = strawberry.field(description="The kind.")
    per_hour: int = strawberry.field(
        description="How many an hour at most; more go into the digest (email) or are marked "
        "FAILED (push, webhook). The app shows them all."
    )


@strawberry.type(description="How the caller is told beyond the app.")
class NotificationSettings:
    time_zone: str = strawberry.field(description="The caller's time zone (IANA), for the hours.")
    locale: str = strawberry.field(description="The locale emails are written in, e.g. en_GB.")
    quiet_hours: QuietHours | None = strawberry.field(description="Null: no quiet hours.")
    digest: DailyDigest | None = strawberry.field(description="Null: single emails only.")
    rate_limits: list[RateLimit] = strawberry.field(
        description="Per kind; kinds not listed allow defaultRateLimitPerHour."
    )
    default_rate_limit_per_hour: int = strawberry.field(
        description="The limit of kinds not listed in rateLimits."
    )
    email_off_kinds: list[AlertKind] = strawberry.field(
        description="Kinds never emailed (switched off here or by an email's unsubscribe link)."
    )

    @classmethod
    def of(cls, prefs: delivery_preferences.Preferences) -> NotificationSettings:
        quiet = prefs.quiet_hours
        digest = prefs.digest
        return cls(
            time_zone=prefs.time_zone,
            locale=prefs.locale,
            quiet_hours=(
                QuietHours(start=quiet.text(quiet.start_minute), end=quiet.text(quiet.end_minute))
                if quiet
                else None
            ),
            digest=(
                DailyDigest(
                    hour=digest.hour,
                    kinds=(
                        [AlertKind(kind) for kind in sorted(digest.kinds)]
                        if digest.kinds is not None
                        else None
                    ),
                )
                if digest
                else None
            ),
            rate_limits=[
                RateLimit(kind=AlertKind(kind), per_hour=limit)
                for kind, limit in sorted(prefs.rate_limits.items())
                if kind in AlertKind.__members__
            ],
            default_rate_limit_per_hour=delivery_preferences.DEFAULT_PER_HOUR,
            email_off_kinds=[
                AlertKind(kind)
                for kind in sorted(prefs.email_off_kinds)
                if kind in AlertKind.__members__
            ],
        )


@strawberry.input(description="Quiet hours, in the caller's time zone.")
class QuietHoursInput:
    start: str = strawberry.field(description="HH:MM, e.g. 22:00.")
    end: str = strawberry.field(description="HH:MM, e.g. 07:00 (before start: spans midnight).")


@strawberry.input(description="The daily digest.")
class DailyDigestInput:
    hour: int = strawberry.field(description="The local hour it goes out, 0 to 23.")
    kinds: list[AlertKind] | None = strawberry.field(
        default=None, description="The kinds it gathers; null for every kind."
    )


@strawberry.input(description="A per-kind rate limit.")
class RateLimitInput:
    kind: AlertKind = strawberry.field(description="The kind.")
    per_hour: int = strawberry.field(description="At most this many an hour, 1 to 1000.")


@strawberry.input(
    description="What to change in the caller's notification settings; absent "
    "fields stay as they are, null clears quiet hours or the digest."
)
class UpdateNotificationSettingsInput:
    quiet_hours: QuietHoursInput | None = patch_field("New quiet hours; null for none.")
    digest: DailyDigestInput | None = patch_field("The daily digest; null for single emails.")
    rate_limits: list[RateLimitInput] | None = patch_field("Replaces every per-kind limit.")
    email_off_kinds: list[AlertKind] | None = patch_field("Replaces the kinds never emailed.")
    locale: str | None = patch_field("The locale emails are written in, e.g. fr_CH.")


@strawberry.type(description="What updateNotificationSettings changed.")
class UpdateNotificationSettingsPayload:
    notification_settings: NotificationSettings = strawberry.field(
        description="The settings as they are now."
    )
