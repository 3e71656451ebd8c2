"""Converting money into another currency at a stored rate, and counting sums of transactions
in one currency.

Exact: the product of integer minor units and a decimal rate is computed without rounding
(an inexact step raises), then rounded ONCE to the target's minor unit, half to even (ties go
to the even digit, so rounding does not drift one way over many rows). A report adds the
rounded figures of its rows as integers, so it equals the converted rows it covers, to the
cent; nothing is converted twice.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, Inexact, InvalidOperation, Overflow
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import InstrumentedAttribute

from services.ledger.models import Transaction
from shared.currencies import CURRENCY_EXPONENTS
from shared.errors import BadUserInput
from shared.money import MAX_INTEGER_DIGITS, Money

ROUNDING = ROUND_HALF_EVEN
# Wide enough for any product of an amount and a rate: nothing is rounded before the end.
_EXACT = Context(prec=120, rounding=ROUNDING, traps=[Inexact, InvalidOperation, Overflow])

# A rate of a trillion, or with more than 18 decimals, is a typo: 18 places keep eight
# significant digits even for the smallest real rates (a rial in euros is about 0.00002).
MAX_RATE_INTEGER_DIGITS = 12
MAX_RATE_DECIMALS = 18
# [0-9], not \d (which takes any script's digits); \Z, not $ (which allows a final newline).
_RATE = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?\Z")


def parse_rate(value: Decimal | str, field: str) -> Decimal:
    """An exchange rate, exactly: a plain positive decimal ("1.0825"), or BAD_USER_INPUT
    naming `field`. Never a float: one has already lost the rate's exact value."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BadUserInput(field, "must be a finite number")
        text = format(value, "f")
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise BadUserInput(field, 'must be a decimal string such as "1.0825"')
    match = _RATE.match(text)
    if not match:
        raise BadUserInput(field, 'must be a decimal number in the digits 0-9, such as "1.0825"')
    sign, whole, fraction = match.group(1), match.group(2).lstrip("0"), match.group(3) or ""
    fraction = fraction.rstrip("0")
    if sign == "-" or not (whole or fraction):
        raise BadUserInput(field, "must be greater than zero")
    if len(whole) > MAX_RATE_INTEGER_DIGITS:
        raise BadUserInput(field, "is too large")
    if len(fraction) > MAX_RATE_DECIMALS:
        raise BadUserInput(field, f"has more than {MAX_RATE_DECIMALS} decimal places")
    return Decimal(f"{whole or 0}.{fraction}" if fraction else whole)


@dataclass(frozen=True)
class Rate:
    """One unit of `currency` is worth `value` units of `quote_currency`, from `date` until the
    next rate of the pair."""

    currency: str
    quote_currency: str
    date: dt.date
    value: Decimal


def convert_minor(minor: int, rate: Rate) -> int:
    """`minor` units of the rate's currency in minor units of its quote currency, rounded once,
    half to even."""
    shift = CURRENCY_EXPONENTS[rate.quote_currency] - CURRENCY_EXPONENTS[rate.currency]
    exact = _EXACT.multiply(Decimal(minor), rate.value).scaleb(shift, _EXACT)
    return int(exact.to_integral_value(rounding=ROUNDING))


def storable(minor: int, currency: str) -> bool:
    """Whether a figure stays within what Tally accepts as an amount (13 integer digits)."""
    limit: int = 10 ** (MAX_INTEGER_DIGITS + CURRENCY_EXPONENTS[currency])
    return abs(minor) < limit


@dataclass(frozen=True)
class Conversion:
    """A converted figure and the rate it was converted at."""

    money: Money
    rate: Rate


class RateBook:
    """The user's rates into one quote currency, to find the one in force on a day: the latest
    dated on or before it (a rate dated after the day is never used)."""

    def __init__(self, quote_currency: str, rates: Iterable[Rate]) -> None:
        self.quote_currency = quote_currency
        self._rates: dict[str, list[Rate]] = {}
        for rate in sorted(rates, key=lambda rate: (rate.currency, rate.date)):
            if rate.quote_currency == quote_currency:
                self._rates.setdefault(rate.currency, []).append(rate)
        self._dates = {currency: [r.date for r in rates] for currency, rates in self._rates.items()}

    def rate_on(self, currency: str, day: dt.date) -> Rate | None:
        dates = self._dates.get(currency, [])
        index = bisect.bisect_right(dates, day)
        return self._rates[currency][index - 1] if index else None

    def convert(self, money: Money, day: dt.date) -> Conversion | None:
        """`money` (in another currency than the quote) at the rate in force on `day`; None
        without one."""
        rate = self.rate_on(money.currency, day)
        if rate is None:
            return None
        return Conversion(Money(convert_minor(money.minor, rate), self.quote_currency), rate)


