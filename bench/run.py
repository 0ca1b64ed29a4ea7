"""`make bench`: clawgate against bare Envoy, a no-op wasm filter, LiteLLM
and Portkey, on one loopback upstream, in one run. Writes BENCHMARKS.md and
bench/latency.png.

Cores: the proxy under test is pinned to core 0 (Envoy --concurrency 1,
LiteLLM 1 worker); the upstream (an Envoy answering a fixed completion with
direct_response), the load generator and the audit sidecar share core 1."""

import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "e2e"))
import harness as h  # noqa: E402

PEERS = os.path.join(ROOT, "bench", ".venv-peers")
NOOP = os.path.join(ROOT, "target", "wasm32-wasip1", "release", "examples", "noop_filter.wasm")
OUT = os.path.join(ROOT, "bench", "out")
DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
RATE = int(os.environ.get("BENCH_RATE", "200"))
PROXY_CPU, LOAD_CPU = "0", "1"
LITELLM_KEY = "sk-bench-" + os.urandom(16).hex()

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


def chat_body(size):
    msgs, text = [], ""
    while len(json.dumps(msgs)) < size - 120:
        text += PROSE
        msgs = [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": text}]
    return json.dumps({"model": "gpt-4o-mini", "messages": msgs})


def upstream_config(json_port, sse_port, admin):
    def listener(name, port, body, ctype):
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
                        "max_request_bytes": h.BUFFER_LIMIT}},
                                     {"name": "envoy.filters.http.router", "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}
    return {"admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin}}},
            "static_resources": {"listeners": [listener("json", json_port, COMPLETION, "application/json"),
                                               listener("sse", sse_port, SSE, "text/event-stream")]}}


def plugin(full, audit_port=None):
    cfg = {"providers": [{"name": "up"}, {"name": "sse"}],
           "models": [{"name": "gpt-4o-mini", "provider": "up",
                       "pricing": {"input_per_1m": 0.15, "output_per_1m": 0.6, "currency": "USD"}},
                      {"name": "gpt-4o-sse", "provider": "sse"}]}
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


def cpu_seconds(pgid):
    """User+system CPU of every process in the group (Envoy, or a peer and
    its workers): CPU per request is the fair cost when the 2-core machine
    cannot give the load generator and upstream their own cores."""
    total = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url, body_file, conns, seconds, headers=(), pgid=None):
    lua = os.path.join(OUT, f"post-{os.path.basename(body_file)}.lua")
    hdr = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers)
    with open(lua, "w") as f:
        f.write(f'wrk.method = "POST"\nlocal fh = io.open("{body_file}")\nwrk.body = fh:read("*a")\nfh:close()\n'
                f'wrk.headers["content-type"] = "application/json"\n{hdr}')
    cmd = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency", "-s", lua, url]
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
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "errors": non2xx, "cpu_us": us}


def paced(host, port, path, body, rate, seconds, headers=None):
    """Latency at a fixed moderate rate over one keep-alive connection."""
    conn = http.client.HTTPConnection(host, port, timeout=10)
    hdrs = {"content-type": "application/json"}
    hdrs.update(headers or {})
    lat, errors = [], 0
    n = rate * seconds
    t0 = time.perf_counter()
    for i in range(n):
        due = t0 + i / rate
        while (now := time.perf_counter()) < due:
            time.sleep(min(due - now, 0.001))
        s = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=hdrs)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn = http.client.HTTPConnection(host, port, timeout=10)
            continue
        lat.append((time.perf_counter() - s) * 1000)
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")
    return {"p50": q(0.50), "p99": q(0.99), "errors": errors}


def ttfb(port, path, body, headers, n=200):
    out = []
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        req = (f"POST {path} HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\n{extra}"
               f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode() + body.encode()
        t0 = time.perf_counter()
        s.sendall(req)
        s.recv(1)
        out.append((time.perf_counter() - t0) * 1000)
        while s.recv(65536):
            pass
        s.close()
    return statistics.median(out)


class System:
    def __init__(self, name, port, path="/v1/chat/completions", headers=(), proc=None, stream_model="gpt-4o-sse"):
        self.name, self.port, self.path, self.headers, self.proc = name, port, path, list(headers), proc
        self.stream_model = stream_model
        self.url = f"http://127.0.0.1:{port}{path}"


def start_envoy_system(name, workdir, up_ports, filters, plugin_cfg, extra=None):
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, up_ports, plugin_cfg, extra_clusters=extra, filters=filters)
    proc = h.start_envoy(workdir, cfg, admin, concurrency=1, tag=name.replace(" ", "_"))
    pin(PROXY_CPU, proc.p.pid)
    return System(name, port, proc=proc)


