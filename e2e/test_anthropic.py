"""Anthropic Messages through real Envoy + clawgate.wasm, driven by the
official `anthropic` SDK: routing, the provider's own key from the Envoy
VM's environment, the risk scan of tool results and tool inputs, masking,
usage with cache reads and writes (JSON and SSE at any split), fallback
the SDK's stream iterator reads, count_tokens, Anthropic-shaped errors,
and the audit record of each."""

import json
import tempfile

import anthropic
import harness as h
import pytest
import requests
from conftest import poll, post_json

TOKEN = "anthropic-audit-token"
ENV_KEY = "sk-ant-from-the-vm-env"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
PRICING = {"input_per_1m": 3, "output_per_1m": 15, "cached_input_per_1m": 0.3,
           "cache_write_per_1m": 3.75, "currency": "USD"}
# The mock's usage: 11 fresh + 100 cache-read + 20 cache-written input, 7 output.
PROMPT, OUTPUT = 131, 7
# 11*3 + 100*0.3 + 20*3.75 + 7*15 = 33 + 30 + 75 + 105 = 243 per 1M
COST = "0.000243"

CONFIG = {
    "providers": [
        {"name": "anthropic", "api_key_env": "CLAWGATE_ANTHROPIC_KEY", "auth_header": "x-api-key",
         "headers": {"anthropic-version": "2023-06-01"}, "protocols": ["anthropic"]},
        {"name": "anthropic2", "protocols": ["anthropic"]},
        {"name": "openai", "api_key": "sk-openai"},
        {"name": "local", "secure": True},
    ],
    "models": [
        {"name": "claude", "provider": "anthropic", "upstream_model": "claude-sonnet-4-5",
         "fallback": ["gpt", "claude-b"], "pricing": PRICING},
        {"name": "claude-b", "provider": "anthropic2", "pricing": PRICING},
        {"name": "gpt", "provider": "openai"},
        {"name": "local-qwen", "provider": "local"},
    ],
    "risk": {
        "overrides": {"email_address": {"action": "mask"}},
        "rules": [{"id": "falcon", "category": "company", "pattern": "(?i)project falcon",
                   "action": "route_secure_model", "severity": "high"}],
    },
    "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100},
}

UPSTREAMS = ["anthropic", "anthropic2", "openai", "local"]


@pytest.fixture(scope="module")
def sc():
    sc = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-anthropic-"), token=TOKEN)
    yield sc
    sc.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    return gateway_factory(CONFIG, upstream_names=UPSTREAMS, extra_clusters=[sc.cluster],
                           vm_env={"CLAWGATE_ANTHROPIC_KEY": ENV_KEY})


def record(sc, request_id):
    """The request's audit record, once the filter has shipped it."""
    def fetch():
        r = sc.get(f"/v1/audit/{request_id}")
        return r.json() if r.status_code == 200 else None
    rec = poll(fetch, lambda v: v is not None, timeout=10)
    assert rec is not None, f"no audit record for {request_id}"
    return rec


def nobody_received(gw):
    return all(gw.received(u) == [] for u in UPSTREAMS)


def test_sdk_message_is_routed_with_the_key_from_the_vm_environment(gw, sc):
    raw = gw.anthropic().messages.with_raw_response.create(
        model="claude", max_tokens=64, messages=[{"role": "user", "content": "hello"}])
    msg = raw.parse()
    assert msg.content[0].text == "Hello from anthropic via claude-sonnet-4-5"
    assert msg.usage.cache_read_input_tokens == 100
    assert raw.headers["x-gateway-model-used"] == "claude"
    assert raw.headers["x-clawgate-prompt-tokens"] == str(PROMPT)
    assert raw.headers["x-clawgate-cached-tokens"] == "100"
    assert raw.headers["x-clawgate-cost"] == COST
    [got] = gw.received("anthropic")
    assert got["path"] == "/v1/messages"
    assert got["headers"]["x-api-key"] == ENV_KEY, "the provider key replaces the client's"
    assert got["headers"]["anthropic-version"] == "2023-06-01"
    assert "authorization" not in got["headers"]
    assert json.loads(got["body"])["model"] == "claude-sonnet-4-5"
    rec = record(sc, raw.headers["x-clawgate-request-id"])
    assert rec["usage"]["prompt"] == PROMPT and rec["usage"]["cache_write"] == 20
    assert rec["cost"] == COST and rec["path"] == "/v1/messages"


