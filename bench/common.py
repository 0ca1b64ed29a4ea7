"""What every bench script shares: the upstream's fixed answers, the
clawgate configs, CPU pinning, `wrk`, and starting an Envoy system or
Higress's own chain. `run.py` (make bench), `paired.py` and `ab.py`
import it; it imports none of them."""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "e2e"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import harness as h  # noqa: E402
import conversation  # noqa: E402,F401  (b.conversation in paired.py and ab.py)
import load  # noqa: E402

NOOP = os.path.join(ROOT, "target", "wasm32-wasip1", "release", "examples", "noop_filter.wasm")
OUT = os.path.join(ROOT, "bench", "out")
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
HELD_DELAY = 4  # s: the slow upstream's delay, so a proxy holds its requests that long
PROXY_CPU, LOAD_CPU = "0", "1"
# The audit sidecar's core (BENCH_SIDECAR_CPU): the proxy's by default (on the
# load core, ingesting every record starves wrk).
SIDECAR_CPU = os.environ.get("BENCH_SIDECAR_CPU", PROXY_CPU)

COMPLETION = json.dumps({
    "id": "chatcmpl-bench", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Sure. Here is a short answer."}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 512, "completion_tokens": 12, "total_tokens": 524},
})
SSE = "".join(f"data: {json.dumps({'choices': [{'index': 0, 'delta': {'content': w}}]})}\n\n" for w in "a short streamed answer".split()) \
    + 'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":4,"total_tokens":9}}\n\ndata: [DONE]\n\n'

PROSE = ("Our quarterly planning meeting covered the migration of the billing service to the new cluster, "
         "the onboarding flow for enterprise customers, and how we measure latency for the search feature. "
         "Please summarise the decisions, list open questions, and propose next steps for each team. ")


ANSWER = b"Sure. Here is a short answer."  # in every answer that came from the upstream


def chat_body(size):
    msgs, text = [], ""
    while len(json.dumps(msgs)) < size - 120:
        text += PROSE
        msgs = [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": text}]
    return json.dumps({"model": "gpt-4o-mini", "messages": msgs})


def upstream_config(json_port, sse_port, admin, slow_port=None, delay_s=HELD_DELAY):
    """The upstream: fixed answers on `json_port` (chat completion) and
    `sse_port` (a stream); `slow_port` answers the completion `delay_s`
    after the whole request is in (Envoy's fault filter), so a proxy in
    front holds its requests that long."""
    def listener(name, port, body, ctype, delay=None):
        fault = [{"name": "envoy.filters.http.fault", "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
            "max_active_faults": 100000,
            "delay": {"fixed_delay": f"{delay}s", "percentage": {"numerator": 100, "denominator": "HUNDRED"}}}}] if delay else []
        return {"name": name, "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}},
                "per_connection_buffer_limit_bytes": h.BUFFER_LIMIT,
                "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                    "stat_prefix": name,
                    **h.PATH_NORMALISATION,
                    "route_config": {"virtual_hosts": [{"name": "all", "domains": ["*"], "routes": [{
                        "match": {"prefix": "/"},
                        "direct_response": {"status": 200, "body": {"inline_string": body}}}]}],
                        "response_headers_to_add": [{"header": {"key": "content-type", "value": ctype}, "append_action": "OVERWRITE_IF_EXISTS_OR_ADD"}]},
                    # read the whole request before answering: a direct_response sent
                    # while the body is still arriving closes the connection, and every
                    # request would then pay a new upstream TCP handshake
                    "http_filters": [{"name": "envoy.filters.http.buffer", "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.http.buffer.v3.Buffer",
                        "max_request_bytes": h.BUFFER_LIMIT}}] + fault + [
                                     {"name": "envoy.filters.http.router", "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}
    return {"admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin}}},
            "static_resources": {"listeners": [listener("json", json_port, COMPLETION, "application/json"),
                                               listener("sse", sse_port, SSE, "text/event-stream")]
                                 + ([listener("slow", slow_port, COMPLETION, "application/json", delay_s)] if slow_port else [])}}


def plugin(full, audit_port=None):
    cfg = {"providers": [{"name": "up"}, {"name": "sse"}, {"name": "slow"}],
           "models": [{"name": "gpt-4o-mini", "provider": "up",
                       "pricing": {"input_per_1m": 0.15, "output_per_1m": 0.6, "currency": "USD"}},
                      {"name": "gpt-4o-sse", "provider": "sse"},
                      {"name": "gpt-4o-slow", "provider": "slow",
                       "pricing": {"input_per_1m": 0.15, "output_per_1m": 0.6, "currency": "USD"}}]}
    if full:
        cfg["accounting"] = {"headers": True}
        if audit_port:
            cfg["audit"] = {"cluster": "clawgate_audit", "token": "bench", "flush_interval_ms": 200}
    else:
        cfg["risk"] = {"packs": []}
        cfg["accounting"] = {"headers": False, "inject_stream_usage": False}
    return cfg


def pin(cpu, pid):
    if shutil.which("taskset"):
        subprocess.run(["taskset", "-a", "-p", "-c", cpu, str(pid)], capture_output=True)


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


cpu_seconds = load.cpu_seconds


def wrk(url, body_file, conns, seconds, headers=(), pgid=None):
    lua = os.path.join(OUT, f"post-{os.path.basename(body_file)}.lua")
    hdr = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers)
    with open(lua, "w") as f:
        f.write(f'wrk.method = "POST"\nlocal fh = io.open("{body_file}")\nwrk.body = fh:read("*a")\nfh:close()\n'
                f'wrk.headers["content-type"] = "application/json"\n{hdr}')
    cmd = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", lua, url]
    cpu0 = cpu_seconds(pgid) if pgid else 0
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    cpu = cpu_seconds(pgid) - cpu0 if pgid else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) if "Requests/sec" in out else 0.0
    total = int(m.group(1)) if (m := re.search(r"(\d+) requests in", out)) else 0
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    us = cpu * 1e6 / total if total and pgid else float("nan")
    errors = non2xx + sum(int(x) for x in m.groups()) if (m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)) else non2xx
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "errors": errors, "cpu_us": us, "n": total, "mode": "wrk"}

