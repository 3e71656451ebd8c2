"""One settings class, read once from the environment (twelve-factor), and checked whole.

Every value is checked when the settings are read, so a process refuses to start on a wrong
one instead of failing on first use; each problem names its variable (`problems`).

    settings.py     the Settings class, get_settings, and naming a field's variable
    values.py       checking one value: URLs, origins, networks, keys, levels
    production.py   what production must be given (secrets, real Plaid)
    dev_secrets.py  the secrets development and tests generate once under var/
"""

from shared.config.production import MIN_SECRET_KEY_LENGTH
from shared.config.settings import (
    EMULATED_LINK_SCRIPT,
    PLAID_LINK_SCRIPT,
    Environment,
    PlaidEnvironment,
    Settings,
    get_settings,
    problems,
    variable,
)
from shared.config.values import VAPID_KEY_RECIPE, vapid_private_key

__all__ = [
    "EMULATED_LINK_SCRIPT",
    "MIN_SECRET_KEY_LENGTH",
    "PLAID_LINK_SCRIPT",
    "VAPID_KEY_RECIPE",
    "Environment",
    "PlaidEnvironment",
    "Settings",
    "get_settings",
    "problems",
    "vapid_private_key",
    "variable",
]
