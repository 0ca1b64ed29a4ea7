"""Every conversation shape the agent clients send (bench/conversation.py
SHAPES: chat, Claude Code's Messages, Codex's Responses, OpenClaw's chat,
and an adversarial one where every message opens alike) through clawgate
full and through the floor (the no-op filter making clawgate's Envoy
calls), both up at once and loaded in turns (bench/paired.py's method),
at 2 KB, 32 KB, 256 KB and 1 MB; then a 50-turn session per shape against
fifty 2 KB requests of that shape. `make bench` runs it (BENCH_SKIP=shapes
to leave it out); alone:

    .venv/bin/python bench/shapes.py [full@other.wasm]

Environment: SHAPES (names, default all), SHAPES_KB (2,32,256,1024),
SHAPES_ROUNDS (2), SHAPES_SECONDS (3), SHAPES_SESSION=0 (no sessions)."""

import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conversation  # noqa: E402
import load  # noqa: E402
import paired  # noqa: E402
import common as b  # noqa: E402

h = b.h
SHAPES = [s for s in os.environ.get("SHAPES", ",".join(conversation.SHAPES)).split(",") if s]
KBS = [int(x) for x in os.environ.get("SHAPES_KB", "2,32,256,1024").split(",")]
ROUNDS = int(os.environ.get("SHAPES_ROUNDS", "2"))
SECONDS = int(os.environ.get("SHAPES_SECONDS", "3"))
SESSION = os.environ.get("SHAPES_SESSION", "1") != "0"
TURNS = 50

TEXT = "Sure. Here is a short answer."
# what the upstream answers on each wire format's path, so clawgate reads
# usage (and sets its accounting headers) on every shape, as the floor does
ANSWERS = {
    "/v1/messages": {"id": "msg_bench", "type": "message", "role": "assistant", "model": "gpt-4o-mini",
                     "content": [{"type": "text", "text": TEXT}], "stop_reason": "end_turn",
                     "usage": {"input_tokens": 512, "output_tokens": 12}},
    "/v1/responses": {"id": "resp_bench", "object": "response", "model": "gpt-4o-mini", "status": "completed",
                      "output": [{"type": "message", "role": "assistant",
                                  "content": [{"type": "output_text", "text": TEXT}]}],
                      "usage": {"input_tokens": 512, "output_tokens": 12, "total_tokens": 524}},
}


def upstream(workdir):
    """run.py's upstream, answering Messages and Responses in their own format."""
    jp, sp, ua = h.free_port(), h.free_port(), h.free_port()
    cfg = b.upstream_config(jp, sp, ua)
    for lis in cfg["static_resources"]["listeners"]:
        if lis["name"] != "json":
            continue
        hcm = lis["filter_chains"][0]["filters"][0]["typed_config"]
        routes = hcm["route_config"]["virtual_hosts"][0]["routes"]
        routes[:0] = [{"match": {"prefix": p}, "direct_response": {"status": 200, "body": {"inline_string": json.dumps(a)}}}
                      for p, a in ANSWERS.items()]
    up = h.start_envoy(workdir, cfg, ua, concurrency=1, tag="upstream-shapes")
    b.pin(b.LOAD_CPU, up.p.pid)
    return up, {"up": jp, "sse": sp, "slow": jp}


def start_full(key, workdir, up_ports, sidecar):
    """clawgate full (bench/paired.py's), its provider speaking both wire formats."""
    _, _, wasm = key.partition("@")
    cfg = b.plugin(True, sidecar.port if sidecar else None)
    cfg["providers"][0]["protocols"] = ["openai", "anthropic"]
    f = h.wasm_filter(cfg, wasm_path=os.path.abspath(wasm) if wasm else h.WASM)
    f["typed_config"]["config"]["vm_config"]["vm_id"] = "shapes" + wasm
    name = "clawgate full" + (f" ({os.path.basename(wasm)})" if wasm else "")
    return b.start_envoy_system(name, workdir, up_ports, [f], cfg, [sidecar.cluster] if sidecar else None)


