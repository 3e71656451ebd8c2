"""Amounts are read exactly, in ASCII digits only, wherever they are typed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.errors import BadUserInput
from shared.graphql import _parse_decimal
from shared.money import Money

# "123" and "3.5" in other scripts: str.isdigit(), \d, int() and Decimal() all read them.
OTHER_SCRIPTS_DIGITS = (
    "\u0661\u0662\u0663",  # Arabic-Indic
    "\u06f1\u06f2\u06f3",  # Extended Arabic-Indic (Persian)
    "\uff11\uff12\uff13",  # full-width
    "\u0967\u0968\u0969",  # Devanagari
    "\u0663.\u0665",
    "1\uff12",
    "-\u0661",
)


def test_amounts_in_ascii_digits_are_read_exactly() -> None:
    assert Money.parse("123", "USD") == Money(12300, "USD")
    assert Money.parse(" -12.340 ", "USD") == Money(-1234, "USD")
    assert Money.parse(Decimal("0.5"), "EUR") == Money(50, "EUR")
    assert _parse_decimal("-12.34") == Decimal("-12.34")


@pytest.mark.parametrize("text", OTHER_SCRIPTS_DIGITS)
def test_digits_of_other_scripts_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(BadUserInput) as error:
        Money.parse(text, "USD", "input.amount")
    assert error.value.field == "input.amount"
    with pytest.raises(ValueError, match="digits 0-9"):
        _parse_decimal(text)


def test_amounts_of_one_currency_order_by_value() -> None:
    assert Money(-500, "USD") < Money(100, "USD") <= Money(100, "USD") < Money(101, "USD")
    assert max(Money(5, "EUR"), Money(7, "EUR")) == Money(7, "EUR")


@pytest.mark.parametrize("compare", ["<", "<=", ">", ">="])
def test_amounts_of_two_currencies_do_not_order(compare: str) -> None:
    dollars, yen = Money(500, "USD"), Money(500, "JPY")
    with pytest.raises(ValueError, match="cannot mix USD and JPY"):
        eval(f"dollars {compare} yen", {}, {"dollars": dollars, "yen": yen})  # noqa: S307
    assert dollars != yen
