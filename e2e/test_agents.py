"""The agents our users run, through real Envoy + clawgate.wasm + the audit
sidecar: Claude Code (`claude -p`, Anthropic Messages), Codex CLI (`codex
exec`, the Responses API) and OpenClaw (`openclaw agent exec`, chat
completions), the pinned npm releases `make agents` installs, against the
agent mock provider (mock_agents.py). Each test runs the real CLI and
checks what reached the provider, what the client showed and the audit
record.

Written for the fixed behaviour of issue #32: a refusal is never 401/403,
replays keep the client's headers, no stream_options on /v1/responses,
usage read from compressed answers, session ids from the clients' own
fields, no trap on a slow fallback, and default rules that leave a plain
agent turn alone."""

import json
import os
import tempfile
import time
from decimal import Decimal

import agents as a
import harness as h
import mock_agents
import pytest
import requests
from conftest import stop_gateway

ANTHROPIC_KEY = "sk-ant-provider-key-primary"
ANTHROPIC_KEY_B = "sk-ant-provider-key-backup"
OPENAI_KEY = "sk-openai-provider-key-primary"
OPENAI_KEY_B = "sk-openai-provider-key-backup"

# Per client: the model it asks for, the upstream serving it, the backup
# model and upstream of its fallback chain, the provider key each gets.
SETUP = {
    "claude": {"model": "claude-sonnet-4-6", "upstream": "anthropic", "backup": "claude-backup",
               "backup_upstream": "anthropic_b", "key": ANTHROPIC_KEY, "backup_key": ANTHROPIC_KEY_B},
    "codex": {"model": "gpt-5-codex", "upstream": "openai", "backup": "gpt-backup",
              "backup_upstream": "openai_b", "key": OPENAI_KEY, "backup_key": OPENAI_KEY_B},
    "openclaw": {"model": "gpt-4.1", "upstream": "openai", "backup": "gpt-backup",
                 "backup_upstream": "openai_b", "key": OPENAI_KEY, "backup_key": OPENAI_KEY_B},
}
KINDS = list(SETUP)
UPSTREAMS = ["anthropic", "anthropic_b", "openai", "openai_b", "secure"]
# Distinct prices for every kind of token, so a count priced as the wrong
# kind changes the cost.
PRICING = {"input_per_1m": 3, "output_per_1m": 15, "cached_input_per_1m": 0.3, "cache_write_per_1m": 3.75,
           "reasoning_per_1m": 20, "currency": "USD"}
FALLBACK_TIMEOUT_MS = 3000

CONFIG = {
    "providers": [
        {"name": "anthropic", "api_key": ANTHROPIC_KEY, "auth_header": "x-api-key", "protocols": ["anthropic"]},
        {"name": "anthropic_b", "api_key": ANTHROPIC_KEY_B, "auth_header": "x-api-key", "protocols": ["anthropic"]},
        {"name": "openai", "api_key": OPENAI_KEY},
        {"name": "openai_b", "api_key": OPENAI_KEY_B},
        # an internal model server that speaks both formats (as a converting proxy does)
        {"name": "secure", "secure": True, "protocols": ["openai", "anthropic"]},
    ],
    "models": [
        {"name": "claude-sonnet-4-6", "provider": "anthropic", "fallback": ["claude-backup"], "pricing": PRICING},
        {"name": "claude-backup", "provider": "anthropic_b", "pricing": PRICING},
        {"name": "gpt-5-codex", "provider": "openai", "fallback": ["gpt-backup"], "pricing": PRICING},
        {"name": "gpt-4.1", "provider": "openai", "fallback": ["gpt-backup"], "pricing": PRICING},
        {"name": "gpt-backup", "provider": "openai_b", "pricing": PRICING},
        {"name": "secure-model", "provider": "secure"},
    ],
    "risk": a.SECRETS_RISK,
    "fallback": {"timeout_ms": FALLBACK_TIMEOUT_MS},
    "audit": {"cluster": "clawgate_audit", "token": a.AUDIT_TOKEN, "flush_interval_ms": 100},
}


@pytest.fixture(scope="module")
def sc():
    a.require_install()
    sc = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-agents-"), token=a.AUDIT_TOKEN)
    yield sc
    sc.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    return gateway_factory(CONFIG, upstream_names=UPSTREAMS, extra_clusters=[sc.cluster])


