"""Item health: the status of a linked item (HEALTHY, LOGIN_REQUIRED, ERROR) as webhooks and
sync errors report it, an older observation never overwriting a newer one.
"""