def test_sdk_stream_is_read_and_counted(gw, sc):
    with gw.anthropic().messages.stream(
            model="claude", max_tokens=64, messages=[{"role": "user", "content": "hello"}]) as s:
        text = "".join(s.text_stream)
        final = s.get_final_message()
        rid = s.response.headers["x-clawgate-request-id"]
    assert text.strip() == "Hello from anthropic via claude-sonnet-4-5"
    assert final.usage.output_tokens == OUTPUT
    rec = record(sc, rid)
    assert (rec["stream"], rec["usage_complete"]) == (True, True)
    assert (rec["usage"]["prompt"], rec["usage"]["completion"]) == (PROMPT, OUTPUT)
    assert (rec["usage"]["cached"], rec["usage"]["cache_write"]) == (100, 20)
    assert rec["cost"] == COST


@pytest.mark.parametrize("split", [1, 2, 3, 5, 7, 11, 16, 64, 250])
def test_stream_split_anywhere_is_counted_exactly(gw, sc, split):
    gw.script("anthropic", [{"split_every": split, "chunk_gap_ms": 0}])
    r = post_json(gw, "/v1/messages", {"model": "claude", "max_tokens": 8, "stream": True,
                                       "messages": [{"role": "user", "content": "hi"}]},
                  headers={"anthropic-version": "2023-06-01"})
    assert r.status_code == 200
    assert "event: message_stop" in r.text
    rec = record(sc, r.headers["x-clawgate-request-id"])
    assert (rec["usage"]["prompt"], rec["usage"]["completion"], rec["usage"]["total"]) == (PROMPT, OUTPUT, PROMPT + OUTPUT)
    assert (rec["usage"]["cached"], rec["usage"]["cache_write"]) == (100, 20)
    assert rec["cost"] == COST, f"split every {split} bytes"
    assert rec["usage_complete"] is True


def test_sdk_tool_use_round_trip_and_a_private_key_in_a_tool_result_is_blocked(gw, sc):
    client = gw.anthropic()
    tools = [{"name": "get_weather", "description": "weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
    gw.script("anthropic", [{"tool_use": True}])
    first = client.messages.create(model="claude", max_tokens=64, tools=tools,
                                   messages=[{"role": "user", "content": "weather in Paris?"}])
    [use] = [b for b in first.content if b.type == "tool_use"]
    assert use.input == {"city": "Paris"}
    gw.reset()
    history = [
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "content": [b.model_dump() for b in first.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id, "content": [{"type": "text", "text": PEM}]}]},
    ]
    raw = client.messages.with_raw_response.create(model="claude", max_tokens=64, tools=tools, messages=history)
    refused = raw.parse()
    # the refusal is the model's answer: Claude Code shows it, where a 403
    # read as "Failed to authenticate"
    assert raw.status_code == 200 and raw.headers["x-clawgate-refusal"] == "content_blocked"
    assert refused.stop_reason == "end_turn" and refused.usage.input_tokens == 0
    assert "private_key_marker" in refused.content[0].text
    assert "MIIE" not in raw.http_response.text
    assert nobody_received(gw), "a blocked request reaches no upstream"
    rec = record(sc, raw.headers["x-clawgate-request-id"])
    assert rec["error"] == "content_blocked" and rec["risk"]["action"] == "block"
    assert rec["status"] == 200


def test_masked_spans_stay_masked_upstream(gw):
    msg = gw.anthropic().messages.create(model="claude", max_tokens=64, system="you mail alice@acme-corp.cn", messages=[
        {"role": "user", "content": "mail bob.smith@acme-mail.org please"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "send", "input": {"to": "carol@acme-net.io"}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "sent to carol@acme-net.io"}]},
    ])
    assert msg.content[0].text
    [got] = gw.received("anthropic")
    for addr in ["alice@acme-corp.cn", "bob.smith@acme-mail.org", "carol@acme-net.io"]:
        assert addr not in got["body"]
    assert got["body"].count("[MASKED:email_address]") == 4


