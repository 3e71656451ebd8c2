"""A document is parsed and validated once, then taken from the cache by its text: the same
answers, without graphql-core's validation on every request."""

from __future__ import annotations

from typing import Any

import pytest

from services.gateway import documents
from services.gateway.documents import DocumentCache
from services.gateway.schema import MAX_DEPTH, build_schema
from shared.graphql import Context


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts graphql-core validated while the test ran."""
    seen: list[str] = []
    validate = documents.validate_document

    def counting(schema: Any, document: Any, rules: Any) -> Any:
        seen.append(document.loc.source.body)
        return validate(schema, document, rules)

    monkeypatch.setattr(documents, "validate_document", counting)
    return seen


def _context() -> Context:
    return Context(request=None, request_id="test")


async def test_a_document_sent_again_is_not_validated_again(validations: list[str]) -> None:
    schema = build_schema(environment="production")
    for _ in range(3):
        result = await schema.execute("{ __typename }", context_value=_context())
        assert result.data == {"__typename": "Query"}
    assert validations == ["{ __typename }"]


async def test_an_invalid_document_is_refused_every_time_with_the_same_errors(
    validations: list[str],
) -> None:
    schema = build_schema(environment="production")
    messages = []
    for _ in range(2):
        result = await schema.execute("{ nothingHere }", context_value=_context())
        assert result.data is None and result.errors
        assert result.errors[0].extensions == {"code": "BAD_USER_INPUT", "field": "nothingHere"}
        messages.append([error.message for error in result.errors])
    assert messages[0] == messages[1]
    assert len(validations) == 1


async def test_the_limits_still_hold_for_a_cached_document() -> None:
    schema = build_schema(environment="production")
    too_deep = "{ " + "me { " * (MAX_DEPTH + 2) + "id" + " }" * (MAX_DEPTH + 3)
    for _ in range(2):
        result = await schema.execute(too_deep, context_value=_context())
        assert result.errors and any("depth" in error.message for error in result.errors)


async def test_introspection_stays_closed_in_production_whichever_schema_cached_it() -> None:
    query = "{ __schema { queryType { name } } }"
    development = await build_schema(environment="development").execute(
        query, context_value=_context()
    )
    production = await build_schema(environment="production").execute(
        query, context_value=_context()
    )
    assert not development.errors
    assert production.errors


def test_the_cache_keeps_the_latest_documents_only() -> None:
    from graphql import parse

    cache = DocumentCache(max_documents=2)
    for text in ("{ a }", "{ b }", "{ c }"):
        cache.add((text, ()), parse(text))
    assert len(cache) == 2
    assert cache.get(("{ a }", ())) is None
    assert cache.get(("{ c }", ())) is not None
