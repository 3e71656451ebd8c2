"""The email a notification becomes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.notifier.delivery.compose import OutgoingEmail, compose

CREATED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_an_email_escapes_what_users_typed_into_its_html() -> None:
    email = OutgoingEmail(
        notification_id=uuid.uuid4(),
        to="ann@example.com",
        subject="<b>Tools</b> budget overspent",
        body="You've spent $5.00 of your $1.00 <script>x</script> budget.",
        created_at=CREATED,
    )

    message = compose(email, sender="Tally <a@b.c>", public_url="https://tally.example/")

    html = message.get_body(preferencelist=("html",))
    assert html is not None
    content = html.get_content()
    assert "<script>" not in content
    assert "&lt;script&gt;" in content
    assert 'href="https://tally.example/notifications"' in content
    assert message["Message-ID"] == f"<notification.{email.notification_id.hex}@tally.example>"