def client(gw, kind, **kw):
    return a.CLIENTS[kind](gw.url, SETUP[kind]["model"], **kw)


def model_requests(gw, upstream, kind):
    return a.bodies(gw, upstream, a.CLIENTS[kind].path)


def nothing_reached(gw, *upstreams):
    return all(gw.received(u) == [] for u in upstreams or UPSTREAMS)


def expected_usage(kind, u=None):
    """The record's usage for the mock's counts in the client's format:
    Anthropic reports fresh input, cache reads and cache writes apart; the
    OpenAI formats count cache reads inside the prompt, have no cache-write
    count and report reasoning inside the output."""
    u = dict(mock_agents.USAGE, **(u or {}))
    if kind == "claude":
        return {"prompt": u["input"] + u["cached"] + u["cache_write"], "completion": u["output"],
                "cached": u["cached"], "cache_write": u["cache_write"], "reasoning": None}
    return {"prompt": u["input"] + u["cached"] + u["cache_write"], "completion": u["output"],
            "cached": u["cached"], "cache_write": None, "reasoning": u["reasoning"]}


def expected_cost(usage):
    """Each kind of token at its own price (prices are per 1M tokens)."""
    p = {k: Decimal(str(v)) for k, v in PRICING.items() if k != "currency"}
    cached, written, reasoning = usage["cached"] or 0, usage["cache_write"] or 0, usage["reasoning"] or 0
    fresh = usage["prompt"] - cached - written
    total = (fresh * p["input_per_1m"] + cached * p["cached_input_per_1m"] + written * p["cache_write_per_1m"]
             + (usage["completion"] - reasoning) * p["output_per_1m"] + reasoning * p["reasoning_per_1m"])
    return total / Decimal(1_000_000)


def record_usage(rec):
    u = rec["usage"]
    return {k: u.get(k) for k in ("prompt", "completion", "cached", "cache_write", "reasoning")}


def session_header(kind, headers):
    """The session id each client sends of its own accord (OpenClaw sends
    none: its configuration here sets clawgate's default session header)."""
    if kind == "claude":
        return headers.get("x-claude-code-session-id")
    if kind == "codex":
        return headers.get("session-id")
    return headers.get("x-openclaw-session-key")


# ---- a plain turn: one run per client, read by the next four tests ----

PLAIN_TEXT = "PLAIN-TURN-ANSWER from the mock"


@pytest.fixture(scope="module")
def plain(gw, sc):
    runs = {}

    def get(kind):
        if kind not in runs:
            gw.reset()
            a.agent_default(gw, text=PLAIN_TEXT)
            t0 = a.now_ms()
            run = client(gw, kind).run("Say hello.")
            recs = a.records_since(sc, t0)
            runs[kind] = (run, model_requests(gw, SETUP[kind]["upstream"], kind),
                          {u: gw.received(u) for u in UPSTREAMS}, recs)
        return runs[kind]
    return get


@pytest.mark.parametrize("kind", KINDS)
def test_plain_turn_reaches_the_model_the_client_asked_for_unchanged(plain, kind):
    """With the default packs (all six): no reroute, no mask, no block,
    whatever the client adds to each turn itself (Claude Code's
    noreply@anthropic.com and grafana.internal, OpenClaw's sessionId=)."""
    run, reqs, received, recs = plain(kind)
    assert run.rc == 0, run
    assert PLAIN_TEXT in run.stdout, run
    [(headers, body)] = reqs
    assert body["model"] == SETUP[kind]["model"]
    assert "[MASKED" not in json.dumps(body), "the default packs masked part of a plain turn"
    assert received["secure"] == [], "the default packs rerouted a plain turn to the secure model"
    [rec] = recs
    assert rec["status"] == 200
    assert rec["model_used"] == SETUP[kind]["model"] and rec["route_reason"] != "secure", rec
    assert rec["risk"]["action"] in (None, "audit"), rec["risk"]
    if kind == "codex":
        # the Responses API reports usage in response.completed; it has no stream_options
        assert "stream_options" not in body, body.get("stream_options")


@pytest.mark.parametrize("kind", KINDS)
def test_plain_turn_carries_the_provider_key_not_the_client_placeholder(plain, kind):
    run, reqs, _, _ = plain(kind)
    [(headers, _)] = reqs
    if kind == "claude":
        assert headers.get("x-api-key") == ANTHROPIC_KEY
        assert "authorization" not in headers
    else:
        assert headers.get("authorization") == f"Bearer {OPENAI_KEY}"
    assert a.PLACEHOLDER_KEY not in json.dumps(headers)