@dataclass(frozen=True)
class Figures:
    """Transactions of one currency summed both ways: their own amounts, and their converted
    figures (when they have some, all in `converted_currency`)."""

    currency: str
    converted_currency: str | None
    amount_minor: int
    converted_minor: int
    count: int
    first_date: dt.date
    last_date: dt.date

    @classmethod
    def of(cls, row: Any) -> Figures:
        """From a row whose last columns are `figure_columns()`."""
        currency, converted_currency, amount, converted, count, first, last = row[-7:]
        return cls(
            currency=currency,
            converted_currency=converted_currency,
            amount_minor=int(amount),
            converted_minor=int(converted),
            count=int(count),
            first_date=first,
            last_date=last,
        )

    def minor_in(self, currency: str) -> int | None:
        """These transactions counted in `currency`: at their own amount when it is theirs, at
        their converted figure when that is in it; None while they wait for a rate."""
        if self.currency == currency:
            return self.amount_minor
        if self.converted_currency == currency:
            return self.converted_minor
        return None


def figure_columns() -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]:
    """Columns that sum transactions into `Figures`; group by the first two."""
    return (
        Transaction.currency,
        Transaction.converted_currency,
        func.sum(Transaction.amount_minor),
        func.coalesce(func.sum(Transaction.converted_minor), 0),
        func.count(),
        func.min(Transaction.date),
        func.max(Transaction.date),
    )


@dataclass(frozen=True)
class MissingRate:
    """Transactions of one currency that wait for a rate into the currency they are counted
    in, so no total counts them yet."""

    currency: str
    transaction_count: int
    amount: Money  # their net amount, in their own currency
    first_date: dt.date
    last_date: dt.date


class MissingRates:
    """What a total leaves out for lack of a rate, per currency."""

    def __init__(self) -> None:
        self._by_currency: dict[str, MissingRate] = {}

    def add(self, figures: Figures) -> None:
        count, minor = figures.count, figures.amount_minor
        first, last = figures.first_date, figures.last_date
        seen = self._by_currency.get(figures.currency)
        if seen is not None:
            count, minor = count + seen.transaction_count, minor + seen.amount.minor
            first, last = min(first, seen.first_date), max(last, seen.last_date)
        self._by_currency[figures.currency] = MissingRate(
            figures.currency, count, Money(minor, figures.currency), first, last
        )

    def listed(self) -> list[MissingRate]:
        return [self._by_currency[currency] for currency in sorted(self._by_currency)]


def count_in(currency: str, figures: Iterable[Figures], missing: MissingRates | None) -> int:
    """The figures counted in `currency`, in its minor units; what waits for a rate goes to
    `missing`."""
    total = 0
    for sums in figures:
        minor = sums.minor_in(currency)
        if minor is None:
            if missing is not None:
                missing.add(sums)
            continue
        total += minor
    return total


def share_figure(figure_minor: int, amounts: Sequence[int]) -> list[int]:
    """A transaction's converted figure divided among its parts in proportion to their amounts
    (all of the transaction's sign, adding up to its amount): each share is the part converted
    at the transaction's rate, rounded down, and the cents left over go one each to the parts
    with the largest remainders (the earlier part on a tie). So the shares add up to the figure
    exactly, and the same parts always get the same shares."""
    total = sum(amounts)
    if total == 0 or any(amount == 0 or (amount > 0) != (total > 0) for amount in amounts):
        raise ValueError("parts must be non-zero and of the transaction's sign")
    magnitude, denominator = abs(figure_minor), abs(total)
    divided = [divmod(magnitude * abs(amount), denominator) for amount in amounts]
    shares = [quotient for quotient, _ in divided]
    left_over = magnitude - sum(shares)
    by_remainder = sorted(range(len(amounts)), key=lambda index: (-divided[index][1], index))
    for index in by_remainder[:left_over]:
        shares[index] += 1
    sign = -1 if figure_minor < 0 else 1
    return [sign * share for share in shares]
