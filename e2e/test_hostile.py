"""Hostile input through real Envoy + clawgate.wasm, over HTTP/1.1 and
HTTP/2 cleartext (curl, prior knowledge): every case gets its documented
status, no VM trap shows in Envoy's wasm stats or log, nothing hangs, and
Envoy's memory comes back near its baseline. Also: a client header cannot
grow the stats without bound, text outside messages is scanned, and a VM
that fails fails closed."""

import collections
import json
import os
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import harness as h
import pytest
import requests
from conftest import assert_openai_error, chat, gateway_for, poll, post_json, refusal_text

MAX_BODY = 16 * 1024 * 1024
CONFIG = {
    "providers": [{"name": "openai", "api_key": "sk-hostile-provider"}, {"name": "local", "secure": True}],
    "models": [{"name": "gpt-4o", "provider": "openai"}, {"name": "local-qwen", "provider": "local"}],
    "max_body_bytes": MAX_BODY,
    "metrics": {"max_consumers": 20},
    "_rules_": [{"_match_domain_": ["small.test"], "max_body_bytes": 1024}],
}

gw = gateway_for(CONFIG)

M = '"model":"gpt-4o"'
DEEP_OK = "[" * 100 + "]" * 100
BAD = [
    # name, raw body, status, error code (None: forwarded, the provider's to judge)
    ("truncated", b'{"model":"gpt-4o","messages":[{"role":"user","content":"hi', 400, "invalid_json"),
    ("trailing garbage", b'{"model":"gpt-4o"} {"x":1}', 400, "invalid_json"),
    ("single quotes", b"{'model':'gpt-4o'}", 400, "invalid_json"),
    ("byte order mark", b'\xef\xbb\xbf{"model":"gpt-4o"}', 400, "invalid_json"),
    ("invalid utf-8 in a string", b'{"model":"gpt-4o","messages":[{"role":"user","content":"\xff\xfe"}]}', 400, "invalid_json"),
    ("invalid utf-8 in a key", b'{"model":"gpt-4o","\xc3(":1}', 400, "invalid_json"),
    ("lone surrogate escape", b'{"model":"gpt-4o","messages":[{"role":"user","content":"\\ud800"}]}', 400, "invalid_json"),
    ("number out of range", b'{"model":"gpt-4o","temperature":1e400}', 400, "invalid_json"),
    ("nested 100 000 deep", ('{"model":"gpt-4o","x":' + "[" * 100_000 + "]" * 100_000 + "}").encode(), 400, "invalid_json"),
    ("nested 100 deep", ('{"model":"gpt-4o","x":' + DEEP_OK + "}").encode(), 200, None),
    ("null body", b"null", 400, "invalid_body"),
    ("string body", b'"gpt-4o"', 400, "invalid_body"),
    ("duplicate top-level key", b'{"model":"gpt-4o","messages":[],"messages":[{"role":"user","content":"x"}]}', 400, "duplicate_key"),
    ("duplicate model key", b'{"model":"gpt-4o","model":"local-qwen"}', 400, "duplicate_key"),
    ("duplicate nested key", b'{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"a","name":"b"}}]}', 400, "duplicate_key"),
    ("model is a number", b'{"model":42}', 400, "invalid_model"),
    ("model is an array", b'{"model":["gpt-4o"]}', 400, "invalid_model"),
    ("model is an object", b'{"model":{"name":"gpt-4o"}}', 400, "invalid_model"),
    ("model is null", b'{"model":null}', 400, "missing_model"),
    ("stream is a string", b'{"model":"gpt-4o","stream":"true"}', 400, "invalid_stream"),
    ("stream is a number", b'{"model":"gpt-4o","stream":1}', 400, "invalid_stream"),
    # Fields the filter reads but does not own: any type passes the filter
    # (scanned where they hold strings) and reaches the provider unchanged.
    ("messages is a string", ('{%s,"messages":"hi"}' % M).encode(), 200, None),
    ("messages is a number", ('{%s,"messages":5}' % M).encode(), 200, None),
    ("message is a string", ('{%s,"messages":["hi"]}' % M).encode(), 200, None),
    ("content is a number", ('{%s,"messages":[{"role":"user","content":5}]}' % M).encode(), 200, None),
    ("content part is a string", ('{%s,"messages":[{"role":"user","content":["hi"]}]}' % M).encode(), 200, None),
    ("role is a number", ('{%s,"messages":[{"role":1,"content":"hi"}]}' % M).encode(), 200, None),
    ("tool_calls is an object", ('{%s,"messages":[{"role":"assistant","tool_calls":{"a":1}}]}' % M).encode(), 200, None),
    ("user is a number", ('{%s,"user":5}' % M).encode(), 200, None),
    ("stream_options is a string", ('{%s,"stream":false,"stream_options":"x"}' % M).encode(), 200, None),
    ("input is an object", ('{%s,"input":{"a":"b"}}' % M).encode(), 200, None),
    ("tools is a string", ('{%s,"tools":"x"}' % M).encode(), 200, None),
    ("escaped control characters", ('{%s,"messages":[{"role":"user","content":"a\\u0000b\\u001f"}]}' % M).encode(), 200, None),
    ("empty key", ('{%s,"":""}' % M).encode(), 200, None),
    ("many messages (20 000)", json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": f"m{i}"} for i in range(20_000)]}).encode(), 200, None),
    ("huge string (8 MB)", json.dumps(chat("word " * 1_600_000)).encode(), 200, None),
    ("over max_body_bytes", json.dumps(chat("x" * (MAX_BODY + 10))).encode(), 413, "request_too_large"),
    ("over a route's 1 KB limit", json.dumps(chat("x" * 4096)).encode(), 413, "request_too_large"),
]
HOST = {"over a route's 1 KB limit": "small.test"}


def curl_h2(gw, body, path="/v1/chat/completions", extra=(), unsized=False):
    """POST over HTTP/2 cleartext with prior knowledge; returns (status,
    body). `unsized`: the body from stdin, with no content-length."""
    path_file = os.path.join(gw.workdir, "h2-body.bin")
    with open(path_file, "wb") as f:
        f.write(body)
    data = ["-X", "POST", "-T", "-"] if unsized else ["--data-binary", f"@{path_file}"]
    for attempt in range(5):
        out = subprocess.run(
            ["curl", "-s", "--http2-prior-knowledge", "--max-time", "30", "-o", "-", "-w", "\n%{http_code} %{http_version}",
             "-H", "content-type: application/json", *extra, *data, gw.url + path],
            input=body if unsized else None, capture_output=True, timeout=40)
        text, _, tail = out.stdout.rpartition(b"\n")
        status, version = tail.decode().split()
        # An answer Envoy sends before an unsized upload is done may be
        # dropped by curl (status and version 0): the 413 races the body.
        if version == "0" and unsized and attempt < 4:
            continue
        assert version == "2", f"not HTTP/2: {version}"
        return int(status), text
    raise AssertionError("unreachable")


def vm_failures(gw):
    return failure_signs(gw.stats("wasm"), gw.envoy.output())


def failure_signs(stats, log):
    """Signs of a trapped or failed VM: Envoy's wasm stats and its log."""
    bad_stats = {k: v for k, v in stats.items() if ("fail" in k or "crash" in k) and v.strip() not in ("", "0")}
    bad_log = [line for line in log.splitlines()
               if any(s in line for s in ("RuntimeError", "unreachable", "panicked", "Wasm VM failed", "wasm trap"))]
    return bad_stats, bad_log


def memory(gw):
    return int(requests.get(f"http://127.0.0.1:{gw.admin_port}/memory", timeout=5).json()["allocated"])


@pytest.fixture(scope="module")
def baseline(gw):
    for _ in range(20):
        post_json(gw, "/v1/chat/completions", chat("warm up"))
    return memory(gw)


@pytest.mark.parametrize("proto", ["http1", "h2c"])
@pytest.mark.parametrize("name,body,status,code", BAD, ids=[b[0] for b in BAD])
def test_bad_input_matrix(gw, baseline, proto, name, body, status, code):
    host = HOST.get(name)
    if proto == "h2c" and name == "over max_body_bytes":
        # curl drops an HTTP/2 answer that comes before its upload is done
        # (Envoy counts it: downstream_rq_response_before_rq_complete); the
        # 1 KB route limit case covers 413 over HTTP/2.
        pytest.skip("curl cannot read an early HTTP/2 reply")
    if proto == "http1":
        r = post_json(gw, "/v1/chat/completions", None, raw=body, timeout=30, headers={"host": host} if host else None)
        got, text = r.status_code, r.content
        if code:
            assert_openai_error(r, status, code)
    else:
        # No content-length on the route-limit case: refused from the body
        # (a declared length is refused before curl has sent the body,
        # and curl drops such an early HTTP/2 answer).
        got, text = curl_h2(gw, body, extra=("-H", f"host: {host}") if host else (), unsized=bool(host))
        if code:
            assert json.loads(text)["error"]["code"] == code, text[:300]
    assert got == status, text[:300]
    if code:
        assert gw.received("openai") == [], "refused bodies are never forwarded"
    else:
        [fwd] = gw.received("openai")
        assert fwd["body"].encode() == body or len(body) > 1_000_000, "forwarded unchanged"
    assert vm_failures(gw) == ({}, [])


def raw_request(gw, data, read=True, timeout=10):
    with socket.create_connection(("127.0.0.1", gw.port), timeout=timeout) as s:
        s.sendall(data)
        if not read:
            return b""
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def test_tiny_slow_chunks_assemble_into_one_body(gw):
    body = json.dumps(chat("hello there, one byte at a time")).encode()
    with socket.create_connection(("127.0.0.1", gw.port), timeout=20) as s:
        s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                  b"transfer-encoding: chunked\r\nconnection: close\r\n\r\n")
        for i in range(len(body)):
            s.sendall(b"1\r\n" + body[i:i + 1] + b"\r\n")
            time.sleep(0.002)
        s.sendall(b"0\r\n\r\n")
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    assert out.startswith(b"HTTP/1.1 200"), out[:200]
    [fwd] = gw.received("openai")
    assert json.loads(fwd["body"])["messages"] == chat("hello there, one byte at a time")["messages"]