@pytest.mark.parametrize("kind", KINDS)
def test_plain_turn_is_accounted_exactly(plain, kind):
    _, _, _, recs = plain(kind)
    [rec] = recs
    want = expected_usage(kind)
    assert record_usage(rec) == want
    assert rec["usage_complete"] is True
    assert Decimal(rec["cost"]) == expected_cost(want), rec["cost"]
    assert rec["currency"] == "USD"


@pytest.mark.parametrize("kind", ["claude", "codex"])
def test_plain_turn_record_has_the_clients_session_id(plain, kind):
    """Claude Code's session is the session part of metadata.user_id (its
    device id is not a session), Codex's the `session-id` header."""
    _, reqs, _, recs = plain(kind)
    [(headers, body)] = reqs
    [rec] = recs
    want = session_header(kind, headers)
    assert want
    if kind == "claude":
        assert json.loads(body["metadata"]["user_id"])["session_id"] == want
    assert rec["session_id"] == want


# ---- a secret in the prompt, under each action ----

# OpenClaw starts slowly (seconds of CPU per run): it takes the refusal
# here and the three actions on the tool-result path below; its prompt
# goes through the same chat-completions scan as a tool result.
PROMPT_CASES = [(k, act) for k in KINDS for act in ("block", "mask", "route_secure_model")
                if k != "openclaw" or act == "block"]


@pytest.mark.parametrize("kind,action", PROMPT_CASES)
def test_secret_in_the_prompt(gw, sc, kind, action):
    secret, rule, value = a.SECRETS[action]
    a.agent_default(gw, text="ANSWER-AFTER-SECRET")
    c = client(gw, kind)
    if kind == "openclaw":
        c.keep_state()  # so a key put on cooldown would stay there for the next run
    t0 = a.now_ms()
    run = c.run(f"Check this config line: {secret}")
    recs = a.records_since(sc, t0)
    up = SETUP[kind]["upstream"]
    if action == "block":
        assert nothing_reached(gw), "a blocked prompt reached a provider"
        assert rule in run.output, f"the client does not show the refusal naming {rule}: {run}"
        # one request: the client took the refusal as final and did not retry
        assert len(recs) == 1, [(r["status"], r["error"]) for r in recs]
        assert recs[0]["status"] in (200, 400), "a refusal must not read as an auth/permission error"
        assert recs[0]["error"] == "content_blocked" and recs[0]["risk"]["action"] == "block"
        # the next clean prompt works: the key was not disabled
        gw.reset()
        a.agent_default(gw, text="CLEAN-AFTER-BLOCK")
        again = c.run("Say hello.")
        assert again.rc == 0 and "CLEAN-AFTER-BLOCK" in again.stdout, again
        return
    assert run.rc == 0 and "ANSWER-AFTER-SECRET" in run.stdout, run
    [rec] = recs
    assert rec["risk"]["action"] == action
    assert rule in [hit["rule"] for hit in rec["risk"]["hits"]]
    if action == "mask":
        [(_, body)] = model_requests(gw, up, kind)
        sent = json.dumps(body)
        assert value not in sent
        assert f"[MASKED:{rule}]" in sent
        assert gw.received("secure") == []
    else:
        assert gw.received(up) == [], "a secret went to the external model"
        [(_, body)] = model_requests(gw, "secure", kind)
        assert value in json.dumps(body), "the secure model gets the real text"
        assert rec["route_reason"] == "secure" and rec["model_used"] == "secure-model"


# ---- the leak path: the agent reads a file and sends it back as a tool result ----

def read_by_tool(gw, sc, kind, name, text, answer, prompt):
    """The client runs `prompt` with `name` (holding `text`) in its work
    dir; its provider first calls the client's file-reading tool on it,
    then answers `answer`. The run and the turn's audit records."""
    c = client(gw, kind)
    path = c.write_file(name, text)
    gw.script(SETUP[kind]["upstream"], [{"agent": {"tool": c.tool_read(path)}}])
    a.agent_default(gw, text=answer)
    t0 = a.now_ms()
    run = c.run(prompt)
    return run, a.records_since(sc, t0, expect=2)


