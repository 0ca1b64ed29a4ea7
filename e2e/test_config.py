"""A bad plugin config is rejected by Envoy, never half-applied."""

import json
import os
import re
import subprocess

import harness as h
import pytest
import yaml
from conftest import clawgate, envoy_start_error


@pytest.mark.parametrize("bad", [
    {"providers": [{"name": "p"}], "models": [{"name": "m", "provider": "nope"}]},
    {"provider": []},
    {"predicates": [{"regex": "(", "provider": "p"}], "providers": [{"name": "p"}]},
])
def test_envoy_rejects_bad_config(bad):
    assert "invalid configuration" in envoy_start_error(bad, ["p"])


def test_shipped_envoy_yaml_validates_and_embeds_a_valid_plugin_config(tmp_path):
    text = open(os.path.join(h.ROOT, "envoy", "envoy.yaml")).read().replace("/etc/envoy/clawgate.wasm", h.WASM)
    cfg_path = tmp_path / "envoy.yaml"
    cfg_path.write_text(text)
    r = subprocess.run([h.ENVOY, "--mode", "validate", "-c", str(cfg_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "OK" in r.stdout + r.stderr, r.stderr[-2000:]
    doc = yaml.safe_load(text)
    hcm = doc["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    wasm = hcm["http_filters"][0]["typed_config"]["config"]
    assert wasm["allow_on_headers_stop_iteration"] is True
    plugin = tmp_path / "plugin.json"
    plugin.write_text(json.dumps(json.loads(wasm["configuration"]["value"])))
    r = clawgate("check-config", str(plugin))
    assert r.returncode == 0, r.stderr


def test_envoy_yaml_stats_tags_match_the_shared_list():
    doc = yaml.safe_load(open(os.path.join(h.ROOT, "envoy", "envoy.yaml")))
    assert doc["stats_config"]["stats_tags"] == h.STATS_TAGS


def test_docker_compose_runs_the_envoy_the_tests_run():
    # allow_on_headers_stop_iteration (which the filter needs) exists from 1.35
    compose = yaml.safe_load(open(os.path.join(h.ROOT, "envoy", "docker-compose.yaml")))
    tag = compose["services"]["envoy"]["image"].rsplit(":", 1)[1]
    minor = tuple(int(x) for x in tag.lstrip("v").split("-")[0].split("."))
    out = subprocess.run([h.ENVOY, "--version"], capture_output=True, text=True, timeout=60).stdout
    tested = tuple(int(x) for x in re.search(r"version: \w+/(\d+)\.(\d+)", out).groups())
    assert minor >= (1, 35) and minor == tested, f"compose runs Envoy {tag}, the tests run {tested}"
