"""Streaming through clawgate: first-byte delay against bare Envoy, and
Envoy's memory while a 10 MB SSE answer passes (the filter must not buffer
streams). Prints numbers and ratios; part of `make bench`."""

import os
import socket
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "e2e"))
import harness as h  # noqa: E402

PLUGIN = {"providers": [{"name": "up"}], "models": [{"name": "gpt-4o-mini", "provider": "up"}]}
BODY = b'{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"write a long story"}]}'


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def request(port, mock_port, script):
    import requests

    requests.post(f"http://127.0.0.1:{mock_port}/__script", json={"script": [script]}, timeout=5)
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
              b"content-length: " + str(len(BODY)).encode() + b"\r\nconnection: close\r\n\r\n" + BODY)
    return s


def ttfb(port, mock_port, n=30):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        s = request(port, mock_port, {"chunk_gap_ms": 0})
        s.recv(1)
        out.append((time.perf_counter() - t0) * 1000)
        while s.recv(65536):
            pass
        s.close()
    return statistics.median(out)


def big_stream(port, mock_port, pid, size):
    base = rss_kb(pid)
    s = request(port, mock_port, {"stream_bytes": size})
    got, peak = 0, base
    while True:
        chunk = s.recv(1 << 16)
        if not chunk:
            break
        got += len(chunk)
        time.sleep(0.0005)  # a slowish reader, so data is in flight inside Envoy
        if got % (1 << 20) < (1 << 16):
            peak = max(peak, rss_kb(pid))
    s.close()
    return got, peak - base


def run(label, filters):
    workdir = tempfile.mkdtemp(prefix="clawgate-bench-stream-")
    mock, ports = h.start_mock(workdir, ["up"])
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, ports, PLUGIN, filters=filters)
    envoy = h.start_envoy(workdir, cfg, admin, concurrency=1)
    try:
        t = ttfb(port, ports["up"])
        got, grow = big_stream(port, ports["up"], envoy.p.pid, 10 << 20)
        return {"label": label, "ttfb_ms": t, "bytes": got, "rss_growth_kb": grow}
    finally:
        envoy.stop()
        mock.stop()


def main():
    rows = [run("bare envoy", []), run("envoy + clawgate", None)]
    print("streaming (SSE from the mock upstream, 1 Envoy worker)")
    print(f"{'system':<20} {'TTFB p50 ms':>12} {'10MB stream bytes':>18} {'RSS growth KB':>14}")
    for r in rows:
        print(f"{r['label']:<20} {r['ttfb_ms']:>12.2f} {r['bytes']:>18} {r['rss_growth_kb']:>14}")
    bare, cg = rows
    print(f"first-byte ratio clawgate/bare: {cg['ttfb_ms'] / bare['ttfb_ms']:.2f}x "
          f"(+{cg['ttfb_ms'] - bare['ttfb_ms']:.2f} ms)")
    print(f"RSS growth during a 10 MB stream: clawgate {cg['rss_growth_kb']} KB vs bare {bare['rss_growth_kb']} KB")
    return rows


if __name__ == "__main__":
    main()