def test_client_abort_mid_body_and_mid_stream_leave_the_vm_alive(gw):
    head = (b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b"content-length: 5000\r\n\r\n")
    for _ in range(20):
        raw_request(gw, head + b'{"model":"gpt-4o","messages":[', read=False)
    gw.script("openai", default={"chunk_gap_ms": 200})
    for _ in range(10):
        r = requests.post(gw.url + "/v1/chat/completions", json=chat("hi", stream=True), stream=True, timeout=10)
        next(r.iter_content(64))
        r.close()  # hang up mid-stream
    gw.script("openai", default={})
    first = json.loads(gw.received("openai")[0]["body"])  # a half body would not parse
    assert first["messages"] == chat("hi", stream=True)["messages"], "no half body forwarded"
    assert all(json.loads(x["body"]).get("stream") for x in gw.received("openai"))
    r = post_json(gw, "/v1/chat/completions", chat("still alive?"))
    assert r.status_code == 200
    assert vm_failures(gw) == ({}, [])


def test_hundreds_of_concurrent_streams(gw):
    def one(i):
        r = requests.post(gw.url + "/v1/chat/completions", json=chat(f"stream {i}", stream=True),
                          stream=True, timeout=60, headers={"x-mse-consumer": f"c{i % 7}"})
        data = b"".join(r.iter_content(None))
        return r.status_code, data.count(b"data: "), data.endswith(b"data: [DONE]\n\n")

    with ThreadPoolExecutor(200) as ex:
        results = list(ex.map(one, range(300)))
    assert all(s == 200 and done for s, _, done in results), results[:5]
    assert len(gw.received("openai")) == 300
    assert vm_failures(gw) == ({}, [])


