"""What one request may cost: report ranges are bounded, an operation over its cost is refused
before it runs, and a user's requests share a budget per minute."""

from __future__ import annotations

import pytest

from services.gateway import cost
from services.gateway.identity.throttle import Limit
from tests.support.factories import new_user
from tests.support.graphql import error_codes, execute

CASH_FLOW = "cashFlow(from: $from, to: $to) { month income { amount } }"


def _aliased(count: int, field: str = CASH_FLOW) -> str:
    fields = " ".join(f"a{n}: {field}" for n in range(count))
    return f"query($from: Date!, $to: Date!) {{ {fields} }}"


async def test_thirty_centuries_long_cash_flows_are_refused_before_they_run() -> None:
    user = await new_user()
    result = await execute(_aliased(30), {"from": "1900-01-01", "to": "2100-12-31"}, user_id=user)
    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors and "costs 1290, more than the 400" in result.errors[0].message
    assert result.data is None


async def test_a_report_covers_less_than_ten_years() -> None:
    user = await new_user()
    for report in ("cashFlow", "netWorth", "spendingByCategory"):
        query = f'{{ {report}(from: "2010-01-01", to: "2019-12-31") {{ __typename }} }}'
        assert not (await execute(query, user_id=user)).errors
        too_long = query.replace("2019-12-31", "2020-01-01")
        result = await execute(too_long, user_id=user)
        assert error_codes(result) == ["BAD_USER_INPUT"]
        assert result.errors and (result.errors[0].extensions or {}).get("field") == "to"


async def test_the_most_a_request_may_ask_still_runs() -> None:
    user = await new_user()
    nine = _aliased(9)  # 9 x (40 + 3) = 387
    result = await execute(nine, {"from": "2010-01-01", "to": "2019-12-31"}, user_id=user)
    assert not result.errors
    assert result.data is not None and len(result.data["a8"]) == 120


async def test_fragments_cost_where_they_are_spread() -> None:
    fragment = "fragment Flow on Query { cashFlow(from: $from, to: $to) { month } }"
    spreads = " ".join(f"... on Query {{ a{n}: netWorth(from: $from, to: $to) {{ date }} }}"
                       for n in range(5))  # fmt: skip
    query = f"query($from: Date!, $to: Date!) {{ ...Flow {spreads} ...Flow }} {fragment}"
    from graphql import parse

    assert cost.operation_cost(parse(query), None) == 2 * 41 + 5 * 41


async def test_a_users_requests_share_a_budget_per_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        cost, "COST_PER_USER_PER_MINUTE", Limit("cost-user", attempts=200, window_seconds=60)
    )
    user, other = await new_user(), await new_user()
    variables = {"from": "2026-01-01", "to": "2026-12-31"}
    codes = [error_codes(await execute(_aliased(2), variables, user_id=user)) for _ in range(3)]

    assert codes == [[], [], ["RATE_LIMITED"]]  # 86 + 86, then 258 > 200
    assert not (await execute(_aliased(2), variables, user_id=other)).errors
