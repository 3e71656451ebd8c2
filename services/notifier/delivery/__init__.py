"""Delivery: telling users about new notifications beyond the inbox.

- service.py     after commit, publish new notifications live and queue their emails; the
                 email claim (a lease, so one delivery sends each email), its release and
                 the record that it was sent
- compose.py     the email a notification becomes (plain text with an HTML alternative)
- mailer.py      SMTP: where TALLY_SMTP_URL points, and sending in a thread
- repository.py  the notifications table as delivery reads and claims it, by id
"""
