"""`make soak`: mixed traffic (routed, streamed, blocked, secure, masked,
fallback) through real Envoy + clawgate.wasm for SOAK_SECONDS while the
sidecar is killed with SIGKILL and restarted on the same database every
~60 s. Poisoned requests are in the mix (a NUL in `user`, a 1 MB model
name, a 200 KB user string), and halfway through a forged record, linked
exactly as the sidecar links one, is written straight into the database
while the sidecar runs (e2e/forge.py). Then checks: every request id the
clients saw is stored exactly once (a quarantined stub counts as stored,
and is counted), `clawgate audit verify` with the key names the forgery and
nothing else, no record was dropped (the outages stay within the filter's
buffer), no VM failure, and Envoy's memory stayed within MEMORY_BOUND of
its warmed-up baseline. Prints the counts; exits non-zero on any failed
check."""

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import forge  # noqa: E402
import harness as h  # noqa: E402

TOKEN = "soak-audit-token"
KEY = "soak-checkpoint-key"
WRITER = "soak"
MEMORY_BOUND = 32 * 1024 * 1024
CONFIG = {
    "providers": [{"name": "p1", "api_key": "sk-soak"}, {"name": "p2"}, {"name": "flaky"},
                  {"name": "local", "secure": True}],
    "models": [
        {"name": "m1", "provider": "p1", "pricing": {"input_per_1m": 1, "output_per_1m": 2}},
        {"name": "m2", "provider": "p2"},
        {"name": "mf", "provider": "flaky", "fallback": ["m2"]},
        {"name": "secure-m", "provider": "local"},
    ],
    "risk": {"overrides": {"email_address": {"action": "mask"}, "private_ip": {"action": "route_secure_model"}}},
    "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 200,
              "buffer_max_records": 200000, "payloads": "metadata"},
}
KINDS = {
    "routed": lambda i: ({"model": "m1", "messages": [{"role": "user", "content": f"hello {i}"}]}, 200),
    "streamed": lambda i: ({"model": "m1", "stream": True, "messages": [{"role": "user", "content": f"s {i}"}]}, 200),
    "blocked": lambda i: ({"model": "m1", "messages": [{"role": "user", "content":
                           "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"}]}, 200),
    "secure": lambda i: ({"model": "m1", "messages": [{"role": "user", "content": f"host 10.0.3.{i % 250}"}]}, 200),
    "masked": lambda i: ({"model": "m2", "messages": [{"role": "user", "content": f"mail u{i}@example.com"}]}, 200),
    "fallback": lambda i: ({"model": "mf", "messages": [{"role": "user", "content": f"f {i}"}]}, 200),
    # poison: each once stalled a worker's whole trail (issue #29)
    "nul_user": lambda i: ({"model": "m1", "user": f"a\u0000b{i}", "messages": [{"role": "user", "content": "n"}]}, 200),
    "huge_model": lambda i: ({"model": "m" * (1 << 20), "messages": [{"role": "user", "content": "h"}]}, 400),
    "huge_user": lambda i: ({"model": "m1", "user": "u" * 200_000 + str(i), "messages": [{"role": "user", "content": "u"}]},
                            200),
}
# poison is rarer than traffic: a 1 MB body a request is not what the soak measures
WEIGHTS = [1 if k in ("nul_user", "huge_model", "huge_user") else 6 for k in KINDS]


def memory(admin):
    return int(requests.get(f"http://127.0.0.1:{admin}/memory", timeout=5).json()["allocated"])


