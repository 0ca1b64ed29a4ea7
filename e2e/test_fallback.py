"""Fallback through real Envoy: another model answers when the upstream
fails (error status, dead cluster, timeout), within the chain and the
attempt limit, and a secure request never falls back to an external model."""

import json
import time

import harness as h
import pytest
from conftest import post_json

CONFIG = {
    "providers": [
        {"name": "p1"}, {"name": "p2"}, {"name": "p3"},
        {"name": "slow", "timeout_ms": 800},
        {"name": "dead"},
        {"name": "s1", "secure": True}, {"name": "s2", "secure": True},
    ],
    "models": [
        {"name": "m1", "provider": "p1", "fallback": ["m2", "m3"]},
        {"name": "m2", "provider": "p2"},
        {"name": "m3", "provider": "p3"},
        {"name": "lonely", "provider": "p1"},
        {"name": "slowpoke", "provider": "slow", "fallback": ["m2"]},
        {"name": "ghost", "provider": "dead", "fallback": ["m3"]},
        {"name": "sec1", "provider": "s1", "fallback": ["m2", "sec2"]},
        {"name": "sec2", "provider": "s2"},
    ],
    "auto": {"models": ["m1", "m2", "m3"]},
    "fallback": {"max_attempts": 3, "timeout_ms": 2000},
}


@pytest.fixture(scope="module")
def gw(gateway_factory):
    # "dead" is a cluster whose port nothing listens on
    return gateway_factory(CONFIG, upstream_names=["p1", "p2", "p3", "slow", "s1", "s2"],
                           extra_clusters=[h.cluster("dead", h.free_port())])


def fail(status):
    return {"status": status}


@pytest.mark.parametrize("status", [412, 429, 500, 502, 503, 504])
def test_each_default_status_switches(gw, status):
    gw.script("p1", [fail(status)])
    t0 = time.time()
    r = post_json(gw, "/v1/chat/completions", {"model": "m1", "messages": []}, timeout=15)
    assert time.time() - t0 < 10
    assert r.status_code == 200, r.text
    assert r.headers["x-gateway-model-used"] == "m2"
    assert r.headers["x-gateway-switched"] == "1"
    assert r.headers["x-gateway-attempt-count"] == "2"
    body = r.json()
    assert body["upstream"] == "p2"
    assert body["gateway_notice"] == {"fromModel": "m1", "toModel": "m2", "triggerStatus": status, "attempts": 2}
    [got] = gw.received("p2")
    assert json.loads(got["body"])["model"] == "m2"


@pytest.mark.parametrize("status", [400, 401, 404])
def test_client_errors_are_not_retried(gw, status):
    gw.script("p1", [fail(status)])
    r = post_json(gw, "/v1/chat/completions", {"model": "m1"})
    assert r.status_code == status
    assert r.headers["x-gateway-switched"] == "0"
    assert gw.received("p2") == []


def test_pinned_model_without_chain_does_not_switch(gw):
    gw.script("p1", [fail(503)])
    r = post_json(gw, "/v1/chat/completions", {"model": "lonely"})
    assert r.status_code == 503
    assert r.headers["x-gateway-attempt-count"] == "1"
    assert all(gw.received(p) == [] for p in ["p2", "p3"])


def test_chain_of_three_ends_on_third(gw):
    gw.script("p1", [fail(500)])
    gw.script("p2", [fail(429)])
    r = post_json(gw, "/v1/chat/completions", {"model": "m1"}, timeout=15)
    assert r.status_code == 200
    assert r.headers["x-gateway-model-used"] == "m3"
    assert r.headers["x-gateway-attempt-count"] == "3"
    assert r.json()["gateway_notice"]["attempts"] == 3


def test_all_fail_returns_last_error(gw):
    gw.script("p1", [fail(500)])
    gw.script("p2", [fail(502)])
    gw.script("p3", [{"status": 503, "body": {"error": {"message": "p3 down", "type": "server_error", "code": "p3"}}}])
    r = post_json(gw, "/v1/chat/completions", {"model": "m1"}, timeout=15)
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "p3"
    assert r.headers["x-gateway-attempt-count"] == "3"


def test_dead_cluster_switches(gw):
    t0 = time.time()
    r = post_json(gw, "/v1/chat/completions", {"model": "ghost"}, timeout=15)
    assert time.time() - t0 < 10
    assert r.status_code == 200, r.text
    assert r.headers["x-gateway-model-used"] == "m3"
    assert r.json()["gateway_notice"]["triggerStatus"] == 503


def test_slow_upstream_past_timeout_switches(gw):
    gw.script("slow", [{"delay_ms": 3000}])
    t0 = time.time()
    r = post_json(gw, "/v1/chat/completions", {"model": "slowpoke"}, timeout=15)
    assert time.time() - t0 < 2.5
    assert r.status_code == 200, r.text
    assert r.headers["x-gateway-model-used"] == "m2"
    assert r.json()["gateway_notice"]["triggerStatus"] == 504


def test_auto_round_robin_spreads_and_falls_back(gw):
    used = [post_json(gw, "/v1/chat/completions", {"model": "auto"}).headers["x-gateway-model-used"] for _ in range(9)]
    assert sorted(set(used)) == ["m1", "m2", "m3"]
    assert max(used.count(m) for m in set(used)) <= 4
    gw.script("p1", [fail(503)], default={"status": 503})
    gw.script("p2", [], default={"status": 503})
    r = post_json(gw, "/v1/chat/completions", {"model": "auto"}, timeout=15)
    assert r.status_code == 200
    assert r.headers["x-gateway-model-used"] == "m3"


def test_secure_fallback_never_reaches_external(gw):
    gw.script("s1", [fail(503)])
    gw.script("s2", [fail(503)])
    r = post_json(gw, "/v1/chat/completions", {"model": "sec1"}, timeout=15)
    assert r.status_code == 503
    assert gw.received("p2") == [], "secure request leaked to an external model"
    assert len(gw.received("s2")) == 1


def test_sse_fallback_read_by_sdk(gw):
    gw.script("p1", [fail(503)])
    stream = gw.client().chat.completions.create(model="m1", messages=[], stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert "Hello from p2" in text
