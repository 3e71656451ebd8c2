"""Secrets for development and tests, generated once and kept under var/ so that restarts
and sibling processes (workers) agree. Production is given its own (shared.config.production).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import ec


def generated_vapid_key(var_dir: Path) -> str:
    """A VAPID key for development and tests, generated once and kept under var/ (a file of
    its own, so a secrets.json made before web push existed stays as it is)."""

    def make() -> dict[str, str]:
        key = ec.generate_private_key(ec.SECP256R1())
        raw = key.private_numbers().private_value.to_bytes(32, "big")
        return {"vapid_private_key": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}

    return _kept_under_var(var_dir / "vapid.json", make)["vapid_private_key"]


def generated_secrets(var_dir: Path) -> dict[str, str]:
    """Secrets for development and tests, generated once and kept under var/.

    Keeping them on disk lets restarts and sibling processes (workers) agree.
    """
    return _kept_under_var(
        var_dir / "secrets.json",
        lambda: {
            "secret_key": secrets.token_urlsafe(48),
            "encryption_key": Fernet.generate_key().decode(),
        },
    )


def _kept_under_var(path: Path, make: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The values kept in `path`, made by `make` and written once if the file is not there yet
    (the first of racing processes wins; the others read what it wrote)."""
    try:
        return dict(json.loads(path.read_text()))
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    values = make()
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(values))
    os.chmod(temporary, 0o600)
    try:
        os.link(temporary, path)
    except FileExistsError:
        # A sibling process won the race: use its secrets, not ours.
        return dict(json.loads(path.read_text()))
    finally:
        temporary.unlink(missing_ok=True)
    return values