def start_litellm(workdir, up_port):
    exe = os.path.join(PEERS, "bin", "litellm")
    if not os.path.exists(exe):
        return None, "not installed (bench/.venv-peers missing: run `make bench-deps`)"
    port = h.free_port()
    cfg = os.path.join(workdir, "litellm.yaml")
    with open(cfg, "w") as f:
        f.write(f"model_list:\n  - model_name: gpt-4o-mini\n    litellm_params:\n      model: openai/gpt-4o-mini\n"
                f"      api_base: http://127.0.0.1:{up_port}/v1\n      api_key: sk-bench\n"
                f"litellm_settings:\n  telemetry: false\n  drop_params: true\n")
    env = dict(os.environ, LITELLM_LOG="ERROR", LITELLM_TELEMETRY="False", DISABLE_SCHEMA_UPDATE="true",
               LITELLM_MASTER_KEY=LITELLM_KEY)
    proc = h.Proc(["taskset", "-c", PROXY_CPU, exe, "--config", cfg, "--port", str(port), "--num_workers", "1"],
                  os.path.join(workdir, "litellm.log"), env=env)
    try:
        h.wait_http(f"http://127.0.0.1:{port}/health/liveliness", timeout=120, proc=proc)
    except Exception as e:
        proc.stop()
        return None, f"did not start: {e}"
    return System("LiteLLM", port, headers=[("authorization", f"Bearer {LITELLM_KEY}")], proc=proc,
                  stream_model="gpt-4o-mini"), None


def start_portkey(workdir, up_port):
    if not shutil.which("npx"):
        return None, "npx not available"
    port = 8787
    proc = h.Proc(["taskset", "-c", PROXY_CPU, "npx", "-y", "@portkey-ai/gateway"], os.path.join(workdir, "portkey.log"))
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            return None, "exited: " + proc.output()[-300:].replace("\n", " ")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(1)
    else:
        proc.stop()
        return None, "did not start within 180 s"
    hdrs = [("x-portkey-provider", "openai"), ("x-portkey-custom-host", f"http://127.0.0.1:{up_port}/v1"),
            ("authorization", "Bearer sk-bench")]
    return System("Portkey", port, headers=hdrs, proc=proc, stream_model="gpt-4o-mini"), None


