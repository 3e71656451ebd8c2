"""Planned completion: the plain parts of a query run as compiled Python, not field by field.

graphql-core completes every field of every object alone: it builds a resolve-info, a path,
looks the field up, calls its resolver through Strawberry's wrappers, checks for awaitables,
and coerces the value; about 10 us a field. A page of 100 transactions selects some 1,500
fields, and those microseconds were most of what the page cost (the database took 0.2 ms).

Most of those fields are plain: an attribute of the object a resolver returned, or a
synchronous method of it that needs nothing but the object and the request's context. For the
sub-selection of such an object, `PlannedExecutor` compiles a plan once (per object type and
the query's field nodes; the documents themselves are cached, see documents.py) into nested
closures that read the attributes, call the methods, and coerce the leaves, and then runs the
plan for every object of that shape, in this request and the next ones.

A plan is only ever a shortcut to the answer graphql-core would give: whatever it does not
know how to do exactly the same way makes it step aside, and graphql-core completes that
object as usual. Planned are: object types (checked with their `is_type_of`), lists, non-null
wrappers, scalars and enums, `__typename`; fields without arguments, whose Strawberry field is
a plain attribute or a synchronous resolver taking at most the object and `info`, with no
field extension. Not planned (graphql-core completes them): selections with directives
(`@include`/`@skip` depend on variables) or `@defer`, abstract types, fields with arguments,
async resolvers. And at run time, anything unusual abandons the plan for that object: a null
where the schema says non-null, a resolver that returns an awaitable (e.g. a value its
DataLoader has not loaded yet) or raises, a resolver reading more of `info` than its context,
a value that is not a list where one is expected. The object is then completed again by
graphql-core from the start, which reports errors with their paths and nulls as the spec says;
planned fields are attribute reads and pure functions, so running one twice changes nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, cast

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

Completer = Callable[[Any, Any], Any]  # (value, request context) -> completed value

# How many compiled plans are kept (a plan per object type and query position: the app's few
# dozen operations need a few hundred).
MAX_PLANS = 2_048


_UNPLANNED: Any = object()

# Strawberry's is_type_of ignores its info (an isinstance check).
_NO_INFO: Any = None


class _Unplanned(Exception):
    """This value is not for the plan: let graphql-core complete it."""


class _ContextOnlyInfo:
    """What a planned resolver gets as `info`: the request's context and nothing else (asking
    for more raises AttributeError, and graphql-core resolves the field with a real one)."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


class _Plans:
    """Compiled completers by (return type, field nodes); None for a shape that is not
    plannable. Kept across requests in a bounded LRU; the nodes are held with their plan, so
    their ids cannot be reused while it is cached."""

    def __init__(self, limit: int = MAX_PLANS) -> None:
        self._limit = limit
        self._plans: OrderedDict[tuple[Any, ...], tuple[tuple[FieldNode, ...], Completer | None]]
        self._plans = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], nodes: tuple[FieldNode, ...]) -> tuple[bool, Any]:
        with self._lock:
            found = self._plans.get(key)
            if found is None or any(a is not b for a, b in zip(found[0], nodes, strict=True)):
                return False, None
            self._plans.move_to_end(key)
            return True, found[1]

    def put(
        self, key: tuple[Any, ...], nodes: tuple[FieldNode, ...], plan: Completer | None
    ) -> None:
        with self._lock:
            self._plans[key] = (nodes, plan)
            while len(self._plans) > self._limit:
                self._plans.popitem(last=False)

    def __len__(self) -> int:
        return len(self._plans)


