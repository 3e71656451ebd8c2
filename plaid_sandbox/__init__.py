"""A local emulator of Plaid's API, for development and tests (see `app` for what it does)."""

from plaid_sandbox.app import create_emulator_app, run_standalone

__all__ = ["create_emulator_app", "run_standalone"]
