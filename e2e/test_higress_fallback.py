"""Higress's AI-route fallback is an Envoy internal redirect that also
fires on gateway-generated 4xx. A request clawgate refused must not go
down the fallback route anyway, even where that route's config would let
it through: here Envoy's custom_response redirect stands in for Higress's,
and the fallback route's clawgate rule turns the risk packs off."""

import json

import harness as h
import pytest
import requests
from conftest import Gateway, stop_gateway

CONFIG = {
    "providers": [{"name": "openai"}, {"name": "backup"}],
    "models": [{"name": "gpt-4o", "provider": "openai"}, {"name": "gpt-4o-backup", "provider": "backup"}],
    # a refusal as a 400 is what a 4xx redirect would take; as a message
    # (200, the default) nothing redirects it at all
    "risk": {"refusal": "error"},
    "_rules_": [{"_match_domain_": ["fallback.internal"], "risk": {"packs": []},
                 "default_provider": "backup"}],
}
REDIRECT_4XX_5XX = {
    "name": "envoy.filters.http.custom_response",
    "typed_config": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.custom_response.v3.CustomResponse",
        "custom_response_matcher": {"matcher_list": {"matchers": [{
            "predicate": {"or_matcher": {"predicate": [
                {"single_predicate": {"input": {"name": "status", "typed_config": {
                    "@type": "type.googleapis.com/envoy.type.matcher.v3.HttpResponseStatusCodeClassMatchInput"}},
                    "value_match": {"exact": c}}} for c in ("4xx", "5xx")]}},
            "on_match": {"action": {"name": "fallback", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.http.custom_response.redirect_policy.v3.RedirectPolicy",
                "uri": "http://fallback.internal/v1/chat/completions"}}},
        }]}},
    },
}


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("fallback-redirect"))
    mock, ports = h.start_mock(workdir, ["openai", "backup"])
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, ports, CONFIG, filters=[REDIRECT_4XX_5XX, h.wasm_filter(CONFIG)])
    vhost = cfg["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]["route_config"]["virtual_hosts"][0]
    vhost["routes"].insert(0, {"name": "fallback", "match": {"prefix": "/", "headers": [
        {"name": ":authority", "string_match": {"exact": "fallback.internal"}}]},
        "route": {"cluster": "backup", "timeout": "30s"}})
    try:
        envoy = h.start_envoy(workdir, cfg, admin, concurrency=1)
    except Exception:
        mock.stop()
        raise
    g = Gateway(workdir, CONFIG, ports, envoy, port, admin)
    g.mock = mock
    yield g
    stop_gateway(g)


def test_an_upstream_failure_does_take_the_fallback_route(gw):
    gw.script("openai", [{"status": 503}])
    r = requests.post(gw.url + "/v1/chat/completions",
                      json={"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, timeout=30)
    # upstream Envoy's redirect re-sends it as a GET and keeps the status
    assert r.json().get("upstream") == "backup", r.text
    assert len(gw.received("backup")) == 1, "the redirect ran the chain again on the fallback route"


def test_a_refused_request_never_goes_down_the_fallback_route(gw):
    before = len(gw.received("backup"))
    secret = "-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA"
    r = requests.post(gw.url + "/v1/chat/completions",
                      json={"model": "gpt-4o", "messages": [{"role": "user", "content": secret}]}, timeout=30)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "content_policy_violation"
    assert "not sent to a fallback route" in r.json()["error"]["message"], "refused again after the redirect"
    assert len(gw.received("backup")) == before
    r = requests.post(gw.url + "/v1/chat/completions",
                      json={"model": "no-such-model", "messages": [{"role": "user", "content": "hi"}]}, timeout=30)
    assert r.status_code == 404 and r.json()["error"]["code"] == "model_not_found", r.text
    assert len(gw.received("backup")) == before, "a 404 is not retried on the fallback route's default provider"
