"""The deployment files agree with the code (no Docker engine here: checked statically)."""

from __future__ import annotations

from pathlib import Path

import yaml

from shared.config import Settings
from tally.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


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
    assert "USER tally" in dockerfile


def test_kubernetes_manifests_run_real_commands_and_probe_health() -> None:
    documents = list(yaml.safe_load_all((ROOT / "deploy" / "k8s" / "tally.yaml").read_text()))
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
