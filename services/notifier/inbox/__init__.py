"""The inbox: a user's in-app notifications, as stored, listed and read.

- service.py     the notification as users see it (and its live payload), the live topic,
                 listing newest first in keyset pages, marking read
- repository.py  the notifications table, scoped by user
"""
