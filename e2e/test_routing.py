"""Routing of real OpenAI-SDK traffic through Envoy + clawgate.wasm: model
names, aliases, predicates, default provider, auto round robin, assignments,
the models list, header stripping, streaming, body limits and bad input."""

import json
import socket
import time

import pytest
import requests
from conftest import assert_openai_error, chat, gateway_for, post_json

CONFIG = {
    "providers": [
        {"name": "openai", "host": "api.openai.example", "api_key": "sk-provider-secret"},
        {"name": "dashscope", "base_path": "/compatible-mode/v1", "api_key": "sk-dash"},
        {"name": "local", "secure": True},
    ],
    "models": [
        {"name": "gpt-4o-mini", "provider": "openai", "aliases": ["mini"]},
        {"name": "gpt-4o", "provider": "openai", "upstream_model": "gpt-4o-2024-08-06"},
        {"name": "old-model", "provider": "openai", "enabled": False},
        {"name": "local-qwen", "provider": "local"},
    ],
    "predicates": [{"prefix": "qwen-", "provider": "dashscope"}],
    "default_provider": "openai",
    "assignments": {"header": "x-mse-consumer", "map": {"manager": "gpt-4o", "worker-*": "gpt-4o-mini"}},
    "_rules_": [
        {"_match_domain_": ["strict.test"], "default_provider": None, "max_body_bytes": 2048},
    ],
}


gw = gateway_for(CONFIG)


def test_sdk_chat_completion_is_routed_and_rewritten(gw):
    client = gw.client()
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hello"}]
    )
    resp = raw.parse()
    assert resp.choices[0].message.content == "Hello from openai via gpt-4o-2024-08-06"
    assert raw.headers["x-gateway-model-used"] == "gpt-4o"
    assert raw.headers["x-gateway-attempt-count"] == "1"
    assert raw.headers["x-gateway-switched"] == "0"
    assert raw.headers["x-clawgate-route-reason"] == "explicit"
    assert len(raw.headers["x-clawgate-request-id"]) == 32
    [got] = gw.received("openai")
    assert got["path"] == "/v1/chat/completions"
    body = json.loads(got["body"])
    assert body["model"] == "gpt-4o-2024-08-06"
    assert body["messages"] == [{"role": "user", "content": "hello"}]
    assert got["headers"]["authorization"] == "Bearer sk-provider-secret"
    assert got["headers"]["x-clawgate-provider"] == "openai"
    assert got["headers"]["x-higress-llm-model"] == "gpt-4o-2024-08-06"
    assert int(got["headers"]["content-length"]) == len(got["body"].encode())


def test_alias_resolves_to_display_name(gw):
    raw = gw.client().chat.completions.with_raw_response.create(model="mini", messages=[])
    assert raw.headers["x-gateway-model-used"] == "gpt-4o-mini"
    [got] = gw.received("openai")
    assert json.loads(got["body"])["model"] == "gpt-4o-mini"


def test_predicate_routes_to_provider_with_base_path(gw):
    raw = gw.client().chat.completions.with_raw_response.create(model="qwen-max", messages=[])
    assert raw.headers["x-clawgate-route-reason"] == "predicate"
    assert raw.headers["x-gateway-model-used"] == "qwen-max"
    assert gw.received("openai") == []
    [got] = gw.received("dashscope")
    assert got["path"] == "/compatible-mode/v1/chat/completions"
    assert got["headers"]["authorization"] == "Bearer sk-dash"


def test_unknown_model_goes_to_default_provider(gw):
    raw = gw.client().chat.completions.with_raw_response.create(model="claude-3", messages=[])
    assert raw.headers["x-clawgate-route-reason"] == "default_provider"
    [got] = gw.received("openai")
    assert json.loads(got["body"])["model"] == "claude-3"


def test_route_rule_without_default_provider_gives_404(gw):
    r = post_json(gw, "/v1/chat/completions", {"model": "claude-3"}, headers={"host": "strict.test"})
    assert_openai_error(r, 404, "model_not_found")
    assert gw.received("openai") == []


def test_auto_round_robin_rotates_across_workers(gw):
    used = []
    for _ in range(8):
        # a fresh connection each time, so requests land on both workers
        r = post_json(gw, "/v1/chat/completions", {"model": "auto", "messages": []}, headers={"connection": "close"})
        assert r.status_code == 200, r.text
        assert r.headers["x-clawgate-route-reason"] == "auto"
        used.append(r.headers["x-gateway-model-used"])
    assert set(used) == {"gpt-4o-mini", "gpt-4o"}, "auto never picks secure or disabled models"
    assert all(a != b for a, b in zip(used, used[1:])), f"strict rotation expected: {used}"


