"""Systems measured in turns: all of them up at once, pinned to the same
core, and loaded one at a time, round after round, in an order that
rotates. On this VM a row measured minutes after another drifts by up to
2x; the ratio of two systems in the same round does not, so the checks of
`make bench` are medians of per-round ratios.

    .venv/bin/python bench/paired.py noop full [full@other.wasm] [higress]

Keys: bare, noop, noop-buffer, noop-hostcalls, routing, full, higress;
`full@path.wasm` / `routing@path.wasm` run another clawgate build with the
same config; `full+noheaders`, `+noaudit`, `+norisk` drop one part of the
full config (to see what each costs); `+batchN` ships audit batches of N,
`+sinkaudit` ships them to the upstream (no sidecar work). Environment: PAIRED_KB (body sizes, default 2,256),
PAIRED_ROUNDS (6), PAIRED_SECONDS (3)."""

import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as b  # noqa: E402

h = b.h


def noop_filters(mode, vm_id):
    f = h.wasm_filter({}, wasm_path=b.NOOP)
    f["typed_config"]["config"]["vm_config"]["vm_id"] = vm_id
    f["typed_config"]["config"]["configuration"]["value"] = mode
    return [f]


def start(key, workdir, up_ports, sidecar):
    """One system by key; None with a reason when it cannot start."""
    key, _, wasm = key.partition("@")
    base, *drops = key.split("+")
    if base == "bare":
        return b.start_envoy_system("bare Envoy", workdir, up_ports, [], b.plugin(False)), None
    if base.startswith("noop"):
        mode = base[5:]
        names = {"": "Envoy + no-op wasm", "buffer": "no-op wasm holding the body",
                 "hostcalls": "no-op wasm making clawgate's hostcalls"}
        return b.start_envoy_system(names.get(mode, f"no-op wasm ({mode})"), workdir, up_ports, noop_filters(mode, base.replace(",", "_")), b.plugin(False)), None
    if base == "higress":
        return b.start_higress(workdir, up_ports)
    if base not in ("routing", "full"):
        raise SystemExit(f"unknown system {key!r}")
    full = base == "full"
    cfg = b.plugin(full, sidecar.port if full and sidecar else None)
    for d in drops:
        if d == "noheaders":
            cfg["accounting"]["headers"] = False
        elif d == "noaudit":
            cfg.pop("audit", None)
        elif d == "norisk":
            cfg["risk"] = {"packs": []}
        elif d == "sinkaudit" and "audit" in cfg:
            cfg["audit"]["cluster"] = "up"  # the upstream answers 200 to anything: no sidecar work
        elif d.startswith("batch") and d[5:].isdigit() and "audit" in cfg:
            cfg["audit"]["batch_max"] = int(d[5:])
        else:
            raise SystemExit(f"unknown part {d!r}")
    extra = [sidecar.cluster] if full and sidecar else None
    name = f"clawgate {key}" + (f" ({os.path.basename(wasm)})" if wasm else "")
    f = h.wasm_filter(cfg, wasm_path=os.path.abspath(wasm) if wasm else h.WASM)
    f["typed_config"]["config"]["vm_config"]["vm_id"] = key + wasm
    return b.start_envoy_system(name, workdir, up_ports, [f], cfg, extra), None


def measure(systems, bodies, rounds, seconds, sizes=None):
    """{key: {kb: [CPU µs per request, one per round]}} for the systems
    ({key: System}) and bodies ({kb: file}); each round loads every system
    once per size (`sizes`: {key: kbs} limits some systems), the order
    rotating so none is always first."""
    keys = list(systems)
    sizes = sizes or {}
    for s in systems.values():  # V8's optimised recompile lands here, not in round 1
        b.wrk(s.url, bodies[min(bodies)], 16, b.WARMUP, s.headers)
    cpu = {k: {kb: [] for kb in bodies if kb in sizes.get(k, bodies)} for k in keys}
    for r in range(rounds):
        order = keys[r % len(keys):] + keys[:r % len(keys)]
        for kb, body in bodies.items():
            for k in (k for k in order if kb in cpu[k]):
                s = systems[k]
                w = b.wrk(s.url, body, 16, seconds, s.headers, pgid=s.proc.p.pid)
                if w["errors"] or not w["n"]:
                    raise RuntimeError(f"{s.name}, {kb} KB: {w['errors']} errors in {w['n']} requests")
                cpu[k][kb].append(w["cpu_us"])
    return cpu


def summary(cpu, ref):
    """Each system's median CPU per request and capacity against `ref`."""
    out = {}
    for k, by_kb in cpu.items():
        out[k] = {}
        for kb, xs in by_kb.items():
            r = b.paired_ratio(cpu, ref, k, kb)
            out[k][kb] = {"median_us": round(statistics.median(xs), 1)}
            if r:
                out[k][kb].update(capacity_median=round(r[0], 3), capacity_min=round(r[1], 3), capacity_max=round(r[2], 3))
    return out


def main():
    keys = sys.argv[1:] or ["noop", "full"]
    kbs = [int(x) for x in os.environ.get("PAIRED_KB", "2,256").split(",")]
    rounds = int(os.environ.get("PAIRED_ROUNDS", "6"))
    seconds = int(os.environ.get("PAIRED_SECONDS", "3"))
    os.makedirs(b.OUT, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="clawgate-paired-")
    bodies = {}
    for kb in kbs:
        bodies[kb] = os.path.join(b.OUT, f"body-{kb}k.json")
        with open(bodies[kb], "w") as f:
            f.write(b.conversation.conversation(kb * 1024, seed=kb))  # the bodies `make bench` sends
    jp, sp, ua = h.free_port(), h.free_port(), h.free_port()
    up = h.start_envoy(workdir, b.upstream_config(jp, sp, ua), ua, concurrency=1, tag="upstream")
    b.pin(b.LOAD_CPU, up.p.pid)
    sidecar = h.Sidecar(workdir, token="bench") if any(k.startswith("full") for k in keys) else None
    if sidecar:
        b.pin(b.SIDECAR_CPU, sidecar.proc.p.pid)  # on the load core it starves wrk (bench/run.py)
    systems = {}
    try:
        for k in keys:
            s, why = start(k, workdir, {"up": jp, "sse": sp, "slow": jp}, sidecar)
            if s is None:
                raise SystemExit(f"{k}: {why}")
            systems[k] = s
        cpu = measure(systems, bodies, rounds, seconds)
        for k in keys:
            print(k, {kb: [round(x, 1) for x in xs] for kb, xs in cpu[k].items()})
        print(json.dumps(summary(cpu, keys[0]), indent=1))
    finally:
        for s in systems.values():
            s.proc.stop()
        if sidecar:
            sidecar.proc.stop()
        up.stop()


if __name__ == "__main__":
    main()
