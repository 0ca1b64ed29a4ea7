"""`make run`: mock upstreams, the audit sidecar (SQLite) and a real Envoy
with clawgate.wasm on 127.0.0.1:10000. Ctrl-C stops everything."""

import os
import signal
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "e2e"))
import harness as h  # noqa: E402

PORT, ADMIN = 10000, 9902


def main():
    workdir = os.path.join(ROOT, ".run")
    os.makedirs(workdir, exist_ok=True)
    with open(os.path.join(ROOT, "envoy", "clawgate.example.yaml")) as f:
        plugin = yaml.safe_load(f)
    procs = []
    try:
        clusters = [p.get("cluster", p["name"]) for p in plugin["providers"]]
        mock, ports = h.start_mock(workdir, clusters)
        procs.append(mock)
        extra = []
        try:
            sidecar = h.start_sidecar(workdir, plugin, port=9901)
        except Exception as e:  # the gateway still runs without its audit trail
            print(f"audit sidecar did not start ({e}); continuing without it", file=sys.stderr)
            sidecar = None
        if sidecar:
            procs.append(sidecar.proc)
            extra.append(sidecar.cluster)
        cfg = h.envoy_config(PORT, ADMIN, ports, plugin, extra_clusters=extra)
        procs.append(h.start_envoy(workdir, cfg, ADMIN, concurrency=2))
        print(f"""
clawgate is up: Envoy on http://127.0.0.1:{PORT} (admin 127.0.0.1:{ADMIN}), mock upstreams {ports}
logs in {workdir}/

  curl -s http://127.0.0.1:{PORT}/v1/chat/completions -H 'content-type: application/json' \\
    -d '{{"model":"auto","messages":[{{"role":"user","content":"hello"}}]}}' -i
  curl -s http://127.0.0.1:{PORT}/v1/messages -H 'content-type: application/json' \
    -d '{{"model":"claude-sonnet","max_tokens":64,"messages":[{{"role":"user","content":"hello"}}]}}' -i
""" + (f"  audit trail: http://127.0.0.1:{sidecar.port}/\n" if sidecar else "") + "\nCtrl-C to stop.", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        print("a component exited; stopping", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for p in reversed(procs):
            p.stop()
        print("stopped.")


if __name__ == "__main__":
    main()
