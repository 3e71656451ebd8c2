from tests.support.graphql import data


async def test_schema_composes_and_answers() -> None:
    assert await data("{ healthy }", user_id=None) == {"healthy": True}
