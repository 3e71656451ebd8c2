"""The limit of Tally's own stack, for bench/http.py: Starlette and asyncpg on the same uvicorn,
answering the benchmark's three operations with the same JSON from the same rows, by hand.

It does what any correct endpoint must and nothing else: verify the access token (PyJWT, the
same key and claims), check that its session is open (one indexed query a request: it keeps
nothing between requests), run the few SQL statements each answer needs on an asyncpg pool, and
write the JSON. Ids, cursors and amounts are written with the same small helpers Tally uses, so
the bytes compare equal. Serve it as `uvicorn bench.http_baseline:app --workers N` with
BENCH_DSN (postgresql://...) and BENCH_SECRET_KEY set.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from shared.ids import encode_id
from shared.pagination import encode_cursor

SESSION_OPEN = """
SELECT u.id FROM gateway_users u JOIN gateway_sessions s ON s.user_id = u.id
WHERE s.id = $1 AND u.id = $2 AND s.revoked_at IS NULL"""
TRANSACTIONS = """
SELECT t.id, t.date, t.description, t.pending, t.amount_minor, t.currency,
       a.id AS account_id, a.name AS account_name, c.id AS category_id, c.name AS category_name
FROM ledger_transactions t
JOIN ledger_accounts a ON a.id = t.account_id
LEFT JOIN ledger_categories c ON c.id = t.category_id
WHERE t.user_id = $1 ORDER BY t.date DESC, t.id DESC LIMIT $2"""
ACCOUNTS = """
SELECT a.id, a.name, a.type, a.currency,
       a.opening_balance_minor + COALESCE(
         (SELECT sum(t.amount_minor) FROM ledger_transactions t WHERE t.account_id = a.id), 0
       ) AS balance_minor
FROM ledger_accounts a WHERE a.user_id = $1 ORDER BY a.created_at, a.id"""
BUDGETS = """
SELECT b.id, b.month, b.amount_minor, b.currency, c.id AS category_id, c.name AS category_name,
       COALESCE((SELECT sum(t.amount_minor) FROM ledger_transactions t
                 WHERE t.user_id = $1 AND t.category_id = b.category_id
                   AND t.date >= $3 AND t.date < $4), 0) AS net_minor
FROM ledger_budgets b JOIN ledger_categories c ON c.id = b.category_id
WHERE b.user_id = $1 AND b.month = $2 ORDER BY c.name, b.id"""
UNREAD = "SELECT count(*) FROM notifier_notifications WHERE user_id = $1 AND read_at IS NULL"


def _money(minor: int, currency: str) -> dict[str, str]:
    return {"amount": format(Decimal(minor).scaleb(-2), "f"), "currency": currency}


class Unauthenticated(Exception):
    pass


async def _caller(pool: asyncpg.Pool, request: Request) -> uuid.UUID:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise Unauthenticated
    try:
        claims = jwt.decode(
            token,
            os.environ["BENCH_SECRET_KEY"],
            algorithms=["HS256"],
            audience="tally:graphql",
            issuer="tally",
            leeway=5,
        )
    except jwt.InvalidTokenError:
        raise Unauthenticated from None
    user_id = uuid.UUID(claims["sub"])
    if await pool.fetchval(SESSION_OPEN, uuid.UUID(claims["sid"]), user_id) is None:
        raise Unauthenticated
    return user_id


async def _me(pool: asyncpg.Pool, user_id: uuid.UUID, _: dict[str, Any]) -> dict[str, Any]:
    return {"me": {"id": encode_id("User", user_id)}}


async def _first_page(pool: asyncpg.Pool, user_id: uuid.UUID, _: dict[str, Any]) -> dict[str, Any]:
    rows = await pool.fetch(TRANSACTIONS, user_id, 101)
    page = rows[:100]
    edges = [
        {
            "cursor": encode_cursor([row["date"].isoformat(), row["id"].hex]),
            "node": {
                "id": encode_id("Transaction", row["id"]),
                "date": row["date"].isoformat(),
                "description": row["description"],
                "pending": row["pending"],
                "amount": _money(row["amount_minor"], row["currency"]),
                "account": {
                    "id": encode_id("Account", row["account_id"]),
                    "name": row["account_name"],
                },
                "category": None
                if row["category_id"] is None
                else {
                    "id": encode_id("Category", row["category_id"]),
                    "name": row["category_name"],
                },
            },
        }
        for row in page
    ]
    return {
        "transactions": {
            "edges": edges,
            "pageInfo": {
                "hasNextPage": len(rows) > 100,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
        }
    }


def _month_bounds(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


async def _dashboard(
    pool: asyncpg.Pool, user_id: uuid.UUID, variables: dict[str, Any]
) -> dict[str, Any]:
    month = variables["month"]
    first, following = _month_bounds(month)
    async with pool.acquire() as connection:
        accounts = await connection.fetch(ACCOUNTS, user_id)
        budgets = await connection.fetch(BUDGETS, user_id, month, first, following)
        latest = await connection.fetch(TRANSACTIONS, user_id, 20)
        unread = await connection.fetchval(UNREAD, user_id)
    return {
        "accounts": [
            {
                "id": encode_id("Account", row["id"]),
                "name": row["name"],
                "type": row["type"].upper(),
                "currency": row["currency"],
                "balance": _money(row["balance_minor"], row["currency"]),
            }
            for row in accounts
        ],
        "budgets": [
            {
                "id": encode_id("Budget", row["id"]),
                "month": row["month"],
                "category": {
                    "id": encode_id("Category", row["category_id"]),
                    "name": row["category_name"],
                },
                "amount": _money(row["amount_minor"], row["currency"]),
                "spent": _money(-row["net_minor"], row["currency"]),
                "remaining": _money(row["amount_minor"] + row["net_minor"], row["currency"]),
            }
            for row in budgets
        ],
        "transactions": {
            "edges": [
                {
                    "node": {
                        "id": encode_id("Transaction", row["id"]),
                        "date": row["date"].isoformat(),
                        "description": row["description"],
                        "amount": _money(row["amount_minor"], row["currency"]),
                        "category": None
                        if row["category_id"] is None
                        else {"name": row["category_name"]},
                    }
                }
                for row in latest
            ]
        },
        "notifications": {"totalCount": unread},
    }


OPERATIONS = {"Me": _me, "FirstPage": _first_page, "Dashboard": _dashboard}


async def graphql(request: Request) -> Response:
    body = json.loads(await request.body())
    answer = OPERATIONS[body["operationName"]]
    pool: asyncpg.Pool = request.app.state.pool
    try:
        user_id = await _caller(pool, request)
    except Unauthenticated:
        return JSONResponse({"errors": [{"extensions": {"code": "UNAUTHENTICATED"}}]})
    return JSONResponse({"data": await answer(pool, user_id, body.get("variables") or {})})


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(os.environ["BENCH_DSN"], min_size=2, max_size=10)
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)