def test_assignments_for_auto(gw):
    r = post_json(gw, "/v1/chat/completions", {"model": "auto"}, headers={"x-mse-consumer": "manager"})
    assert (r.headers["x-gateway-model-used"], r.headers["x-clawgate-route-reason"]) == ("gpt-4o", "assignment")
    r = post_json(gw, "/v1/chat/completions", {"model": "auto"}, headers={"x-mse-consumer": "worker-3"})
    assert r.headers["x-gateway-model-used"] == "gpt-4o-mini"
    r = post_json(gw, "/v1/chat/completions", {"model": "gpt-4o"}, headers={"x-mse-consumer": "worker-3"})
    assert r.headers["x-gateway-model-used"] == "gpt-4o", "not enforced: explicit names win"


def test_models_list_from_config(gw):
    ids = [m.id for m in gw.client().models.list()]
    assert ids == ["auto", "gpt-4o-mini", "gpt-4o", "local-qwen"]
    assert all(r["path"] != "/v1/models" for u in gw.mock_ports for r in gw.received(u))


def test_other_paths_pass_through_untouched(gw):
    r = requests.get(gw.url + "/health/deep?x=1", headers={"x-clawgate-provider": "local"}, timeout=5)
    assert r.status_code == 200
    assert r.json()["upstream"] == "openai"
    [got] = gw.received("openai")
    assert got["path"] == "/health/deep?x=1"
    assert "x-clawgate-provider" not in got["headers"], "client routing headers are stripped everywhere"
    assert gw.received("local") == []


def test_client_cannot_steer_routing_headers(gw):
    r = post_json(
        gw, "/v1/chat/completions", {"model": "gpt-4o-mini"},
        headers={"x-clawgate-provider": "local", "x-higress-llm-model": "local-qwen", "x-clawgate-anything": "1"},
    )
    assert r.status_code == 200
    assert gw.received("local") == []
    [got] = gw.received("openai")
    assert got["headers"]["x-clawgate-provider"] == "openai"
    assert got["headers"]["x-higress-llm-model"] == "gpt-4o-mini"
    assert "x-clawgate-anything" not in got["headers"]


def test_streaming_passes_through_unbuffered(gw):
    gw.script("openai", [{"chunk_gap_ms": 150, "content": "one two three four five six"}])
    client = gw.client()
    t0 = time.time()
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[], stream=True)
    arrivals, text = [], ""
    for chunk in stream:
        arrivals.append(time.time() - t0)
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
    assert text.split() == "one two three four five six".split()
    # the mock needs >= 1.2 s in total; the first chunk must not wait for it
    assert arrivals[-1] > 1.0
    assert arrivals[0] < 0.5, arrivals
    [got] = gw.received("openai")
    assert json.loads(got["body"])["stream_options"] == {"include_usage": True}


def test_large_prompt_under_limit_is_carried(gw):
    big = "lorem ipsum " * 400_000  # ~4.8 MB
    r = post_json(gw, "/v1/chat/completions", chat(big), timeout=60)
    assert r.status_code == 200, r.text[:300]
    [got] = gw.received("openai")
    assert json.loads(got["body"])["messages"][0]["content"] == big


BAD = [
    ("invalid json", b'{"model": "gpt-4o",', {}, 400, "invalid_json"),
    ("empty body", b"", {}, 400, "invalid_json"),
    ("not an object", b'["gpt-4o"]', {}, 400, "invalid_body"),
    ("missing model", b'{"messages": []}', {}, 400, "missing_model"),
    ("empty model", b'{"model": ""}', {}, 400, "missing_model"),
    ("non-string model", b'{"model": 42}', {}, 400, "invalid_model"),
    ("disabled model", b'{"model": "old-model"}', {}, 404, "model_not_found"),
    ("wrong content type", b'{"model": "gpt-4o"}', {"content-type": "text/plain"}, 415, "unsupported_media_type"),
    ("over max_body_bytes", json.dumps({"model": "gpt-4o", "p": "x" * 4096}).encode(), {"host": "strict.test"}, 413, "request_too_large"),
]


@pytest.mark.parametrize("name,body,headers,status,code", BAD, ids=[b[0] for b in BAD])
def test_bad_input_gets_openai_error(gw, name, body, headers, status, code):
    r = post_json(gw, "/v1/chat/completions", None, headers=headers, raw=body)
    assert_openai_error(r, status, code)
    assert gw.received("openai") == [] and gw.received("local") == []


def test_over_limit_without_content_length_is_413(gw):
    def chunks():
        yield b'{"model": "gpt-4o", "p": "'
        for _ in range(8):
            yield b"x" * 1024
        yield b'"}'

    r = requests.post(gw.url + "/v1/chat/completions", data=chunks(),
                      headers={"content-type": "application/json", "host": "strict.test"}, timeout=10)
    assert_openai_error(r, 413, "request_too_large")


def test_non_utf8_header_does_not_trap(gw):
    body = b'{"model":"auto"}'
    req = (b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
           b"x-mse-consumer: caf\xe9\r\ncontent-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body)
    with socket.create_connection(("127.0.0.1", gw.port), timeout=5) as s:
        s.sendall(req)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200"), data[:200]
    # and the VM is still alive afterwards
    r = post_json(gw, "/v1/chat/completions", {"model": "gpt-4o"})
    assert r.status_code == 200
