"""The emails notifications become: Jinja2 templates, autoescaped, in the reader's locale and
time zone, with the one-click unsubscribe and bounce-safe headers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from services.notifier.delivery import render, unsubscribe
from services.notifier.delivery.outgoing import OutgoingNotification

CREATED = datetime(2026, 11, 20, 17, 5, tzinfo=UTC)
SITE = render.Site(sender="Tally <alerts@tally.example>", public_url="https://tally.example/")


def _notification(**changes: object) -> OutgoingNotification:
    fields: dict[str, object] = {
        "notification_id": uuid.uuid4(),
        "user_id": uuid.uuid4(),
        "kind": "LARGE_TRANSACTION",
        "title": "Large transaction: $1,234.50",
        "body": "Whole Foods took $1,234.50 out of your account today.",
        "created_at": CREATED,
        "idempotency_key": "k",
        "data": {"amount": {"amount": "-1234.50", "currency": "USD"}},
    }
    return OutgoingNotification(**(fields | changes))  # type: ignore[arg-type]


def test_an_email_escapes_what_users_typed_into_its_html() -> None:
    n = _notification(
        title="<b>Tools</b> budget overspent", body="Spent at <script>x</script> & co."
    )
    reader = render.Reader(n.user_id, "ann@example.com", "en", "UTC")

    message = render.notification_email(n, reader, SITE)

    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Tools&lt;/b&gt;" in html
    assert "Spent at <script>x</script> & co." in text  # plain text stays as typed
    assert 'href="https://tally.example/notifications"' in html
    assert message["Message-ID"] == f"<notification.{n.notification_id.hex}@tally.example>"


def test_dates_and_amounts_follow_the_readers_locale_and_time_zone() -> None:
    n = _notification()
    swiss = render.Reader(n.user_id, "ann@example.ch", "de_CH", "Europe/Zurich")
    american = render.Reader(n.user_id, "ann@example.com", "en_US", "America/New_York")

    swiss_text = render.notification_email(n, swiss, SITE).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    us_text = render.notification_email(n, american, SITE).get_body(("plain",)).get_content()  # type: ignore[union-attr]

    assert "Amount: $-1'234.50" in swiss_text
    assert "20.11.2026, 18:05" in swiss_text  # 17:05 UTC is 18:05 in Zurich
    assert "Amount: -$1,234.50" in us_text
    assert "Nov 20, 2026, 12:05\u202fPM" in us_text


def test_every_email_carries_a_one_click_unsubscribe_for_its_kind_and_no_auto_replies() -> None:
    n = _notification()
    reader = render.Reader(n.user_id, "ann@example.com", "en", "UTC")

    message = render.notification_email(n, reader, SITE)

    link = unsubscribe.link(SITE.public_url, n.user_id, "LARGE_TRANSACTION")
    assert message["List-Unsubscribe"] == f"<{link}>"
    # On the wire as the URL itself (one line), not an encoded word a client cannot follow.
    assert f"\nList-Unsubscribe: <{link}>\n".encode() in bytes(message).replace(b"\r", b"")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "All"
    assert link in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = unsubscribe.verify(link.split("token=")[1])
    assert found == unsubscribe.Unsubscription(n.user_id, "LARGE_TRANSACTION")


def test_an_unsubscribe_token_cannot_be_bent_to_another_user_or_kind() -> None:
    user = uuid.uuid4()
    good = unsubscribe.token(user, "LARGE_TRANSACTION")
    user_hex, kind, signature = good.split(".")

    assert unsubscribe.verify(f"{uuid.uuid4().hex}.{kind}.{signature}") is None
    assert unsubscribe.verify(f"{user_hex}.BUDGET_OVERSPENT.{signature}") is None
    assert unsubscribe.verify(f"{user_hex}.{kind}.{'0' * 40}") is None
    assert unsubscribe.verify("garbage") is None


def test_the_digest_lists_each_notification_in_the_readers_words() -> None:
    user = uuid.uuid4()
    reader = render.Reader(user, "ann@example.fr", "fr_FR", "Europe/Paris")
    items = [
        render.DigestItem("LARGE_TRANSACTION", "Gros achat", "Un <achat>.", CREATED, {}),
        render.DigestItem(
            "BUDGET_OVERSPENT",
            "Budget dépassé",
            "Courses.",
            CREATED,
            {"overBy": {"amount": "12.5", "currency": "EUR"}},
        ),
    ]

    message = render.digest_email(items, date(2026, 11, 21), reader, SITE, CREATED)

    assert message["Subject"] == "Your Tally digest for samedi 21 novembre 2026: 2 alerts"
    assert message["Message-ID"] == f"<digest.{user.hex}.2026-11-21@tally.example>"
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Un &lt;achat&gt;." in html
    assert "12,50\u00a0€" in html
    assert unsubscribe.link(SITE.public_url, user, "ALL") in message["List-Unsubscribe"]