@pytest.mark.parametrize("action", ["block", "mask", "route_secure_model"])
@pytest.mark.parametrize("kind", KINDS)
def test_secret_read_by_a_tool_and_sent_back(gw, sc, kind, action):
    secret, rule, value = a.LEAKS[action]
    up = SETUP[kind]["upstream"]
    run, recs = read_by_tool(gw, sc, kind, "settings.conf", f"# service settings\n{secret}\n",
                             "ANSWER-AFTER-TOOL", "Summarise settings.conf in this directory.")
    first, *rest = model_requests(gw, up, kind)
    assert value not in json.dumps(first[1])
    if action == "block":
        assert rest == [] and gw.received("secure") == [], "the tool result reached a provider"
        assert rule in run.output, f"the client does not show the refusal naming {rule}: {run}"
        assert len(recs) == 2, [(r["status"], r["error"]) for r in recs]
        assert recs[1]["status"] in (200, 400)
        return
    assert run.rc == 0 and "ANSWER-AFTER-TOOL" in run.stdout, run
    assert recs[-1]["risk"]["action"] == action
    if action == "mask":
        [(_, body)] = rest
        sent = json.dumps(body)
        assert value not in sent and f"[MASKED:{rule}]" in sent
    else:
        assert rest == []
        [(_, body)] = model_requests(gw, "secure", kind)
        assert value in json.dumps(body)


# ---- code nobody here wrote: what a coding agent reads all day ----

# Files of the pinned agents' own packages (make agents installs them), each
# once taken for a secret or an internal host by the default packs: a key
# library that looks for a PEM header, an SDK that passes `{ apiKey:
# secConfig }`, code reading `client.internal?.…`.
LIBRARY_FILES = [
    "jose/dist/webapi/key/import.js",
    "@mistralai/mistralai/esm/funcs/chatComplete.js",
    "openclaw/dist/computer-Dtupmhs6.mjs",
]


@pytest.mark.parametrize("kind", KINDS)
def test_reading_library_code_stays_with_the_model_asked_for(gw, sc, kind):
    parts = []
    for rel in LIBRARY_FILES:
        path = os.path.join(a.AGENTS_DIR, "node_modules", rel)
        if not os.path.exists(path):
            pytest.fail(f"{rel} is not in the pinned packages: run `make agents`")
        parts.append(open(path, encoding="utf-8").read())
    up = SETUP[kind]["upstream"]
    run, recs = read_by_tool(gw, sc, kind, "library.js", "\n".join(parts),
                             "READ-THE-LIBRARY", "Explain library.js in this directory.")
    assert run.rc == 0 and "READ-THE-LIBRARY" in run.stdout, run
    reqs = model_requests(gw, up, kind)
    assert len(reqs) >= 2, [(r["route_reason"], r["risk"]) for r in recs]
    # the file went out as the agent read it, to the model it asked for
    sent = json.dumps(reqs[-1][1])
    assert "[MASKED" not in sent
    assert "BEGIN PRIVATE KEY" in sent and "secConfig" in sent
    assert gw.received("secure") == []
    for r in recs:
        assert r["route_reason"] != "secure" and r["risk"]["action"] in (None, "audit"), r["risk"]


# ---- failures of the provider ----

@pytest.mark.parametrize("kind,status", [("claude", 429), ("claude", 503), ("codex", 429), ("codex", 503),
                                         ("openclaw", 429)])
def test_fallback_while_streaming(gw, sc, kind, status):
    s = SETUP[kind]
    gw.script(s["upstream"], [{"status": status}])
    a.agent_default(gw, text="BACKUP-ANSWER")
    t0 = a.now_ms()
    run = client(gw, kind).run("Say hello.")
    recs = a.records_since(sc, t0)
    assert run.rc == 0 and "BACKUP-ANSWER" in run.stdout, run
    [(first_h, first)] = model_requests(gw, s["upstream"], kind)
    [(h_b, body_b)] = model_requests(gw, s["backup_upstream"], kind)
    assert first["stream"] is True and body_b["stream"] is True
    assert body_b["model"] == s["backup"]
    assert h_b.get("x-api-key" if kind == "claude" else "authorization", "").endswith(s["backup_key"])
    # the replay is the client's request: its own headers go along
    for name in ("user-agent", "traceparent", "x-claude-code-session-id", "session-id"):
        if name in first_h:
            assert h_b.get(name) == first_h[name], name
    [rec] = recs
    assert rec["model_used"] == s["backup"] and rec["stream"] is True
    assert [t["status"] for t in rec["attempts"]] == [status, 200]
    assert record_usage(rec) == expected_usage(kind)


