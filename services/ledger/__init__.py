"""The ledger: the source of truth for users' money (accounts, transactions, categories,
budgets, goals, reports, recurring series), fed by hand through GraphQL and by the bank
through sync.

    api/            the door for other services: plain Python, no GraphQL
    graphql/        the GraphQL door: types, queries and mutations per aggregate, DataLoaders
    categories/     the default categories, bank hints, and the user's categories
    accounts/       manual and linked accounts: balances, closing, reconciling with statements
    currencies/     the user's base currency, exchange rates, converting into the base
    transactions/   transactions recorded by hand, the filter language and the keyset-paged
                    list, split parts, transfers between the user's accounts, bulk edits
    payees/         payees normalised from descriptions, renamed and merged
    tags/           the user's tags, many per transaction
    bank_ingest/    a linked item's accounts and transactions from sync, idempotently
    budgets/        an amount per category and month, and what was spent against it
    goals/          savings goals funded by contributions, an account or a budget category;
                    progress, projection, what is needed per month
    categories/     the user's categories and groups (from the defaults), bank hints, merging
    accounts/       manual and linked accounts, and their balances
    currencies/     the user's base currency, exchange rates, converting into the base
    transactions/   transactions recorded by hand, and the filtered, keyset-paged list
    bank_ingest/    a linked item's accounts and transactions from sync, idempotently
    budgets/        an amount per category and month, and a month in either budgeting style
    goals/          savings goals, contributions, progress and projection
    reports/        spending and income by category, group, payee or tag at any interval,
                    cash flow, net worth from daily balances; the monthly report totals
    imports/        files into an account (CSV, OFX/QFX, QIF) as a job, and CSV export
    actors.py       the ledger's jobs (file imports) on its own queue
    recurring/      recurring series detected in the history, and the bills they expect
    counted.py      what budgets and reports count: never a transfer, split ones by their parts
    user_data/      the user's ledger as a whole: their export's sections, and its deletion
    periods.py      dates and months, as every aggregate checks them
    events.py       the "transactions changed" announcement the notifier listens to
    rows.py         what every repository does alike (add, delete, the user's rows by ids)
    models/         the ledger's tables, a module per room (one metadata); migrations/ their history

An aggregate's service takes a session (reads) or a UnitOfWork (writes) and never commits;
it validates before the first write, so a rejected request stores nothing. It may call
another aggregate's service, never its repository. Only graphql/ knows GraphQL. The
import-linter contracts in pyproject.toml keep these rules.
"""

# The report totals listen to every change of transactions inside its unit of work (see
# events.LedgerListener): imported with the package, so no process writes without them.
from services.ledger.reports import totals_upkeep as _report_totals_upkeep  # noqa: F401
