"""Currencies: each user's base currency, the exchange rates they enter or import (nothing is
fetched), and converting transactions into the base currency at those rates.

    conversion.py   the arithmetic (exact, rounded once, half to even), the rate book, and
                    counting sums of transactions in one currency
    rate_file.py    reading rates from CSV text, with errors naming the row and column
    service.py      base currency, rates, converting what waits for a rate
    repository.py   their queries, each scoped by the owning user

A transaction in another currency keeps its converted figure and the rate it was converted at
(the latest rate on or before its date, when one exists): adding a rate converts only what
still waits for one, so a figure, once converted, never changes with new rates.
"""
