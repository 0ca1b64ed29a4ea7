"""A trail no tenant can poison (issue #29), through real Envoy, the real
clawgate.wasm and the real sidecar (SQLite, and PostgreSQL when
CLAWGATE_TEST_PG is set: scripts/pg.sh start).

Identity: an auth filter ahead of clawgate appends `x-mse-consumer` as
Higress's key-auth/jwt-auth/basic-auth do (Envoy's header_mutation filter
stands in for them: it adds a second entry, it does not replace). A client
that sends its own copy must not get to choose who it is."""

import os
import socket
import tempfile

import harness as h
import pytest
from conftest import assert_openai_error, chat, clawgate, poll, post_json

TOKEN = "trail-secret"


def config():
    return {
        "providers": [{"name": "p1"}],
        "models": [{"name": "m1", "provider": "p1"}],
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100},
    }


# What Higress's auth plugins do once mallory's key checks out.
APPENDING_AUTH = {
    "name": "envoy.filters.http.header_mutation",
    "typed_config": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.header_mutation.v3.HeaderMutation",
        "mutations": {"request_mutations": [{"append": {
            "header": {"key": "x-mse-consumer", "value": "mallory"},
            "append_action": "APPEND_IF_EXISTS_OR_ADD",
        }}]},
    },
}


@pytest.fixture(scope="module")
def sc():
    sc = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-trail-"), token=TOKEN)
    yield sc
    sc.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    return gateway_factory(config(), extra_clusters=[sc.cluster], before=[APPENDING_AUTH])


def record(sc, rid, timeout=10.0):
    r = poll(lambda: sc.get(f"/v1/audit/{rid}"), lambda r: r.status_code == 200, timeout)
    assert r.status_code == 200, f"record {rid} never arrived"
    return r.json()


def test_the_authenticated_consumer_alone_is_served(gw, sc):
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"))
    assert r.status_code == 200, r.text
    assert record(sc, r.headers["x-clawgate-request-id"])["user"] == "mallory"


def test_a_client_copy_of_the_identity_header_is_refused(gw, sc):
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-mse-consumer": "kb-alice"})
    assert_openai_error(r, 403, "ambiguous_identity")
    assert gw.received("p1") == [], "never forwarded"
    rec = record(sc, r.headers["x-clawgate-request-id"])
    assert (rec["status"], rec["error"]) == (403, "ambiguous_identity")
    assert rec["user"] is None, "neither value is trusted"


def test_a_comma_joined_identity_is_refused(gw, sc):
    # a proxy in front may join repeated headers into one
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"),
                  headers={"x-mse-consumer": "kb-alice, mallory"})
    assert_openai_error(r, 403, "ambiguous_identity")
    assert record(sc, r.headers["x-clawgate-request-id"])["error"] == "ambiguous_identity"