def bodies(out):
    """{shape: {kb: file}}"""
    files = {}
    for shape in SHAPES:
        files[shape] = {}
        for kb in KBS:
            p = os.path.join(out, f"shape-{shape}-{kb}k.json")
            with open(p, "w") as f:
                f.write(conversation.shaped(shape, kb * 1024, seed=kb))
            files[shape][kb] = p
    return files


def cpu_rounds(systems, shape, files):
    """{key: {kb: [CPU µs per request, one per round]}} for one shape."""
    path = conversation.PATHS[shape]
    cpu = {k: {kb: [] for kb in files} for k in systems}
    for r in range(ROUNDS):
        keys = list(systems)
        order = keys[r % len(keys):] + keys[:r % len(keys)]
        for kb, body in files.items():
            for k in order:
                s = systems[k]
                w = b.wrk(f"http://127.0.0.1:{s.port}{path}", body, 16, SECONDS, s.headers, pgid=s.proc.p.pid)
                if w["errors"] or not w["n"]:
                    raise RuntimeError(f"{s.name}, {shape}, {kb} KB: {w['errors']} errors in {w['n']} requests")
                cpu[k][kb].append(w["cpu_us"])
    return cpu


def session_rounds(systems, shape, repeats=2):
    """{key: (ms per 50-turn session, ms per 50 × 2 KB)}: one session of
    the shape and 50 different 2 KB bodies of it, in turns, least kept."""
    path = conversation.PATHS[shape]
    sess = [[x.encode() for x in conversation.shaped_session(shape, TURNS, seed=100)]]
    smalls = [[conversation.shaped(shape, 2048, seed=20_000 + j).encode() for j in range(TURNS)]]
    out = {}
    for k, s in systems.items():
        ss, ks = [], []
        for _ in range(repeats):
            a = load.conversations(s.port, path, sess, dict(s.headers), s.proc.p.pid)
            c = load.conversations(s.port, path, smalls, dict(s.headers), s.proc.p.pid)
            if a["errors"] or c["errors"]:
                raise RuntimeError(f"{s.name}, {shape} session: {a['errors'] + c['errors']} non-200 answers")
            ss.append(a["cpu_s"] * 1000)
            ks.append(c["cpu_s"] * 1000)
        out[k] = (min(ss), min(ks))
    return out


def measure(workdir, sidecar, full_key="full", notes=None):
    """The shapes part of `make bench`: {"cpu": {shape: cpu_rounds},
    "session": {shape: session_rounds}, ...}; None when it cannot run."""
    up, ups = upstream(workdir)
    systems = {}
    try:
        systems["floor"], _ = paired.start("noop-hostcalls", workdir, ups, sidecar)
        systems["full"] = start_full(full_key, workdir, ups, sidecar)
        files = bodies(b.OUT)
        for s in systems.values():  # V8's optimised recompile lands here
            b.wrk(s.url, files[SHAPES[0]][min(KBS)], 16, b.WARMUP, s.headers)
        res = {"cpu": {}, "session": {}, "rounds": ROUNDS, "seconds": SECONDS,
               "bytes": {sh: {kb: os.path.getsize(p) for kb, p in fs.items()} for sh, fs in files.items()}}
        for shape in SHAPES:
            print(f"shapes: {shape}", flush=True)
            res["cpu"][shape] = cpu_rounds(systems, shape, files[shape])
            if SESSION:
                res["session"][shape] = session_rounds(systems, shape)
        return res
    except Exception as e:  # a failed shape must not lose the rest of `make bench`
        if notes is not None:
            notes.append(f"shapes: {e}")
        print(f"shapes: {e}", flush=True)
        return None
    finally:
        for s in systems.values():
            s.proc.stop()
        up.stop()