def stat(admin, name):
    r = requests.get(f"http://127.0.0.1:{admin}/stats", params={"filter": name}, timeout=5)
    return sum(int(v) for k, _, v in (l.partition(": ") for l in r.text.splitlines())
               if k.endswith(name) and v.strip().isdigit())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("SOAK_SECONDS", 600)))
    ap.add_argument("--workers", type=int, default=6)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="clawgate-soak-")
    mock, ports = h.start_mock(work, ["p1", "p2", "flaky", "local"])
    requests.post(f"http://127.0.0.1:{ports['flaky']}/__script", json={"default": {"status": 503}}, timeout=5)
    sc = h.Sidecar(work, token=TOKEN, extra=["--checkpoint-key", KEY, "--writer", WRITER])
    port, admin = h.free_port(), h.free_port()
    envoy = h.start_envoy(work, h.envoy_config(port, admin, ports, CONFIG, extra_clusters=[sc.cluster]), admin)
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    ids, wrong, errors, counts = [], [], [], {k: 0 for k in KINDS}
    lock = threading.Lock()
    stop = time.time() + args.seconds

    def worker(w):
        s = requests.Session()
        i = 0
        while time.time() < stop:
            kind = random.choices(list(KINDS), WEIGHTS)[0]
            body, want = KINDS[kind](w * 10_000_000 + i)
            i += 1
            try:
                r = s.post(url, json=body, timeout=30)
                r.content
            except Exception as e:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{kind}: {e}")
                continue
            with lock:
                counts[kind] += 1
                ids.append(r.headers.get("x-clawgate-request-id"))
                if r.status_code != want:
                    wrong.append((kind, r.status_code))

    try:
        for _ in range(20):
            ids.append(requests.post(url, json=KINDS["routed"](0)[0], timeout=10).headers.get("x-clawgate-request-id"))
        time.sleep(1.5)
        base = memory(admin)
        peak = base
        threads = [threading.Thread(target=worker, args=(w,)) for w in range(args.workers)]
        for t in threads:
            t.start()
        kills = 0
        next_kill = time.time() + min(60, args.seconds / 4)
        forged, forge_at = [], time.time() + args.seconds / 2
        while any(t.is_alive() for t in threads):
            time.sleep(1)
            peak = max(peak, memory(admin))
            if not forged and time.time() >= forge_at and sc.proc.poll() is None:
                forged.append(forge.forge(sc.db, writer=WRITER))
            if time.time() >= next_kill and time.time() < stop - 5:
                sc.stop(signal.SIGKILL)
                kills += 1
                time.sleep(3)  # records queue in the filter meanwhile
                sc.start()
                next_kill = time.time() + min(60, args.seconds / 4)
        for t in threads:
            t.join()
        # let the buffers drain to the sidecar
        db = sc.db.removeprefix("sqlite://")

        def stored():
            con = sqlite3.connect(db)
            try:
                return con.execute("select request_id, count(*), max(instr(record_json, '\"quarantine')) > 0 "
                                   "from audit_records group by request_id").fetchall()
            finally:
                con.close()

        deadline = time.time() + 60
        rows = stored()
        while len(rows) < len(ids) and time.time() < deadline:
            time.sleep(1)
            rows = stored()
        time.sleep(1.5)
        rows = stored()
        requests.post(f"http://127.0.0.1:{admin}/memory/tcmalloc/release", timeout=5)
        end = memory(admin)
        verify = subprocess.run([h.CLAWGATE, "audit", "verify", "--db", sc.db, "--checkpoint-key", KEY],
                                capture_output=True, text=True)
        broken = [l for l in verify.stdout.splitlines() if l.startswith("BROKEN")]
        # the forgery, and only it, is named; the rest of the chain holds
        chain_ok = (len(broken) == len(forged) and all(any(f in l for l in broken) for f in forged)
                    and verify.returncode == (1 if forged else 0))
        dropped = stat(admin, "clawgate.audit.dropped")
        seen = {r for r, _, _ in rows}
        quarantined = sum(1 for _, _, q in rows if q)
        dup = [r for r, n, _ in rows if n > 1]
        missing = [i for i in ids if i not in seen]
        extra = seen - set(ids) - set(forged)
        vm_log = [l for l in envoy.output().splitlines() if "RuntimeError" in l or "panicked" in l]
        report = {
            "seconds": args.seconds, "requests": len(ids), "by_kind": counts, "sidecar_kills": kills,
            "records": len(rows), "duplicates": len(dup), "missing": len(missing), "unknown_ids": len(extra), "dropped": dropped,
            "quarantined": quarantined, "forged": forged, "verify_names_the_forgery_only": chain_ok,
            "wrong_status": len(wrong), "client_errors": len(errors),
            "vm_failures": len(vm_log), "envoy_memory_mb": {"baseline": round(base / 2**20, 1),
                                                            "peak": round(peak / 2**20, 1), "end": round(end / 2**20, 1),
                                                            "bound": round((base + MEMORY_BOUND) / 2**20, 1)},
        }
        print(json.dumps(report, indent=1))
        failed = [k for k, bad in [
            ("duplicates", dup), ("missing", missing), ("unknown ids", extra), ("dropped", dropped), ("wrong status", wrong[:5]),
            ("client errors", errors[:5]), ("chain", not chain_ok and verify.stdout[-500:]), ("no forgery", not forged),
            ("vm", vm_log[:3]), ("memory", peak > base + MEMORY_BOUND), ("no kills", kills == 0 and args.seconds >= 60),
        ] if bad]
        if failed:
            print("SOAK FAILED:", failed, wrong[:5], errors[:5], verify.stdout[-500:], file=sys.stderr)
            return 1
        print(f"soak ok: {len(ids)} requests, {len(rows)} records ({quarantined} quarantined), 0 duplicates, 0 missing, "
              f"0 drops, {kills} sidecar kills, verify names the forged {forged} and nothing else, "
              f"peak memory {report['envoy_memory_mb']['peak']} MB")
        return 0
    finally:
        envoy.stop()
        sc.stop()
        mock.stop()


if __name__ == "__main__":
    sys.exit(main())
