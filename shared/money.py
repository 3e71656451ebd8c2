"""The one money type: integer minor units plus an ISO 4217 currency.

Decimal only at the edges (parsing input, rendering output). No float, ever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from shared.currencies import CURRENCY_EXPONENTS
from shared.errors import BadUserInput

# Every ISO 4217 currency (with a minor unit) is one Tally accepts.

# Absurd sizes are refused: 13 integer digits is ten trillion, beyond any personal ledger,
# and keeps every sum far inside a signed 64-bit integer of minor units.
MAX_INTEGER_DIGITS = 13
# [0-9], not \d: \d (and int()) also accept Arabic-Indic, full-width and every other script's
# digits, which no client means as an amount. \Z, not $: $ also matches before a final "\n".
_AMOUNT = re.compile(r"[+-]?([0-9]+)(?:\.([0-9]+))?\Z")


def currency_exponent(currency: str, field: str = "currency") -> int:
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise BadUserInput(
            field, f"unknown currency {currency[:8]!r}; use an ISO 4217 code"
        ) from None


def parse_currency(text: str, field: str = "currency") -> str:
    code = text.strip().upper()
    currency_exponent(code, field)
    return code


@dataclass(frozen=True, slots=True)
class Money:
    minor: int
    currency: str

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, value: str | Decimal | int, currency: str, field: str = "amount") -> Money:
        """Parse input exactly: no NaN, infinity, exponent, excess decimals or absurd size."""
        exponent = currency_exponent(currency)
        if isinstance(value, (bool, float)):
            raise BadUserInput(field, 'must be a decimal string such as "12.34"')
        text = str(value).strip() if not isinstance(value, Decimal) else _plain(value, field)
        match = _AMOUNT.match(text)
        if not match:
            raise BadUserInput(
                field, 'must be a decimal number in the digits 0-9, such as "-12.34"'
            )
        whole, fraction = match.group(1), match.group(2) or ""
        if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
            raise BadUserInput(field, "is too large")
        fraction = fraction.rstrip("0")
        if len(fraction) > exponent:
            raise BadUserInput(field, f"has more than {exponent} decimal places for {currency}")
        minor = int(whole) * 10**exponent + (int(fraction.ljust(exponent, "0")) if exponent else 0)
        return cls(-minor if text.startswith("-") else minor, currency)

    @classmethod
    def from_decimal(cls, amount: Decimal, currency: str) -> Money:
        """Trusted decimals (e.g. from a bank) that must already be exact in the currency."""
        exponent = currency_exponent(currency)
        scaled = amount.scaleb(exponent)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{amount} is not exact in {currency}")
        return cls(int(scaled), currency)

    @property
    def amount(self) -> Decimal:
        exponent = CURRENCY_EXPONENTS[self.currency]
        return Decimal(self.minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    # Ordered only within a currency: 5 USD is neither more nor less than 500 JPY.
    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.minor >= other.minor

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def _plain(value: Decimal, field: str) -> str:
    if not value.is_finite():
        raise BadUserInput(field, "must be a finite number")
    return format(value, "f")
