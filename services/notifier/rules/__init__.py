"""Alert rules: which alerts a user wants, of which kind, with which parameters and scope,
through which channels, snoozed or not.

- kinds.py       the kinds: each one's parameters (checked), scopes, and whether a clock
                 drives it; the channel names
- service.py     the default rule every user gets, creating, listing, changing, snoozing and
                 deleting rules (and the enabled ones evaluation reads), a rule's channels
- repository.py  the alert rules table, scoped by user
"""
