"""Audit through real Envoy + real sidecar (SQLite): every request is
recorded once with the right fields, nothing is lost while the sidecar is
down within the buffer, drops beyond it are counted, tokens are enforced,
tampering is detected."""

import json
import socket
import sqlite3
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import harness as h
import pytest
import requests
from conftest import chat, clawgate, poll, post_json, stat_sum, wait_stat

TOKEN = "audit-secret"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"


def config(**audit):
    a = {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100, "payloads": "full"}
    a.update(audit)
    return {
        "providers": [{"name": "p1"}, {"name": "p2"}, {"name": "local", "secure": True}],
        "models": [
            {"name": "m1", "provider": "p1", "fallback": ["m2"],
             "pricing": {"input_per_1m": 1, "output_per_1m": 2, "currency": "USD"}},
            {"name": "m2", "provider": "p2", "pricing": {"input_per_1m": 3, "output_per_1m": 4, "currency": "EUR"}},
            {"name": "secure-m", "provider": "local"},
        ],
        "identity": {"user": ["x-user"], "instance": ["x-instance"], "session": ["x-session"], "trace": ["x-trace"]},
        "audit": a,
    }


def sidecar(prefix):
    return h.Sidecar(tempfile.mkdtemp(prefix=prefix), token=TOKEN)


@pytest.fixture(scope="module")
def sc():
    sc = sidecar("clawgate-audit-")
    yield sc
    sc.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    return gateway_factory(config(), extra_clusters=[sc.cluster])


def record(sc, rid, timeout=10.0):
    """The sidecar's record of one request, once the filter has flushed it."""
    r = poll(lambda: sc.get(f"/v1/audit/{rid}"),
             lambda r: r.status_code == 200, timeout)
    if r.status_code != 200:
        raise AssertionError(f"record {rid} never arrived")
    return r.json()


def test_mixed_run_each_request_recorded_once_with_fields(gw, sc):
    hdr = {"x-user": "alice", "x-instance": "i-1", "x-session": "s-1", "x-trace": "t-mixed"}
    routed = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers=hdr)
    blocked = post_json(gw, "/v1/chat/completions", chat(PEM, model="m1"), headers=hdr)
    secure = post_json(gw, "/v1/chat/completions", chat("mail a.b@corp.com", model="m1"), headers=hdr)
    gw.script("p1", [{"status": 503}])
    fell = post_json(gw, "/v1/chat/completions", {"model": "m1", "messages": []}, headers=hdr)
    streamed = requests.post(gw.url + "/v1/chat/completions", headers=hdr, timeout=10,
                             json=chat("x", model="m2", stream=True))
    ids = [r.headers["x-clawgate-request-id"] for r in (routed, blocked, secure, fell, streamed)]
    assert len(set(ids)) == 5

    r = record(sc, ids[0])
    assert (r["user"], r["instance"], r["session_id"], r["trace_id"]) == ("alice", "i-1", "s-1", "t-mixed")
    assert (r["model_requested"], r["model_used"], r["provider"], r["route_reason"]) == ("m1", "m1", "p1", "explicit")
    assert r["status"] == 200 and r["usage"]["prompt"] == 11 and r["usage"]["total"] == 18
    assert r["cost"] == "0.000025" and r["currency"] == "USD"
    assert r["duration_ms"] >= 0 and r["first_token_ms"] is not None
    assert r["config_hash"]
    assert json.loads(r["request_payload"])["messages"][0]["content"] == "hi"
    assert "Hello from p1" in r["response_payload"]

    b = record(sc, ids[1])
    # answered as the model's answer (a 200), recorded as refused
    assert b["status"] == 200 and b["error"] == "content_blocked"
    assert b["risk"]["action"] == "block" and b["risk"]["hits"][0]["rule"] == "private_key_marker"
    assert "MIIE" not in json.dumps(b), "blocked secrets are not stored"

    s = record(sc, ids[2])
    assert (s["model_used"], s["secure"], s["route_reason"]) == ("secure-m", True, "secure")

    f = record(sc, ids[3])
    assert [(a["model"], a["status"]) for a in f["attempts"]] == [("m1", 503), ("m2", 200)]
    assert f["model_used"] == "m2" and f["currency"] == "EUR"

    st = record(sc, ids[4])
    assert st["stream"] is True and st["usage_complete"] is True and st["usage"]["total"] == 18
    assert st["response_payload"].startswith("Hello from p2")

    trace = sc.get("/v1/traces/t-mixed").json()
    assert sorted(x["request_id"] for x in trace["records"]) == sorted(ids)
    listing = sc.get("/v1/audit", params={"user": "alice", "limit": 1000}).json()
    assert sorted(x["request_id"] for x in listing["records"] if x["request_id"] in ids) == sorted(ids)
    costs = sc.get("/v1/costs", params={"group_by": "user"}).json()
    alice = [g for g in costs["groups"] if g["key"] == "alice"]
    assert {g["currency"] for g in alice} >= {"USD", "EUR"}


