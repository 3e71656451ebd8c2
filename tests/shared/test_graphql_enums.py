"""A GraphQL enum built from a domain enum keeps its members and refuses an undescribed one."""

from enum import StrEnum

import pytest
import strawberry

from shared.graphql import described_enum


class Colour(StrEnum):
    RED = "RED"
    GREEN = "GREEN"


def test_a_described_enum_prints_each_member_with_its_description() -> None:
    graph_colour = described_enum(
        "Colour",
        Colour,
        {Colour.RED: "Stop.", Colour.GREEN: "Go."},
        description="A traffic light's colour.",
    )

    @strawberry.type
    class Query:
        @strawberry.field
        def colour(self) -> graph_colour:  # type: ignore[valid-type]
            return graph_colour(Colour.GREEN.value)

    schema = strawberry.Schema(query=Query)
    sdl = str(schema)
    expected = (
        '"""A traffic light\'s colour."""\n'
        "enum Colour {\n"
        '  """Stop."""\n'
        "  RED\n\n"
        '  """Go."""\n'
        "  GREEN\n"
        "}"
    )
    assert expected in sdl
    assert schema.execute_sync("{ colour }").data == {"colour": "GREEN"}


def test_a_member_left_undescribed_fails_when_the_enum_is_built() -> None:
    with pytest.raises(KeyError):
        described_enum("Colour", Colour, {Colour.RED: "Stop."}, description="Half described.")