@pytest.fixture
def gw_own(gateway_factory, sc):
    """A gateway of the test's own: a trapped VM refuses every later
    request (fail closed), which must not spill into other tests."""
    gw = gateway_factory(CONFIG, upstream_names=UPSTREAMS, extra_clusters=[sc.cluster])
    yield gw
    stop_gateway(gw)


@pytest.mark.parametrize("kind", KINDS)
def test_slow_fallback_is_no_trap(gw_own, sc, kind):
    """The backup answers after fallback.timeout_ms: the client gets an
    answer or a clean error, the record is written and Envoy goes on
    serving (the wasm VM did not trap)."""
    gw = gw_own
    s = SETUP[kind]
    gw.script(s["upstream"], [{"status": 503}])
    # a streamed answer that starts at once and takes 5 s to finish (an
    # ordinary long turn): the replay's timeout falls in the middle of its body
    slow = " ".join(["word"] * 10)
    gw.script(s["backup_upstream"], [{"agent": {"text": slow, "gap_ms": 5000 // 12}}])
    a.agent_default(gw, text="AFTER-SLOW")
    t0 = a.now_ms()
    # bounded: on the trap the client hangs until killed
    run = client(gw, kind).run("Say hello.", timeout=30)
    assert run.rc == 0 or "error" in run.output.lower(), run
    recs = a.records_since(sc, t0)
    assert any(s["model"] == r["model_requested"] for r in recs), "no record for the slow request"
    time.sleep(FALLBACK_TIMEOUT_MS / 1000)  # the late answer has come and gone
    assert "panicked" not in gw.envoy.output()
    gw.reset()
    a.agent_default(gw, text="AFTER-SLOW")
    later = client(gw, kind).run("Say hello again.")
    assert later.rc == 0 and "AFTER-SLOW" in later.stdout, later
    for _ in range(6):
        r = requests.post(gw.url + "/v1/chat/completions", timeout=10,
                          json={"model": "gpt-4.1", "messages": [{"role": "user", "content": "hi"}]})
        assert r.status_code == 200, r.text


@pytest.mark.parametrize("kind", KINDS)
def test_compressed_answer_is_counted(gw, sc, kind):
    """A provider that compresses when the request allows it (the clients
    all send accept-encoding: gzip): usage is still read."""
    a.agent_default(gw, text="COMPRESSED-OK", compress="gzip")
    t0 = a.now_ms()
    run = client(gw, kind).run("Say hello.")
    assert run.rc == 0 and "COMPRESSED-OK" in run.stdout, run
    [rec] = a.records_since(sc, t0)
    want = expected_usage(kind)
    assert record_usage(rec) == want
    assert Decimal(rec["cost"]) == expected_cost(want)


@pytest.mark.parametrize("kind", KINDS)
def test_parallel_sessions_have_their_own_session_ids(gw, sc, kind):
    n = 2 if kind == "openclaw" else 3  # OpenClaw takes seconds of CPU to start
    clients = [client(gw, kind) for _ in range(n)]
    if kind == "openclaw":
        # OpenClaw sends no session id to a provider: each agent's config
        # names itself in clawgate's default session header.
        for i, c in enumerate(clients):
            cfg = json.load(open(c.config))
            cfg["models"]["providers"]["clawgate"]["headers"] = {"x-openclaw-session-key": f"agent-{i}"}
            json.dump(cfg, open(c.config, "w"))
    a.agent_default(gw, text="PARALLEL-OK", gap_ms=20)
    t0 = a.now_ms()
    runs = a.run_parallel(clients, [f"Say hello, number {i}." for i in range(n)])
    for run in runs:
        assert run is not None and run.rc == 0 and "PARALLEL-OK" in run.stdout, run
    recs = a.records_since(sc, t0, expect=n)
    sent = [session_header(kind, hd) for hd, _ in model_requests(gw, SETUP[kind]["upstream"], kind)]
    # where each request went, when one did not reach this client's upstream
    routes = [(r.get("route_reason"), r.get("model_used"), r.get("status")) for r in recs]
    assert len(set(sent)) == n and None not in sent, (sent, routes)
    assert sorted(map(str, (r["session_id"] for r in recs))) == sorted(sent)
