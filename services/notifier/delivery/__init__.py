"""Delivery: everything after a notification is raised.

- service.py      a delivery row per (notification, channel) written with the notification;
                  live publishing after commit; the job's claim (a lease), send and record
                  (SENT, a retry with backoff, FAILED with the reason); the daily digest; the
                  periodic pass that releases what waited; reading deliveries for GraphQL
- preferences.py  the user's quiet hours, digest, per-kind rate limits, kinds never emailed
                  and locale, validated field by field
- schedule.py     when things may go out in the user's time zone (pure functions)
- channels.py     the registry: Channel -> Sender (EMAIL here; PUSH and WEBHOOK stand-ins)
- choice.py       STAND-IN for the rule's channel choice until alertkinds merges
- outgoing.py     the contract every channel is written against (shared with the channels
                  branch, byte for byte)
- email.py        the EMAIL Sender; render.py the emails (Jinja2 templates/ and Babel);
                  mailer.py SMTP and what its answers mean; unsubscribe.py signed one-click
                  unsubscribe tokens (RFC 8058)
- repository.py   the deliveries, their notifications and the settings, queried
"""