def test_h2c_streams_in_parallel_and_aborted(gw):
    """100 concurrent streamed requests over HTTP/2 (curl's own parallel
    mode, a connection each: curl 7.88 cannot multiplex on a
    prior-knowledge connection it has not seen answer yet); then streams
    the client resets (RST_STREAM) mid-answer."""
    body = os.path.join(gw.workdir, "h2-stream.json")
    with open(body, "w") as f:
        json.dump(chat("parallel", stream=True), f)
    url = gw.url + "/v1/chat/completions"
    args = ["curl", "-s", "--http2-prior-knowledge", "-Z", "--parallel-immediate", "--parallel-max", "100",
            "--max-time", "60", "-H", "content-type: application/json", "--data-binary", f"@{body}"]
    for _ in range(100):
        args += ["-o", "/dev/null", "-w", "%{http_code} %{http_version}\n", url]
    out = subprocess.run(args, capture_output=True, text=True, timeout=90).stdout.split()
    codes = collections.Counter(out[0::2])
    assert codes == {"200": 100} and out[1::2] == ["2"] * 100, (codes, collections.Counter(out[1::2]))
    gw.script("openai", default={"chunk_gap_ms": 300})
    for _ in range(10):
        r = subprocess.run(["curl", "-s", "--http2-prior-knowledge", "--max-time", "0.5", "-H",
                            "content-type: application/json", "--data-binary", f"@{body}", url],
                           capture_output=True, timeout=10)
        assert r.returncode == 28, "cut by the client mid-stream"
    gw.script("openai", default={})
    assert post_json(gw, "/v1/chat/completions", chat("after the resets")).status_code == 200
    assert vm_failures(gw) == ({}, [])


