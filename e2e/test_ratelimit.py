"""Rate limits through real Envoy: requests per minute counted exactly
across two workers (Envoy shared data, compare-and-swap), tokens per
minute charged from the answers' usage, the 429 in the caller's format with
`retry-after` and both SDK families' rate-limit headers, and the agent CLIs
(Claude Code, Codex) backing off on it and finishing their turn."""

import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import agents as a
import harness as h
import pytest
import requests
from conftest import chat, post_json

RPM = 5


def config(limits, **extra):
    return {
        "providers": [{"name": "p1"}],
        "models": [{"name": "m1", "provider": "p1"}, {"name": "m2", "provider": "p1"}],
        "identity": {"user": ["x-user"]},
        "rate_limits": {"limits": limits},
        **extra,
    }


def clear_of_minute_end(margin=8.0):
    """Fixed windows turn over on the minute: start where a test's burst
    cannot straddle one."""
    s = time.time() % 60
    if s > 60 - margin:
        time.sleep(60 - s + 0.2)


def worker_connections(gw):
    per = {}
    for k, v in gw.stats("downstream_cx_total").items():
        if ".worker_" in k and k.startswith("listener.") and v.strip().isdigit():
            w = k.split(".worker_")[1].split(".")[0]
            per[w] = per.get(w, 0) + int(v)
    return per


@pytest.fixture(scope="module")
def gw(gateway_factory):
    return gateway_factory(config([
        {"name": "per-user", "match": "*", "models": ["m1"], "requests_per_minute": RPM},
        {"name": "tokens", "match": "tok-*", "tokens_per_minute": 30},
    ]), concurrency=2)


def test_requests_per_minute_are_exact_across_two_workers(gw):
    clear_of_minute_end()
    before = worker_connections(gw)

    def one(_):
        # a new connection each: Envoy spreads them over its workers
        return requests.post(gw.url + "/v1/chat/completions", json=chat("hi", model="m1"),
                             headers={"x-user": "alice", "connection": "close"}, timeout=20)
    with ThreadPoolExecutor(12) as pool:
        got = list(pool.map(one, range(24)))
    after = worker_connections(gw)
    served = {w: after[w] - before.get(w, 0) for w in after}
    assert len([w for w, n in served.items() if n > 0]) == 2, f"one worker took every connection: {served}"
    codes = sorted(r.status_code for r in got)
    assert codes.count(200) == RPM, codes
    assert codes.count(429) == 24 - RPM, codes
    over = next(r for r in got if r.status_code == 429)
    err = over.json()["error"]
    assert err["code"] == "rate_limited" and "per-user" in err["message"]
    wait = int(over.headers["retry-after"])
    assert 1 <= wait <= 60
    assert over.headers["x-ratelimit-limit-requests"] == str(RPM)
    assert over.headers["x-ratelimit-remaining-requests"] == "0"
    assert over.headers["x-ratelimit-reset-requests"] == f"{wait}s"
    assert over.headers["anthropic-ratelimit-requests-limit"] == str(RPM)
    assert over.headers["anthropic-ratelimit-requests-reset"].endswith(":00Z")
    assert len(gw.received("p1")) == RPM, "a refused request reaches no provider"
    # another identity and another model have their own room
    assert post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-user": "bob"}).status_code == 200
    assert post_json(gw, "/v1/chat/completions", chat("hi", model="m2"),
                     headers={"x-user": "alice"}).status_code == 200


