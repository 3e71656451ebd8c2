"""Alert rules: which alerts a user wants, of which kind, with which threshold or category.

- service.py     the kinds, the default rule every user gets, creating, listing, changing and
                 deleting rules (and the enabled ones evaluation reads)
- repository.py  the alert rules table, scoped by user
"""