def test_consumer_header_cannot_grow_stats_without_bound(gw):
    def one(i):
        r = post_json(gw, "/v1/chat/completions", chat("hi"), headers={"x-mse-consumer": f"user-{i:04d}"})
        return r.status_code

    with ThreadPoolExecutor(8) as ex:
        assert set(ex.map(one, range(1500))) == {200}
    time.sleep(1.5)  # counters reach Envoy once a second
    consumers = {k.split(".consumer.")[1].split(".")[0] for k in gw.stats("consumer.") if ".consumer." in k}
    # max_consumers per worker (2 workers), plus `other` and the anonymous `none`
    assert len(consumers) <= 2 * 20 + 2, sorted(consumers)
    assert "other" in consumers
    total = len([k for k in gw.stats("consumer.") if ".consumer." in k])
    assert total <= (2 * 20 + 2) * 5, total


def test_text_outside_messages_is_scanned(gw):
    key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"
    for body in [
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
         "tools": [{"type": "function", "function": {"name": "f", "description": key, "parameters": {}}}]},
        {"model": "gpt-4o", "messages": [], "response_format": {"type": "json_schema", "json_schema": {
            "name": "r", "schema": {"type": "object", "properties": {"k": {"description": key}}}}}},
        {"model": "gpt-4o", "messages": [], "prediction": {"type": "content", "content": key}},
        {"model": "gpt-4o", "messages": [], "field_from_next_year": {"deep": [key]}},
    ]:
        r = post_json(gw, "/v1/chat/completions", body)
        assert "private_key_marker" in refusal_text(r)
        assert "MIIEow" not in r.text
    assert gw.received("openai") == []


def test_memory_back_near_baseline(gw, baseline):
    # after the matrix (tens of MB of bodies), streams and aborts
    requests.post(f"http://127.0.0.1:{gw.admin_port}/memory/tcmalloc/release", timeout=5)
    after = memory(gw)
    print(f"envoy memory: baseline {baseline} B, after the matrix {after} B")
    assert after < baseline + 32 * 1024 * 1024, (baseline, after)


def trap_wasm():
    path = os.path.join(h.ROOT, "target", "wasm32-wasip1", "release", "examples", "trap_filter.wasm")
    if not os.path.exists(path):
        pytest.fail("build it: cargo build --release --target wasm32-wasip1 --example trap_filter")
    return path


def test_a_failed_vm_fails_closed_then_reloads(tmp_path):
    """The filter config Envoy and the harness use (`failure_policy:
    FAIL_RELOAD`, 1 s base backoff) with a stand-in filter that traps on
    demand: the trapping request and those right after it are refused,
    never passed unfiltered; once the backoff is over the next request
    reloads the VM and traffic flows again, without an Envoy restart."""
    mock, ports = h.start_mock(str(tmp_path), ["openai"])
    port, admin = h.free_port(), h.free_port()
    flt = h.wasm_filter({}, wasm_path=trap_wasm())
    cfg = h.envoy_config(port, admin, ports, {"providers": [{"name": "openai"}]}, filters=[flt])
    envoy = h.start_envoy(str(tmp_path), cfg, admin, concurrency=1)
    try:
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        assert requests.post(url, json=chat("before"), timeout=10).status_code == 200
        trapped = requests.post(url, json=chat("trap"), headers={"x-trap": "1"}, timeout=10)
        assert trapped.status_code >= 500
        # within the backoff (well under the 1 s base): still closed
        down = [requests.post(url, json=chat("down"), timeout=10).status_code for _ in range(3)]
        assert all(s >= 500 for s in down), down
        # then a reload, with no restart: the same Envoy process serves
        t0 = time.time()
        back = poll(lambda: requests.post(url, json=chat("after"), timeout=10).status_code,
                    lambda s: s == 200, 15.0, interval=0.1)
        assert back == 200, "the VM was not reloaded"
        print(f"traffic back {time.time() - t0:.2f} s after the trap")
        assert envoy.poll() is None
        got = requests.get(f"http://127.0.0.1:{ports['openai']}/__requests", timeout=5).json()
        contents = [json.loads(x["body"])["messages"][0]["content"] for x in got]
        assert contents[0] == "before" and set(contents[1:]) == {"after"}, contents
        r = requests.get(f"http://127.0.0.1:{admin}/stats", params={"filter": "wasm"}, timeout=5)
        stats = dict(line.partition(": ")[::2] for line in r.text.splitlines())
        assert int(stats["wasm.clawgate.vm_reload_success"]) >= 1, stats
        assert int(stats["wasm.clawgate.vm_reload_backoff"]) >= 3, stats
        # the signs the other tests look for do show a failed VM
        bad_stats, bad_log = failure_signs(stats, envoy.output())
        assert bad_log, envoy.output()[-2000:]
        print("after a trap:", trapped.status_code, down, bad_stats)
    finally:
        envoy.stop()
        mock.stop()
