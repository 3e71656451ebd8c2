"""Plaid's shapes into the ledger's: exact money read straight from Plaid's JSON, signs, types."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from services.sync.plaid import mapping, records
from services.sync.plaid.errors import PlaidError
from services.sync.plaid.records import PlaidAccount, PlaidTransaction
from shared.currencies import CURRENCY_EXPONENTS


def _transaction_json(amount_text: str, **overrides: Any) -> dict[str, Any]:
    """A transaction of a /transactions/sync answer, read as the client reads it."""
    entry = {
        "transaction_id": "tx-1",
        "account_id": "acc-1",
        "amount": "AMOUNT",
        "iso_currency_code": "USD",
        "unofficial_currency_code": None,
        "date": "2026-11-20",
        "name": "WHOLEFDS MKT #10234",
        "merchant_name": "Whole Foods",
        "pending": False,
        "pending_transaction_id": None,
        "personal_finance_category": {
            "primary": "FOOD_AND_DRINK",
            "detailed": "FOOD_AND_DRINK_GROCERIES",
            "confidence_level": "VERY_HIGH",
        },
        **overrides,
    }
    text = json.dumps(entry).replace('"AMOUNT"', amount_text)
    return records.read_body(text.encode())


def _read(amount_text: str, **overrides: Any) -> PlaidTransaction:
    return records.read_transaction(_transaction_json(amount_text, **overrides))


def test_every_cent_amount_is_read_exactly_from_plaids_json() -> None:
    every_cent_to_two_hundred = range(-20_000, 20_001)
    # Beyond what a float holds exactly (17 significant digits): still exact.
    huge = range(-(10**17), 10**17, 99_999_999_999_999_937)
    for minor in (*every_cent_to_two_hundred, *huge):
        text = str(Decimal(minor).scaleb(-2))
        read = _read(text)
        assert read.amount == Decimal(text)
        converted = mapping.bank_transaction(read)
        assert converted is not None
        assert converted.amount == -Decimal(text)


@pytest.mark.parametrize(
    ("sent", "currency", "expected"),
    [
        ("12.34", "USD", "12.34"),
        ("0.1", "USD", "0.10"),
        ("-2500.1", "USD", "-2500.10"),
        ("1234567890123456.78", "USD", "1234567890123456.78"),
        ("5", "USD", "5.00"),
        ("1e2", "USD", "100.00"),
        ("1234", "JPY", "1234"),
        ("1.005", "BHD", "1.005"),
    ],
)
def test_plaid_amounts_keep_their_exact_decimal_value(
    sent: str, currency: str, expected: str
) -> None:
    read = _read(sent, iso_currency_code=currency)
    exact = mapping.exact_amount(read.amount, currency)
    assert exact == Decimal(expected)
    assert str(exact) == expected


def test_a_sub_cent_amount_is_rounded_to_the_currencys_minor_unit() -> None:
    assert mapping.exact_amount(Decimal("0.305"), "USD") == Decimal("0.30")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", '"12.34"'),
        ("amount", "true"),
        ("amount", "null"),
        ("date", '"20/11/2026"'),
        ("transaction_id", '""'),
        ("pending", '"no"'),
    ],
)
def test_a_malformed_answer_is_a_plaid_error_not_a_guess(field: str, value: str) -> None:
    entry = _transaction_json("1.00")
    entry[field] = json.loads(value)
    with pytest.raises(PlaidError) as raised:
        records.read_transaction(entry)
    assert raised.value.retryable


@pytest.mark.parametrize(
    ("plaid_type", "subtype", "ledger_type"),
    [
        ("depository", "checking", "checking"),
        ("depository", "savings", "savings"),
        ("depository", "money market", "savings"),
        ("depository", "cd", "savings"),
        ("depository", "paypal", "checking"),
        ("credit", "credit card", "credit"),
        ("loan", "mortgage", "loan"),
        ("loan", "student", "loan"),
        ("investment", "401k", "investment"),
        ("other", None, "checking"),
    ],
)
def test_plaid_account_types_map_to_ledger_types(
    plaid_type: str, subtype: str | None, ledger_type: str
) -> None:
    assert mapping.ledger_account_type(plaid_type, subtype) == ledger_type


def _account(
    plaid_type: str, subtype: str, current: str | None, currency: str | None = "USD"
) -> PlaidAccount:
    return PlaidAccount(
        account_id=f"acc-{plaid_type}",
        name=f"Plaid {subtype}",
        official_name=None,
        mask="0000",
        type=plaid_type,
        subtype=subtype,
        current_balance=Decimal(current) if current is not None else None,
        iso_currency_code=currency,
        unofficial_currency_code=None if currency else "BTC",
    )


def test_balances_are_in_the_ledgers_sign_debts_negative() -> None:
    checking = mapping.bank_account(_account("depository", "checking", "110"))
    card = mapping.bank_account(_account("credit", "credit card", "410"))
    mortgage = mapping.bank_account(_account("loan", "mortgage", "56302.06"))
    unknown = mapping.bank_account(_account("depository", "savings", None))
    assert checking is not None and card is not None and mortgage is not None
    assert unknown is not None
    assert (checking.type, checking.current_balance) == ("checking", Decimal("110.00"))
    assert (card.type, card.current_balance) == ("credit", Decimal("-410.00"))
    assert (mortgage.type, mortgage.current_balance) == ("loan", Decimal("-56302.06"))
    assert unknown.current_balance is None
    assert checking.currency == "USD" and checking.mask == "0000"


def test_money_in_an_unofficial_currency_is_refused_not_left_out() -> None:
    with pytest.raises(mapping.UnsupportedCurrency, match="'BTC', which is not an ISO 4217"):
        mapping.bank_account(_account("investment", "crypto exchange", "1.5", None))
    with pytest.raises(mapping.UnsupportedCurrency):
        mapping.bank_transaction(_read("1.00", iso_currency_code=None))


def test_every_iso_currency_with_a_minor_unit_is_known() -> None:
    for code, exponent in (("EUR", 2), ("JPY", 0), ("KWD", 3), ("CLF", 4), ("MGA", 2)):
        assert CURRENCY_EXPONENTS[code] == exponent
    assert "XAU" not in CURRENCY_EXPONENTS  # gold has no minor unit: not money Tally counts
    assert len(CURRENCY_EXPONENTS) > 150


def test_a_purchase_becomes_negative_and_a_deposit_positive() -> None:
    purchase = mapping.bank_transaction(_read("12.34"))
    deposit = mapping.bank_transaction(_read("-2500.1", merchant_name=None))
    assert purchase is not None and deposit is not None
    assert purchase.amount == Decimal("-12.34")
    assert purchase.description == "Whole Foods"
    assert purchase.category_hint == "FOOD_AND_DRINK_GROCERIES"
    assert purchase.date == date(2026, 11, 20)
    assert deposit.amount == Decimal("2500.10")
    assert deposit.description == "WHOLEFDS MKT #10234"


def test_the_category_hint_falls_back_to_the_primary_category() -> None:
    primary_only = {"primary": "TRANSPORTATION", "detailed": None}
    converted = mapping.bank_transaction(_read("3.00", personal_finance_category=primary_only))
    uncategorised = mapping.bank_transaction(_read("3.00", personal_finance_category=None))
    assert converted is not None and uncategorised is not None
    assert converted.category_hint == "TRANSPORTATION"
    assert uncategorised.category_hint is None


def test_a_pending_transaction_keeps_its_link_to_what_it_becomes() -> None:
    posted = mapping.bank_transaction(_read("3.00", pending_transaction_id="tx-pending"))
    assert posted is not None
    assert posted.pending_transaction_id == "tx-pending" and posted.pending is False


def test_a_transaction_in_an_unofficial_currency_is_refused_naming_it() -> None:
    crypto = _read("0.5", iso_currency_code=None, unofficial_currency_code="BTC")
    with pytest.raises(mapping.UnsupportedCurrency, match="'BTC'"):
        mapping.bank_transaction(crypto)
