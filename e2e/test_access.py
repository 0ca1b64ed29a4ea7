"""Model access through real Envoy and a real sidecar: `access` rules by
identity decide who may use which model before any provider is called;
`auto`, fallback and `/v1/models` keep to what the caller may use; a secure
reroute is allowed to everyone; the deciding rule is in the audit record."""

import os

import harness as h
import pytest
from conftest import assert_openai_error, chat, poll, post_json

TOKEN = "access-token"


def config(audit_cluster):
    return {
        "providers": [{"name": "p1"}, {"name": "p2"}, {"name": "pq"}, {"name": "sec", "secure": True}],
        "models": [
            {"name": "big", "provider": "p1", "fallback": ["small", "mid"]},
            {"name": "small", "provider": "p2"},
            {"name": "mid", "provider": "p2"},
            {"name": "vault", "provider": "sec"},
            {"name": "claude", "provider": "p1", "protocols": ["anthropic"]},
        ],
        "predicates": [{"prefix": "qwen-", "provider": "pq"}],
        "auto": {"models": ["big", "small"]},
        "fallback": {"max_attempts": 3},
        "identity": {"user": ["x-user"]},
        "access": {"default": "allow", "rules": [
            {"name": "interns", "match": "intern-*", "models": ["qwen-*"], "action": "allow"},
            {"name": "interns-nothing-else", "match": "intern-*", "models": ["*"], "action": "deny"},
            {"name": "no-small-for-carol", "match": "carol", "models": ["small"], "action": "deny"},
        ]},
        "audit": {"cluster": audit_cluster, "token": TOKEN, "flush_interval_ms": 100},
    }


@pytest.fixture(scope="module")
def sc(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("access-sc"))
    s = h.Sidecar(d, token=TOKEN)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    return gateway_factory(config("clawgate_audit"), extra_clusters=[sc.cluster])


def ask(gw, user, model, content="hello", path="/v1/chat/completions"):
    return post_json(gw, path, chat(content, model=model), headers={"x-user": user})


def record(sc, r):
    rid = r.headers["x-clawgate-request-id"]
    got = poll(lambda: sc.get(f"/v1/audit/{rid}"), lambda x: x.status_code == 200, 10)
    assert got.status_code == 200, got.text
    return got.json()


def test_denied_for_one_identity_allowed_for_another(gw, sc):
    denied = ask(gw, "intern-1", "big")
    err = assert_openai_error(denied, 403, "model_not_allowed")
    assert "interns-nothing-else" in err["message"]
    assert gw.received("p1") == [], "refused before any provider is called"
    ok = ask(gw, "dave", "big")
    assert ok.status_code == 200, ok.text
    assert len(gw.received("p1")) == 1
    rec = record(sc, denied)
    assert (rec["status"], rec["error"]) == (403, "model_not_allowed")
    assert rec["access"] == {"rule": "interns-nothing-else", "outcome": "denied"}
    assert record(sc, ok)["access"] == {"rule": "access.default", "outcome": "allowed"}


def test_a_prefix_rule_lets_the_intern_use_pass_through_models(gw):
    r = ask(gw, "intern-1", "qwen-max")
    assert r.status_code == 200, r.text
    assert len(gw.received("pq")) == 1


def test_anthropic_callers_get_the_refusal_in_their_format(gw):
    r = post_json(gw, "/v1/messages", {"model": "claude", "max_tokens": 5,
                                       "messages": [{"role": "user", "content": "hi"}]},
                  headers={"x-user": "intern-2", "anthropic-version": "2023-06-01"})
    assert r.status_code == 403
    body = r.json()
    assert body["type"] == "error" and body["error"]["type"] == "permission_error"
    assert body["error"]["code"] == "model_not_allowed"


def test_auto_picks_only_allowed_models(gw):
    # carol may not use small: auto (round robin over big, small) gives big every time
    gw.script("p1", default={"status": 200})
    for _ in range(4):
        r = ask(gw, "carol", "auto")
        assert r.status_code == 200, r.text
        assert r.headers["x-gateway-model-used"] == "big"
    assert gw.received("p2") == []
    # nothing auto picks from is the intern's: 403, never another model
    assert_openai_error(ask(gw, "intern-3", "auto"), 403, "model_not_allowed")


def test_fallback_skips_candidates_the_caller_may_not_use(gw, sc):
    gw.script("p1", [{"status": 503}])
    r = ask(gw, "carol", "big")
    assert r.status_code == 200, r.text
    assert r.headers["x-gateway-model-used"] == "mid", "small is carol's to skip"
    import json
    [got] = gw.received("p2")
    assert json.loads(got["body"])["model"] == "mid"
    rec = record(sc, r)
    assert rec["access"] == {"rule": "access.default", "outcome": "allowed", "skipped": 1}
    # anyone else falls back to small first
    gw.reset()
    gw.script("p1", [{"status": 503}])
    r = ask(gw, "dave", "big")
    assert r.headers["x-gateway-model-used"] == "small"


def test_a_secure_reroute_reaches_the_secure_model_for_a_denied_identity(gw):
    # the intern may not use `vault` ...
    assert_openai_error(ask(gw, "intern-1", "vault"), 403, "model_not_allowed")
    # ... but a sensitive prompt sent to a model they may use is rerouted
    # to it: a sensitive prompt is never refused into the external model's hands
    for text in ["my id card is 110101199003074514", "身份证 110101199003074514"]:
        r = ask(gw, "intern-1", "qwen-max", content=text)
        assert r.status_code == 200, r.text
        assert r.headers["x-gateway-model-used"] == "vault"
    assert gw.received("pq") == []
    assert len(gw.received("sec")) == 2


def test_models_list_shows_only_what_the_caller_may_use(gw):
    import requests

    def ids(user, **hdr):
        r = requests.get(gw.url + "/v1/models", headers={"x-user": user, **hdr}, timeout=10)
        assert r.status_code == 200, r.text
        return [m["id"] for m in r.json()["data"]]

    assert ids("dave") == ["auto", "big", "small", "mid", "vault", "claude"]
    assert ids("carol") == ["auto", "big", "mid", "vault", "claude"]
    assert ids("carol", **{"anthropic-version": "2023-06-01"}) == ["claude"]
    assert ids("intern-1") == [], "pass-through names are not listed"
    assert ids("intern-1", **{"anthropic-version": "2023-06-01"}) == []