def test_anthropic_callers_get_the_429_in_their_format(gateway_factory):
    g = gateway_factory(config([{"name": "one", "match": "*", "requests_per_minute": 1}],
                               providers=[{"name": "p1", "protocols": ["openai", "anthropic"]}]))
    clear_of_minute_end()
    body = {"model": "m1", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    hdr = {"x-user": "carol", "anthropic-version": "2023-06-01"}
    assert post_json(g, "/v1/messages", body, headers=hdr).status_code == 200
    r = post_json(g, "/v1/messages", body, headers=hdr)
    assert r.status_code == 429
    assert r.json()["type"] == "error" and r.json()["error"]["type"] == "rate_limit_error"
    assert r.json()["error"]["code"] == "rate_limited"
    assert r.headers["anthropic-ratelimit-requests-remaining"] == "0"


def test_tokens_per_minute_are_charged_from_usage(gw):
    clear_of_minute_end(15)
    # the mock answers 18 tokens per request: two fit in 30 only before
    # the first is charged, the third never
    statuses = []
    for _ in range(4):
        r = post_json(gw, "/v1/chat/completions", chat("hi", model="m2"), headers={"x-user": "tok-1"})
        statuses.append(r.status_code)
        time.sleep(0.3)  # the usage is charged when Envoy logs the request
    assert statuses == [200, 200, 429, 429], statuses
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m2"), headers={"x-user": "tok-1"})
    assert r.headers["x-ratelimit-limit-tokens"] == "30"
    assert r.headers["x-ratelimit-remaining-tokens"] == "0"
    assert "30 tokens per minute" in r.json()["error"]["message"]


# ---- the agent CLIs back off on the 429 and finish the turn ----

AGENT_CONFIG = {
    "providers": [
        {"name": "anthropic", "api_key": "sk-ant-provider", "auth_header": "x-api-key", "protocols": ["anthropic"]},
        {"name": "openai", "api_key": "sk-openai-provider"},
    ],
    "models": [{"name": "claude-sonnet-4-6", "provider": "anthropic"}, {"name": "gpt-5-codex", "provider": "openai"}],
    # the session ids the clients send of their own accord, as the identity
    "identity": {"user": ["x-claude-code-session-id", "session-id", "x-user"]},
    # one request a minute per model, for everyone together
    "rate_limits": {"limits": [
        {"name": "claude-minute", "match": "*", "shared": True, "models": ["claude-sonnet-4-6"],
         "requests_per_minute": 1},
        {"name": "codex-minute", "match": "*", "shared": True, "models": ["gpt-5-codex"],
         "requests_per_minute": 1},
    ]},
    "audit": {"cluster": "clawgate_audit", "token": a.AUDIT_TOKEN, "flush_interval_ms": 100},
}
TEXT = "TURN-FINISHED-AFTER-BACKOFF"


@pytest.fixture(scope="module")
def agents_gw(gateway_factory):
    a.require_install()
    sc = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-rl-"), token=a.AUDIT_TOKEN)
    g = gateway_factory(AGENT_CONFIG, upstream_names=["anthropic", "openai"], extra_clusters=[sc.cluster])
    g.sc = sc
    yield g
    sc.stop()


@pytest.mark.parametrize("kind,model,upstream", [("claude", "claude-sonnet-4-6", "anthropic"),
                                                 ("codex", "gpt-5-codex", "openai")])
def test_agent_clis_back_off_and_finish_the_turn(agents_gw, kind, model, upstream):
    g = agents_gw
    g.reset()
    a.agent_default(g, text=TEXT)
    client = a.CLIENTS[kind](g.url, model)
    # take the minute's one request a few seconds before it turns over:
    # the client's first call gets 429 with a short retry-after
    s = time.time() % 60
    time.sleep((56.5 - s) % 60)
    warm = post_json(g, "/v1/messages", {"model": model, "max_tokens": 5,
                                         "messages": [{"role": "user", "content": "x"}]},
                     headers={"x-user": "warm", "anthropic-version": "2023-06-01"}) if kind == "claude" else \
        post_json(g, "/v1/chat/completions", chat("x", model=model), headers={"x-user": "warm"})
    assert warm.status_code == 200, warm.text
    g.reset()
    a.agent_default(g, text=TEXT)
    t0 = a.now_ms()
    run = client.run("Say hello.")
    assert run.rc == 0, run
    assert TEXT in run.stdout, run
    recs = a.records_since(g.sc, t0, expect=2)
    statuses = [r["status"] for r in recs]
    assert statuses[0] == 429 and statuses[-1] == 200, statuses
    assert all(r["rate_limit"] == f"{kind}-minute" for r in recs if r["status"] == 429)
    # it waited for the window rather than hammering it
    assert len([s for s in statuses if s == 429]) <= 6, statuses
    assert len(a.bodies(g, upstream, a.CLIENTS[kind].path)) == 1