def test_fallback_answer_is_read_by_the_sdk_stream_iterator(gw, sc):
    gw.script("anthropic", [{"status": 503}])
    client = gw.anthropic()
    with client.messages.with_streaming_response.create(
            model="claude", max_tokens=64, stream=True,
            messages=[{"role": "user", "content": "hello"}]) as raw:
        headers = raw.headers
        events = list(raw.parse())
    types = [e.type for e in events]
    assert types[0] == "message_start" and types[-1] == "message_stop", types
    text = "".join(e.delta.text for e in events if e.type == "content_block_delta")
    assert text.strip() == "Hello from anthropic2 via claude-b"
    assert headers["x-gateway-model-used"] == "claude-b"
    assert headers["x-gateway-switched"] == "1"
    assert gw.received("openai") == [], "`gpt` speaks only OpenAI: skipped"
    [replay] = gw.received("anthropic2")
    sent = client.default_headers["anthropic-version"]
    assert replay["headers"]["anthropic-version"] == sent, "the client's header on the replay"
    # no provider key: the client's own credential (this SDK sends a bearer token)
    creds = {k: replay["headers"].get(k) for k in ["x-api-key", "authorization"]}
    assert "client-key" in (creds["x-api-key"], (creds["authorization"] or "").removeprefix("Bearer ")), creds
    rec = record(sc, headers["x-clawgate-request-id"])
    assert rec["model_used"] == "claude-b" and [a["status"] for a in rec["attempts"]] == [503, 200]
    assert rec["usage"]["cache_write"] == 20

    # the helper stream, and the notice itself, over raw SSE
    gw.script("anthropic", [{"status": 503}])
    with client.messages.stream(model="claude", max_tokens=64, messages=[{"role": "user", "content": "hi"}]) as s:
        assert "".join(s.text_stream).strip() == "Hello from anthropic2 via claude-b"
    gw.script("anthropic", [{"status": 503}])
    r = post_json(gw, "/v1/messages", {"model": "claude", "max_tokens": 8, "stream": True, "messages": []})
    first = r.text.split("\n\n")[0]
    assert first.startswith("event: ping\ndata: ")
    notice = json.loads(first.split("data: ", 1)[1])["gateway_notice"]
    assert notice == {"fromModel": "claude", "toModel": "claude-b", "triggerStatus": 503, "attempts": 2}


def test_json_fallback_carries_the_notice_and_the_sdk_parses_it(gw):
    gw.script("anthropic", [{"status": 529}, {"status": 502}])
    r = post_json(gw, "/v1/messages", {"model": "claude", "max_tokens": 8, "messages": []})
    assert r.status_code == 529, "529 is not in on_status: returned as is"
    raw = gw.anthropic().messages.with_raw_response.create(
        model="claude", max_tokens=8, messages=[{"role": "user", "content": "x"}])
    msg = raw.parse()
    assert msg.content[0].text == "Hello from anthropic2 via claude-b"
    assert json.loads(raw.http_response.text)["gateway_notice"]["toModel"] == "claude-b"


def test_count_tokens_passes_and_is_recorded(gw, sc):
    raw = gw.anthropic().messages.with_raw_response.count_tokens(
        model="claude", messages=[{"role": "user", "content": "hello"}])
    assert raw.parse().input_tokens == 42
    [got] = gw.received("anthropic")
    assert got["path"] == "/v1/messages/count_tokens"
    assert got["headers"]["x-api-key"] == ENV_KEY
    rec = record(sc, raw.headers["x-clawgate-request-id"])
    assert rec["path"] == "/v1/messages/count_tokens" and rec["status"] == 200
    assert rec["usage"]["prompt"] is None


def test_errors_are_anthropic_shaped(gw):
    client = gw.anthropic()
    with pytest.raises(anthropic.NotFoundError) as e:
        client.messages.create(model="no-such-model", max_tokens=8, messages=[{"role": "user", "content": "x"}])
    assert e.value.body["error"]["type"] == "not_found_error"
    assert len(e.value.response.headers["x-clawgate-request-id"]) == 32
    # an OpenAI-only model cannot take an Anthropic request
    with pytest.raises(anthropic.BadRequestError) as e:
        client.messages.create(model="gpt", max_tokens=8, messages=[{"role": "user", "content": "x"}])
    assert e.value.body["error"]["code"] == "protocol_mismatch"
    r = post_json(gw, "/v1/messages", None, raw="{not json")
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
    assert nobody_received(gw)


def test_secure_reroute_to_a_model_that_cannot_read_it_fails_closed(gw):
    refused = gw.anthropic().messages.create(model="claude", max_tokens=8,
                                             messages=[{"role": "user", "content": "status of project falcon"}])
    assert "falcon" in refused.content[0].text and "secure model" in refused.content[0].text
    assert nobody_received(gw), "never the external model, never a secure one that cannot read it"
