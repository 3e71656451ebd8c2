"""Every ISO 4217 currency with its minor unit, from the maintained `iso4217` package (the
published ISO table, updated with each amendment).

Codes without a minor unit (precious metals, SDR, testing and "no currency" codes) are not
money Tally counts, so they are not here.
"""

from __future__ import annotations

import iso4217

CURRENCY_EXPONENTS: dict[str, int] = {
    currency.code: currency.exponent
    for currency in iso4217.Currency
    if currency.exponent is not None
}
