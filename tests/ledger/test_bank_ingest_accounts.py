"""A linked item's accounts: upserted idempotently from the bank's report (checked against the
contract first), and listed per institution in one query for all (`load_item_accounts`)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import strawberry
from strawberry.schema.config import StrawberryConfig

from services.ledger import api
from services.ledger.accounts.service import accounts_of_items
from services.ledger.graphql import Account, load_item_accounts
from shared.db import count_statements, unit_of_work
from shared.graphql import SCALAR_MAP, Context, Info
from tests.ledger.support import accounts, bank_account, link_item, new_user


async def test_linking_the_same_bank_accounts_again_updates_them_in_place() -> None:
    user = await new_user()
    item = uuid.uuid4()
    async with unit_of_work() as work:
        first = await api.upsert_bank_accounts(
            work, user, item, [bank_account("a", balance="1.00"), bank_account("b")]
        )
    async with unit_of_work() as work:
        again = await api.upsert_bank_accounts(
            work,
            user,
            item,
            [bank_account("a", balance="2.50", name="Renamed"), bank_account("b")],
        )
        ids = [a.id for a in await accounts_of_items(work.session, user, [item])]

    assert first == again
    assert sorted(ids) == sorted(first.values())
    listed = {account["name"]: account for account in await accounts(user)}
    assert set(listed) == {"Renamed", "Plaid Checking"}
    assert listed["Renamed"]["balance"]["amount"] == "2.50"


async def test_a_balance_the_bank_stops_reporting_keeps_its_last_value() -> None:
    user = await new_user()
    item = await link_item(user, bank_account("a", balance="40.00"))
    async with unit_of_work() as work:
        await api.upsert_bank_accounts(work, user, item, [bank_account("a", balance=None)])

    [listed] = await accounts(user)

    assert listed["balance"]["amount"] == "40.00"


@pytest.mark.parametrize(
    "bad",
    [
        bank_account("b", type="brokerage"),
        bank_account("b", currency="ZZZ"),
        bank_account("b", balance="1.005"),
        bank_account("a", currency="EUR"),
        bank_account("", balance="1.00"),
    ],
    ids=["unknown type", "unknown currency", "inexact balance", "currency change", "no id"],
)
async def test_bank_accounts_breaking_the_contract_are_refused_changing_nothing(
    bad: api.BankAccount,
) -> None:
    user = await new_user()
    item = await link_item(user, bank_account("a", balance="5.00"))
    before = await accounts(user)

    with pytest.raises(api.BankDataError):
        async with unit_of_work() as work:
            await api.upsert_bank_accounts(
                work, user, item, [bank_account("a", balance="6.00", name="New name"), bad]
            )

    assert await accounts(user) == before


async def test_another_users_item_accounts_are_not_listed() -> None:
    owner, stranger = await new_user(), await new_user()
    item = await link_item(owner, bank_account("a"))

    async with unit_of_work() as work:
        assert await accounts_of_items(work.session, stranger, [item]) == []
    assert await accounts(stranger) == []


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