def test_a_repeated_identity_header_on_the_wire_is_refused(gw):
    # two header lines, as HTTP/1.1 allows: Envoy keeps them apart
    body = b'{"model":"m1","messages":[{"role":"user","content":"hi"}]}'
    head = (b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b"x-mse-consumer: kb-alice\r\nx-mse-consumer: kb-bob\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body))
    with socket.create_connection(("127.0.0.1", gw.port), timeout=10) as s:
        s.sendall(head + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 403"), data[:200]
    assert b'"ambiguous_identity"' in data
    assert gw.received("p1") == []


def test_an_anthropic_caller_gets_its_own_wire_format(gw):
    body = {"model": "m1", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}
    r = post_json(gw, "/v1/messages", body, headers={"x-mse-consumer": "kb-alice", "anthropic-version": "2023-06-01"})
    assert r.status_code == 403
    assert r.json()["type"] == "error"
    assert r.json()["error"]["code"] == "ambiguous_identity"


def test_the_query_string_is_stored_redacted(gw, sc):
    key = "AIzaSyTrailFakeKey0123456789"
    r = post_json(gw, f"/v1/chat/completions?key={key}&alt=sse&{key}", chat("hi", model="m1"))
    assert r.status_code == 200, r.text
    rec = record(sc, r.headers["x-clawgate-request-id"])
    assert rec["path"] == "/v1/chat/completions?key=[REDACTED]&alt=[REDACTED]&[REDACTED]"
    assert key not in sc.get(f"/v1/audit/{r.headers['x-clawgate-request-id']}").text


def test_csv_export_never_writes_a_live_formula(gw, sc):
    session = "=HYPERLINK(\"http://x.example/\",\"open\")"
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"),
                  headers={"x-openclaw-session-key": session})
    assert r.status_code == 200, r.text
    rid = r.headers["x-clawgate-request-id"]
    record(sc, rid)
    out = clawgate("audit", "export", "--format", "csv", "--db", sc.db).stdout
    row = next(line for line in out.splitlines() if line.startswith(rid))
    assert ",\"'=HYPERLINK(" in row, row
    assert ",=" not in row and ",\"=" not in row


def test_the_console_and_api_refuse_framing_sniffing_and_referrers(sc):
    import base64
    import hashlib
    import re
    import requests
    page = requests.get(sc.url + "/", timeout=5)
    script = re.search(r"<script>(.*?)</script>", page.text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    for r in (page, requests.get(sc.url + "/healthz", timeout=5), sc.get("/v1/audit"),
              requests.get(sc.url + "/v1/audit", timeout=5)):
        csp = r.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp, (r.url, r.headers)
        assert f"script-src 'sha256-{digest}'" in csp, "the page's own script may run, nothing else"
        assert r.headers.get("x-content-type-options") == "nosniff"
        assert r.headers.get("referrer-policy") == "no-referrer"


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(
    not os.environ.get("CLAWGATE_TEST_PG"), reason="PostgreSQL not tested: CLAWGATE_TEST_PG not set (scripts/pg.sh start)"))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_poisoned_requests_do_not_stall_the_trail(gateway_factory, tmp_path, backend):
    """A NUL in the body's `user` (PostgreSQL refuses U+0000), a 1 MB model
    name and a 5,000-byte path: each is answered, and every record after
    them is stored. One Envoy worker, so they share the worker's queue."""
    db = os.environ["CLAWGATE_TEST_PG"] if backend == "postgres" else None
    sc = h.Sidecar(str(tmp_path), token=TOKEN, db=db)
    try:
        gw = gateway_factory(config(), extra_clusters=[sc.cluster], concurrency=1)
        nul = post_json(gw, "/v1/chat/completions", chat("hi", model="m1", user="a\u0000b"))
        huge = post_json(gw, "/v1/chat/completions", chat("hi", model="m" * (1 << 20)))
        long_path = post_json(gw, "/" + "p" * 5000 + "/v1/chat/completions", chat("hi", model="m1"))
        after = [post_json(gw, "/v1/chat/completions", chat(f"n{i}", model="m1")) for i in range(30)]
        assert all(r.status_code == 200 for r in after)
        for r in after:
            record(sc, r.headers["x-clawgate-request-id"])
        assert nul.status_code == 200, nul.text
        assert_openai_error(huge, 400, "invalid_model")
        assert long_path.status_code == 200, long_path.text
        rec = record(sc, nul.headers["x-clawgate-request-id"])
        assert rec["session_id"] == "a\\u0000b", "the NUL written out, not stored"
        rec = record(sc, huge.headers["x-clawgate-request-id"])
        assert (rec["status"], rec["error"], rec["model_requested"]) == (400, "invalid_model", None)
        rec = record(sc, long_path.headers["x-clawgate-request-id"])
        assert len(rec["path"]) == 2048 and rec["clipped"] == ["path"]
    finally:
        sc.stop()


def test_pass_through_model_names_cannot_grow_stats_without_bound(gateway_factory):
    """400 distinct `qwen-*` names once made 400 model labels: a name no
    config lists is the client's, so it is capped like consumers."""
    import time
    cfg = config()
    del cfg["audit"]
    cfg.update(predicates=[{"prefix": "qwen-", "provider": "p1"}])  # default metrics.max_models: 100
    gw = gateway_factory(cfg, concurrency=1)
    for i in range(110):
        r = post_json(gw, "/v1/chat/completions", chat("hi", model=f"qwen-{i:03d}"))
        assert r.status_code == 200, r.text
    assert post_json(gw, "/v1/chat/completions", chat("hi", model="m1")).status_code == 200
    time.sleep(1.5)  # counters reach Envoy once a second
    models = {k.split(".model.")[1].split(".")[0] for k in gw.stats(".model.") if ".model." in k}
    assert models == {f"qwen-{i:03d}" for i in range(100)} | {"other", "m1"}, sorted(models)


def test_slow_clients_are_cut_and_capped(tmp_path):
    """A client that never finishes its request head is cut at the head
    deadline (10 s), and connections past the cap (512) are closed at once,
    so /healthz and ingest are answered again within seconds."""
    import time
    sc = h.Sidecar(str(tmp_path), token=TOKEN)
    socks = []
    try:
        def opened(n, data):
            out = []
            for _ in range(n):
                s = socket.create_connection(("127.0.0.1", sc.port), timeout=5)
                if data:
                    s.sendall(data)
                out.append(s)
            return out

        def closed_by_server(s, timeout):
            s.settimeout(timeout)
            try:
                return s.recv(4096) == b"" or True  # EOF, or a 408 before it
            except (socket.timeout, TimeoutError):
                return False
            except OSError:
                return True  # reset

        head = b"POST /v1/audit/batch HTTP/1.1\r\nhost: x\r\nauthorization: Bearer " + TOKEN.encode() + b"\r\n"
        slow = opened(20, head)
        socks += slow
        flood = opened(520, b"GET /healthz HTTP/1.1\r\n")
        socks += flood
        # past the cap: closed at once
        assert sum(closed_by_server(s, 2) for s in flood[-8:]) == 8
        started = time.time()
        assert all(closed_by_server(s, 15) for s in slow), "half heads are cut at the deadline"
        assert time.time() - started < 14
        r = poll(lambda: _healthz(sc), lambda r: r is not None and r.status_code == 200, 5)
        assert r is not None and r.status_code == 200
    finally:
        for s in socks:
            s.close()
        sc.stop()


def _healthz(sc):
    import requests
    try:
        return requests.get(sc.url + "/healthz", timeout=2)
    except requests.RequestException:
        return None


def test_a_stream_without_usage_is_charged_an_estimate(gateway_factory, tmp_path):
    """A stream that never carries usage (the client did not ask, and the
    filter was told not to add the request) is charged an estimate,
    marked as such, and the budget sees it."""
    sc = h.Sidecar(str(tmp_path), token=TOKEN)
    try:
        cfg = config()
        cfg["models"][0]["pricing"] = {"input_per_1m": 1000, "output_per_1m": 2000}
        cfg.update(
            identity={"user": ["x-user"]},
            accounting={"inject_stream_usage": False},
            budgets={"pull_interval_ms": 200,
                     "limits": [{"name": "cap", "match": "est-user", "period": "day", "max_tokens": 5}]},
        )
        gw = gateway_factory(cfg, extra_clusters=[sc.cluster])
        r = post_json(gw, "/v1/chat/completions", chat("hello there", model="m1", stream=True),
                      headers={"x-user": "est-user"})
        assert r.status_code == 200 and b"[DONE]" in r.content and b'"usage"' not in r.content
        rec = record(sc, r.headers["x-clawgate-request-id"])
        assert rec["usage_estimated"] is True
        assert rec["usage"]["prompt"] > 0 and rec["usage"]["completion"] > 0
        assert rec["usage"]["total"] == rec["usage"]["prompt"] + rec["usage"]["completion"]
        assert rec["cost_micros"] > 0
        # the estimate is spend: the next call is over the 5-token limit
        nxt = poll(lambda: post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-user": "est-user"}),
                   lambda x: x.status_code == 429, 10)
        assert nxt.status_code == 429 and nxt.json()["error"]["code"] == "budget_exceeded"
    finally:
        sc.stop()
