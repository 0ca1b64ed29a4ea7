"""Masks that come back and shadow rules, through real Envoy + the real
clawgate.wasm + a real sidecar, driven with the openai SDK: the upstream
gets placeholders, the client the originals (JSON, and SSE cut at every
byte of a placeholder or across tokens), the audit record keeps the
placeholders; shadow mode forwards unchanged and records the would-be
action, which `clawgate audit shadow` reports."""

import json
import tempfile

import harness as h
import pytest
import requests
from conftest import clawgate, poll, wait_stat

TOKEN = "restore-token"
EMAIL = "zhang.wei@acme-corp.cn"
PROMPT = f"Draft a reply to {EMAIL} and cc {EMAIL}"


def config(risk):
    return {
        "providers": [{"name": "openai"}, {"name": "local", "secure": True}],
        "models": [{"name": "gpt-4o", "provider": "openai"}, {"name": "local-qwen", "provider": "local"}],
        "risk": risk,
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100, "payloads": "full"},
    }


RESTORE = config({"overrides": {"email_address": {"action": "mask", "restore": True}}})
SHADOW = config({"mode": "shadow"})


@pytest.fixture(scope="module")
def sc():
    sc = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-restore-"), token=TOKEN)
    yield sc
    sc.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    return gateway_factory(RESTORE, extra_clusters=[sc.cluster])


@pytest.fixture(scope="module")
def shadow_gw(gateway_factory, sc):
    return gateway_factory(SHADOW, extra_clusters=[sc.cluster])


def record(sc, rid):
    r = poll(lambda: requests.get(f"{sc.url}/v1/audit/{rid}", timeout=5,
                                  headers={"authorization": f"Bearer {TOKEN}"}),
             lambda r: r.status_code == 200, 10.0)
    assert r.status_code == 200, f"record {rid} never arrived"
    return r.json()


def upstream_prompt(gw):
    [got] = gw.received("openai")
    return got["body"]


def test_json_answer_gets_the_originals_back(gw, sc):
    gw.script("openai", [{"content": "Sent to [EMAIL_1], copy kept."}])
    raw = gw.client().chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[{"role": "user", "content": PROMPT}])
    r = raw.parse()
    assert r.choices[0].message.content == f"Sent to {EMAIL}, copy kept."
    assert raw.headers["x-clawgate-risk-action"] == "mask"
    body = upstream_prompt(gw)
    assert EMAIL not in body
    assert json.loads(body)["messages"][0]["content"] == "Draft a reply to [EMAIL_1] and cc [EMAIL_1]"
    rec = record(sc, raw.headers["x-clawgate-request-id"])
    assert EMAIL not in json.dumps(rec), "the audit record keeps placeholders only"
    assert "[EMAIL_1]" in rec["request_payload"] and "[EMAIL_1]" in rec["response_payload"]


def stream_text(gw):
    stream = gw.client().chat.completions.create(
        model="gpt-4o", stream=True, messages=[{"role": "user", "content": PROMPT}])
    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


def sse_body(tokens):
    """The mock's stream bytes for `tokens`, to find the placeholder's offsets."""
    base = {"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o"}
    chunks = [dict(base, choices=[{"index": 0, "delta": {"content": t}, "finish_reason": None}]) for t in tokens]
    return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks)


def test_stream_split_at_every_byte_of_the_placeholder(gw):
    tokens = ["Sent to [EMAIL_1] today."]
    start = sse_body(tokens).index("[EMAIL_1]")
    for at in range(start, start + len("[EMAIL_1]") + 1):
        gw.reset()
        gw.script("openai", [{"tokens": tokens, "split_at": at}])
        assert stream_text(gw) == f"Sent to {EMAIL} today.", f"split at byte {at}"
        assert EMAIL not in upstream_prompt(gw)


def test_stream_placeholder_split_across_tokens(gw):
    for tokens in (["Sent to [EM", "AIL_1] today."], ["Sent to [", "EMAIL_", "1", "] today."]):
        gw.reset()
        gw.script("openai", [{"tokens": tokens}])
        assert stream_text(gw) == f"Sent to {EMAIL} today.", tokens


def test_text_that_only_looks_like_a_placeholder_is_left_alone(gw):
    gw.script("openai", [{"tokens": ["see [EMAIL_9] and [EMAIL_"]}])
    assert stream_text(gw) == "see [EMAIL_9] and [EMAIL_"


def test_shadow_forwards_unchanged_and_records_the_would_be_action(shadow_gw, sc):
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"
    prompt = f"fix this key for {EMAIL}\n{pem}"
    raw = shadow_gw.client().chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    assert raw.status_code == 200
    assert raw.headers["x-clawgate-risk-shadow"] == "block"
    assert "x-clawgate-risk-action" not in raw.headers
    assert raw.headers["x-gateway-model-used"] == "gpt-4o"
    [got] = shadow_gw.received("openai")
    assert json.loads(got["body"])["messages"][0]["content"] == prompt, "forwarded as sent"
    rec = record(sc, raw.headers["x-clawgate-request-id"])
    assert rec["risk"]["action"] is None and rec["risk"]["shadow_action"] == "block"
    hits = {x["rule"]: x for x in rec["risk"]["hits"]}
    assert hits["private_key_marker"]["shadow"] and hits["private_key_marker"]["action"] == "block"
    assert hits["email_address"]["action"] == "route_secure_model"
    assert wait_stat(shadow_gw, "rule.private_key_marker.action.shadow_block.hits", 1) == 1

    out = clawgate("audit", "shadow", "--db", sc.db, "--json")
    assert out.returncode == 0, out.stderr
    rep = json.loads(out.stdout)
    assert rep["would_be"].get("block", 0) >= 1
    rules = {(r["rule"], r["action"]) for r in rep["rules"]}
    assert ("private_key_marker", "block") in rules
