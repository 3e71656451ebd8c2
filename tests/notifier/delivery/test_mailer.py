"""Where TALLY_SMTP_URL says to send email, and how."""

from __future__ import annotations

import pytest

from services.notifier.delivery import mailer


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:2525", mailer.SmtpServer("127.0.0.1", 2525, "plain", None, None)),
        ("smtp://mail.example.com", mailer.SmtpServer("mail.example.com", 25, "plain", None, None)),
        (
            "smtp://ann%40example.com:p%3Ass@mail.example.com:587?starttls=1",
            mailer.SmtpServer("mail.example.com", 587, "starttls", "ann@example.com", "p:ss"),
        ),
        (
            "smtp://mail.example.com?starttls=true",
            mailer.SmtpServer("mail.example.com", 587, "starttls", None, None),
        ),
        (
            "smtps://u:p@mail.example.com",
            mailer.SmtpServer("mail.example.com", 465, "tls", "u", "p"),
        ),
    ],
)
def test_the_smtp_url_says_where_and_how_to_send(url: str, expected: mailer.SmtpServer) -> None:
    assert mailer.parse_smtp_url(url) == expected


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "mail.example.com:25"])
def test_a_malformed_smtp_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="TALLY_SMTP_URL"):
        mailer.parse_smtp_url(url)
