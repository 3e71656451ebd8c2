"""Stored records → the JSON objects of Plaid's API (every key the spec requires, nulls included).

Optional keys are only sent when plaid-python 46 accepts their value: it rejects a null in a
field its model does not declare nullable, even where the spec allows leaving the key out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from plaid_sandbox.state import AccountRecord, ItemRecord, TxnRecord

# Products an Item could add later; the emulator bills only what the Item was created with.
_AVAILABLE_PRODUCTS = ("assets", "auth", "balance", "identity", "investments", "liabilities")


@dataclass(frozen=True)
class Institution:
    institution_id: str
    name: str
    url: str
    primary_color: str
    routing_numbers: tuple[str, ...]


INSTITUTIONS: dict[str, Institution] = {
    institution.institution_id: institution
    for institution in (
        Institution(
            "ins_109508",
            "First Platypus Bank",
            "https://www.plaid.com",
            "#1f1f1f",
            ("011000138", "011200365"),
        ),
        Institution(
            "ins_109509",
            "First Gingham Credit Union",
            "https://www.plaid.com",
            "#0a85c4",
            ("011000028",),
        ),
        Institution(
            "ins_109510",
            "Tattersall Federal Credit Union",
            "https://www.plaid.com",
            "#3d8b37",
            ("011001234",),
        ),
        Institution(
            "ins_109511", "Tartan Bank", "https://www.plaid.com", "#a83232", ("011075150",)
        ),
        Institution(
            "ins_109512", "Houndstooth Bank", "https://www.plaid.com", "#5a2d82", ("011103093",)
        ),
    )
}

INSTITUTION_PRODUCTS = [
    "assets",
    "auth",
    "balance",
    "identity",
    "investments",
    "liabilities",
    "transactions",
]


def rfc3339(moment: datetime) -> str:
    """UTC, whole seconds, with a Z: the form Plaid uses for its timestamps."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def money(cents: int | None) -> float | None:
    # int / 100 is the double nearest to the decimal amount, and json writes that double with
    # the shortest repr that round-trips: 1234 cents → 12.34, never 12.339999.
    return None if cents is None else cents / 100


def render_account(account: AccountRecord) -> dict[str, Any]:
    return {
        "account_id": account["account_id"],
        "balances": {
            "available": money(account["available_cents"]),
            "current": money(account["current_cents"]),
            "limit": money(account["limit_cents"]),
            "iso_currency_code": "USD",
            "unofficial_currency_code": None,
            "last_updated_datetime": None,
        },
        "mask": account["mask"],
        "name": account["name"],
        "official_name": account["official_name"],
        "type": account["type"],
        "subtype": account["subtype"],
        "holder_category": "personal",
    }


def render_item(item: ItemRecord) -> dict[str, Any]:
    institution = INSTITUTIONS[item["institution_id"]]
    return {
        "item_id": item["item_id"],
        "institution_id": item["institution_id"],
        "institution_name": institution.name,
        "webhook": item["webhook"],
        "auth_method": None,
        "error": item["error"],
        "available_products": [p for p in _AVAILABLE_PRODUCTS if p not in item["products"]],
        "billed_products": list(item["products"]),
        "products": list(item["products"]),
        "consented_products": list(item["products"]),
        "consent_expiration_time": None,
        "update_type": "background",
    }


def render_item_status(item: ItemRecord) -> dict[str, Any]:
    return {
        "investments": None,
        "transactions": {
            "last_successful_update": item["last_successful_update"],
            "last_failed_update": None,
        },
        "last_webhook": (
            None
            if item["last_webhook"] is None
            else {
                "sent_at": item["last_webhook"]["sent_at"],
                "code_sent": item["last_webhook"]["code_sent"],
            }
        ),
    }


def render_institution(institution: Institution) -> dict[str, Any]:
    return {
        "institution_id": institution.institution_id,
        "name": institution.name,
        "products": list(INSTITUTION_PRODUCTS),
        "country_codes": ["US"],
        "url": institution.url,
        "primary_color": institution.primary_color,
        "logo": None,
        "routing_numbers": list(institution.routing_numbers),
        "dtc_numbers": [],
        "oauth": False,
        # Not in the 2020-09-14_1.697.4 spec, but required by plaid-python 46's model.
        "connection_availability": "SUPPORTED",
    }


_TRANSACTION_TYPES = {"online": "digital", "in store": "place", "other": "special"}


def render_transaction(txn: TxnRecord) -> dict[str, Any]:
    has_place = txn["city"] is not None
    counterparties: list[dict[str, Any]] = []
    if txn["merchant_name"] is not None:
        counterparties.append(
            {
                "name": txn["merchant_name"],
                "type": "merchant",
                "website": txn["website"],
                "logo_url": None,
                "entity_id": None,
                "confidence_level": txn["category_confidence"],
            }
        )
    return {
        "account_id": txn["account_id"],
        "account_owner": None,
        "amount": money(txn["amount_cents"]),
        "iso_currency_code": txn["iso_currency_code"],
        "unofficial_currency_code": None,
        "category": None,
        "category_id": None,
        "check_number": None,
        "counterparties": counterparties,
        "date": txn["date"],
        "datetime": None,
        "authorized_date": txn["authorized_date"],
        "authorized_datetime": None,
        "location": {
            "address": None,
            "city": txn["city"],
            "region": txn["region"],
            "postal_code": None,
            "country": "US" if has_place else None,
            "lat": None,
            "lon": None,
            "store_number": None,
        },
        "logo_url": None,
        "merchant_entity_id": None,
        "merchant_name": txn["merchant_name"],
        "name": txn["name"],
        "original_description": None,
        "payment_channel": txn["payment_channel"],
        "payment_meta": {
            "by_order_of": None,
            "payee": None,
            "payer": None,
            "payment_method": None,
            "payment_processor": None,
            "ppd_id": None,
            "reason": None,
            "reference_number": None,
        },
        "pending": txn["pending"],
        "pending_transaction_id": txn["pending_transaction_id"],
        "personal_finance_category": {
            "primary": txn["category_primary"],
            "detailed": txn["category_detailed"],
            "confidence_level": txn["category_confidence"],
        },
        "personal_finance_category_icon_url": (
            f"https://plaid-category-icons.plaid.com/PFC_{txn['category_primary']}.png"
        ),
        "transaction_code": None,
        "transaction_id": txn["transaction_id"],
        "transaction_type": _TRANSACTION_TYPES.get(txn["payment_channel"], "special"),
        "website": txn["website"],
    }


def render_removed(txn: TxnRecord) -> dict[str, Any]:
    return {"transaction_id": txn["transaction_id"], "account_id": txn["account_id"]}
