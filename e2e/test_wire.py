"""Wire details through real Envoy + clawgate.wasm + the audit sidecar, with
the headers Claude Code and Codex CLI send: no `stream_options` on the
Responses API, an uncompressed answer asked for (and a compressed one
anyway still reaches the client, uncounted), replays carrying the client's
headers, `/v1/models` in the caller's protocol, and the agents' session ids
in the record without the device id."""

import json
import tempfile

import harness as h
import pytest
import requests
from conftest import poll, post_json

TOKEN = "wire-secret"
CLIENT_ENCODINGS = "gzip, deflate, br, zstd"  # as Claude Code sends it

CONFIG = {
    "providers": [{"name": "p1"}, {"name": "p2"},
                  {"name": "anth", "protocols": ["anthropic"]}],
    "models": [
        {"name": "m1", "provider": "p1", "fallback": ["m2"]},
        {"name": "m2", "provider": "p2"},
        {"name": "claude", "provider": "anth"},
    ],
    "accounting": {"headers": True, "inject_stream_usage": True},
    "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100},
}


@pytest.fixture(scope="module")
def sc():
    sc = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-wire-"), token=TOKEN)
    yield sc
    sc.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    return gateway_factory(CONFIG, extra_clusters=[sc.cluster])


def record(sc, rid):
    r = poll(lambda: sc.get(f"/v1/audit/{rid}"), lambda r: r.status_code == 200, 10)
    assert r.status_code == 200, f"record {rid} never arrived"
    return r.json()


RESPONSES_STREAM = "".join(
    f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in [
        {"type": "response.created", "response": {"id": "resp_1", "status": "in_progress"}},
        {"type": "response.output_text.delta", "item_id": "m", "output_index": 0, "content_index": 0, "delta": "ok"},
        {"type": "response.completed", "response": {"id": "resp_1", "status": "completed", "usage": {
            "input_tokens": 31, "output_tokens": 4, "total_tokens": 35,
            "input_tokens_details": {"cached_tokens": 0}, "output_tokens_details": {"reasoning_tokens": 0}}}},
    ])


def test_responses_stream_gets_no_stream_options_and_usage_is_read(gw, sc):
    gw.script("p1", [{"raw": RESPONSES_STREAM, "content_type": "text/event-stream"}])
    r = post_json(gw, "/v1/responses", {"model": "m1", "stream": True, "input": "hi"},
                  headers={"accept": "text/event-stream", "session-id": "codex-7"})
    assert r.status_code == 200 and r.text == RESPONSES_STREAM
    [got] = gw.received("p1")
    assert "stream_options" not in json.loads(got["body"]), "the Responses API has no such field"
    rec = record(sc, r.headers["x-clawgate-request-id"])
    assert (rec["usage"]["prompt"], rec["usage"]["completion"], rec["usage_complete"]) == (31, 4, True)
    assert rec["session_id"] == "codex-7", "Codex's session-id header"


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_compressing_provider_is_asked_for_identity_and_counted(gw, coding):
    gw.script("p1", [{"compress": [coding]}])
    r = post_json(gw, "/v1/chat/completions", {"model": "m1", "messages": []},
                  headers={"accept-encoding": CLIENT_ENCODINGS})
    assert r.status_code == 200, r.text
    [got] = gw.received("p1")
    assert got["headers"]["accept-encoding"] == "identity"
    assert "content-encoding" not in r.headers
    assert (r.headers["x-clawgate-prompt-tokens"], r.headers["x-clawgate-total-tokens"]) == ("11", "18")


