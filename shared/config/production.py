"""What production must be given rather than have made up: development and tests generate
their secrets under var/ and may run the Plaid emulator; production refuses to start without
real secrets and Plaid keys."""

from __future__ import annotations

from pydantic import SecretStr

from shared.config.values import VAPID_KEY_RECIPE

MIN_SECRET_KEY_LENGTH = 32


def check_plaid_environment(env: str, plaid_env: str) -> None:
    if env == "production" and plaid_env == "local":
        # The emulator's keys are public and it serves anyone who asks: never in production.
        raise ValueError(
            "PLAID_ENV: local (the Plaid emulator) cannot run with TALLY_ENV=production; "
            "set PLAID_ENV=sandbox or production, with PLAID_CLIENT_ID and PLAID_SECRET"
        )


def check_production_secrets(
    *,
    secret_key: SecretStr | None,
    encryption_keys: SecretStr | None,
    vapid_private_key: SecretStr | None,
) -> None:
    # Development generates its secrets under var/; production must be given them.
    if encryption_keys is None:
        raise ValueError("TALLY_ENCRYPTION_KEYS: required with TALLY_ENV=production")
    if secret_key is None:
        raise ValueError("TALLY_SECRET_KEY: required with TALLY_ENV=production")
    key = secret_key.get_secret_value()
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ValueError(
            f"TALLY_SECRET_KEY: must be at least {MIN_SECRET_KEY_LENGTH} characters with "
            f"TALLY_ENV=production (it has {len(key)}); make one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
        )
    if vapid_private_key is None:
        raise ValueError(
            "TALLY_VAPID_PRIVATE_KEY: required with TALLY_ENV=production (it signs web "
            f"pushes; keep it: a new key ends every browser's subscription); {VAPID_KEY_RECIPE}"
        )
