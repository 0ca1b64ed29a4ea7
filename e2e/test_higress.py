"""higress/ manifests: valid against the WasmPlugin CRD shipped in shared/,
and their plugin configs pass the filter's own validator."""

import json
import os

import harness as h
import pytest
import yaml
from conftest import clawgate

CRD = os.path.join(os.path.dirname(h.ROOT), "shared", "higress-wasmplugin-crd.yaml")


def check_schema(value, schema, path="spec"):
    """A small openAPIV3 subset: type, properties (closed unless
    x-kubernetes-preserve-unknown-fields), items, enum."""
    t = schema.get("type")
    if schema.get("x-kubernetes-int-or-string"):
        assert isinstance(value, (int, str)), path
        return
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int}
    if t in kinds:
        assert isinstance(value, kinds[t]), f"{path}: expected {t}"
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value} not in {schema['enum']}"
    if t == "object" and "properties" in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
        for k, v in value.items():
            assert k in schema["properties"], f"{path}.{k}: not in the CRD"
            check_schema(v, schema["properties"][k], f"{path}.{k}")
    if t == "array" and "items" in schema:
        for i, v in enumerate(value):
            check_schema(v, schema["items"], f"{path}[{i}]")


@pytest.mark.skipif(not os.path.exists(CRD), reason="shared/ CRD not beside the checkout")
def test_wasmplugin_matches_crd_and_config_validates(tmp_path):
    crd = yaml.safe_load(open(CRD))
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    plugin = yaml.safe_load(open(os.path.join(h.ROOT, "higress", "wasmplugin.yaml")))
    assert plugin["kind"] == "WasmPlugin"
    check_schema(plugin["spec"], schema)
    # the config clawgate receives: defaultConfig plus matchRules as _rules_
    cfg = dict(plugin["spec"]["defaultConfig"])
    cfg["_rules_"] = [dict(r["config"], _match_domain_=r["domain"]) for r in plugin["spec"]["matchRules"]]
    f = tmp_path / "p.json"
    f.write_text(json.dumps(cfg))
    r = clawgate("check-config", str(f))
    assert r.returncode == 0, r.stderr


def test_console_example_validates():
    r = clawgate("check-config", os.path.join(h.ROOT, "higress", "console-example.yaml"))
    assert r.returncode == 0, r.stderr


# Higress runs WasmPlugins phase by phase, and within a phase the higher
# priority first.
PHASES = ["AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE"]


def run_order(phase, priority):
    return (PHASES.index(phase), -priority)


def test_wasmplugin_runs_after_authentication_and_before_ai_proxy():
    spec = yaml.safe_load(open(os.path.join(h.ROOT, "higress", "wasmplugin.yaml")))["spec"]
    clawgate_at = run_order(spec.get("phase", "UNSPECIFIED_PHASE"), spec.get("priority", 0))
    for auth, priority in [("key-auth", 310), ("jwt-auth", 340), ("oidc", 350)]:
        assert run_order("AUTHN", priority) < clawgate_at, f"clawgate runs before {auth}"
    assert clawgate_at < run_order("UNSPECIFIED_PHASE", 100), "clawgate runs after ai-proxy"
