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
        self.max_documents = max_documents
        self._entries: OrderedDict[tuple[str, Any], _Entry] = OrderedDict()
        # Texts whose document validated without an error, with the schema's rules.
        self._valid: dict[str, DocumentNode] = {}
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
            while len(self._entries) > self.max_documents:
                (text, _), _ = self._entries.popitem(last=False)
                self._valid.pop(text, None)
        return entry

    def mark_valid(self, key: tuple[str, Any], entry: _Entry) -> None:
        """`entry` validated without an error (with the rules every request of this schema
        uses): its text may take the short path of ready_operations.py."""
        with self._lock:
            if self._entries.get(key) is entry:
                self._valid[key[0]] = entry.document

    def valid_document(self, text: str) -> DocumentNode | None:
        """The document of `text` if it is cached and validated without an error."""
        return self._valid.get(text)

    def __len__(self) -> int:
        return len(self._entries)


class CachedDocuments(SchemaExtension):
    """Parse and validate through a `DocumentCache` (pass a factory: one instance per request,
    one cache for all)."""

    def __init__(self, cache: DocumentCache) -> None:
        self._cache = cache
        self._entry: _Entry | None = None
        self._key: tuple[str, Any] = ("", ())

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        key = self._key = (context.query or "", tuple(sorted(context.parse_options.items())))
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
            if not entry.validated[1]:
                self._cache.mark_valid(self._key, entry)
        yield
