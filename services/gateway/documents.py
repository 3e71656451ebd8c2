"""Operations parsed and validated once, kept by their text.

Clients send the same few documents again and again, and validating one cost more than
executing a small query: graphql-core builds the visitors of its thirty-odd rules anew for
every document (1.3 of the 1.7 ms `{ __typename }` took). A document's validity depends only
on its text, the schema and the rules, so both the parsed document and its validation errors
are kept, in a bounded LRU (a stream of distinct texts only costs what every request cost
before).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

MAX_DOCUMENTS = 256


@dataclass
class _Entry:
    document: DocumentNode
    # The rules it was validated with and the errors they found; None until validated.
    validated: tuple[tuple[type[ASTValidationRule], ...], tuple[GraphQLError, ...]] | None = None


class DocumentCache:
    """The latest `max_documents` documents by their text and parse options; shared by every
    request to one schema, from any thread."""

    def __init__(self, max_documents: int = MAX_DOCUMENTS) -> None:
        self._max = max_documents
        self._entries: OrderedDict[tuple[str, Any], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, Any]) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def add(self, key: tuple[str, Any], document: DocumentNode) -> _Entry:
        entry = _Entry(document)
        with self._lock:
            self._entries[key] = entry
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return entry

    def __len__(self) -> int:
        return len(self._entries)


class CachedDocuments(SchemaExtension):
    """Parse and validate through a `DocumentCache` (pass a factory: one instance per request,
    one cache for all)."""

    def __init__(self, cache: DocumentCache) -> None:
        self._cache = cache
        self._entry: _Entry | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.query or "", tuple(sorted(context.parse_options.items())))
        if context.graphql_document is None and context.query:
            self._entry = self._cache.get(key)
            if self._entry is not None:
                context.graphql_document = self._entry.document
        yield
        if self._entry is None and context.graphql_document is not None and context.query:
            self._entry = self._cache.add(key, context.graphql_document)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        entry = self._entry
        if entry is not None and context.pre_execution_errors is None:
            rules = tuple(context.validation_rules)
            if entry.validated is None or entry.validated[0] != rules:
                errors = validate_document(context.schema._schema, entry.document, rules)
                entry.validated = (rules, tuple(errors))
            # A list of its own: a request may replace or extend its errors.
            context.pre_execution_errors = list(entry.validated[1])
        yield