def main():
    os.makedirs(OUT, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="clawgate-bench-")
    bodies = {}
    for kb in (2, 32):
        p = os.path.join(OUT, f"body-{kb}k.json")
        with open(p, "w") as f:
            f.write(chat_body(kb * 1024))
        bodies[kb] = p
    notes, results, curves, rss, profiles = [], {}, {}, {}, {}
    procs = []
    # the upstream: its own ceiling first
    jp, sp, ua = h.free_port(), h.free_port(), h.free_port()
    up = h.start_envoy(workdir, upstream_config(jp, sp, ua), ua, concurrency=1, tag="upstream")
    pin(LOAD_CPU, up.p.pid)
    procs.append(up)
    up_ports = {"up": jp, "sse": sp}
    ceiling = wrk(f"http://127.0.0.1:{jp}/v1/chat/completions", bodies[2], 16, DURATION)
    print(f"upstream ceiling (direct_response, 2 KB, 16 conns): {ceiling['rps']:.0f} req/s", flush=True)

    sidecar = None
    try:
        sidecar = h.Sidecar(workdir, token="bench")
        pin(LOAD_CPU, sidecar.proc.p.pid)
        procs.append(sidecar.proc)
    except Exception as e:
        notes.append(f"audit sidecar did not start ({e}); 'clawgate full' ran without audit shipping")

    def noop(mode):
        f = h.wasm_filter({}, wasm_path=NOOP)
        f["typed_config"]["config"]["vm_config"]["vm_id"] = "noop"
        f["typed_config"]["config"]["configuration"]["value"] = mode
        return [f]
    noop_filter = noop("") if os.path.exists(NOOP) else None
    systems = [("bare Envoy", [], plugin(False), None)]
    if noop_filter:
        systems.append(("Envoy + no-op wasm", noop_filter, plugin(False), None))
        systems.append(("no-op wasm holding the body", noop("buffer"), plugin(False), None))
        systems.append(("no-op wasm making clawgate's hostcalls", noop("hostcalls"), plugin(False), None))
    else:
        notes.append("no-op filter not built (cargo build --release --target wasm32-wasip1 --example noop_filter)")
    systems.append(("clawgate routing", None, plugin(False), None))
    systems.append(("clawgate full", None, plugin(True, sidecar and sidecar.port), [sidecar.cluster] if sidecar else None))

    def measure(sys_):
        r = {}
        for kb, body_file in bodies.items():
            w = wrk(sys_.url, body_file, 16, DURATION, sys_.headers, pgid=sys_.proc.p.pid)
            r[f"rps_{kb}k"], r[f"cpu_{kb}k"] = w["rps"], w["cpu_us"]
            with open(body_file) as f:
                body = f.read()
            lat = paced("127.0.0.1", sys_.port, sys_.path, body, RATE, DURATION, dict(sys_.headers))
            r[f"p50_{kb}k"], r[f"p99_{kb}k"], r[f"err_{kb}k"] = lat["p50"], lat["p99"], lat["errors"]
        if sys_.name == "clawgate full":
            profiles[sys_.name] = profile(sys_, bodies[2])
        hdrs = dict(sys_.headers)
        if not sys_.name.startswith(("clawgate", "LiteLLM", "Portkey")):
            hdrs["x-clawgate-provider"] = "sse"  # no filter sets it: route to the SSE upstream directly
        sbody = json.dumps({"model": sys_.stream_model, "stream": True, "messages": [{"role": "user", "content": "hi"}]})
        r["ttfb"] = ttfb(sys_.port, sys_.path, sbody, hdrs)
        curves[sys_.name] = [(c, wrk(sys_.url, bodies[2], c, 3, sys_.headers)["p50"]) for c in (1, 4, 16, 64)]
        return r

    for name, filters, cfg, extra in systems:
        s = start_envoy_system(name, workdir, up_ports, filters, cfg, extra)
        print(f"measuring {name} …", flush=True)
        results[name] = measure(s)
        rss[name] = rss_kb(s.proc.p.pid)
        s.proc.stop()

    for starter in (start_litellm, start_portkey) if os.environ.get("BENCH_PEERS", "1") != "0" else ():
        s, why = starter(workdir, jp)
        label = "LiteLLM" if starter is start_litellm else "Portkey"
        if s is None:
            notes.append(f"{label}: {why}")
            print(f"{label}: {why}", flush=True)
            continue
        print(f"measuring {label} …", flush=True)
        try:
            results[label] = measure(s)
        finally:
            s.proc.stop()

    extras = extra_numbers() if os.environ.get("BENCH_EXTRAS", "1") != "0" else {"wasm_bytes": 0, "risk": "skipped", "ingest": "skipped", "plan": []}
    for p in procs:
        p.stop()
    report(results, curves, rss, ceiling, notes, extras, profiles)


