"""Plaid's accounts and transactions turned into the ledger's, with exact money.

Amounts arrive as the exact decimals Plaid wrote (see records: no float on the way); here
they are checked against the currency's minor unit. Signs: Plaid's transaction amount is
positive for money out; the ledger's is positive for money in. Plaid's balance of a credit
card or loan is the amount owed (positive); in the ledger a debt is negative.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from services.ledger.api import BankAccount, BankDataError, BankTransaction
from services.sync.plaid.records import PlaidAccount, PlaidTransaction
from shared.currencies import CURRENCY_EXPONENTS
from shared.logging import get_logger

log = get_logger(__name__)

MAX_DESCRIPTION_LENGTH = 200
MAX_ACCOUNT_NAME_LENGTH = 100
FALLBACK_DESCRIPTION = "Bank transaction"

# Plaid depository subtype → ledger account type (any other depository is a checking one).
_DEPOSITORY_TYPES = {
    "checking": "checking",
    "savings": "savings",
    "money market": "savings",
    "cd": "savings",
    "hsa": "savings",
}
_TYPES = {"credit": "credit", "loan": "loan", "investment": "investment", "brokerage": "investment"}
# Balances reported as an amount owed.
_DEBT_TYPES = frozenset({"credit", "loan"})


def ledger_account_type(plaid_type: str | None, plaid_subtype: str | None) -> str:
    if plaid_type == "depository":
        return _DEPOSITORY_TYPES.get(plaid_subtype or "", "checking")
    # "other" and unknown types are ordinary transactional accounts as far as the ledger cares.
    return _TYPES.get(plaid_type or "", "checking")


def exact_amount(amount: Decimal, currency: str) -> Decimal:
    """Plaid's amount to the currency's minor unit ("12.3" → "12.30")."""
    if not amount.is_finite():
        raise ValueError("amount is not a finite number")
    quantum = Decimal(1).scaleb(-CURRENCY_EXPONENTS[currency])
    exact = amount.quantize(quantum, rounding=ROUND_HALF_EVEN)
    if exact != amount:
        # Plaid never sends sub-minor-unit amounts for an ISO currency; say so if it does.
        log.warning("plaid.amount_rounded", sent=str(amount), stored=str(exact))
    return exact


class UnsupportedCurrency(BankDataError):
    """Money in a currency that is not an ISO 4217 one (e.g. Plaid's unofficial currencies,
    crypto). Skipping it would move the cursor past money the ledger never got, so the item
    stops, with this as its status, until Tally supports it."""

    error_code = "UNSUPPORTED_CURRENCY"


def _currency(iso_code: str | None, unofficial_code: str | None, what: str) -> str:
    if iso_code and iso_code.upper() in CURRENCY_EXPONENTS:
        return iso_code.upper()
    shown = (iso_code or unofficial_code or "none")[:12]
    raise UnsupportedCurrency(f"{what} is in {shown!r}, which is not an ISO 4217 currency")


def bank_account(account: PlaidAccount) -> BankAccount:
    """The ledger's view of a Plaid account; UnsupportedCurrency if its money is not ISO's."""
    currency = _currency(
        account.iso_currency_code,
        account.unofficial_currency_code,
        f"account {account.account_id[:40]!r}",
    )
    balance: Decimal | None = None
    if account.current_balance is not None:
        balance = exact_amount(account.current_balance, currency)
        if account.type in _DEBT_TYPES:
            balance = Decimal(0) - balance
    name = account.name or account.official_name or "Bank account"
    return BankAccount(
        provider_account_id=account.account_id,
        name=_clip(name, MAX_ACCOUNT_NAME_LENGTH),
        mask=account.mask,
        type=ledger_account_type(account.type, account.subtype),
        currency=currency,
        current_balance=balance,
    )


def bank_transaction(transaction: PlaidTransaction) -> BankTransaction:
    """A Plaid transaction in the ledger's sign; UnsupportedCurrency if it is not in ISO's."""
    currency = _currency(
        transaction.iso_currency_code,
        transaction.unofficial_currency_code,
        f"transaction {transaction.transaction_id[:40]!r}",
    )
    description = (transaction.merchant_name or transaction.name).strip()
    return BankTransaction(
        provider_transaction_id=transaction.transaction_id,
        provider_account_id=transaction.account_id,
        date=transaction.date,
        amount=Decimal(0) - exact_amount(transaction.amount, currency),
        currency=currency,
        description=_clip(description or FALLBACK_DESCRIPTION, MAX_DESCRIPTION_LENGTH),
        merchant_name=transaction.merchant_name,
        pending=transaction.pending,
        pending_transaction_id=transaction.pending_transaction_id,
        category_hint=transaction.category_detailed or transaction.category_primary,
    )


def _clip(text: str, length: int) -> str:
    return text.strip()[:length]
