"""Web push: browsers' push subscriptions, and the notifications sent to them.

- service.py     this server's VAPID public key; registering, listing and removing a user's
                 subscriptions (each endpoint checked by outbound.py)
- sender.py      send_push, the PUSH channel's Sender: one notification, encrypted per RFC 8291
                 (aes128gcm, with pywebpush) and signed per RFC 8292 (VAPID), to every
                 subscription of the user; the ones the push service says are gone (404/410)
                 are removed
- repository.py  the subscriptions table, by user
"""