PLANS = _Plans()


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, completing plannable objects and lists with compiled plans."""

    # How often a plan stood in for graphql-core, and how often it stepped aside: read by the
    # tests (one request at a time) to prove the plans are used.
    planned = 0
    unplanned = 0

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        completed = self._by_plan(return_type, field_details_list, result)
        if completed is not _UNPLANNED:
            return completed
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        completed = self._by_plan(return_type, field_details_list, result)
        if completed is not _UNPLANNED:
            return completed
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _by_plan(self, return_type: GraphQLOutputType, field_details_list: Any, result: Any) -> Any:
        """The value completed by the shape's plan; _UNPLANNED when there is none, or when the
        plan stepped aside (graphql-core then completes it, and reports what went wrong)."""
        plan = self._plan(return_type, field_details_list)
        if plan is None:
            return _UNPLANNED
        try:
            completed = plan(result, self.context_value)
        except Exception:  # noqa: BLE001 - graphql-core does it again, and reports it
            PlannedExecutor.unplanned += 1
            return _UNPLANNED
        PlannedExecutor.planned += 1
        return completed

    def _plan(self, return_type: GraphQLOutputType, field_details_list: Any) -> Completer | None:
        if any(
            details.defer_usage is not None or details.fragment_variable_values is not None
            for details in field_details_list
        ):
            return None
        nodes = tuple(details.node for details in field_details_list)
        key = (return_type, *(id(node) for node in nodes))
        found, plan = PLANS.get(key, nodes)
        if found:
            return plan  # type: ignore[no-any-return]
        plan = _Compiler(self).completer(return_type, field_details_list)
        PLANS.put(key, nodes, plan)
        return plan


class _Compiler:
    """Builds completers for one shape, with the executor's schema and fragments."""

    def __init__(self, executor: PlannedExecutor) -> None:
        self._executor = executor

    def completer(self, return_type: GraphQLOutputType, details: Any) -> Completer | None:
        if isinstance(return_type, GraphQLNonNull):
            inner = self.completer(return_type.of_type, details)
            return None if inner is None else _non_null(inner)
        if isinstance(return_type, GraphQLList):
            inner = self.completer(return_type.of_type, details)
            return None if inner is None else _list(inner)
        if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
            return _leaf(return_type.coerce_output_value)
        if isinstance(return_type, GraphQLObjectType):
            return self._object(return_type, details)
        return None  # interfaces and unions: graphql-core resolves the runtime type

    def _object(self, object_type: GraphQLObjectType, details: Any) -> Completer | None:
        fragments = self._executor.fragments
        if any(_has_directives(item.node.selection_set, fragments) for item in details):
            return None
        grouped, defer_usages, _ = self._executor.collect_subfields(object_type, details)
        if defer_usages:
            return None
        fields: list[tuple[str, Callable[[Any, Any], Any] | None, Any, Completer | None]] = []
        for response_key, field_details in grouped.items():
            node = field_details[0].node
            name = node.name.value
            if name == "__typename":
                fields.append((response_key, None, object_type.name, None))
                continue
            field_def = object_type.fields.get(name)
            if field_def is None or node.arguments or field_def.args:
                return None
            read = _reader(field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF))
            complete = self.completer(field_def.type, field_details)
            if read is None or complete is None:
                return None
            fields.append((response_key, read, None, complete))
        return _object(object_type, fields)


def _has_directives(selection_set: SelectionSetNode | None, fragments: Any) -> bool:
    """Whether any selection below, through fragments, carries a directive."""
    pending = [selection_set]
    seen: set[str] = set()
    while pending:
        current = pending.pop()
        if current is None:
            continue
        for selection in current.selections:
            if selection.directives:
                return True
            if isinstance(selection, FieldNode | InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is None:
                    return True
                if name not in seen:
                    seen.add(name)
                    definition = fragment.definition
                    if definition.directives:
                        return True
                    pending.append(definition.selection_set)
    return False


def _reader(field: Any) -> Callable[[Any, Any], Any] | None:
    """How to read a field's value from its object and the context, as Strawberry would; None
    when a plan cannot do it the same way."""
    if not isinstance(field, StrawberryField) or field.extensions or field.arguments:
        return None
    resolver = field.base_resolver
    if resolver is None:
        name = field.python_name
        return lambda source, _context: getattr(source, name)
    if resolver.is_async or resolver.root_parameter or resolver.parent_parameter:
        return None
    if set(resolver.signature.parameters) - {
        parameter.name
        for parameter in (resolver.self_parameter, resolver.info_parameter)
        if parameter is not None
    }:
        return None
    function = cast(Callable[..., Any], resolver.wrapped_func)
    takes_self = resolver.self_parameter is not None
    info = resolver.info_parameter
    if info is None:
        if takes_self:
            return lambda source, _context: _settled(function(source))
        return lambda _source, _context: _settled(function())
    info_name = info.name
    if takes_self:
        return lambda source, context: _settled(
            function(source, **{info_name: _ContextOnlyInfo(context)})
        )
    return lambda _source, context: _settled(function(**{info_name: _ContextOnlyInfo(context)}))


def _settled(value: Any) -> Any:
    """A resolver's value, unless it is still to come: then the plan steps aside (and the
    coroutine is closed, graphql-core will ask the resolver again)."""
    close = getattr(value, "close", None) if hasattr(value, "__await__") else None
    if close is not None:
        close()
        raise _Unplanned
    if hasattr(value, "__await__"):
        raise _Unplanned
    return value


def _non_null(inner: Completer) -> Completer:
    def complete(value: Any, context: Any) -> Any:
        if value is None:
            raise _Unplanned
        return inner(value, context)

    return complete


def _list(inner: Completer) -> Completer:
    def complete(value: Any, context: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise _Unplanned
        return [inner(item, context) for item in value]

    return complete


def _leaf(coerce: Callable[[Any], Any]) -> Completer:
    def complete(value: Any, _context: Any) -> Any:
        if value is None:
            return None
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise _Unplanned
        return coerced

    return complete


def _object(
    object_type: GraphQLObjectType,
    fields: Sequence[tuple[str, Callable[[Any, Any], Any] | None, Any, Completer | None]],
) -> Completer:
    is_type_of = object_type.is_type_of
    steps = tuple(fields)

    def complete(value: Any, context: Any) -> Any:
        if value is None:
            return None
        if is_type_of is not None and is_type_of(value, _NO_INFO) is not True:
            raise _Unplanned
        completed: dict[str, Any] = {}
        for key, read, constant, complete_field in steps:
            if read is None:
                completed[key] = constant
            else:
                completed[key] = complete_field(read(value, context), context)  # type: ignore[misc]
        return completed

    return complete


__all__ = ["PLANS", "FieldDetails", "PlannedExecutor"]
