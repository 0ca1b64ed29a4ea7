"""Token accounting through real Envoy: usage headers, cost, include_usage
injection and stripping, Prometheus counters, bad upstream output."""

import json

import pytest
import requests
from conftest import gateway_for, post_json, stat_sum, wait_stat

PRICED = {"input_per_1m": 2.5, "output_per_1m": 10.0, "cached_input_per_1m": 1.25,
          "reasoning_per_1m": 20.0, "currency": "USD"}

CONFIG = {
    "providers": [{"name": "openai"}],
    "models": [
        {"name": "gpt-4o", "provider": "openai", "pricing": PRICED},
        {"name": "free", "provider": "openai"},
        {"name": "yuan", "provider": "openai", "pricing": {"input_per_1m": 4, "output_per_1m": 16, "currency": "CNY"}},
    ],
    "identity": {"user": ["x-mse-consumer"]},
    "accounting": {"headers": True, "inject_stream_usage": True},
    "_rules_": [{"_match_domain_": ["strip.test"], "accounting": {"inject_stream_usage": True, "strip_injected_usage": True}}],
}

USAGE = {"prompt_tokens": 1000, "completion_tokens": 300, "total_tokens": 1300,
         "prompt_tokens_details": {"cached_tokens": 400},
         "completion_tokens_details": {"reasoning_tokens": 100}}


def expected_cost(u, p):
    cached = u["prompt_tokens_details"]["cached_tokens"]
    reasoning = u["completion_tokens_details"]["reasoning_tokens"]
    return ((u["prompt_tokens"] - cached) * p["input_per_1m"] + cached * p["cached_input_per_1m"]
            + (u["completion_tokens"] - reasoning) * p["output_per_1m"] + reasoning * p["reasoning_per_1m"]) / 1e6


gw = gateway_for(CONFIG)


def test_json_usage_headers_and_cost(gw):
    gw.script("openai", [{"usage": USAGE}])
    raw = gw.client().chat.completions.with_raw_response.create(model="gpt-4o", messages=[])
    h = raw.headers
    assert (h["x-clawgate-prompt-tokens"], h["x-clawgate-completion-tokens"], h["x-clawgate-total-tokens"]) == ("1000", "300", "1300")
    assert (h["x-clawgate-cached-tokens"], h["x-clawgate-reasoning-tokens"]) == ("400", "100")
    assert h["x-clawgate-currency"] == "USD"
    assert float(h["x-clawgate-cost"]) == pytest.approx(expected_cost(USAGE, PRICED), abs=1e-9)
    assert raw.parse().usage.total_tokens == 1300, "body untouched"


def test_unpriced_model_costs_zero(gw):
    raw = gw.client().chat.completions.with_raw_response.create(model="free", messages=[])
    assert raw.headers["x-clawgate-prompt-tokens"] == "11"
    assert float(raw.headers["x-clawgate-cost"]) == 0


def test_injected_usage_reaches_sdk_stream(gw):
    gw.script("openai", [{"usage": USAGE}])
    chunks = list(gw.client().chat.completions.create(model="gpt-4o", messages=[], stream=True))
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 1300
    assert "x-clawgate-prompt-tokens" not in gw.received("openai")[0]["headers"]


def test_stripped_usage_chunk_is_hidden(gw):
    gw.script("openai", [{"usage": USAGE}])
    c = gw.client(default_headers={"host": "strip.test"})
    chunks = list(c.chat.completions.create(model="gpt-4o", messages=[], stream=True))
    assert chunks, "stream arrived"
    assert all(ch.usage is None for ch in chunks), "client did not ask for usage"
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
    assert text.startswith("Hello from openai")
    assert json.loads(gw.received("openai")[0]["body"])["stream_options"]["include_usage"] is True


def test_client_asked_usage_is_never_stripped(gw):
    gw.script("openai", [{"usage": USAGE}])
    c = gw.client(default_headers={"host": "strip.test"})
    chunks = list(c.chat.completions.create(model="gpt-4o", messages=[], stream=True,
                                            stream_options={"include_usage": True}))
    assert chunks[-1].usage.total_tokens == 1300


def test_prometheus_counters_equal_exact_sums(gw):
    sent = {"alice": [0, 0], "bob": [0, 0]}
    for i in range(12):
        who = "alice" if i % 3 else "bob"
        u = {"prompt_tokens": 10 + i, "completion_tokens": 5 + 2 * i, "total_tokens": 15 + 3 * i}
        gw.script("openai", [{"usage": u}])
        c = gw.client(default_headers={"x-mse-consumer": who})
        if i % 2:
            list(c.chat.completions.create(model="gpt-4o", messages=[], stream=True))
        else:
            c.chat.completions.create(model="gpt-4o", messages=[])
        sent[who][0] += u["prompt_tokens"]
        sent[who][1] += u["completion_tokens"]
    for who, (inp, out) in sent.items():
        assert wait_stat(gw, f"consumer.{who}.metric.input_token", inp) == inp
        assert wait_stat(gw, f"consumer.{who}.metric.output_token", out) == out
        assert wait_stat(gw, f"consumer.{who}.metric.total_token", inp + out) == inp + out
    prom = gw.prometheus()
    assert 'ai_consumer="alice"' in prom or "consumer=\"alice\"" in prom, "tag extraction gives labels"


def test_not_json_upstream_body_passes_unchanged(gw):
    before = stat_sum(gw, "clawgate.accounting.unparsed")
    gw.script("openai", [{"raw": "<html>oops</html>", "content_type": "text/html"}])
    r = post_json(gw, "/v1/chat/completions", {"model": "gpt-4o"})
    assert r.status_code == 200 and r.text == "<html>oops</html>"
    assert "x-clawgate-prompt-tokens" not in r.headers
    assert wait_stat(gw, "clawgate.accounting.unparsed", before + 1) == before + 1


def test_garbage_sse_lines_pass_unchanged(gw):
    raw = "data: {not json}\n\nrandom garbage\n\ndata: [DONE]\n\n"
    gw.script("openai", [{"raw": raw, "content_type": "text/event-stream"}])
    r = requests.post(gw.url + "/v1/chat/completions", json={"model": "gpt-4o", "stream": True}, timeout=10)
    assert r.status_code == 200 and r.text == raw


def test_negative_usage_is_unknown_not_zero(gw):
    gw.script("openai", [{"usage": {"prompt_tokens": -5, "completion_tokens": 3, "total_tokens": -2}}])
    r = post_json(gw, "/v1/chat/completions", {"model": "gpt-4o"})
    assert r.status_code == 200
    assert "x-clawgate-prompt-tokens" not in r.headers
    assert r.headers.get("x-clawgate-completion-tokens") == "3"


def test_cut_stream_counts_what_arrived_and_is_incomplete(gw):
    before = stat_sum(gw, "clawgate.accounting.incomplete")
    gw.script("openai", [{"cut_after": 3, "content": "a b c d e f"}])
    r = requests.post(gw.url + "/v1/chat/completions", json={"model": "gpt-4o", "stream": True, "messages": []},
                      timeout=10, stream=True)
    got = b""
    try:
        for chunk in r.iter_content(None):
            got += chunk
    except requests.exceptions.RequestException:
        pass  # the upstream reset the stream; the client may see that too
    assert b"data:" in got and b"[DONE]" not in got
    assert wait_stat(gw, "clawgate.accounting.incomplete", before + 1) == before + 1
