"""Common foundations of every Tally service: config, database, money, ids, errors, messaging.

Nothing here knows a business rule, and nothing here imports a service.
"""
