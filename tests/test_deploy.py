"""The deployment files agree with the code (no Docker engine here: checked statically)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml
from cryptography.fernet import Fernet
from pydantic import ValidationError

from shared.config import Settings
from tally.cli import build_parser
from tests.support.keys import VAPID_KEY

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = ROOT / "deploy" / "k8s" / "tally.yaml"
# The Kubernetes release the manifests are checked against (schemas shipped offline by
# kubernetes-validate); raise it when the oldest cluster we support moves on.
KUBERNETES_VERSION = "1.30.0"

# `${NAME}`, `${NAME:-default}` and `${NAME:?message}`, as Compose interpolates them.
_COMPOSE_VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def _compose_environment(operator: dict[str, str]) -> dict[str, str]:
    """The gateway's environment as Compose would give it, with `operator` exported."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    def value(match: re.Match[str]) -> str:
        name, kind, default = match.groups()
        if operator.get(name):
            return operator[name]
        if kind == "?":
            pytest.fail(f"compose requires {name}, which the test did not export")
        return default or ""

    environment = compose["services"]["gateway"]["environment"]
    return {name: _COMPOSE_VARIABLE.sub(value, str(raw)) for name, raw in environment.items()}


def _settings_from(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, var_dir: Path
) -> Settings:
    for name in list(os.environ):
        if name.startswith(("TALLY_", "PLAID_")):
            monkeypatch.delenv(name)
    for name, value in {**environment, "TALLY_VAR_DIR": str(var_dir)}.items():
        monkeypatch.setenv(name, value)
    return Settings()


REQUIRED_BY_COMPOSE = {
    "TALLY_SECRET_KEY": "k" * 48,
    "TALLY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "TALLY_VAPID_PRIVATE_KEY": VAPID_KEY,
}


def test_compose_defaults_are_a_development_stack_with_the_emulator(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = _settings_from(_compose_environment(REQUIRED_BY_COMPOSE), monkeypatch, tmp_path)
    assert (settings.env, settings.plaid_env) == ("development", "local")
    assert settings.plaid_host == "http://gateway:8000/plaid-sandbox"


def test_compose_as_production_refuses_the_emulator_until_plaid_is_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    production = {**REQUIRED_BY_COMPOSE, "TALLY_ENV": "production"}
    with pytest.raises(ValidationError, match="PLAID_ENV"):
        _settings_from(_compose_environment(production), monkeypatch, tmp_path)
    plaid = {"PLAID_ENV": "sandbox", "PLAID_CLIENT_ID": "id", "PLAID_SECRET": "secret"}
    settings = _settings_from(_compose_environment({**production, **plaid}), monkeypatch, tmp_path)
    assert settings.plaid_host == "https://sandbox.plaid.com"


def test_compose_services_run_real_tally_commands_with_known_settings() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    parser = build_parser()
    known = {f"TALLY_{name.upper()}" for name in Settings.model_fields} | {
        "PLAID_ENV", "PLAID_CLIENT_ID", "PLAID_SECRET",
    }  # fmt: skip
    for name, service in compose["services"].items():
        command = service.get("command")
        if not command or command[0] != "tally":
            continue
        parser.parse_args(command[1:])  # exits (fails the test) on an unknown command
        unknown = set(service.get("environment", {})) - known
        assert not unknown, f"{name} sets unknown variables {unknown}"


def test_the_image_runs_the_gateway_by_default() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["tally", "gateway"' in dockerfile


def test_the_image_builds_the_web_app_where_the_gateway_looks_for_it() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM node:\S+ AS web$", dockerfile, re.MULTILINE)
    assert "RUN npm ci" in dockerfile and "RUN npm run build" in dockerfile
    copied = re.search(r"^COPY --from=web (\S+) (\S+)$", dockerfile, re.MULTILINE)
    assert copied, "the final image takes nothing from the web stage"
    web_dir = re.search(r"TALLY_WEB_DIR=(\S+)", dockerfile)
    assert web_dir and web_dir[1] == copied[2]
    # relay-compiler finds the contract at ../schema.graphql from web/.
    workdir = re.search(r"^WORKDIR (\S+)$", dockerfile, re.MULTILINE)
    assert workdir and f"COPY schema.graphql {Path(workdir[1]).parent}/schema.graphql" in dockerfile


def test_kubernetes_manifests_run_real_commands_and_probe_health() -> None:
    documents = _manifests()
    parser = build_parser()
    kinds = {document["kind"] for document in documents}
    assert {"Deployment", "Service", "Ingress", "Job", "ConfigMap"} <= kinds
    for document in documents:
        if document["kind"] not in ("Deployment", "Job"):
            continue
        for container in document["spec"]["template"]["spec"]["containers"]:
            assert container["args"][0] == "tally"
            parser.parse_args(container["args"][1:])
    gateway = next(d for d in documents if d["metadata"]["name"] == "tally-gateway"
                   and d["kind"] == "Deployment")  # fmt: skip
    probes = gateway["spec"]["template"]["spec"]["containers"][0]
    assert probes["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert probes["livenessProbe"]["httpGet"]["path"] == "/healthz"


def _manifests() -> list[dict[str, Any]]:
    return [document for document in yaml.safe_load_all(MANIFESTS.read_text()) if document]


def _pod_specs() -> list[tuple[str, dict[str, Any]]]:
    return [
        (document["metadata"]["name"], document["spec"]["template"]["spec"])
        for document in _manifests()
        if document["kind"] in ("Deployment", "Job")
    ]


def _image_user() -> tuple[int, int | None]:
    users = re.findall(r"^USER\s+(\S+)\s*$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert users, "the image sets no USER: it would run as root"
    numeric = re.fullmatch(r"(\d+)(?::(\d+))?", users[-1])
    assert numeric, f"USER {users[-1]} is not numeric: runAsNonRoot cannot verify a name"
    return int(numeric[1]), int(numeric[2]) if numeric[2] else None


@pytest.mark.parametrize(
    "document", _manifests(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}"
)
def test_every_manifest_is_valid_for_the_named_kubernetes_version(
    document: dict[str, Any],
) -> None:
    # strict: an unknown field (a misspelt runAsUser) is an error, not silently dropped.
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_validator_ships_the_named_kubernetes_version() -> None:
    minor = KUBERNETES_VERSION.rsplit(".", 1)[0]
    assert any(kubernetes_validate.utils.major_minor(v) == minor
               for v in kubernetes_validate.utils.all_versions())  # fmt: skip


def test_the_image_runs_as_a_numeric_non_root_user() -> None:
    user, group = _image_user()
    assert user != 0 and group != 0


def test_every_non_root_container_runs_as_the_images_numeric_user() -> None:
    user, group = _image_user()
    checked = 0
    for name, pod in _pod_specs():
        pod_context = pod.get("securityContext", {})
        for container in pod["containers"]:
            context = {**pod_context, **container.get("securityContext", {})}
            if not context.get("runAsNonRoot"):
                continue
            checked += 1
            run_as = context.get("runAsUser")
            # The kubelet refuses to start a runAsNonRoot container whose user is not numeric.
            assert type(run_as) is int and run_as != 0, f"{name}: runAsUser {run_as!r}"
            assert run_as == user, f"{name} runs as {run_as}, the image as {user}"
            if group is not None:
                assert context.get("runAsGroup") == group, f"{name}: runAsGroup"
    assert checked == sum(len(pod["containers"]) for _, pod in _pod_specs())