class System:
    def __init__(self, name, port, path="/v1/chat/completions", headers=(), proc=None, stream_model="gpt-4o-sse"):
        self.name, self.port, self.path, self.headers, self.proc = name, port, path, list(headers), proc
        self.stream_model = stream_model
        self.url = f"http://127.0.0.1:{port}{path}"


def start_envoy_system(name, workdir, up_ports, filters, plugin_cfg, extra=None, connect_timeout=None):
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, up_ports, plugin_cfg, extra_clusters=extra, filters=filters)
    if connect_timeout:
        for c in cfg["static_resources"]["clusters"]:
            c["connect_timeout"] = connect_timeout
    proc = h.start_envoy(workdir, cfg, admin, concurrency=1, tag=name.replace(" ", "_"))
    pin(PROXY_CPU, proc.p.pid)
    return System(name, port, proc=proc)


# Higress's own chain, configured as a Higress user would: ai-data-masking
# (AUTHN 991: OpenAI-format requests, custom deny words, the masking rules
# of its README for phone numbers, e-mail addresses, IPs and API keys) then
# ai-statistics (token metrics and the question / answer log attributes of
# its README). Both are Go plugins under V8; no clawgate in this row.
HIGRESS_MASKING = {
    "deny_openai": True,
    "deny_words": ["internal-codename-falcon", "机密项目"],
    "replace_roles": [
        {"regex": "1[3-9][0-9]{9}", "type": "replace", "value": "[PHONE]"},
        {"regex": "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}", "type": "hash"},
        {"regex": "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}", "type": "replace", "restore": True,
         "value": "***.***.***.***"},
        {"regex": "sk-[0-9a-zA-Z]{20,}", "type": "hash", "restore": True},
    ],
}
HIGRESS_STATISTICS = {
    "attributes": [
        {"key": "question", "value_source": "request_body", "value": "messages.@reverse.0.content", "apply_to_log": True},
        {"key": "answer", "value_source": "response_body", "value": "choices.0.message.content", "apply_to_log": True},
    ],
}


def start_higress(workdir, up_ports):
    """Envoy with Higress's ai-data-masking + ai-statistics plugin.wasm
    (`make higress-plugins`), same listener, routes and upstream."""
    import higress_chain as hc
    if not all(os.path.exists(hc.plugin_path(n)) for n in ("ai-data-masking", "ai-statistics")):
        return None, "plugin binaries missing (run `make higress-plugins`)"
    filters = [hc.higress_plugin("ai-data-masking", HIGRESS_MASKING),
               hc.higress_plugin("ai-statistics", HIGRESS_STATISTICS)]
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, up_ports, plugin(False), filters=filters)
    path = os.path.join(workdir, "higress.json")
    with open(path, "w") as f:
        json.dump(cfg, f, indent=1)
    proc = h.Proc([h.ENVOY, "-c", path, "--concurrency", "1", "--base-id", str(admin), "--log-level", "warn",
                   "--component-log-level", "wasm:error"], os.path.join(workdir, "higress.log"))
    pin(PROXY_CPU, proc.p.pid)
    try:
        # Go plugins take seconds each to compile in V8
        h.wait_http(f"http://127.0.0.1:{admin}/ready", timeout=240, proc=proc)
        deadline = time.time() + 120
        while load.probe(port, "/v1/chat/completions", chat_body(512), {}, timeout=30)[0] is None:
            if time.time() > deadline:
                raise TimeoutError("listener not answering")
            time.sleep(0.5)
    except Exception as e:
        proc.stop()
        return None, f"did not start: {e}"
    return System("Higress chain (ai-data-masking + ai-statistics)", port, proc=proc), None


def paired_ratio(cpu, num, den, kb):
    """den's capacity against num from paired rounds ({key: {kb: [CPU µs
    per request, a round each]}}): the median of the per-round ratios num /
    den and their range, or None when either was not measured."""
    a, b = cpu.get(num, {}).get(kb), cpu.get(den, {}).get(kb)
    if not a or not b:
        return None
    rs = [x / y for x, y in zip(a, b)]
    return statistics.median(rs), min(rs), max(rs)
