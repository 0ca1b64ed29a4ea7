"""No trap, anywhere: every HTTP call the filter makes itself (fallback
replays, audit batches, budget pulls, config history) fails in each way a
network or a provider can make it fail, through real Envoy + clawgate.wasm:
the connection is refused, reset mid-body, timed out mid-body, or closed
without a byte of answer. Each time the client gets a proper answer,
Envoy's log shows no trap (`panicked`, `Function: proxy_on_… failed`), and
plain requests afterwards still succeed (a trapped VM answers 503 until it
is reloaded). A failed or timed-out call has no headers: reading its
`:status` through the SDK was the trap of issue #32.

To see these fail without the fix: CLAWGATE_WASM=<main's clawgate.wasm>."""

import json
import os
import sys
import tempfile
import time

import harness as h
import pytest
import requests
from conftest import chat, poll, post_json, stat_sum

TOKEN = "call-faults-token"
# What each fault is for the mock; "refused" is a cluster nothing listens on.
FAULTS = {
    "reset": {"fault": "reset"},
    "timeout_mid_body": {"fault": "stall_mid_body", "ms": 2500},
    "empty": {"fault": "empty"},
}
KINDS = ["refused", *FAULTS]
TRAP_SIGNS = ("panicked", "Function: proxy_on_")


def assert_no_trap(gw):
    log = gw.envoy.output()
    for sign in TRAP_SIGNS:
        assert sign not in log, log[log.find(sign) - 300:][:1500]


def assert_plain_requests_succeed(gw, model, n=12):
    got = [post_json(gw, "/v1/chat/completions", chat("plain", model=model), timeout=15).status_code
           for _ in range(n)]
    assert got == [200] * n, got


# ---- fallback replays -------------------------------------------------------

REPLAY_CONFIG = {
    "providers": [
        {"name": "p1"}, {"name": "p2"}, {"name": "p3"}, {"name": "dead"},
        {"name": "a1", "protocols": ["anthropic"]}, {"name": "a2", "protocols": ["anthropic"]},
    ],
    "models": [
        # p1 fails first; the replay goes to a flaky candidate, then a good one
        {"name": "m1", "provider": "p1", "fallback": ["flaky", "good"]},
        {"name": "d1", "provider": "p1", "fallback": ["gone", "good"]},
        # no candidate after the flaky one: the client gets the error
        {"name": "last", "provider": "p1", "fallback": ["flaky"]},
        {"name": "d_last", "provider": "p1", "fallback": ["gone"]},
        {"name": "flaky", "provider": "p2"},
        {"name": "good", "provider": "p3"},
        {"name": "gone", "provider": "dead"},
        {"name": "claude-main", "provider": "a1", "fallback": ["claude-slow"]},
        {"name": "claude-slow", "provider": "a2"},
    ],
    "identity": {"trace": ["x-trace"]},
    # the scenario with a small bound: a fallback answer slower
    # than fallback.timeout_ms
    "fallback": {"max_attempts": 3, "timeout_ms": 300},
    "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100},
}


@pytest.fixture(scope="module")
def sc():
    s = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-callfaults-"), token=TOKEN)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    return gateway_factory(REPLAY_CONFIG, upstream_names=["p1", "p2", "p3", "a1", "a2"],
                           extra_clusters=[sc.cluster, h.cluster("dead", h.free_port())])


def record(sc, trace):
    recs = poll(lambda: sc.get(f"/v1/traces/{trace}").json().get("records"), bool, 10.0)
    assert recs, f"no audit record for {trace}"
    return recs[0]


def fault_replay(gw, kind, model, dead_model):
    """Scripts the first attempt to fail with 503 and the flaky candidate
    with the fault; returns the model to ask for."""
    gw.script("p1", [{"status": 503}])
    if kind == "refused":
        return dead_model
    gw.script("p2", [FAULTS[kind]])
    return model


@pytest.mark.parametrize("kind", KINDS)
def test_failed_replay_moves_to_the_next_candidate(gw, sc, kind):
    model = fault_replay(gw, kind, "m1", "d1")
    trace = f"replay-next-{kind}"
    r = post_json(gw, "/v1/chat/completions", chat("hi", model=model), headers={"x-trace": trace}, timeout=15)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["x-gateway-model-used"] == "good"
    assert r.headers["x-gateway-attempt-count"] == "3"
    assert r.json()["upstream"] == "p3"
    rec = record(sc, trace)
    assert rec["status"] == 200 and len(rec["attempts"]) == 3
    assert_no_trap(gw)
    assert_plain_requests_succeed(gw, "good")