def test_wrong_token_is_refused(sc):
    r = requests.post(f"{sc.url}/v1/audit/batch", json={"records": [{"request_id": "x"}]},
                      headers={"authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert sc.get("/v1/audit/x").status_code == 404


def test_reads_need_a_token_checked_before_any_body(tmp_path):
    sc = h.Sidecar(str(tmp_path), token=TOKEN, read_token="reader")
    try:
        for path in ["/v1/audit", "/v1/audit/x", "/v1/traces/t", "/v1/costs", "/metrics"]:
            assert requests.get(sc.url + path, timeout=5).status_code == 401, path
            ok = requests.get(sc.url + path, headers={"authorization": "Bearer reader"}, timeout=5)
            assert ok.status_code in (200, 404), path
        assert requests.get(sc.url + "/healthz", timeout=5).status_code == 200
        page = requests.get(sc.url + "/", timeout=5)
        assert page.status_code == 200 and "sessionStorage" in page.text
        # the read token cannot write
        r = requests.post(sc.url + "/v1/audit/batch", json={"records": [{"request_id": "r"}]},
                          headers={"authorization": "Bearer reader"}, timeout=5)
        assert r.status_code == 401
        # an anonymous upload announcing 60 MB is answered before its body arrives
        with socket.create_connection(("127.0.0.1", sc.port), timeout=5) as s:
            s.sendall(b"POST /v1/audit/batch HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                      b"content-length: 60000000\r\n\r\n{\"records\":[")
            assert s.recv(64).startswith(b"HTTP/1.1 401")
        m = requests.get(sc.url + "/metrics", headers={"authorization": "Bearer " + TOKEN}, timeout=5).text
        assert "clawgate_sidecar_unauthorized_total 7" in m
    finally:
        sc.stop()


def test_sidecar_outage_loses_nothing(gateway_factory):
    sc = sidecar("clawgate-outage-")
    gw = gateway_factory(config(payloads="metadata"), extra_clusters=[sc.cluster])
    n = 2000
    ids = []

    def one(i):
        r = post_json(gw, "/v1/chat/completions", chat(f"q{i}", model="m2"))
        assert r.status_code == 200
        return r.headers["x-clawgate-request-id"]

    try:
        with ThreadPoolExecutor(8) as pool:
            futs = [pool.submit(one, i) for i in range(n)]
            for i, fut in enumerate(futs):
                ids.append(fut.result(timeout=60))
                if i == 400:
                    sc.stop()  # the sidecar dies mid-load
                if i == 1200:
                    sc.start()  # and comes back on the same database
        def exported_ids():
            out = clawgate("audit", "export", "--format", "jsonl", "--db", sc.db)
            return [json.loads(l)["request_id"] for l in out.stdout.splitlines() if l.strip()]

        stored_ids = poll(exported_ids, lambda got: set(got) >= set(ids), timeout=45, interval=0.5)
        stored = set(stored_ids)
        assert len(stored_ids) == len(stored), "each request id stored exactly once"
        missing = set(ids) - stored
        assert not missing, f"{len(missing)} of {n} records lost"
    finally:
        sc.stop()


def test_locked_database_answers_503_and_the_filter_retries(gateway_factory, tmp_path):
    sc = h.Sidecar(str(tmp_path), token=TOKEN)
    try:
        gw = gateway_factory(config(payloads="metadata"), extra_clusters=[sc.cluster])
        con = sqlite3.connect(sc.db.removeprefix("sqlite://"), isolation_level=None, timeout=1)
        con.execute("BEGIN EXCLUSIVE")  # another writer holds the database
        ids = []
        for i in range(20):
            r = post_json(gw, "/v1/chat/completions", chat(f"locked {i}", model="m2"))
            assert r.status_code == 200, "the request path never waits for the store"
            ids.append(r.headers["x-clawgate-request-id"])
        direct = requests.post(sc.url + "/v1/audit/batch", json={"records": [{"request_id": "direct"}]},
                               headers=sc.auth, timeout=30)
        assert direct.status_code == 503 and direct.json()["error"]["code"] == "store_error"
        failed = poll(lambda: stat_sum(gw, "clawgate.audit.failed"), lambda v: v >= 1, 30.0)
        assert failed >= 1, "the filter saw the failed batch"
        con.execute("ROLLBACK")
        con.close()

        def exported():
            out = clawgate("audit", "export", "--format", "jsonl", "--db", sc.db)
            return [json.loads(l)["request_id"] for l in out.stdout.splitlines() if l.strip()]

        got = poll(exported, lambda g: set(g) >= set(ids), timeout=60, interval=0.5)
        assert set(ids) <= set(got), f"{len(set(ids) - set(got))} records lost"
        assert len(got) == len(set(got)), "each stored once"
    finally:
        sc.stop()


def test_drops_beyond_buffer_are_counted(gateway_factory):
    sc = sidecar("clawgate-drop-")
    sc.stop()
    gw = gateway_factory(config(buffer_max_records=20, batch_max=10, payloads="none"),
                         extra_clusters=[sc.cluster], concurrency=1)
    n = 100
    for i in range(n):
        assert post_json(gw, "/v1/chat/completions", {"model": "m2"}).status_code == 200
    dropped = wait_stat(gw, "clawgate.audit.dropped", n - 20)
    assert dropped == n - 20, f"drops are counted: {dropped}"
    sc.start()
    total = poll(lambda: sc.get("/v1/audit", params={"limit": 1000}).json()["total"],
                 lambda total: total == 20, timeout=40, interval=0.5)
    assert total == 20, "the buffered records arrive after the outage"
    sc.stop()


def test_a_busy_worker_ships_at_the_sidecars_pace(gateway_factory):
    """More records a second than one batch per flush interval holds: full
    batches go as soon as the last one is answered, so a busy worker's
    buffer never fills (one batch of 10 a second would drop most of these)."""
    sc = sidecar("clawgate-busy-")
    gw = gateway_factory(config(flush_interval_ms=1000, batch_max=10, buffer_max_records=500, payloads="none"),
                         extra_clusters=[sc.cluster], concurrency=1)
    n = 1500
    try:
        with ThreadPoolExecutor(8) as pool:
            def one(i):
                r = requests.post(gw.url + "/v1/chat/completions", json=chat(f"busy {i}", model="m2"), timeout=30)
                assert r.status_code == 200, r.text
            t0 = time.time()
            list(pool.map(one, range(n)))
            took = time.time() - t0
        total = poll(lambda: sc.get("/v1/audit", params={"limit": 1}).json()["total"],
                     lambda total: total >= n, timeout=30, interval=0.5)
        dropped = stat_sum(gw, "clawgate.audit.dropped")
        print(f"{n} requests in {took:.1f} s ({n / took:.0f}/s): {total} stored, {dropped} dropped")
        assert dropped == 0 and total == n, f"{total} of {n} stored, {dropped} dropped"
    finally:
        sc.stop()


def test_tampering_is_detected(gw, sc):
    for i in range(3):
        post_json(gw, "/v1/chat/completions", chat(f"t{i}", model="m2"))
    time.sleep(1)
    ok = clawgate("audit", "verify", "--db", sc.db)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    path = sc.db.removeprefix("sqlite://")
    con = sqlite3.connect(path)
    tables = [t for (t,) in con.execute("select name from sqlite_master where type='table'")]
    table = next(t for t in tables if "record" in t or "audit" in t)
    cols = [c[1] for c in con.execute(f"pragma table_info({table})")]
    col = next(c for c in cols if c in ("record_json", "json", "record", "body", "data"))
    # someone edits one stored record (the usage they were billed for)
    changed = con.execute(f"update {table} set {col} = replace({col}, '\"duration_ms\":', '\"duration_ms\":9') "
                          f"where rowid = (select min(rowid) + 1 from {table})").rowcount
    assert changed == 1
    con.commit()
    con.close()
    bad = clawgate("audit", "verify", "--db", sc.db)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "BROKEN at seq 2" in bad.stdout


def test_purge_checkpoints_and_deleted_records(gateway_factory, tmp_path):
    cps = tmp_path / "checkpoints.jsonl"
    sc = h.Sidecar(str(tmp_path), token=TOKEN, extra=["--checkpoint-every", "1", "--checkpoint-log", str(cps),
                                                      "--checkpoint-key", "ck-secret"])
    try:
        gw = gateway_factory(config(), extra_clusters=[sc.cluster])
        ids = []
        for i in range(3):
            r = post_json(gw, "/v1/chat/completions", chat(f"purge me {i}", model="m2"))
            assert r.status_code == 200
            ids.append(r.headers["x-clawgate-request-id"])
        for rid in ids:
            assert "purge me" in record(sc, rid)["request_payload"]
        poll(lambda: cps.read_text() if cps.exists() else "", lambda t: '"seq":3' in t, 10.0)
        served = sc.get("/v1/checkpoint").json()
        assert served["seq"] == 3 and len(served["sig"]) == 64
        assert "ck-secret" not in cps.read_text() and "ck-secret" not in sc.proc.output()
        ok = clawgate("audit", "verify", "--db", sc.db, "--checkpoints", str(cps), "--checkpoint-key", "ck-secret")
        assert ok.returncode == 0 and "3 records" in ok.stdout, ok.stdout + ok.stderr
        # payload retention: the prompts go, the chain still verifies
        p = clawgate("audit", "purge", "--db", sc.db, "--older-than", "0s")
        assert p.returncode == 0 and "payloads of 3 records" in p.stdout, p.stdout + p.stderr
        assert all(record(sc, rid)["request_payload"] is None for rid in ids)
        assert clawgate("audit", "verify", "--db", sc.db, "--checkpoints", str(cps)).returncode == 0
        # a forged checkpoint line is refused under the key
        forged = tmp_path / "forged.jsonl"
        forged.write_text(json.dumps(dict(served, seq=2)) + "\n")
        bad = clawgate("audit", "verify", "--db", sc.db, "--checkpoints", str(forged), "--checkpoint-key", "ck-secret")
        assert bad.returncode == 2 and "signature" in bad.stderr
        sc.stop()
        con = sqlite3.connect(sc.db.removeprefix("sqlite://"))
        # an edited column (what cost reports read) is named
        con.execute("update audit_records set model_used = 'cheap' where seq = 2")
        con.commit()
        bad = clawgate("audit", "verify", "--db", sc.db)
        assert bad.returncode == 1 and "BROKEN at seq 2" in bad.stdout and "model_used" in bad.stdout, bad.stdout
        con.execute("update audit_records set model_used = 'm2' where seq = 2")
        # deleting the newest record passes alone, not against the checkpoint
        con.execute("delete from audit_records where seq = 3")
        con.commit()
        con.close()
        assert clawgate("audit", "verify", "--db", sc.db).returncode == 0
        bad = clawgate("audit", "verify", "--db", sc.db, "--checkpoints", str(cps))
        assert bad.returncode == 1 and "records deleted" in bad.stdout, bad.stdout
    finally:
        sc.stop()


def test_stalled_answer_is_recorded_with_the_status_the_client_got(gateway_factory, sc):
    # JSON headers, then nothing past the provider's timeout: Envoy sends
    # the client a 504 itself, past the filters, while the filter holds the 200.
    cfg = config()
    cfg["providers"][0]["timeout_ms"] = 800
    cfg["models"][0].pop("fallback")
    gw = gateway_factory(cfg, extra_clusters=[sc.cluster])
    gw.script("p1", [{"stall_after_headers_ms": 2500}])
    r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-trace": "t-stall"}, timeout=10)
    assert r.status_code == 504
    recs = poll(lambda: sc.get("/v1/traces/t-stall").json()["records"], bool, 10.0)
    [rec] = recs
    assert (rec["status"], rec["error"]) == (504, "upstream_error")
    assert [a["status"] for a in rec["attempts"]] == [504]
    assert rec["usage_complete"] is False
