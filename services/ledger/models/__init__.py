"""SQLAlchemy tables of the ledger service, one module per room. No other service imports
this package.

Money is stored as integer minor units next to its ISO 4217 currency. Relationships are not
declared at all: every load is an explicit query in an aggregate's repository module, and a
foreign key names its table by name, so the rooms need not import each other. Every room is
imported here, so `metadata` holds every table (Alembic compares it with the migrations) and
`from services.ledger.models import X` works for every name.

    base.py           the metadata, the declarative base, exact decimals, shared text limits
    categories.py     categories, their groups, and the defaults they stand for
    accounts.py       accounts and their reconciliations
    transactions.py   transactions, split parts, tags on them, removed pending ones
    budgets.py        budgets and the budgeting styles
    goals.py          goals and contributions
    user_settings.py  the user's base currency and budgeting style
    currencies.py     exchange rates
    imports.py        file imports, their parts and staged rows
    recurring.py      recurring series
    payees.py         payees and the descriptions that name them
    tags.py           tags
    rules.py          transaction rules and their tags
    reports.py        the monthly report totals
"""

from services.ledger.models.accounts import (
    ACCOUNT_TYPES,
    Account,
    Reconciliation,
)
from services.ledger.models.base import (
    MAX_DESCRIPTION,
    MAX_IMPORT_KEY,
    MAX_NAME,
    MAX_NOTES,
    Base,
    ExactDecimal,
    metadata,
)
from services.ledger.models.budgets import (
    BUDGET_STYLE_ENVELOPE,
    BUDGET_STYLE_LIMITS,
    BUDGET_STYLES,
    Budget,
)
from services.ledger.models.categories import (
    CATEGORY_KIND_EXPENSE,
    CATEGORY_KIND_INCOME,
    CATEGORY_KIND_TRANSFER,
    CATEGORY_KINDS,
    MAX_CATEGORY_NAME,
    Category,
    CategoryGroup,
    CategoryPreset,
)
from services.ledger.models.currencies import (
    ExchangeRate,
)
from services.ledger.models.goals import (
    GOAL_FUNDING_ACCOUNT,
    GOAL_FUNDING_CATEGORY,
    GOAL_FUNDING_CONTRIBUTIONS,
    GOAL_FUNDINGS,
    Goal,
    GoalContribution,
)
from services.ledger.models.imports import (
    Import,
    ImportPart,
    ImportRow,
)
from services.ledger.models.payees import (
    MAX_PAYEE_KEY,
    MAX_PAYEE_NAME,
    Payee,
    PayeeKey,
)
from services.ledger.models.recurring import (
    RecurringSeries,
)
from services.ledger.models.reports import (
    ReportCategoryTotal,
    ReportTotal,
    ReportTotalsBuilt,
)
from services.ledger.models.rules import (
    MAX_RULE_NAME,
    Rule,
    RuleTag,
)
from services.ledger.models.tags import (
    MAX_TAG_NAME,
    Tag,
)
from services.ledger.models.transactions import (
    CATEGORY_SOURCE_BANK,
    CATEGORY_SOURCE_RULE,
    CATEGORY_SOURCE_USER,
    PAYEE_SOURCE_DERIVED,
    PAYEE_SOURCE_RULE,
    PAYEE_SOURCE_USER,
    TAGS_SOURCE_RULE,
    TAGS_SOURCE_USER,
    TAGS_SOURCES,
    PendingTombstone,
    Transaction,
    TransactionSplit,
    TransactionTag,
)
from services.ledger.models.user_settings import (
    LedgerSettings,
)

__all__ = [
    "ACCOUNT_TYPES",
    "BUDGET_STYLES",
    "BUDGET_STYLE_ENVELOPE",
    "BUDGET_STYLE_LIMITS",
    "CATEGORY_KINDS",
    "CATEGORY_KIND_EXPENSE",
    "CATEGORY_KIND_INCOME",
    "CATEGORY_KIND_TRANSFER",
    "CATEGORY_SOURCE_BANK",
    "CATEGORY_SOURCE_RULE",
    "CATEGORY_SOURCE_USER",
    "GOAL_FUNDINGS",
    "GOAL_FUNDING_ACCOUNT",
    "GOAL_FUNDING_CATEGORY",
    "GOAL_FUNDING_CONTRIBUTIONS",
    "MAX_CATEGORY_NAME",
    "MAX_DESCRIPTION",
    "MAX_IMPORT_KEY",
    "MAX_NAME",
    "MAX_NOTES",
    "MAX_PAYEE_KEY",
    "MAX_PAYEE_NAME",
    "MAX_RULE_NAME",
    "MAX_TAG_NAME",
    "PAYEE_SOURCE_DERIVED",
    "PAYEE_SOURCE_RULE",
    "PAYEE_SOURCE_USER",
    "TAGS_SOURCES",
    "TAGS_SOURCE_RULE",
    "TAGS_SOURCE_USER",
    "Account",
    "Base",
    "Budget",
    "Category",
    "CategoryGroup",
    "CategoryPreset",
    "ExactDecimal",
    "ExchangeRate",
    "Goal",
    "GoalContribution",
    "Import",
    "ImportPart",
    "ImportRow",
    "LedgerSettings",
    "Payee",
    "PayeeKey",
    "PendingTombstone",
    "Reconciliation",
    "RecurringSeries",
    "ReportCategoryTotal",
    "ReportTotal",
    "ReportTotalsBuilt",
    "Rule",
    "RuleTag",
    "Tag",
    "Transaction",
    "TransactionSplit",
    "TransactionTag",
    "metadata",
]
