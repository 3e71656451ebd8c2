"""Scale benchmark: does a page cost what a page costs, whatever the history?

    python -m bench.scale --database sqlite --users 1 --per-user 100000
    python -m bench.scale --database postgresql --users 100 --per-user 10000
    python -m bench.scale ... --hledger      # also time hledger on the same data
    python -m bench.scale --database postgresql --users 100 --per-user 9091 --first-user 100000
    python -m bench.scale ... --reuse        # measure the database an earlier run left

Builds a fresh database of its own (a SQLite file under var/bench/, or the PostgreSQL
database TALLY_BENCH_DATABASE, default `tally_bench`, dropped and created again, on the server
TALLY_BENCH_POSTGRES, default postgres@127.0.0.1:5432), migrated like any Tally database, with
`--users` users of `--per-user` transactions each (the first, measured, user `--first-user` if
given) over five years (deterministic: seeded). Then, as the first user, through the ledger's
GraphQL schema: the first page, a filtered page, text searches with many, few and no hits, a
month's spending by category, a year's cash flow and net worth, and the monthly category report
over the whole history. Each is timed (median of --runs), its SQL statements counted, and the
query plan of every statement kept (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on
SQLite). With --hledger the same user's transactions are written as an hledger journal and
`hledger balance expenses --monthly` is timed against Tally's monthly report.

With --reuse the database an earlier run of the same --database, --users and --per-user left
is migrated to the current schema and measured again, without generating it anew (about ten
minutes for 1,000,000 rows); its report totals are vacuumed and analysed first.

Prints one JSON document (numbers and plans); nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES_SERVER = os.environ.get(
    "TALLY_BENCH_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)
POSTGRES_DATABASE = os.environ.get("TALLY_BENCH_DATABASE", "tally_bench")
FIRST_DAY = dt.date(2021, 12, 1)
DAYS = 5 * 365
MERCHANTS = (
    ("Whole Foods Market", "Groceries", 2_000, 15_000),
    ("Trader Joe's", "Groceries", 1_500, 9_000),
    ("Blue Bottle Coffee", "Dining", 350, 1_400),
    ("Chipotle Mexican Grill", "Dining", 900, 2_500),
    ("Shell Oil", "Transport", 3_000, 7_000),
    ("Uber Trip", "Transport", 800, 4_500),
    ("Amazon Marketplace", "Shopping", 1_000, 20_000),
    ("Target Store", "Shopping", 1_500, 12_000),
    ("Netflix", "Entertainment", 1_549, 1_549),
    ("AMC Theatres", "Entertainment", 1_200, 4_000),
    ("CVS Pharmacy", "Health", 500, 6_000),
    ("Pacific Gas and Electric", "Utilities", 6_000, 18_000),
    ("Comcast Internet", "Utilities", 7_999, 7_999),
    ("Delta Air Lines", "Travel", 15_000, 90_000),
    ("Home Depot", "Home", 2_000, 30_000),
    ("Monthly fee", "Fees", 500, 1_200),
)


@dataclass(frozen=True)
class Generated:
    user_ids: list[uuid.UUID]
    rows_per_user: int
    seconds: float
    rebuild_seconds: float = 0.0


async def _reused(users: int, per_user: int, postgres: bool) -> Generated:
    """The users an earlier run generated (their ids are fixed), checked to be there."""
    from sqlalchemy import func, select, text

    from services.ledger import models
    from shared.db import get_engine

    user_ids = [uuid.UUID(int=n + 1, version=4) for n in range(users)]
    engine = get_engine()
    async with engine.connect() as connection:
        found = await connection.scalar(
            select(func.count(func.distinct(models.Transaction.user_id)))
        )
    if found != users:
        raise SystemExit(
            f"bench.scale --reuse: the database holds {found} users' transactions, not "
            f"{users}: run once without --reuse to generate it"
        )
    if postgres:
        # Tables a migration filled since the data was generated have no statistics yet.
        autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        async with autocommit.connect() as connection:
            for table in ("ledger_report_totals", "ledger_report_category_totals"):
                await connection.execute(text(f"VACUUM ANALYZE {table}"))
    return Generated(user_ids, per_user, 0.0)


def _database_url(kind: str) -> str:
    if kind == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "scale.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite+aiosqlite:///{path}"
    return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"


async def _recreate_postgres() -> None:
    import asyncpg  # type: ignore[import-untyped]

    server = POSTGRES_SERVER.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(f"{server}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')
    finally:
        await connection.close()


def _rows_for(
    user_id: uuid.UUID,
    accounts: Sequence[uuid.UUID],
    categories: dict[str, uuid.UUID],
    count: int,
    seed: int,
    payees: dict[str, uuid.UUID] | None = None,
) -> list[dict[str, Any]]:
    """`count` transactions over five years, deterministic for a seed: spending at merchants,
    a salary twice a month, and rent."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    now = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
    for n in range(count):
        day = FIRST_DAY + dt.timedelta(days=(n * DAYS) // count)
        kind = n % 40
        if kind == 0:
            description, category, minor = "ACME Corp Payroll", "Income", 412_500
        elif kind == 1:
            description, category, minor = "Rent - Parkside Apartments", "Rent", -185_000
        else:
            description, category, low, high = MERCHANTS[rng.randrange(len(MERCHANTS))]
            minor = -rng.randint(low, high)
            description = f"{description} #{rng.randint(100, 9999)}"
        payee = (payees or {}).get(description.split(" #")[0])
        rows.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "user_id": user_id,
                "account_id": accounts[n % len(accounts)],
                "category_id": categories[category],
                "category_source": "user",
                "date": day,
                "amount_minor": minor,
                "currency": "USD",
                "description": description,
                "notes": None,
                "pending": False,
                "item_ref": None,
                "provider_transaction_id": None,
                "payee_id": payee,
                "payee_source": "derived" if payee else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


async def generate(
    users: int, per_user: int, analyze: bool, first_user: int | None = None
) -> Generated:
    from sqlalchemy import insert, select, text

    from services.ledger import api, models
    from shared.db import get_engine, unit_of_work

    began = time.perf_counter()
    user_ids = [uuid.UUID(int=n + 1, version=4) for n in range(users)]
    for index, user_id in enumerate(user_ids):
        async with unit_of_work() as work:
            await api.provision_user(work, user_id)
            accounts = [uuid.uuid4() for _ in range(3)]
            await work.session.execute(
                insert(models.Account),
                [
                    {
                        "id": account_id,
                        "user_id": user_id,
                        "name": name,
                        "type": kind,
                        "currency": "USD",
                        "opening_balance_minor": 250_000,
                    }
                    for account_id, name, kind in zip(
                        accounts,
                        ("Checking", "Savings", "Card"),
                        ("checking", "savings", "credit"),
                        strict=True,
                    )
                ],
            )
            found = await work.session.execute(
                select(models.Category.name, models.Category.id).where(
                    models.Category.user_id == user_id
                )
            )
            categories: dict[str, uuid.UUID] = dict(found.tuples().all())
            # One payee per merchant, as deriving them from descriptions would give.
            names = [name for name, *_ in MERCHANTS] + [
                "ACME Corp Payroll",
                "Rent - Parkside Apartments",
            ]
            payees = {name: uuid.uuid4() for name in names}
            await work.session.execute(
                insert(models.Payee),
                [
                    {"id": payee_id, "user_id": user_id, "name": name}
                    for name, payee_id in payees.items()
                ],
            )
        count = first_user if index == 0 and first_user is not None else per_user
        rows = _rows_for(user_id, accounts, categories, count, seed=index, payees=payees)
        for start in range(0, len(rows), 5_000):
            async with unit_of_work() as work:
                await work.session.execute(insert(models.Transaction), rows[start : start + 5_000])
        print(f"  user {index + 1}/{users}: {count} transactions", file=sys.stderr)
    # The rows went in behind the services' back (as on a database older than the report
    # totals): sum each user's history into them, as `tally rebuild-reports` does.
    rebuild_began = time.perf_counter()
    if hasattr(api, "rebuild_report_totals"):
        await api.rebuild_report_totals(user_ids)
    rebuild_seconds = time.perf_counter() - rebuild_began
    if analyze:
        async with get_engine().connect() as connection:
            await connection.execute(text("ANALYZE"))
            await connection.commit()
    return Generated(user_ids, per_user, time.perf_counter() - began, rebuild_seconds)


class PlanRecorder:
    """Every statement (with its parameters) the engine runs while recording."""

    def __init__(self) -> None:
        self.recording = False
        self.statements: list[tuple[str, Any]] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if self.recording:
            self.statements.append((statement, parameters))


async def _plans(statements: Sequence[tuple[str, Any]], postgres: bool) -> list[dict[str, Any]]:
    from shared.db import get_engine

    plans = []
    async with get_engine().connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        for statement, parameters in statements:
            if postgres:
                rows = await driver.fetch(
                    f"EXPLAIN (ANALYZE, BUFFERS) {statement}", *(parameters or ())
                )
                plan = [row[0] for row in rows]
            else:
                cursor = await driver.execute(f"EXPLAIN QUERY PLAN {statement}", parameters or ())
                plan = [" ".join(str(v) for v in row) for row in await cursor.fetchall()]
            plans.append({"sql": " ".join(statement.split())[:400], "plan": plan})
    return plans


async def measure(user_id: uuid.UUID, runs: int, postgres: bool) -> dict[str, Any]:
    from dataclasses import replace

    from sqlalchemy import event

    from services.gateway import cost
    from services.gateway.schema import build_schema
    from shared.db import get_engine
    from shared.graphql import Context

    # One user asks for everything many times over: lift the per-minute cost budget (the cost
    # is still computed and charged, as for any request).
    cost.COST_PER_USER_PER_MINUTE = replace(cost.COST_PER_USER_PER_MINUTE, attempts=10**9)
    schema = build_schema(environment="development")
    recorder = PlanRecorder()
    event.listen(get_engine().sync_engine, "before_cursor_execute", recorder)
    # As a started server process does (tally.serving.settle_memory): what is loaded now is
    # out of the garbage collector's way.
    from tally.serving import settle_memory

    settle_memory()

    async def run(query: str, variables: dict[str, Any] | None = None) -> Any:
        context = Context(request=None, request_id="bench", user_id=user_id)
        result = await schema.execute(query, variable_values=variables, context_value=context)
        if result.errors:
            raise RuntimeError(result.errors)
        return result.data

    page = """query($first: Int, $filter: TransactionFilter) {
      transactions(first: $first, filter: $filter) {
        edges { node { id date description amount { amount currency }
                       account { name } category { name } } }
        pageInfo { hasNextPage endCursor } } }"""
    counted_page = page.replace("pageInfo {", "totalCount pageInfo {")
    categories = (await run("{ categories { id name } }"))["categories"]
    groceries = next(c["id"] for c in categories if c["name"] == "Groceries")
    cases: dict[str, Callable[[], Awaitable[Any]]] = {
        "first page (50)": lambda: run(page, {"first": 50}),
        "filtered page (Groceries, 2024)": lambda: run(
            page,
            {
                "first": 50,
                "filter": {"categoryId": groceries, "from": "2024-01-01", "to": "2024-12-31"},
            },
        ),
        "text search, hits": lambda: run(page, {"first": 50, "filter": {"search": "netflix"}}),
        "text search, no hits": lambda: run(
            page, {"first": 50, "filter": {"search": "no such merchant"}}
        ),
        # A store number: a few of the user's rows.
        "text search, few hits": lambda: run(page, {"first": 50, "filter": {"search": "#4321"}}),
        "text search, hits, with totalCount": lambda: run(
            counted_page, {"first": 50, "filter": {"search": "netflix"}}
        ),
        # totalCount of filters: accounts and dates, a category (alone, and with dates), and a
        # text search (no hits, and many).
        "first page, with totalCount": lambda: run(counted_page, {"first": 50}),
        "category (Groceries), with totalCount": lambda: run(
            counted_page, {"first": 50, "filter": {"categoryId": groceries}}
        ),
        "category (Groceries, 2024-03-15..2025-06-10), with totalCount": lambda: run(
            counted_page,
            {
                "first": 50,
                "filter": {"categoryId": groceries, "from": "2024-03-15", "to": "2025-06-10"},
            },
        ),
        "text search, no hits, with totalCount": lambda: run(
            counted_page, {"first": 50, "filter": {"search": "no such merchant"}}
        ),
        "spending by category, one month": lambda: run(
            '{ spendingByCategory(from: "2026-10-01", to: "2026-10-31") '
            "{ category { name } amount { amount } } }"
        ),
        "cash flow, one year": lambda: run(
            '{ cashFlow(from: "2025-11-01", to: "2026-10-31") { month net { amount } } }'
        ),
        "net worth, one year": lambda: run(
            '{ netWorth(from: "2025-11-01", to: "2026-10-31") { date amount { amount } } }'
        ),
    }
    if "spendingReport" in schema.as_str():
        # What `hledger balance expenses --monthly` prints: each month's amount per category.
        cases["monthly category report, whole history"] = lambda: run(
            '{ spendingReport(from: "2021-12-01", to: "2026-11-30", groupBy: CATEGORY, '
            "interval: MONTH) { periods { label rows { name amount { amount } } } } }"
        )
        # The same cells as a table, a series per category: hledger's output, row for row.
        cases["monthly category table, whole history"] = lambda: run(
            '{ spendingReport(from: "2021-12-01", to: "2026-11-30", groupBy: CATEGORY, '
            "interval: MONTH) { periods { label } series { name amounts } } }"
        )
        cases["yearly payee report, whole history"] = lambda: run(
            '{ spendingReport(from: "2021-12-01", to: "2026-11-30", groupBy: PAYEE, '
            "interval: YEAR) { periods { label total { amount } rows { name amount { amount } "
            "key { ... on Payee { id } } } } } }"
        )
        cases["weekly category report, one year"] = lambda: run(
            '{ spendingReport(from: "2025-11-01", to: "2026-10-31", groupBy: CATEGORY, '
            "interval: WEEK) { periods { label rows { name amount { amount } } } } }"
        )
        cases["net worth, one year, daily"] = lambda: run(
            '{ netWorth(from: "2025-11-01", to: "2026-10-31", interval: DAY) '
            "{ date amount { amount } } }"
        )
    results: dict[str, Any] = {}
    for name, case in cases.items():
        await case()  # warm: caches, plans
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            await case()
            timings.append((time.perf_counter() - began) * 1000)
        recorder.statements.clear()
        recorder.recording = True
        await case()
        recorder.recording = False
        statements = list(recorder.statements)
        results[name] = {
            "median_ms": round(statistics.median(timings), 2),
            "min_ms": round(min(timings), 2),
            "statements": len(statements),
            "plans": await _plans(statements, postgres),
        }
        print(f"  {name}: {results[name]['median_ms']} ms", file=sys.stderr)
    event.remove(get_engine().sync_engine, "before_cursor_execute", recorder)
    return results


async def write_journal(user_id: uuid.UUID, path: Path) -> int:
    """The user's transactions as an hledger journal: the same postings Tally holds."""
    from sqlalchemy import select

    from services.ledger import models
    from shared.db import read_session

    async with read_session() as session:
        names = dict(
            (
                await session.execute(
                    select(models.Category.id, models.Category.name).where(
                        models.Category.user_id == user_id
                    )
                )
            ).all()
        )
        accounts = dict(
            (
                await session.execute(
                    select(models.Account.id, models.Account.name).where(
                        models.Account.user_id == user_id
                    )
                )
            ).all()
        )
        rows = (
            await session.execute(
                select(
                    models.Transaction.date,
                    models.Transaction.description,
                    models.Transaction.amount_minor,
                    models.Transaction.category_id,
                    models.Transaction.account_id,
                )
                .where(models.Transaction.user_id == user_id)
                .order_by(models.Transaction.date)
            )
        ).all()
    with path.open("w", encoding="utf-8") as journal:
        for day, description, minor, category_id, account_id in rows:
            category = names[category_id]
            side = "income" if minor > 0 else "expenses"
            cents = f"{-minor // 100}.{-minor % 100:02d}" if minor < 0 else None
            amount = cents if cents is not None else f"-{minor // 100}.{minor % 100:02d}"
            journal.write(
                f"{day.isoformat()} {description}\n"
                f"    {side}:{category}  {amount} USD\n"
                f"    assets:{accounts[account_id]}\n\n"
            )
    return len(rows)


def time_hledger(path: Path, runs: int) -> dict[str, Any]:
    command = ["hledger", "-f", str(path), "balance", "expenses", "--monthly", "-O", "csv"]
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append((time.perf_counter() - began) * 1000)
    return {"command": " ".join(command), "median_ms": round(statistics.median(timings), 2)}


async def main_async(arguments: argparse.Namespace) -> dict[str, Any]:
    from shared.config import get_settings
    from shared.db import dispose_engine
    from tally.migrations import upgrade

    postgres = arguments.database == "postgresql"
    if postgres and not arguments.reuse:
        await _recreate_postgres()
    url = _database_url(arguments.database)
    os.environ["TALLY_DATABASE_URL"] = url
    os.environ.pop("TALLY_REDIS_URL", None)
    get_settings.cache_clear()
    await asyncio.to_thread(upgrade, url)
    if arguments.reuse:
        generated = await _reused(arguments.users, arguments.per_user, postgres)
    else:
        generated = await generate(
            arguments.users, arguments.per_user, not arguments.no_analyze, arguments.first_user
        )
    first = arguments.first_user if arguments.first_user is not None else arguments.per_user
    report: dict[str, Any] = {
        "database": arguments.database,
        "users": arguments.users,
        "transactions_per_user": arguments.per_user,
        "measured_user_transactions": first,
        "transactions_total": first + (arguments.users - 1) * arguments.per_user,
        "generate_seconds": round(generated.seconds, 1),
        "reused": arguments.reuse,
        "report_totals_rebuild_seconds": round(generated.rebuild_seconds, 2),
        "statistics": not arguments.no_analyze,
        "measured_as": str(generated.user_ids[0]),
        "operations": await measure(generated.user_ids[0], arguments.runs, postgres),
    }
    if arguments.hledger:
        if shutil.which("hledger") is None:
            raise SystemExit("bench.scale: --hledger needs hledger (apt-get install hledger)")
        journal = BENCH_DIR / "scale.journal"
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        written = await write_journal(generated.user_ids[0], journal)
        hledger = time_hledger(journal, max(1, arguments.runs // 3))
        hledger["transactions"] = written
        report["hledger"] = hledger
        for name, label in (
            ("monthly category table, whole history", "tally_speedup"),
            ("monthly category report, whole history", "tally_speedup_rows"),
        ):
            tally = report["operations"].get(name)
            if tally is not None:
                report["hledger"][label] = round(hledger["median_ms"] / tally["median_ms"], 1)
    await dispose_engine()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--per-user", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--hledger", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database an earlier run left (migrated first) instead of a new one",
    )
    parser.add_argument(
        "--first-user",
        type=int,
        default=None,
        help="transactions of the first user, the one measured (default: --per-user)",
    )
    parser.add_argument(
        "--no-analyze", action="store_true", help="measure without planner statistics"
    )
    parser.add_argument("--output", type=Path, default=None, help="also write the JSON here")
    arguments = parser.parse_args()
    report = asyncio.run(main_async(arguments))
    text = json.dumps(report, indent=2)
    if arguments.output is not None:
        arguments.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
