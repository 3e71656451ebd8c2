"""Bad input, everywhere: every root field of the contract, called with hostile values in every
argument and input field, answers a client's error (BAD_USER_INPUT naming a field, NOT_FOUND,
CONFLICT...), never INTERNAL. The walk reads the schema, so a field added later is walked too.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
)

from tests.support.factories import create_account, new_user
from tests.support.graphql import execute, schema

# Hostile values per scalar. The first set is refused by the contract's scalars before any
# resolver runs; the second is well-formed, so it reaches the services, which must refuse it.
REFUSED_BY_SCALARS: dict[str, Any] = {
    "ID": "not-an-id!",
    "String": "\u200b\u200d",  # zero-width only: refused as text
    "Int": -1,
    "Float": -1.0,
    "Boolean": False,
    "Decimal": "1e3",  # an exponent
    "Date": "2026-02-30",
    "DateTime": "not a moment",
    "Month": "2026-13",
}
REFUSED_BY_SERVICES: dict[str, Any] = {
    "ID": "QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA",  # Account:0…0, nobody's
    "String": "\u202eexe.pdf",  # a bidi override
    "Int": 0,
    "Float": 0.0,
    "Boolean": True,
    "Decimal": "-0.001",  # finer than any currency's minor unit
    "Date": "1800-01-01",
    "DateTime": "1800-01-01T00:00:00+00:00",
    "Month": "0000-01",
}
HOSTILE = {"scalars": REFUSED_BY_SCALARS, "services": REFUSED_BY_SERVICES}
CLIENT_CODES = {"BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "UNAUTHENTICATED", "RATE_LIMITED"}
# Fields that take no argument that could be bad: nothing to walk.
SKIPPED = {"Mutation.logOut"}


def _value(input_type: GraphQLInputType, hostile: dict[str, Any], depth: int = 0) -> Any:
    named = get_named_type(input_type)
    if isinstance(named, GraphQLInputObjectType):
        if depth > 3:
            return {}
        return {
            name: _value(field.type, hostile, depth + 1) for name, field in named.fields.items()
        }
    if isinstance(named, GraphQLEnumType):
        value = next(iter(named.values))
    elif isinstance(named, GraphQLScalarType):
        value = hostile.get(named.name, "x")
    else:  # pragma: no cover - the contract has no other input kinds
        raise AssertionError(named)
    inner = input_type.of_type if isinstance(input_type, GraphQLNonNull) else input_type
    return [value] if isinstance(inner, GraphQLList) else value


def _operation(
    kind: str, name: str, field: GraphQLField, hostile: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    definitions = ", ".join(f"${arg}: {argument.type}" for arg, argument in field.args.items())
    arguments = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    scalar = isinstance(get_named_type(field.type), GraphQLScalarType)
    body = f"{name}({arguments})" + ("" if scalar else " { __typename }")
    variables = {arg: _value(argument.type, hostile) for arg, argument in field.args.items()}
    return f"{kind.lower()}({definitions}) {{ {body} }}", variables


def _root_fields() -> list[tuple[str, str, GraphQLField]]:
    gql = schema()._schema
    found = []
    for kind, root in (("Query", gql.query_type), ("Mutation", gql.mutation_type)):
        assert root is not None
        for name, field in root.fields.items():
            if field.args and f"{kind}.{name}" not in SKIPPED:
                found.append((kind, name, field))
    return found


@pytest.mark.parametrize("refused_by", sorted(HOSTILE))
@pytest.mark.parametrize(
    ("kind", "name", "field"), _root_fields(), ids=lambda value: str(value)[:40]
)
async def test_every_root_field_refuses_hostile_input_as_the_clients_error(
    kind: str, name: str, field: GraphQLField, refused_by: str
) -> None:
    user_id = await new_user()
    await create_account(user_id)  # something of theirs, so ids and amounts are checked
    query, variables = _operation(kind, name, field, HOSTILE[refused_by])

    result = await execute(query, variables, user_id=user_id)

    codes = [(error.extensions or {}).get("code") for error in result.errors or []]
    assert "INTERNAL" not in codes, (query, variables, result.errors)
    assert set(codes) <= CLIENT_CODES, (query, variables, result.errors)
    for error in result.errors or []:
        if (error.extensions or {}).get("code") == "BAD_USER_INPUT":
            assert (error.extensions or {}).get("field"), (query, error.message)