@pytest.mark.parametrize("kind", KINDS)
def test_failed_last_replay_answers_the_last_error(gw, sc, kind):
    model = fault_replay(gw, kind, "last", "d_last")
    trace = f"replay-last-{kind}"
    r = post_json(gw, "/v1/chat/completions", chat("hi", model=model), headers={"x-trace": trace}, timeout=15)
    if kind in ("reset", "timeout_mid_body"):
        # no answer at all: clawgate's own error, in the caller's format
        assert r.status_code == 504, r.text[:300]
        assert r.json()["error"]["code"] == "upstream_unavailable"
    else:
        # Envoy answered the replay itself (503, its text), as it answers
        # a first attempt to an unreachable provider: relayed as the last error
        assert r.status_code == 503, r.text[:300]
    assert r.headers["x-gateway-attempt-count"] == "2"
    rec = record(sc, trace)
    assert rec["status"] == r.status_code and len(rec["attempts"]) == 2
    assert_no_trap(gw)
    assert_plain_requests_succeed(gw, "good")


def test_slow_streamed_fallback_past_the_timeout(gw, sc):
    """Issue #32 as reported: a streamed Anthropic turn whose fallback
    answer takes longer than fallback.timeout_ms (here 300 ms; the answer
    streams for about 2 s). The client gets an Anthropic error, not a hang;
    the record is written; the gateway keeps serving."""
    gw.script("a1", [{"status": 503}])
    gw.script("a2", [{"content": " ".join(["slow"] * 20), "chunk_gap_ms": 100}])
    trace = "replay-slow-stream"
    t0 = time.time()
    r = requests.post(gw.url + "/v1/messages", headers={"x-trace": trace, "anthropic-version": "2023-06-01"},
                      json={"model": "claude-main", "max_tokens": 64, "stream": True,
                            "messages": [{"role": "user", "content": "a long coding turn"}]}, timeout=15)
    assert time.time() - t0 < 5, "the client was left hanging"
    assert r.status_code == 504, r.text[:300]
    body = r.json()
    assert body["type"] == "error" and body["error"]["type"], body
    [sent] = [x for x in gw.received("a2") if x["path"].endswith("/messages")]
    assert json.loads(sent["body"])["stream"] is True
    rec = record(sc, trace)
    assert rec["status"] == 504 and [a["status"] for a in rec["attempts"]] == [503, 0]
    assert_no_trap(gw)
    assert_plain_requests_succeed(gw, "good")


def test_slow_streamed_fallback_then_a_good_candidate(gw, sc):
    gw.script("p1", [{"status": 503}])
    gw.script("p2", [{"chunk_gap_ms": 150}])  # ~8 chunks: past 300 ms
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1", stream=True), timeout=15)
    assert r.status_code == 200 and r.headers["x-gateway-model-used"] == "good"
    assert "Hello from p3" in "".join(
        json.loads(line[6:])["choices"][0]["delta"].get("content", "")
        for line in r.text.splitlines() if line.startswith("data: {") and '"choices": [{' in line)
    assert_no_trap(gw)
    assert_plain_requests_succeed(gw, "good")


# ---- the filter's own calls to the sidecar ------------------------------------

BATCH, BUDGETS, HISTORY = "/v1/audit/batch", "/v1/budgets/state", "/v1/config"
FAR = 4_102_444_800_000  # 2100-01-01: the period never resets in a test
SNAPSHOT = json.dumps({"limits": [{"name": "cap", "period_start_ms": 0, "reset_ms": FAR,
                                   "spend": {"u-over": {"tokens": 1000, "cost_micros": 0}}}]})
SIDECAR_CONFIG = {
    "providers": [{"name": "p1"}],
    "models": [{"name": "m", "provider": "p1"}],
    "identity": {"user": ["x-user"], "trace": ["x-trace"]},
    # short bounds so a call that stalls mid-body times out in the test
    "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100, "timeout_ms": 500},
    "budgets": {"pull_interval_ms": 200, "stale_after_ms": 600_000,
                "limits": [{"name": "cap", "match": "u-*", "period": "day", "max_tokens": 100}]},
}


