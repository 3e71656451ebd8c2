"""Checks Plaid API responses and webhooks against Plaid's own OpenAPI spec.

The spec (tests/data/plaid-openapi-2020-09-14.yml, a copy of Plaid's 2020-09-14_1.697.4) is
loaded once per process. A 2xx body is validated against the operation's 200 response schema,
an error body against the operation's error schema (PlaidError), plus what Plaid always sends
and the spec leaves optional: a request_id.

Typical use:

    record, records = make_recorder()
    app = create_emulator_app(..., on_response=record)
    ...
    assert_all_valid(records)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema.protocols import Validator
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "plaid-openapi-2020-09-14.yml"
_SPEC_URI = "urn:plaid:openapi-2020-09-14"

Record = tuple[str, int, bytes]

# Webhook bodies the emulator sends, by (webhook_type, webhook_code), and their spec schema.
WEBHOOK_SCHEMAS = {
    ("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"): "SyncUpdatesAvailableWebhook",
    ("TRANSACTIONS", "DEFAULT_UPDATE"): "DefaultUpdateWebhook",
    ("ITEM", "ERROR"): "ItemErrorWebhook",
    ("ITEM", "LOGIN_REPAIRED"): "ItemLoginRepairedWebhook",
    ("ITEM", "NEW_ACCOUNTS_AVAILABLE"): "NewAccountsAvailableWebhook",
    ("ITEM", "PENDING_DISCONNECT"): "PendingDisconnectWebhook",
    ("ITEM", "PENDING_EXPIRATION"): "PendingExpirationWebhook",
    ("ITEM", "USER_PERMISSION_REVOKED"): "UserPermissionRevokedWebhook",
    ("ITEM", "USER_ACCOUNT_REVOKED"): "UserAccountRevokedWebhook",
    ("ITEM", "WEBHOOK_UPDATE_ACKNOWLEDGED"): "WebhookUpdateAcknowledgedWebhook",
}

# Endpoints of the emulator's own (plaid_sandbox.handlers.emulator), not Plaid's API.
EMULATOR_OWN_PREFIX = "/emulator/"


def _load_spec(path: Path) -> dict[str, Any]:
    """The spec as a dict. Parsing 3 MB of YAML takes a second even with libyaml, so the
    result is also kept as JSON in the temp directory, keyed by the YAML's hash."""
    raw = path.read_bytes()
    cached = (
        Path(tempfile.gettempdir()) / f"tally-plaid-spec-{hashlib.sha256(raw).hexdigest()}.json"
    )
    try:
        document = json.loads(cached.read_bytes())
    except (OSError, ValueError):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
        with contextlib.suppress(OSError):
            fd, tmp_name = tempfile.mkstemp(dir=cached.parent, prefix=".tally-plaid-spec-")
            with os.fdopen(fd, "w") as handle:
                json.dump(document, handle)
            os.replace(tmp_name, cached)
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not an OpenAPI document")
    return document


class PlaidContract:
    """Plaid's spec, ready to validate; build it with `PlaidContract.load()` (cached)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT4)
        self._registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
        self._validators: dict[str, Validator] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> PlaidContract:
        return _load_contract(path)

    def _validator(self, pointer: str) -> Validator:
        with self._lock:
            validator = self._validators.get(pointer)
            if validator is None:
                validator = OAS30ReadValidator(
                    {"$ref": f"{_SPEC_URI}#{pointer}"},
                    registry=self._registry,
                    format_checker=oas30_format_checker,
                )
                self._validators[pointer] = validator
            return validator

    def _schema_errors(self, pointer: str, body: Any) -> list[str]:
        found = []
        for error in self._validator(pointer).iter_errors(body):
            where = "".join(f"[{part!r}]" for part in error.absolute_path) or "(body)"
            found.append(f"{where}: {error.message}")
        return sorted(found)

    def _response_pointer(self, path: str, status: int) -> str | None:
        operation = self.spec["paths"].get(path, {}).get("post")
        if operation is None:
            return None
        responses = operation["responses"]
        key = str(status) if str(status) in responses else None
        if key is None:
            key = "default" if status >= 400 and "default" in responses else None
        if key is None:
            return None
        escaped = path.replace("~", "~0").replace("/", "~1")
        return f"/paths/{escaped}/post/responses/{key}/content/application~1json/schema"

    def violations(
        self, path: str, status: int, body: bytes | str | Mapping[str, Any]
    ) -> list[str]:
        """Everything wrong with one response; an empty list when it follows the spec."""
        if isinstance(body, bytes | str):
            try:
                parsed = json.loads(body)
            except ValueError as exc:
                return [f"body is not JSON: {exc}"]
        else:
            parsed = dict(body)
        if not isinstance(parsed, dict):
            return ["body is not a JSON object"]
        problems: list[str] = []
        if status >= 400:
            pointer = self._response_pointer(path, status) or "/components/schemas/PlaidError"
            if not isinstance(parsed.get("request_id"), str) or not parsed["request_id"]:
                problems.append("error body has no request_id")
            if parsed.get("status") not in (None, status):
                problems.append(
                    f"error body says status {parsed.get('status')}, HTTP says {status}"
                )
        elif 200 <= status < 300 and path.startswith(EMULATOR_OWN_PREFIX):
            return []  # the emulator's own endpoints are not Plaid's: no spec to follow
        elif 200 <= status < 300:
            found = self._response_pointer(path, status)
            if found is None:
                return [f"{path} has no {status} response in the spec"]
            pointer = found
        else:
            return [f"unexpected HTTP status {status}"]
        return problems + self._schema_errors(pointer, parsed)

    def webhook_violations(self, body: bytes | str | Mapping[str, Any]) -> list[str]:
        """Everything wrong with one webhook body (for the kinds in WEBHOOK_SCHEMAS)."""
        parsed = json.loads(body) if isinstance(body, bytes | str) else dict(body)
        if not isinstance(parsed, dict):
            return ["webhook body is not a JSON object"]
        kind = (parsed.get("webhook_type"), parsed.get("webhook_code"))
        schema = WEBHOOK_SCHEMAS.get((str(kind[0]), str(kind[1])))
        if schema is None:
            return [f"no schema known for webhook {kind}"]
        return self._schema_errors(f"/components/schemas/{schema}", parsed)


@cache
def _load_contract(path: Path) -> PlaidContract:
    return PlaidContract(_load_spec(path))


def make_recorder() -> tuple[Callable[[str, int, bytes], None], list[Record]]:
    """An `on_response` callback and the list it appends (endpoint, status, body) to."""
    records: list[Record] = []
    lock = threading.Lock()

    def record(path: str, status: int, body: bytes) -> None:
        with lock:
            records.append((path, status, bytes(body)))

    return record, records


def assert_all_valid(records: Iterable[Record], contract: PlaidContract | None = None) -> None:
    """Raise AssertionError listing every response that breaks the spec."""
    contract = contract or PlaidContract.load()
    report: list[str] = []
    for path, status, body in list(records):
        for problem in contract.violations(path, status, body):
            excerpt = body[:300].decode(errors="replace")
            report.append(f"{path} ({status}): {problem}\n    body: {excerpt}")
    if report:
        raise AssertionError(f"{len(report)} Plaid contract violation(s):\n" + "\n".join(report))
