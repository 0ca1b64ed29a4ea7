"""Load clients for `make bench` beside wrk: precise proxy CPU (per-thread
schedstat), closed-loop sequential requests for slow systems, agent
sessions, and Envoy's memory while many large requests are held."""

import http.client
import os
import socket
import threading
import time


def _pgrp_pids(pgid):
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            yield int(d), fields


def cpu_seconds(pgid):
    """CPU time of every thread of every process in the group, in seconds:
    from /proc/<pid>/task/<tid>/schedstat (nanoseconds) when the kernel has
    it, else utime+stime (clock ticks, 10 ms resolution)."""
    total = 0.0
    for pid, fields in _pgrp_pids(pgid):
        ns, ok = 0, True
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    ns += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            ok = False
        total += ns / 1e9 if ok else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def envoy_pid(pgid):
    """The process of the group with the largest RSS (Envoy itself)."""
    best = (0, pgid)
    for pid, _ in _pgrp_pids(pgid):
        best = max(best, (status_kb(pid, "VmRSS"), pid))
    return best[1]


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith(key + ":"))
    except (OSError, StopIteration):
        return 0


def post(conn, path, body, headers):
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    return r.status


def _headers(extra):
    h = {"content-type": "application/json"}
    h.update(extra or {})
    return h


def sequential(port, path, body, headers, pgid, budget, timeout=60, min_n=2):
    """Closed loop on one keep-alive connection for about `budget` seconds
    (at least `min_n` requests): for systems too slow for wrk, the CPU
    window then holds exactly the requests that completed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    hdrs, body = _headers(headers), body.encode() if isinstance(body, str) else body
    n = errors = 0
    cpu0, t0 = cpu_seconds(pgid), time.perf_counter()
    lat = []
    while n < min_n or time.perf_counter() - t0 < budget:
        s = time.perf_counter()
        try:
            st = post(conn, path, body, hdrs)
        except (OSError, http.client.HTTPException):
            errors += 1
            break
        lat.append(time.perf_counter() - s)
        n += 1
        errors += st != 200
    elapsed = time.perf_counter() - t0
    cpu = cpu_seconds(pgid) - cpu0
    conn.close()
    lat.sort()
    return {"rps": n / elapsed if elapsed else 0.0, "cpu_us": cpu * 1e6 / n if n else float("nan"), "errors": errors,
            "p50": lat[len(lat) // 2] * 1000 if lat else float("nan"), "n": n, "mode": "seq"}


def probe(port, path, body, headers, timeout=60):
    """One request: (seconds, status, answer) or (None, error, b"")."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t0 = time.perf_counter()
    try:
        conn.request("POST", path, body=body.encode() if isinstance(body, str) else body, headers=_headers(headers))
        r = conn.getresponse()
        answer = r.read()
    except (OSError, http.client.HTTPException) as e:
        return None, f"{type(e).__name__}: {e}", b""
    finally:
        conn.close()
    return time.perf_counter() - t0, r.status, answer


def conversations(port, path, sets, headers, pgid, timeout=120):
    """Each element of `sets` is a list of bodies sent in order on its own
    keep-alive connection; the sets run concurrently. Returns the proxy's
    CPU seconds over the whole run, the wall time and the non-200 count."""
    hdrs = _headers(headers)
    errors = [0] * len(sets)

    def one(i, bodies):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        for b in bodies:
            try:
                errors[i] += post(conn, path, b, hdrs) != 200
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.close()

    threads = [threading.Thread(target=one, args=(i, s)) for i, s in enumerate(sets)]
    cpu0, t0 = cpu_seconds(pgid), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"cpu_s": cpu_seconds(pgid) - cpu0, "wall_s": time.perf_counter() - t0, "errors": sum(errors)}


def held(port, path, body, headers, pgid, n=64, timeout=120):
    """`n` concurrent requests of `body` to an upstream that answers only
    after a fixed delay, so the proxy holds them all at once: Envoy's RSS
    before, its peak (sampled VmRSS and VmHWM after a reset) and after."""
    pid = envoy_pid(pgid)
    body = body.encode() if isinstance(body, str) else body
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    head = (f"POST {path} HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\n{extra}"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode()
    base = status_kb(pid, "VmRSS")
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
        hwm_reset = True
    except OSError:
        hwm_reset = False
    sent, first, statuses, failed = [], [], [], []
    lock = threading.Lock()

    gate = threading.Barrier(n)

    def one():
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        try:
            gate.wait()  # connected, all of them: send at once
            s.sendall(head + body)
            with lock:
                sent.append(time.perf_counter())
            data = s.recv(64)
            with lock:
                first.append(time.perf_counter())
            while chunk := s.recv(65536):
                data += chunk
            st = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
            with lock:
                statuses.append(st)
                if st != 200:
                    failed.append(data[-300:])
        except (OSError, ValueError):
            with lock:
                statuses.append(0)
        finally:
            s.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    peak = base
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, status_kb(pid, "VmRSS"))
        time.sleep(0.005)
    for t in threads:
        t.join()
    hwm = status_kb(pid, "VmHWM") if hwm_reset else 0
    after = status_kb(pid, "VmRSS")
    all_in = len(sent) == n and bool(first) and max(sent) < min(first)
    codes = {}
    for st in statuses:
        codes[st] = codes.get(st, 0) + 1
    return {"base_kb": base, "peak_kb": max(peak, hwm), "after_kb": after, "ok": codes.get(200, 0),
            "codes": codes, "all_held": all_in, "n": n,
            "failed": failed[0].decode("utf-8", "replace") if failed else ""}
