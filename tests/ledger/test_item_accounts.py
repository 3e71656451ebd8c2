"""`load_item_accounts`: a linked institution's accounts, batched across institutions."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry.schema.config import StrawberryConfig

from services.ledger.graphql import Account, load_item_accounts
from shared.db import count_statements
from shared.graphql import SCALAR_MAP, Context, Info
from tests.ledger.support import bank_account, link_item, new_user


@strawberry.type
class ProbeInstitution:
    """Stands in for the sync service's LinkedInstitution."""

    item_ref: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def accounts(self, info: Info) -> list[Account]:
        return await load_item_accounts(info, self.item_ref)


@strawberry.type
class ProbeQuery:
    @strawberry.field
    def institutions(self, refs: list[str]) -> list[ProbeInstitution]:
        return [ProbeInstitution(item_ref=uuid.UUID(ref)) for ref in refs]


SCHEMA = strawberry.Schema(query=ProbeQuery, config=StrawberryConfig(scalar_map=SCALAR_MAP))
QUERY = """query($refs: [String!]!) { institutions(refs: $refs) {
  accounts { id name type currency linked balance { amount currency } } } }"""


async def _institutions(
    user: uuid.UUID, refs: list[uuid.UUID]
) -> tuple[list[list[dict[str, Any]]], int]:
    async with count_statements() as statements:
        result = await SCHEMA.execute(
            QUERY,
            variable_values={"refs": [str(ref) for ref in refs]},
            context_value=Context(request=None, request_id="test", user_id=user),
        )
    assert not result.errors, result.errors
    assert result.data is not None
    return [institution["accounts"] for institution in result.data["institutions"]], len(statements)


async def test_each_institution_lists_its_own_accounts_in_one_query_for_all() -> None:
    user = await new_user()
    items = [
        await link_item(
            user,
            bank_account(f"a{n}", balance=f"{n}.50"),
            bank_account(f"b{n}", balance=None, type="savings"),
        )
        for n in range(4)
    ]

    one, statements_for_one = await _institutions(user, items[:1])
    many, statements_for_many = await _institutions(user, items)

    assert statements_for_one == statements_for_many
    assert [len(accounts) for accounts in many] == [2, 2, 2, 2]
    assert many[0] == one[0]
    assert {account["balance"]["amount"] for account in many[3]} == {"3.50", "0.00"}
    assert all(account["linked"] for accounts in many for account in accounts)


async def test_another_users_institution_shows_no_accounts() -> None:
    owner, intruder = await new_user(), await new_user()
    item = await link_item(owner, bank_account())

    [accounts], _ = await _institutions(intruder, [item])

    assert accounts == []
