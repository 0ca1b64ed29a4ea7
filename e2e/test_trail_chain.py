"""A chain only the sidecar can extend, several writers on one store, and
a body that cannot be trickled forever (issue #29), through real Envoy, the
real clawgate.wasm and the real sidecar, on SQLite and (with
CLAWGATE_TEST_PG: scripts/pg.sh start) PostgreSQL, each test on a database
of its own.

The forger (e2e/forge.py) has write access to the database and the source,
not the checkpoint key: its record is linked exactly as the sidecar links
one, so `audit verify` without the key accepts it."""

import os
import re
import select
import socket
import time

import forge
import harness as h
import pytest
import requests
from conftest import chat, clawgate, poll, post_json

TOKEN = "trail-chain-secret"
KEY = "ck-trail-key-1"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(
    not os.environ.get("CLAWGATE_TEST_PG"),
    reason="CLAWGATE_TEST_PG not set: PostgreSQL variant skipped (scripts/pg.sh start prints a URL)"))]


def config(payloads="full"):
    return {
        "providers": [{"name": "p1"}],
        "models": [{"name": "m1", "provider": "p1"}],
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100, "payloads": payloads},
    }


@pytest.fixture
def db(request, tmp_path):
    if request.param == "postgres":
        url = forge.fresh_pg()
        yield url
        forge.drop_pg(url)
    else:
        yield f"sqlite://{tmp_path / 'audit.db'}"


def send(gw, n, tag):
    ids = []
    for i in range(n):
        r = post_json(gw, "/v1/chat/completions", chat(f"{tag} {i}", model="m1"))
        assert r.status_code == 200, r.text
        ids.append(r.headers["x-clawgate-request-id"])
    return ids


def stored(sc, ids, timeout=15.0):
    for rid in ids:
        r = poll(lambda: sc.get(f"/v1/audit/{rid}"), lambda r: r.status_code == 200, timeout)
        assert r.status_code == 200, f"record {rid} never arrived"


def verify(db, *extra):
    return clawgate("audit", "verify", "--db", db, *extra)


def metric(sc, name):
    m = re.search(rf"^{name} (\d+)$", sc.get("/metrics").text, re.M)
    return int(m.group(1)) if m else None


@pytest.mark.parametrize("db", BACKENDS, indirect=True)
def test_a_forged_record_is_named_and_never_chained_onto(gateway_factory, tmp_path, db):
    sc = h.Sidecar(str(tmp_path), token=TOKEN, db=db, extra=["--checkpoint-key", KEY, "--writer", "gw-a"])
    try:
        gw = gateway_factory(config(), extra_clusters=[sc.cluster], concurrency=1)
        stored(sc, send(gw, 3, "before"))
        assert verify(db, "--checkpoint-key", KEY).returncode == 0
        forged = forge.forge(db, writer="gw-a")
        # however well linked: without the key it cannot be told apart
        plain = verify(db)
        assert plain.returncode == 0, "the forgery is linked as the sidecar links: " + plain.stdout
        keyed = verify(db, "--checkpoint-key", KEY)
        assert keyed.returncode == 1 and forged in keyed.stdout and "forged" in keyed.stdout, keyed.stdout
        # the sidecar goes on past it, and says so
        after = send(gw, 3, "after")
        stored(sc, after)
        assert poll(lambda: sc.proc.output(), lambda o: "ALERT: forged audit link" in o, 5).count(forged) >= 1
        assert metric(sc, "clawgate_sidecar_forged_links_total") == 1
        out = verify(db, "--checkpoint-key", KEY)
        assert out.returncode == 1, out.stdout
        broken = [l for l in out.stdout.splitlines() if l.startswith("BROKEN")]
        assert len(broken) == 1 and forged in broken[0], out.stdout
        assert "6 records verified" in out.stdout and "6 keyed links authentic" in out.stdout, out.stdout
        assert KEY not in out.stdout + out.stderr + sc.proc.output()
        # the checkpoint is the writer's own head, never the forgery
        cp = sc.get("/v1/checkpoint").json()
        assert cp["writer"] == "gw-a" and cp["hash"] != forge.sql(
            db, f"SELECT hash FROM audit_records WHERE request_id = '{forged}'")[0][0]
    finally:
        sc.stop()


def test_rotated_keys_keep_old_links_verifiable(gateway_factory, tmp_path):
    db = f"sqlite://{tmp_path / 'audit.db'}"
    sc = h.Sidecar(str(tmp_path), token=TOKEN, db=db, port=h.free_port(), extra=["--checkpoint-key", "old-key"])
    try:
        gw = gateway_factory(config(), extra_clusters=[sc.cluster], concurrency=1)
        stored(sc, send(gw, 2, "old"))
        sc.stop()
        sc.extra = ["--checkpoint-key", "new-key", "--old-checkpoint-key", "old-key"]
        sc.start()
        stored(sc, send(gw, 2, "new"))
        only_new = verify(db, "--checkpoint-key", "new-key")
        assert only_new.returncode == 1 and "key id" in only_new.stdout, only_new.stdout
        both = verify(db, "--checkpoint-key", "new-key", "--old-checkpoint-key", "old-key", "--require-keyed")
        assert both.returncode == 0 and "4 keyed links authentic" in both.stdout, both.stdout
    finally:
        sc.stop()


