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


HIGRESS = os.path.join(h.ROOT, "higress")


def wasmplugins():
    """Every WasmPlugin shipped in higress/ (documents of any manifest)."""
    out = []
    for name in sorted(os.listdir(HIGRESS)):
        if name.endswith(".yaml"):
            with open(os.path.join(HIGRESS, name)) as f:
                out += [(name, d) for d in yaml.safe_load_all(f) if d and d.get("kind") == "WasmPlugin"]
    return out


def plugin_config(spec):
    """The config clawgate receives from Higress: defaultConfig plus the
    matchRules as `_rules_` (ingress -> _match_route_, domain ->
    _match_domain_, service -> _match_service_)."""
    cfg = {} if spec.get("defaultConfigDisable") else dict(spec.get("defaultConfig") or {})
    keys = {"ingress": "_match_route_", "domain": "_match_domain_", "service": "_match_service_"}
    rules = []
    for r in spec.get("matchRules", []):
        rule = dict(r.get("config") or {})
        rule.update({keys[k]: v for k, v in r.items() if k in keys})
        rules.append(rule)
    if rules:
        cfg["_rules_"] = rules
    return cfg


def console_schema():
    with open(os.path.join(HIGRESS, "spec.yaml")) as f:
        return yaml.safe_load(f)["spec"]["configSchema"]["openAPIV3Schema"]


def check_config_ok(tmp_path, cfg, name="p.json"):
    f = tmp_path / name
    f.write_text(json.dumps(cfg))
    r = clawgate("check-config", str(f))
    assert r.returncode == 0, r.stderr


def test_a_wasmplugin_is_shipped():
    assert [n for n, _ in wasmplugins()] == ["wasmplugin.yaml"]


@pytest.mark.skipif(not os.path.exists(CRD), reason="shared/ CRD not beside the checkout")
def test_every_wasmplugin_matches_crd_and_its_config_validates(tmp_path):
    crd = yaml.safe_load(open(CRD))
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    for name, plugin in wasmplugins():
        check_schema(plugin["spec"], schema, f"{name}: spec")
        check_config_ok(tmp_path, plugin_config(plugin["spec"]))


def test_every_wasmplugin_is_listed_by_the_console():
    for name, plugin in wasmplugins():
        labels = plugin["metadata"].get("labels", {})
        assert labels.get("higress.io/resource-definer") == "higress", name
        assert labels.get("higress.io/wasm-plugin-name") == "clawgate", name
        assert labels.get("higress.io/wasm-plugin-version"), name
        assert plugin["metadata"].get("annotations", {}).get("higress.io/wasm-plugin-title"), name


def test_console_spec_is_generated_from_the_filters_schema():
    import subprocess
    import sys
    r = subprocess.run([sys.executable, os.path.join(h.ROOT, "scripts", "higress_spec.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    generated = json.loads(clawgate("schema").stdout)
    shipped = console_schema()
    shipped.pop("example")
    assert shipped == generated


def examples():
    """(name, config) of every config example a user pastes: the console's
    global and per-route ones (merged as Higress merges them), the
    WasmPlugin's defaultConfig and each matchRule config."""
    load = lambda n: yaml.safe_load(open(os.path.join(HIGRESS, n)))  # noqa: E731
    glob = load("console-example.yaml")
    out = [("console-example.yaml", glob), ("console-route-example.yaml", dict(glob, **load("console-route-example.yaml")))]
    for name, plugin in wasmplugins():
        spec = plugin["spec"]
        out.append((f"{name}: defaultConfig", spec.get("defaultConfig") or {}))
        for i, r in enumerate(spec.get("matchRules", [])):
            out.append((f"{name}: matchRules[{i}]", dict(spec.get("defaultConfig") or {}, **r["config"])))
    with open(os.path.join(HIGRESS, "spec.yaml")) as f:
        out.append(("spec.yaml example", yaml.safe_load(f)["spec"]["configSchema"]["openAPIV3Schema"]["example"]))
    return out


def test_every_example_config_validates_against_the_schema_and_check_config(tmp_path):
    import jsonschema
    schema = console_schema()
    schema.pop("example")
    for i, (name, cfg) in enumerate(examples()):
        errs = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(cfg)]
        assert not errs, f"{name}: {errs}"
        check_config_ok(tmp_path, cfg, f"ex{i}.json")


def test_the_schema_refuses_what_the_filter_refuses():
    import jsonschema
    schema = console_schema()
    schema.pop("example")
    bad = {"providers": [{"name": "p", "clustr": "typo"}]}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad))


def test_console_example_keeps_rules_where_higress_keeps_them():
    for n in ("console-example.yaml", "console-route-example.yaml"):
        assert "_rules_" not in yaml.safe_load(open(os.path.join(HIGRESS, n))), n


def test_every_shipped_envoy_config_passes_envoy_validate(tmp_path):
    import subprocess
    with open(os.path.join(h.ROOT, "envoy", "envoy.yaml")) as f:
        text = f.read().replace("/etc/envoy/clawgate.wasm", h.WASM)
    path = tmp_path / "envoy.yaml"
    path.write_text(text)
    r = subprocess.run([h.ENVOY, "--mode", "validate", "-c", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]


def test_higress_stats_tags_are_clawgates_own():
    with open(os.path.join(HIGRESS, "stats-tags.yaml")) as f:
        cm = yaml.safe_load(f)
    tags = yaml.safe_load(cm["data"]["custom_bootstrap.yaml"])["stats_config"]["stats_tags"]
    assert tags == [t for t in h.STATS_TAGS if t["tag_name"].startswith("clawgate_")]


# Higress runs WasmPlugins phase by phase, and within a phase the higher
# priority first.
PHASES = ["AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE"]


def run_order(phase, priority):
    return (PHASES.index(phase), -priority)


# Higress's own plugins clawgate sits between (phase, default priority).
RUN_BEFORE = [("key-auth", "AUTHN", 310), ("jwt-auth", "AUTHN", 340), ("oidc", "AUTHN", 350),
              ("model-router", "AUTHN", 900), ("ai-data-masking", "AUTHN", 991)]
RUN_AFTER = [("ai-statistics", "UNSPECIFIED_PHASE", 200), ("ai-token-ratelimit", "UNSPECIFIED_PHASE", 600),
             ("ai-quota", "UNSPECIFIED_PHASE", 750), ("ai-proxy", "UNSPECIFIED_PHASE", 100)]


def test_every_wasmplugin_runs_after_authentication_and_before_ai_proxy():
    for name, plugin in wasmplugins():
        spec = plugin["spec"]
        clawgate_at = run_order(spec.get("phase", "UNSPECIFIED_PHASE"), spec.get("priority", 0))
        for other, phase, priority in RUN_BEFORE:
            assert run_order(phase, priority) < clawgate_at, f"{name}: clawgate runs before {other}"
        for other, phase, priority in RUN_AFTER:
            assert clawgate_at < run_order(phase, priority), f"{name}: clawgate runs after {other}"
