"""Payees: whom money went to or came from. A bank's or a user's description is normalised
into a key ("SQ *BLUE BOTTLE COFFEE 0412" -> "blue bottle coffee", normalise.py); each key
means one payee of the user, created the first time the key is seen, renamed and merged by
the user (a merge moves the keys, so later descriptions find the payee merged into)."""