def extra_numbers():
    out = {"wasm_bytes": os.path.getsize(h.WASM) if os.path.exists(h.WASM) else 0}
    r = subprocess.run(["cargo", "run", "-q", "--release", "--example", "bench_risk"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    m = re.search(r"clean chat \(en\+zh\)\s+\d+\s+([\d.]+)\s+([\d.]+)\s+(\d+)x", r.stdout)
    out["risk"] = f"{m.group(1)} MB/s (naive {m.group(2)} MB/s, {m.group(3)}x)" if m else "not available"
    r = subprocess.run(["cargo", "run", "-q", "--release", "--example", "bench_ingest"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    m = re.search(r"sqlite .*?: ([\d]+) records/s", r.stdout)
    out["ingest"] = f"{m.group(1)} records/s (SQLite, batches of 200)" if m else "not available"
    body = os.path.join(OUT, "body-2k.json")
    plan = subprocess.run(["cargo", "run", "-q", "--release", "--example", "bench_plan", "--", body],
                          cwd=ROOT, capture_output=True, text=True, timeout=600).stdout
    wasm = os.path.join(ROOT, "target", "wasm32-wasip1", "release", "examples", "bench_plan.wasm")
    built = subprocess.run(["cargo", "build", "-q", "--release", "--target", "wasm32-wasip1", "--example", "bench_plan"],
                           cwd=ROOT, capture_output=True, timeout=600).returncode == 0
    if built and shutil.which("node"):
        plan += subprocess.run(["node", os.path.join(ROOT, "scripts", "wasi-run.mjs"), wasm, body], cwd=ROOT,
                               capture_output=True, text=True, timeout=600).stdout
    out["plan"] = [l.strip() for l in plan.splitlines() if "µs" in l]
    return out


def profile(sys_, body_file):
    """Where the proxy's CPU goes under load (perf, by binary): Envoy itself,
    the kernel, and [JIT] = the filter's compiled wasm code."""
    if not shutil.which("perf"):
        return None
    data = os.path.join(OUT, "perf.data")
    rec = subprocess.Popen(["perf", "record", "-F", "999", "-p", str(sys_.proc.p.pid), "-o", data, "--", "sleep", "3"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.2)
    wrk(sys_.url, body_file, 16, 3, sys_.headers)
    rec.wait()
    out = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso", "--stdio", "-g", "none"],
                         capture_output=True, text=True).stdout
    shares = {}
    for line in out.splitlines():
        m = re.match(r"\s+([\d.]+)%\s+(.+?)\s*$", line)
        if m:
            name = "wasm (JIT)" if m.group(2).startswith("[JIT]") else m.group(2)
            shares[name] = shares.get(name, 0) + float(m.group(1))
    return shares or None


def report(results, curves, rss, ceiling, notes, extras, profiles=None):
    bare = results.get("bare Envoy", {})
    noop = results.get("Envoy + no-op wasm", {})
    full = results.get("clawgate full", {})
    lines = [f"| system | req/s 2 KB | req/s 32 KB | proxy CPU µs/req 2 KB | 32 KB | capacity vs bare (2 KB) | p50 / p99 ms @{RATE}/s 2 KB | p50 / p99 ms @{RATE}/s 32 KB | stream TTFB ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        cap = bare["cpu_2k"] / r["cpu_2k"] if bare.get("cpu_2k") and r["cpu_2k"] else float("nan")
        lines.append(f"| {name} | {r['rps_2k']:.0f} | {r['rps_32k']:.0f} | {r['cpu_2k']:.1f} | {r['cpu_32k']:.1f} | {cap:.2f}x | "
                     f"{r['p50_2k']:.3f} / {r['p99_2k']:.3f} | {r['p50_32k']:.3f} / {r['p99_32k']:.3f} | {r['ttfb']:.3f} |")
    table = "\n".join(lines)
    checks = []
    if full and noop:
        v = full["rps_2k"] / noop["rps_2k"]
        c = noop["cpu_2k"] / full["cpu_2k"]
        checks.append(f"- clawgate full vs no-op filter, 2 KB: measured throughput **{v:.2f}x**, capacity (inverse proxy CPU per request) "
                      f"**{c:.2f}x** (target ≥ 0.9x) — {'met' if min(v, c) >= 0.9 else 'missed'}")
    if full and bare:
        d = full["p99_2k"] - bare["p99_2k"]
        checks.append(f"- clawgate full p99 over bare Envoy at {RATE} req/s (2 KB): **{d:+.3f} ms** (target ≤ 0.3 ms) — {'met' if d <= 0.3 else 'missed'}")
    for peer in ("LiteLLM", "Portkey"):
        if full and peer in results and results[peer]["rps_2k"]:
            v = full["rps_2k"] / results[peer]["rps_2k"]
            c = results[peer]["cpu_2k"] / full["cpu_2k"]
            lower = all(full[k] < results[peer][k] for k in ("p99_2k", "p99_32k"))
            lower &= all(a[1] < b[1] for a, b in zip(curves.get("clawgate full", []), curves.get(peer, [])))
            target = " (target ≥ 10x)" + (" — met" if v >= 10 else " — missed") if peer == "LiteLLM" else ""
            checks.append(f"- clawgate full vs {peer}: **{v:.1f}x** throughput{target}, {c:.1f}x less proxy CPU per request; "
                          f"p99 at the fixed rate and p50 at every concurrency level {'lower' if lower else 'NOT always lower'}")
    plot = plot_curves(curves)
    floor = results.get("no-op wasm holding the body", {})
    calls = results.get("no-op wasm making clawgate's hostcalls", {})
    routing = results.get("clawgate routing", {})
    breakdown = []
    if bare and noop and floor and calls and routing and full:
        c = lambda r: r["cpu_2k"]
        breakdown = [
            "Proxy CPU per 2 KB request, step by step: "
            f"bare Envoy {c(bare):.0f} µs; any wasm filter {c(noop) - c(bare):+.0f} µs; holding the request until its body is in "
            f"(required to route on the body's `model`) {c(floor) - c(noop):+.0f} µs; the Envoy calls clawgate's contract needs, "
            f"made by a filter with no logic (headers read and set, body read, properties, six counters: 25 hostcalls) "
            f"{c(calls) - c(floor):+.0f} µs; clawgate's own routing work on top (parse, route, ids, identity, usage, metric "
            f"names) {c(routing) - c(calls):+.0f} µs; all risk packs, accounting headers (the JSON response is held to add them) "
            f"and audit records shipped to the sidecar {c(full) - c(routing):+.0f} µs "
            f"({full['cpu_32k'] - routing['cpu_32k']:+.0f} µs at 32 KB, mostly the risk scan).",
            f"The no-op filter making only clawgate's hostcalls already reaches {c(noop) / c(calls):.2f}x of the no-op filter's "
            "capacity: under Envoy's V8 each hostcall costs on the order of a microsecond, so the 0.9x target leaves room "
            "for about five of them and no logic. Each row's CPU is measured separately, so steps of a few µs are within "
            "run-to-run noise (about ±10% on this VM)."]
    for name, shares in (profiles or {}).items():
        if shares:
            top = ", ".join(f"{k} {v:.0f}%" for k, v in sorted(shares.items(), key=lambda kv: -kv[1])[:5])
            breakdown.append(f"perf on {name} under load, CPU by binary: {top}. The filter's own wasm code is the [JIT] share; "
                             "the rest is Envoy (HTTP, the proxy-wasm host: hostcalls, header maps, body copies) and the kernel's "
                             "loopback TCP, the same machinery every row pays.")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    text = f"""# Benchmarks

Regenerated by `make bench` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).

**Machine**: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, loopback only.
**Method**: the system under test is pinned to core 0 (Envoy `--concurrency 1`, LiteLLM one worker); the upstream
(an Envoy that reads the whole request, then answers a fixed chat completion with `direct_response`, keeping its
connections alive), the load generator (`wrk`, 1 thread) and the audit
sidecar share core 1. Throughput: `wrk` with 16 connections for {DURATION} s. Latency: one keep-alive connection paced at
{RATE} req/s for {DURATION} s (a Python client: its own overhead is the same for every row). TTFB: median time to the first
response byte of a streamed completion over 200 fresh connections. Bodies are realistic English chat prompts of 2 KB and 32 KB.
Rows: bare Envoy (same listener and routes, no wasm); Envoy with a Rust wasm filter that does nothing
(`examples/noop_filter.rs`), the same filter holding each request until its body is in, and the same filter making
the Envoy calls clawgate needs (headers, body, properties, counters) without any logic; clawgate with routing only (`risk.packs: []`, accounting off); clawgate full (all six risk
packs, accounting headers, audit records shipped to `clawgate serve` on SQLite); LiteLLM proxy and Portkey gateway pointed
at the same upstream.

Upstream ceiling (direct_response, 2 KB, 16 connections, wrk on the same core): {ceiling['rps']:.0f} req/s. On two cores the
upstream and the load generator share one core, so the fastest rows can be limited by that core rather than by the proxy;
the proxy's CPU time per request (all its processes, from /proc) is reported beside the throughput and is the fairer
measure of what each system costs ("capacity" = bare Envoy's CPU per request / the row's).

{table}

{chr(10).join(checks)}

## What dominates

{chr(10).join('- ' + b for b in breakdown)}
- clawgate's pure code without Envoy (`examples/bench_plan.rs`, a 2 KB chat request, natively and compiled to wasm under
  Node's V8): {'; '.join(extras.get('plan') or ['not measured'])}. The rest of clawgate's cost under Envoy is the
  proxy-wasm boundary: every hostcall crosses V8's C API and each byte string it returns is copied into wasm memory.

![p50 latency vs concurrency](latency.png)

- Release `clawgate.wasm`: {extras['wasm_bytes']} bytes
- Envoy RSS after its run: {', '.join(f"{k} {v / 1024:.1f} MiB" for k, v in rss.items())}
- Risk engine (clean 100 KB conversations, all packs): {extras['risk']}
- Sidecar ingest: {extras['ingest']}
{chr(10).join('- ' + n for n in notes)}
"""
    with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as f:
        f.write(text)
    print(text)


def plot_curves(curves):
    py = os.path.join(PEERS, "bin", "python")
    if not os.path.exists(py) or not curves:
        return None
    data = json.dumps(curves)
    script = f"""
import json, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
curves = json.loads('''{data}''')
fig, ax = plt.subplots(figsize=(7, 4.2))
for name, pts in curves.items():
    ax.plot([c for c, _ in pts], [v for _, v in pts], marker="o", label=name)
ax.set_xscale("log", base=2); ax.set_yscale("log")
ax.set_xlabel("concurrent connections (wrk)"); ax.set_ylabel("p50 latency (ms)")
ax.set_title("Latency vs concurrency, 2 KB chat bodies"); ax.grid(True, which="both", alpha=.3); ax.legend()
fig.tight_layout(); fig.savefig("{os.path.join(ROOT, 'bench', 'latency.png')}", dpi=110)
"""
    subprocess.run([py, "-c", script], capture_output=True, timeout=120)
    return True


if __name__ == "__main__":
    main()
