"""`clawgate assign` / `rollback` against a running Envoy whose clawgate
filter comes from file-based extension config discovery: the model is
probed through the gateway first, the YAML is edited in place (comments
kept), the previous version kept, and Envoy swaps the config live."""

import json
import os
import tempfile

import harness as h
import pytest
import requests
from conftest import chat, clawgate, poll, post_json

YAML = """# gateway config, edited by people and by clawgate assign
providers:
  - name: p1
  - name: p2
  - name: broken     # answers 500
models:
  - name: m1
    provider: p1
  - name: m2
    provider: p2
  - name: m3
    provider: broken
assignments:
  header: x-assignee   # the agent's role
  map:
    manager: m1        # until the big rollout
"""


class Gw:
    def reset(self):
        """The autouse mock reset: this gateway's scripts are set per test."""


@pytest.fixture
def gw():
    import yaml
    workdir = tempfile.mkdtemp(prefix="clawgate-assign-")
    plugin = yaml.safe_load(YAML)
    mock, ports = h.start_mock(workdir, ["p1", "p2", "broken"])
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, ports, plugin)
    wasm = cfg["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]["http_filters"][0]
    ecds = os.path.join(workdir, "clawgate-ecds.json")
    with open(ecds, "w") as f:
        json.dump({"version_info": "0", "resources": [{
            "@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
            "name": "clawgate", "typed_config": wasm["typed_config"]}]}, f)
    hcm = cfg["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    hcm["http_filters"][0] = {"name": "clawgate", "config_discovery": {
        "config_source": {"path_config_source": {"path": ecds}, "resource_api_version": "V3"},
        "type_urls": ["type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm"]}}
    cfg["node"] = {"id": "clawgate-e2e", "cluster": "clawgate-e2e"}
    envoy = h.start_envoy(workdir, cfg, admin)
    g = Gw()
    g.url, g.ecds, g.envoy = f"http://127.0.0.1:{port}", ecds, envoy
    g.yaml = os.path.join(workdir, "clawgate.yaml")
    with open(g.yaml, "w") as f:
        f.write(YAML)
    g.mock_ports = ports
    requests.post(f"http://127.0.0.1:{ports['broken']}/__script",
                  json={"script": [], "default": {"status": 500}}, timeout=5)
    yield g
    envoy.stop()
    mock.stop()


def served(g):
    r = post_json(g, "/v1/chat/completions", chat("hi", model="auto"), headers={"x-assignee": "manager"})
    return r.headers.get("x-gateway-model-used")


def test_assign_probes_edits_in_place_swaps_live_and_rolls_back(gw):
    assert poll(lambda: served(gw), lambda m: m == "m1", 15.0) == "m1"
    # a model that fails its probe is refused and nothing changes
    bad = clawgate("assign", "manager", "m3", "--config", gw.yaml, "--ecds", gw.ecds, "--gateway", gw.url)
    assert bad.returncode == 1 and "probe of `m3`" in bad.stderr, bad.stderr
    assert open(gw.yaml).read() == YAML and not os.path.exists(gw.yaml + ".prev")
    # an unknown model is refused by the filter's own validation
    unknown = clawgate("assign", "manager", "nope", "--config", gw.yaml, "--gateway", gw.url)
    assert unknown.returncode == 1 and "nope" in unknown.stderr
    ok = clawgate("assign", "manager", "m2", "--config", gw.yaml, "--ecds", gw.ecds, "--gateway", gw.url)
    assert ok.returncode == 0, ok.stderr
    text = open(gw.yaml).read()
    assert text == YAML.replace("manager: m1        # until", 'manager: "m2"        # until')
    assert open(gw.yaml + ".prev").read() == YAML
    assert poll(lambda: served(gw), lambda m: m == "m2", 15.0) == "m2", "Envoy swapped the config live"
    # workers get their own line; the rest of the file stays
    ok = clawgate("assign", "worker:ann", "m2", "--config", gw.yaml, "--ecds", gw.ecds, "--gateway", gw.url)
    assert ok.returncode == 0 and '"worker-ann": "m2"' in open(gw.yaml).read()
    back = clawgate("rollback", "--config", gw.yaml, "--ecds", gw.ecds)
    assert back.returncode == 0, back.stderr
    assert "worker-ann" not in open(gw.yaml).read()
    assert served(gw) == "m2"
    clawgate("rollback", "--config", gw.yaml, "--ecds", gw.ecds)  # redo
    assert "worker-ann" in open(gw.yaml).read()
