"""Upstream faults through real Envoy + clawgate.wasm + the real sidecar:
each has a defined outcome for the client, the accounting and the audit
record (whose status is the one the client got), and none hangs: every
request here has a client timeout well above the provider's 1.5 s.
(Headers then silence on a JSON answer is test_audit's stalled-answer test.)"""

import json
import tempfile
import time

import harness as h
import pytest
import requests
from conftest import chat, poll, post_json, stat_sum, wait_stat

TOKEN = "faults-audit-token"
CLIENT_TIMEOUT = 15


@pytest.fixture(scope="module")
def sc():
    sc = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-faults-"), token=TOKEN)
    yield sc
    sc.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    closed = h.free_port()  # nothing listens here: connection refused
    cfg = {
        "providers": [{"name": "p1", "timeout_ms": 1500}, {"name": "dead", "timeout_ms": 1500}],
        "models": [
            {"name": "m1", "provider": "p1", "pricing": {"input_per_1m": 1, "output_per_1m": 2}},
            {"name": "gone", "provider": "dead"},
        ],
        "identity": {"trace": ["x-trace"]},
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100},
    }
    return gateway_factory(cfg, upstream_names=["p1"], extra_clusters=[sc.cluster, h.cluster("dead", closed)])


def settled(gw, name):
    """A counter once pending deltas have reached Envoy (flushed each second)."""
    time.sleep(1.2)
    return stat_sum(gw, name)


def record(sc, trace):
    recs = poll(lambda: requests.get(f"{sc.url}/v1/traces/{trace}", timeout=5,
                                     headers={"authorization": f"Bearer {TOKEN}"}).json().get("records"),
                bool, 10.0)
    assert recs, f"no record for {trace}"
    [rec] = recs
    return rec


def stream(gw, trace, model="m1"):
    """A streamed request read to its end or its break: (status, bytes, broke)."""
    r = requests.post(gw.url + "/v1/chat/completions", json=chat("hi", model=model, stream=True),
                      headers={"x-trace": trace}, stream=True, timeout=CLIENT_TIMEOUT)
    data, broke = b"", False
    try:
        for chunk in r.iter_content(None):
            data += chunk
    except requests.exceptions.ChunkedEncodingError:
        broke = True
    return r.status_code, data, broke


def test_connection_refused(gw, sc):
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="gone"), headers={"x-trace": "f-refused"},
                  timeout=CLIENT_TIMEOUT)
    assert r.status_code == 503
    rec = record(sc, "f-refused")
    assert (rec["status"], rec["error"]) == (503, "upstream_error")
    assert [a["status"] for a in rec["attempts"]] == [503]
    assert rec["usage"]["total"] is None and rec["cost"] is None


def test_reset_mid_stream(gw, sc):
    gw.script("p1", [{"cut_after": 2}])
    before = settled(gw, "clawgate.accounting.incomplete")
    status, data, broke = stream(gw, "f-cut")
    assert status == 200 and broke and b"[DONE]" not in data
    rec = record(sc, "f-cut")
    assert rec["status"] == 200 and rec["usage_complete"] is False
    assert wait_stat(gw, "clawgate.accounting.incomplete", before + 1) == before + 1


def test_reset_mid_json_body(gw, sc):
    gw.script("p1", [{"fault": "reset"}])
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-trace": "f-reset"},
                  timeout=CLIENT_TIMEOUT)
    # the filter held the answer for accounting: the client gets Envoy's
    # error, never a half JSON body
    assert r.status_code >= 500, r.text[:200]
    print("reset mid-JSON:", r.status_code, r.text[:120])
    rec = record(sc, "f-reset")
    assert rec["status"] == r.status_code and rec["error"] == "upstream_error"
    assert rec["usage_complete"] is False


def test_stream_headers_then_silence(gw, sc):
    gw.script("p1", [{"fault": "stream_then_silence", "ms": 4000}])
    status, data, broke = stream(gw, "f-silent")
    assert status == 200 and b'"hi"' in data and broke, "Envoy's timeout cuts the stream"
    rec = record(sc, "f-silent")
    assert rec["status"] == 200 and rec["usage_complete"] is False


def test_slow_body_completes_and_counts(gw, sc):
    gw.script("p1", [{"fault": "slow_json", "gap_ms": 20}])
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-trace": "f-slow"},
                  timeout=CLIENT_TIMEOUT)
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "slow but whole"
    assert r.headers["x-clawgate-total-tokens"] == "18"
    rec = record(sc, "f-slow")
    assert (rec["status"], rec["usage"]["total"], rec["usage_complete"]) == (200, 18, True)


def test_garbage_with_200(gw, sc):
    gw.script("p1", [{"raw": "<html>upstream proxy error</html>", "content_type": "text/html"}])
    before = settled(gw, "clawgate.accounting.unparsed")
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-trace": "f-garbage"},
                  timeout=CLIENT_TIMEOUT)
    assert (r.status_code, r.text) == (200, "<html>upstream proxy error</html>"), "passed unchanged"
    rec = record(sc, "f-garbage")
    assert rec["status"] == 200 and rec["usage"]["total"] is None, "unknown, not zero"
    assert wait_stat(gw, "clawgate.accounting.unparsed", before + 1) == before + 1


def test_error_event_inside_a_200_stream(gw, sc):
    gw.script("p1", [{"fault": "stream_error_event"}])
    status, data, broke = stream(gw, "f-sse-error")
    assert status == 200 and b'"overloaded"' in data and not broke, "relayed as sent"
    rec = record(sc, "f-sse-error")
    assert (rec["status"], rec["error"]) == (200, "upstream_stream_error")
    assert rec["usage_complete"] is False


def test_missing_usage(gw, sc):
    gw.script("p1", [{"fault": "no_usage"}])
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-trace": "f-nousage"},
                  timeout=CLIENT_TIMEOUT)
    assert r.status_code == 200 and "x-clawgate-total-tokens" not in r.headers
    rec = record(sc, "f-nousage")
    assert rec["status"] == 200 and rec["usage"]["total"] is None and rec["cost"] is None
    assert json.loads(r.text)["choices"][0]["message"]["content"] == "slow but whole"