@pytest.mark.parametrize("db", BACKENDS, indirect=True)
def test_two_sidecars_share_one_store_with_a_chain_each(gateway_factory, tmp_path, db):
    a = h.Sidecar(str(tmp_path), token=TOKEN, db=db, extra=["--checkpoint-key", KEY, "--writer", "gw-a"])
    b = h.Sidecar(str(tmp_path), token=TOKEN, db=db, extra=["--checkpoint-key", KEY, "--writer", "gw-b"])
    try:
        gws = [gateway_factory(config(), extra_clusters=[s.cluster]) for s in (a, b)]
        import concurrent.futures as cf
        with cf.ThreadPoolExecutor(4) as ex:
            futs = [ex.submit(send, gws[i % 2], 10, f"w{i}") for i in range(4)]
            ids = [[rid for f in futs[i::2] for rid in f.result()] for i in range(2)]
        stored(a, ids[0] + ids[1])
        both = verify(db, "--checkpoint-key", KEY, "--require-keyed")
        assert both.returncode == 0 and "40 records in 2 writer chains" in both.stdout, both.stdout
        assert "writer gw-a: 20 links" in both.stdout and "writer gw-b: 20 links" in both.stdout, both.stdout
        alone = verify(db, "--checkpoint-key", KEY, "--writer", "gw-b")
        assert alone.returncode == 0 and "20 records in 1 writer chains" in alone.stdout, alone.stdout
        rows = forge.sql(db, "SELECT writer, request_id FROM audit_records")
        by = {str(w): set() for w, _ in rows}
        for w, rid in rows:
            by[str(w)].add(rid)
        assert by == {"gw-a": set(ids[0]), "gw-b": set(ids[1])}
    finally:
        a.stop()
        b.stop()


@pytest.mark.parametrize("db", BACKENDS, indirect=True)
def test_payloads_and_config_versions_are_checked(gateway_factory, tmp_path, db):
    sc = h.Sidecar(str(tmp_path), token=TOKEN, db=db)
    try:
        gw = gateway_factory(config(), extra_clusters=[sc.cluster], concurrency=1)
        ids = send(gw, 3, "secret prompt")
        stored(sc, ids)
        hashes = poll(lambda: sc.get("/v1/configs").json()["configs"], lambda c: len(c) == 1, 10)
        assert len(hashes) == 1
        ch = hashes[0]["hash"]
        assert clawgate("config", "show", ch, "--db", db).returncode == 0
        assert clawgate("audit", "purge", "--db", db, "--older-than", "0s").returncode == 0
        assert verify(db).returncode == 0
        # a payload planted into a purged record
        forge.sql(db, "UPDATE audit_records SET record_json = replace(record_json, '\"request_payload\":null', "
                      f"'\"request_payload\":\"planted\"') WHERE request_id = '{ids[1]}'")
        out = verify(db)
        assert out.returncode == 1 and ids[1] in out.stdout and "payload present" in out.stdout, out.stdout
        forge.sql(db, "UPDATE audit_records SET record_json = replace(record_json, '\"planted\"', 'null') "
                      f"WHERE request_id = '{ids[1]}'")
        assert verify(db).returncode == 0
        # a stored configuration edited: served by no one, named by verify
        forge.sql(db, "UPDATE config_versions SET config_json = replace(config_json, '\"m1\"', '\"m9\"')")
        show = clawgate("config", "show", ch, "--db", db)
        assert show.returncode == 2 and "does not match its hash" in show.stderr, show.stdout + show.stderr
        assert sc.get(f"/v1/config/{ch}").status_code == 503
        out = verify(db)
        assert out.returncode == 1 and ch in out.stdout, out.stdout
    finally:
        sc.stop()


def test_a_trickled_body_is_cut_at_the_total_deadline(tmp_path):
    """One byte every 0.3 s never trips the 30 s idle limit; the total body
    deadline (--body-timeout 2) cuts it with 408 long before the body is
    done, and the sidecar goes on serving."""
    sc = h.Sidecar(str(tmp_path), token=TOKEN, extra=["--body-timeout", "2"])
    s = socket.create_connection(("127.0.0.1", sc.port), timeout=5)
    try:
        length = 200
        s.sendall(b"POST /v1/audit/batch HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                  b"authorization: Bearer " + TOKEN.encode() + f"\r\ncontent-length: {length}\r\n\r\n".encode())
        sent, answer = 0, b""
        while sent < length:
            readable, _, _ = select.select([s], [], [], 0.3)
            if readable:
                answer = s.recv(4096)
                break
            s.sendall(b" ")
            sent += 1
        assert answer.startswith(b"HTTP/1.1 408"), (sent, answer[:200])
        assert sent < length, "cut before the body was done"
        assert b"body_timeout" in answer
        assert metric(sc, "clawgate_sidecar_body_timeouts_total") == 1
        r = sc.get("/healthz")
        assert r.status_code == 200
        ok = requests.post(sc.url + "/v1/audit/batch", json={"records": []},
                           headers={"authorization": f"Bearer {TOKEN}"}, timeout=5)
        assert ok.status_code == 200, ok.text
    finally:
        s.close()
        sc.stop()
