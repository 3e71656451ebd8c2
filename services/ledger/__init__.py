"""The ledger: the source of truth for users' money (accounts, transactions, categories,
budgets, goals, reports), fed by hand through GraphQL and by the bank through sync.

    api.py          the door for other services: plain Python, no GraphQL
    graphql/        the GraphQL door: types, queries and mutations per aggregate, DataLoaders
    categories/     the default categories, bank hints, and the user's categories
    accounts/       manual and linked accounts, and their balances
    currencies/     the user's base currency, exchange rates, converting into the base
    transactions/   transactions recorded by hand, and the filtered, keyset-paged list
    bank_ingest/    a linked item's accounts and transactions from sync, idempotently
    budgets/        an amount per category and month, and what was spent against it
    goals/          savings goals, contributions, progress and projection
    reports/        spending by category, cash flow and net worth over a range
    user_data/      the user's ledger as a whole: their export's sections, and its deletion
    periods.py      dates and months, as every aggregate checks them
    events.py       the "transactions changed" announcement the notifier listens to
    rows.py         what every repository does alike (add, delete, the user's rows by ids)
    models.py       the ledger's tables (one metadata); migrations/ their history

An aggregate's service takes a session (reads) or a UnitOfWork (writes) and never commits;
it validates before the first write, so a rejected request stores nothing. It may call
another aggregate's service, never its repository. Only graphql/ knows GraphQL. The
import-linter contracts in pyproject.toml keep these rules.
"""
