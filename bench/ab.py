"""`make bench-ab BASE=old.wasm`: two clawgate builds measured in turns,
proxy CPU per request under `wrk` on the same upstream, with the full
config (routing, all risk packs, accounting headers, audit records shipped
to a sidecar). Prints each
round's new/base ratio and their median: one run of `make bench` is
±10-20% on this VM, pairing rounds separates a change from that noise.

Both Envoys run at once, pinned to the same core; only one is loaded at a
time. AB_KB (body size, 2), AB_SHAPE (bench/conversation.py SHAPES, chat),
AB_ROUNDS (6), AB_SECONDS (4)."""

import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as b  # noqa: E402
import report  # noqa: E402

h = b.h
ROUNDS = int(os.environ.get("AB_ROUNDS", "6"))
SECONDS = int(os.environ.get("AB_SECONDS", "4"))


def start(name, workdir, up_ports, wasm, cfg, extra):
    f = h.wasm_filter(cfg, wasm_path=wasm)
    f["typed_config"]["config"]["vm_config"]["vm_id"] = name
    return b.start_envoy_system(name, workdir, up_ports, [f], cfg, extra)


def main():
    base, new = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else h.WASM)
    os.makedirs(b.OUT, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="clawgate-ab-")
    kb = int(os.environ.get("AB_KB", "2"))
    shape = os.environ.get("AB_SHAPE", "chat")  # bench/conversation.py SHAPES
    body = os.path.join(b.OUT, f"body-{shape}-{kb}k.json")
    with open(body, "w") as f:
        f.write(b.conversation.shaped(shape, kb * 1024, seed=kb))  # the bodies `make bench` sends
    import shapes  # its upstream answers each wire format in its own
    up, ups = shapes.upstream(workdir)
    # `make bench`'s "clawgate full": audit records shipped to a sidecar
    sidecar = h.Sidecar(workdir, token="bench")
    b.pin(b.LOAD_CPU, sidecar.proc.p.pid)
    cfg = b.plugin(True, sidecar.port)
    cfg["providers"][0]["protocols"] = ["openai", "anthropic"]  # every shape's wire format
    systems = {"base": start("base", workdir, ups, base, cfg, [sidecar.cluster]),
               "new": start("new", workdir, ups, new, cfg, [sidecar.cluster])}
    try:
        for s in systems.values():
            b.wrk(s.url, body, 16, 1, s.headers)  # warm up
        cpu = {"base": [], "new": []}
        for r in range(ROUNDS):
            order = ["base", "new"] if r % 2 == 0 else ["new", "base"]
            for name in order:
                s = systems[name]
                url = f"http://127.0.0.1:{s.port}{b.conversation.PATHS[shape]}"
                w = b.wrk(url, body, 16, SECONDS, s.headers, pgid=s.proc.p.pid)
                if w["errors"]:
                    raise SystemExit(f"{name}: {w['errors']} non-2xx answers")
                cpu[name].append(w["cpu_us"])
            print(f"round {r + 1}: base {cpu['base'][-1]:.1f} µs, new {cpu['new'][-1]:.1f} µs, "
                  f"new/base {cpu['new'][-1] / cpu['base'][-1]:.3f}", flush=True)
        ratios = [n / o for n, o in zip(cpu["new"], cpu["base"])]
        print(json.dumps({"shape": shape, "body_kb": kb, "rounds": ROUNDS, "base_median_us": round(statistics.median(cpu["base"]), 1),
                          "new_median_us": round(statistics.median(cpu["new"]), 1),
                          "ratio_median": round(statistics.median(ratios), 3),
                          "ratio_min": round(min(ratios), 3), "ratio_max": round(max(ratios), 3)}))
    finally:
        for s in systems.values():
            s.proc.stop()
        sidecar.proc.stop()
        up.stop()


if __name__ == "__main__":
    main()
