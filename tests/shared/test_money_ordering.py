"""Money compares only with money of its own currency."""

from __future__ import annotations

import pytest

from shared.money import Money


def test_amounts_of_one_currency_order_by_value() -> None:
    assert Money(-500, "USD") < Money(100, "USD") <= Money(100, "USD") < Money(101, "USD")
    assert max(Money(5, "EUR"), Money(7, "EUR")) == Money(7, "EUR")


@pytest.mark.parametrize("compare", ["<", "<=", ">", ">="])
def test_amounts_of_two_currencies_do_not_order(compare: str) -> None:
    dollars, yen = Money(500, "USD"), Money(500, "JPY")
    with pytest.raises(ValueError, match="cannot mix USD and JPY"):
        eval(f"dollars {compare} yen", {}, {"dollars": dollars, "yen": yen})  # noqa: S307
    assert dollars != yen