def decoded(r):
    """The JSON of an answer; zstd by hand where urllib3 does not decode it
    (it wants `backports.zstd` on this Python)."""
    if r.headers.get("content-encoding") == "zstd" and not r.content.startswith(b"{"):
        import zstandard
        return json.loads(zstandard.ZstdDecompressor().decompress(r.content))
    return r.json()


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_provider_compressing_anyway_gives_a_valid_answer_and_unknown_usage(gw, sc, coding):
    gw.script("p1", [{"compress_anyway": coding}])
    r = post_json(gw, "/v1/chat/completions", {"model": "m1", "messages": []},
                  headers={"accept-encoding": CLIENT_ENCODINGS})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == coding
    assert decoded(r)["choices"][0]["message"]["content"].startswith("Hello from p1"), "decodes as sent"
    assert "x-clawgate-prompt-tokens" not in r.headers
    rec = record(sc, r.headers["x-clawgate-request-id"])
    assert rec["usage"]["prompt"] is None and rec["usage_complete"] is False, "unknown, not wrong"
    assert rec["cost"] is None


def test_replay_compressed_anyway_keeps_its_coding(gw):
    gw.script("p1", [{"status": 503}])
    gw.script("p2", [{"compress_anyway": "gzip"}])
    r = post_json(gw, "/v1/chat/completions", {"model": "m1", "messages": []},
                  headers={"accept-encoding": CLIENT_ENCODINGS})
    assert r.status_code == 200
    assert r.headers["x-gateway-switched"] == "1" and r.headers["content-encoding"] == "gzip"
    assert r.json()["upstream"] == "p2"


AGENT_HEADERS = {
    "user-agent": "claude-cli/2.1.332 (external, sdk-cli)",
    "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "x-claude-code-session-id": "cc-session-1",
    "session-id": "codex-session-1",
    "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14",
    "x-stainless-retry-count": "0",
    "accept-encoding": CLIENT_ENCODINGS,
}


def test_replays_carry_the_clients_headers(gw):
    gw.script("p1", [{"status": 429}])
    r = post_json(gw, "/v1/chat/completions", {"model": "m1", "messages": []},
                  headers=dict(AGENT_HEADERS, **{"x-clawgate-provider": "p1", "authorization": "Bearer k"}))
    assert r.status_code == 200 and r.headers["x-gateway-switched"] == "1"
    [first] = gw.received("p1")
    [replay] = gw.received("p2")
    for k, v in AGENT_HEADERS.items():
        want = "identity" if k == "accept-encoding" else v
        assert replay["headers"].get(k) == want, k
        assert first["headers"].get(k) == want, k
    assert replay["headers"]["authorization"] == "Bearer k", "no provider key: the client's"
    assert replay["headers"]["x-clawgate-provider"] == "p2"
    assert replay["headers"]["x-higress-llm-model"] == "m2"


def test_models_answer_in_the_callers_protocol(gw):
    openai = requests.get(gw.url + "/v1/models", headers={"authorization": "Bearer k"}, timeout=5).json()
    assert openai["object"] == "list" and {m["id"] for m in openai["data"]} >= {"m1", "m2", "claude"}
    models = gw.anthropic().models.list()
    ids = [m.id for m in models.data]
    assert ids == ["auto", "claude"], "only models that speak Messages (auto: claude is one of its)"
    assert models.data[1].type == "model" and models.data[1].display_name == "claude"
    raw = requests.get(gw.url + "/v1/models", headers={"anthropic-version": "2023-06-01", "x-api-key": "k"},
                       timeout=5).json()
    assert (raw["has_more"], raw["first_id"], raw["last_id"]) == (False, "auto", "claude")
    assert raw["data"][0]["created_at"].endswith("Z")


def test_claude_code_session_is_the_session_part_of_user_id(gw, sc):
    user_id = json.dumps({"device_id": "d3v1ce0123456789", "account_uuid": "", "session_id": "cc-sess-9"})
    body = {"model": "claude", "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}],
            "metadata": {"user_id": user_id}}
    r = post_json(gw, "/v1/messages", body, headers={"anthropic-version": "2023-06-01", "x-api-key": "k"})
    assert r.status_code == 200, r.text
    rec = record(sc, r.headers["x-clawgate-request-id"])
    assert rec["session_id"] == "cc-sess-9"
    assert "d3v1ce" not in json.dumps(rec), "the device id is not recorded"