class StandIn:
    """A mock on a fixed port standing in for the sidecar: it answers each
    path as scripted (`paths`), and stop()/start() make the filter's calls
    meet a refused connection in between."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.port = h.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.start()

    def start(self, paths=None):
        args = [sys.executable, os.path.join(h.ROOT, "e2e", "mock_upstream.py"), f"sidecar={self.port}"]
        self.proc = h.Proc(args, os.path.join(self.workdir, f"standin-{time.time():.3f}.log"))
        h.wait_http(f"{self.url}/health", proc=self.proc)
        self.paths(paths or {})

    def stop(self):
        self.proc.stop()

    def paths(self, overrides):
        """The budget state the filter pulls, plus the given behaviours."""
        paths = {BUDGETS: {"raw": SNAPSHOT}, **overrides}
        requests.post(f"{self.url}/__script", json={"paths": paths}, timeout=5)

    def calls(self, path, needle=None):
        got = requests.get(f"{self.url}/__requests", timeout=5).json()
        return [x for x in got if x["path"] == path and (needle is None or needle in x["body"])]


@pytest.fixture(scope="module")
def standin():
    s = StandIn(tempfile.mkdtemp(prefix="clawgate-standin-"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def sgw(gateway_factory, standin):
    g = gateway_factory(SIDECAR_CONFIG, extra_clusters=[h.cluster("clawgate_audit", standin.port)])
    # the budget state is in before any test runs
    poll(lambda: ask(g, "u-over").status_code, lambda s: s == 429, 10.0)
    return g


def ask(gw, user, trace=None):
    headers = {"x-user": user}
    if trace:
        headers["x-trace"] = trace
    return post_json(gw, "/v1/chat/completions", chat("hi", model="m"), headers=headers, timeout=15)


def fault_path(standin, kind, path):
    """Makes every call to `path` fail with `kind` ("refused": the stand-in
    goes away)."""
    if kind == "refused":
        standin.stop()
    else:
        standin.paths({path: FAULTS[kind]})


def heal(standin, kind):
    if kind == "refused":
        standin.start()
    else:
        standin.paths({})


@pytest.mark.parametrize("kind", KINDS)
def test_failed_audit_batch_is_retried(sgw, standin, kind):
    before = stat_sum(sgw, "clawgate.audit.failed")
    fault_path(standin, kind, BATCH)
    trace = f"audit-{kind}"
    try:
        r = ask(sgw, "u-ok", trace)
        assert r.status_code == 200, r.text[:300]
        # two failed sends (the first and a retry after the backoff)
        if kind == "refused":
            failed = poll(lambda: stat_sum(sgw, "clawgate.audit.failed"), lambda n: n >= before + 2, 30.0)
            assert failed >= before + 2
        else:
            sent = poll(lambda: len(standin.calls(BATCH, trace)), lambda n: n >= 2, 30.0)
            assert sent >= 2, "the batch was sent again"
    finally:
        heal(standin, kind)
    # once the sidecar answers, the same record arrives
    got = poll(lambda: standin.calls(BATCH, trace), bool, 15.0)
    assert got and json.loads(got[-1]["body"])
    assert_no_trap(sgw)
    assert_plain_requests_succeed(sgw, "m")


@pytest.mark.parametrize("kind", KINDS)
def test_failed_budget_pull_keeps_the_last_state(sgw, standin, kind):
    n = len(standin.calls(BUDGETS))
    fault_path(standin, kind, BUDGETS)
    try:
        # past a call timeout (500 ms) and a few pull intervals (200 ms):
        # every worker has had pulls fail
        time.sleep(1.5)
        if kind != "refused":
            assert len(standin.calls(BUDGETS)) >= n + 2
        # the state pulled before the failures still decides
        assert ask(sgw, "u-over").status_code == 429
        assert ask(sgw, "u-ok").status_code == 200
    finally:
        heal(standin, kind)
    assert_no_trap(sgw)
    assert_plain_requests_succeed(sgw, "m")


def test_failed_config_history_is_sent_again(gateway_factory, tmp_path):
    """The history goes once per worker at start and is retried every 5 s
    until the sidecar takes it: refused first (nothing listens yet), then
    reset, timed out and empty answers, then taken."""
    standin = StandIn(str(tmp_path))
    standin.stop()
    g = gateway_factory(SIDECAR_CONFIG, concurrency=1, extra_clusters=[h.cluster("clawgate_audit", standin.port)])
    try:
        time.sleep(1.0)  # the first send met a refused connection
        standin.start({HISTORY: [FAULTS["reset"], FAULTS["timeout_mid_body"], FAULTS["empty"]]})
        # the three faults, then an answer (each root context, Envoy's main
        # thread's too, sends its own copy)
        got = poll(lambda: standin.calls(HISTORY), lambda c: len(c) >= 4, 25.0)
        assert len(got) >= 4, got
        assert json.loads(got[-1]["body"])["hash"]
        time.sleep(6.0)  # past the retry interval: every copy is taken now
        taken = len(standin.calls(HISTORY))
        time.sleep(6.0)
        assert len(standin.calls(HISTORY)) == taken, "taken: not sent again"
        assert_no_trap(g)
        assert_plain_requests_succeed(g, "m")
    finally:
        standin.stop()