def ratios(cpu, kb):
    """Per-round floor/full CPU (full's capacity against the floor):
    median, min, max."""
    rs = [f / c for f, c in zip(cpu["floor"][kb], cpu["full"][kb])]
    return statistics.median(rs), min(rs), max(rs)


def table(res):
    """The shapes section of BENCHMARKS.md (markdown)."""
    if not res:
        return "Not measured (see the notes)."
    kbs = sorted({kb for c in res["cpu"].values() for kb in c["full"]})
    label = lambda kb: f"{kb // 1024} MB" if kb >= 1024 else f"{kb} KB"
    lines = ["| shape | " + " | ".join(label(kb) for kb in kbs) + " | 50-turn session / 50 × 2 KB (full) | (floor) |",
             "|---|" + "---|" * (len(kbs) + 2)]
    for shape, cpu in res["cpu"].items():
        cells = []
        for kb in kbs:
            m, lo, hi = ratios(cpu, kb)
            cells.append(f"{m:.2f}x ({lo:.2f}–{hi:.2f}) · {statistics.median(cpu['full'][kb]):.0f} µs")
        sess = res["session"].get(shape)
        if sess:
            cells += [f"{sess['full'][0] / sess['full'][1]:.2f}x", f"{sess['floor'][0] / sess['floor'][1]:.2f}x"]
        else:
            cells += ["–", "–"]
        lines.append(f"| {shape} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def describe(res):
    """The whole section: how it was measured, the table, the goals."""
    if not res:
        return "Not measured (BENCH_SKIP=shapes, or see the notes)."
    sizes = ", ".join(f"{sh} {' / '.join(str(n) for n in by.values())}" for sh, by in res["bytes"].items())
    goals = []
    for shape, cpu in res["cpu"].items():
        for kb in (2, 256):
            if kb in cpu["full"]:
                m = ratios(cpu, kb)[0]
                goals.append(f"{shape} {kb} KB {m:.2f}x {'met' if m >= 0.85 else 'MISSED'}")
    sess = [f"{sh} {v['full'][0] / v['full'][1]:.2f}x {'met' if v['full'][0] < 3 * v['full'][1] else 'MISSED'}"
            for sh, v in res["session"].items()]
    return f"""`bench/shapes.py`: each shape's bodies (`bench/conversation.py`: `chat` is the conversation above; `claude-code`
is Anthropic Messages with a reminder text block opening every user turn and `tool_result` blocks; `codex` is a
Responses `input` list of messages, `function_call` and `function_call_output` items; `openclaw` is chat completions
whose user turns carry a timestamp and a runtime line; `alike` is adversarial: every message opens with the same
236-byte code block; bytes: {sizes}) sent to clawgate full (its provider speaking both wire formats, the upstream
answering each in its own) and to the floor (the no-op filter making clawgate's Envoy calls), both up at once, loaded
in turns for {res['rounds']} rounds of {res['seconds']} s per size. A cell is full's capacity against the floor (floor CPU
per request / full's, median of the per-round ratios, min–max) and full's median CPU per request. The session
columns: one 50-turn session of the shape (growing to ~500 KB) against 50 different 2 KB bodies of it, proxy CPU,
least of two.

{table(res)}

Goals (≥ 0.85x the floor at 2 KB and 256 KB; session < 3x fifty 2 KB requests): {'; '.join(goals)}; sessions:
{'; '.join(sess) or 'not measured'}."""


def main():
    full_key = next((k for k in sys.argv[1:] if k.startswith("full")), "full")
    os.makedirs(b.OUT, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="clawgate-shapes-")
    sidecar = h.Sidecar(workdir, token="bench")
    b.pin(b.SIDECAR_CPU, sidecar.proc.p.pid)
    try:
        res = measure(workdir, sidecar, full_key)
    finally:
        sidecar.proc.stop()
    if res:
        with open(os.path.join(b.OUT, "shapes.json"), "w") as f:
            json.dump(res, f, indent=1)
        print(json.dumps(res["cpu"]))
    print(describe(res))


if __name__ == "__main__":
    main()
