"""What Link does at Plaid's end, for the look-alike: what a Link token opens (a new Item, or an
Item's update mode), a sandbox login checked, and the public token Link hands the page at the
end: a new Item sharing the accounts the user chose, or, in update mode, the Item's login
repaired (its ITEM_LOGIN_REQUIRED cleared).

Each function takes the request's fields and answers a JSON object, or raises PlaidApiError
(rendered like the API's errors, so the dialog shows Plaid's display_message).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from plaid_sandbox import errors
from plaid_sandbox.handlers.context import Context
from plaid_sandbox.handlers.sandbox import check_credentials, create_item
from plaid_sandbox.history import sandbox_accounts
from plaid_sandbox.render import INSTITUTIONS, Institution, rfc3339
from plaid_sandbox.state import AccountRecord, ItemRecord, LinkTokenRecord, Session
from plaid_sandbox.validation import Fields

CREATE = "create"
UPDATE = "update"
# The accounts a sandbox login offers (the same for every Item): shown before the Item exists.
_OFFERED = sandbox_accounts("link-preview")


def open_session(ctx: Context, req: Fields) -> dict[str, Any]:
    """What Link opens for: the institutions to search (a new Item), or the Item's institution
    (update mode)."""
    with ctx.store.read() as session:
        record, item = _opened(session, req, ctx.clock())
    institutions = [INSTITUTIONS[item["institution_id"]]] if item else list(INSTITUTIONS.values())
    return {
        "link_session_id": str(uuid.uuid4()),
        "mode": UPDATE if item else CREATE,
        "client_name": record["client_name"],
        "institutions": [_institution(institution) for institution in institutions],
    }


def check_login(ctx: Context, req: Fields) -> dict[str, Any]:
    """A new Item's sign-in: the accounts the user may share, or INVALID_CREDENTIALS."""
    with ctx.store.read() as session:
        _, item = _opened(session, req, ctx.clock())
    if item is not None:
        raise errors.invalid_field("an update-mode link token completes with the sign-in")
    _institution_of(req)
    check_credentials(req.string("username"), req.string("password"))
    return {"accounts": [_offered(account) for account in _OFFERED]}


def complete(ctx: Context, req: Fields) -> dict[str, Any]:
    """The end of Link: a public token and Link's onSuccess metadata. A new Item shares the
    accounts chosen (`account_masks`); an update-mode sign-in repairs the Item's login."""
    now = ctx.clock()
    with ctx.store.read() as session:
        record, item = _opened(session, req, now)
    username, password = req.string("username"), req.string("password")
    check_credentials(username, password)
    if item is not None:
        return _repair(ctx, req, item["item_id"], username, now)
    institution = _institution_of(req)
    masks = req.string_list("account_masks")
    known = {account["mask"] for account in _OFFERED}
    if not masks or not set(masks) <= known:
        raise errors.invalid_field(f"account_masks must name some of {sorted(known)}")
    public_token, created = create_item(
        ctx,
        institution.institution_id,
        record["products"],
        record["webhook"],
        username,
        account_masks=set(masks),
    )
    return _success(public_token, institution, created["accounts"], req)


def _repair(
    ctx: Context, req: Fields, item_id: str, username: str, now: datetime
) -> dict[str, Any]:
    public_token = f"public-sandbox-{uuid.uuid4()}"
    with ctx.store.write() as session:
        item = session.item(item_id)
        if item is None:
            raise errors.invalid_link_token()
        if item["username"] != username:
            # Update mode signs in to the same login, not another one.
            raise errors.invalid_credentials()
        item["error"] = None
        session.add_public_token(
            public_token, {"item_id": item_id, "created_at": rfc3339(now), "used": False}
        )
        institution = INSTITUTIONS[item["institution_id"]]
        return _success(public_token, institution, item["accounts"], req)


def _opened(
    session: Session, req: Fields, now: datetime
) -> tuple[LinkTokenRecord, ItemRecord | None]:
    """The live Link token of the request, and the Item it updates (None: a new Item)."""
    record = session.link_token(req.string("link_token"))
    if record is None or datetime.fromisoformat(record["expiration"]) <= now:
        raise errors.invalid_link_token()
    if record["item_id"] is None:
        return record, None
    item = session.item(record["item_id"])
    if item is None:  # removed since the token was made
        raise errors.invalid_link_token()
    return record, item


def _institution_of(req: Fields) -> Institution:
    institution = INSTITUTIONS.get(req.string("institution_id"))
    if institution is None:
        raise errors.invalid_institution()
    return institution


def _institution(institution: Institution) -> dict[str, Any]:
    return {
        "institution_id": institution.institution_id,
        "name": institution.name,
        "primary_color": institution.primary_color,
    }


def _offered(account: AccountRecord) -> dict[str, Any]:
    return {
        "mask": account["mask"],
        "name": account["name"],
        "type": account["type"],
        "subtype": account["subtype"],
    }


def _success(
    public_token: str, institution: Institution, accounts: list[AccountRecord], req: Fields
) -> dict[str, Any]:
    """onSuccess's arguments, shaped as Plaid Link's metadata."""
    return {
        "public_token": public_token,
        "metadata": {
            "institution": {
                "name": institution.name,
                "institution_id": institution.institution_id,
            },
            "accounts": [
                {
                    "id": account["account_id"],
                    "name": account["name"],
                    "mask": account["mask"],
                    "type": account["type"],
                    "subtype": account["subtype"],
                    "verification_status": None,
                }
                for account in accounts
            ],
            "link_session_id": req.opt_string("link_session_id") or str(uuid.uuid4()),
            "transfer_status": None,
        },
    }
