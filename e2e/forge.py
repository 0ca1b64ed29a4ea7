"""What someone with write access to the audit database (and clawgate's
source) but not the checkpoint key can do: run SQL on the store, and write a
record linked exactly as the sidecar links one (right prev_hash, right
payload digest, right columns). Used by e2e/test_trail_chain.py and
scripts/soak.py. SQLite through sqlite3, PostgreSQL through psql."""

import hashlib
import json
import os
import sqlite3
import subprocess
import urllib.parse
import uuid

PAYLOADS = ("request_payload", "response_payload")


def _dumps(v):
    # serde_json's compact form: same key order, no spaces, non-ASCII as is
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def _sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _lit(v):
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def sql(db, statement):
    """Runs one statement on `db` (a clawgate --db URL); rows as tuples of
    text (PostgreSQL) or values (SQLite)."""
    if db.startswith("sqlite://"):
        con = sqlite3.connect(db.removeprefix("sqlite://"), timeout=10)
        try:
            rows = con.execute(statement).fetchall()
            con.commit()
            return rows
        finally:
            con.close()
    out = subprocess.run(["psql", db, "-v", "ON_ERROR_STOP=1", "-At", "-F", "\x1f", "-c", statement],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return [tuple(line.split("\x1f")) for line in out.stdout.splitlines() if line and not line.startswith("INSERT")]


def columns(db):
    if db.startswith("sqlite://"):
        return [r[1] for r in sql(db, "PRAGMA table_info(audit_records)")]
    return [r[0] for r in sql(db, "SELECT column_name FROM information_schema.columns "
                                  "WHERE table_name = 'audit_records' ORDER BY ordinal_position")]


def forge(db, writer="default", request_id=None):
    """Appends a copy of `writer`'s newest record under a new request id,
    chained onto it as the sidecar would chain it (no MAC: there is no key
    to make one with). Returns the forged request id."""
    request_id = request_id or f"forged-{uuid.uuid4().hex[:12]}"
    seq, record_json, prev = sql(db, f"SELECT seq, record_json, hash FROM audit_records WHERE writer = "
                                     f"{_lit(writer)} ORDER BY seq DESC LIMIT 1")[0]
    rec = json.loads(record_json)
    rec["request_id"] = request_id
    text = _dumps(rec)
    meta = {k: v for k, v in rec.items() if k not in PAYLOADS}
    digest = _sha(_dumps({k: rec.get(k) for k in PAYLOADS}))
    link = _sha(prev + _sha(_dumps(meta)) + digest)
    if db.startswith("sqlite://"):
        new_seq = "(SELECT MAX(seq) + 1 FROM audit_records)"
    else:
        new_seq = "nextval('audit_records_seq')"
    override = {"request_id": _lit(request_id), "record_json": _lit(text), "seq": new_seq,
                "prev_hash": _lit(prev), "hash": _lit(link), "mac": "NULL", "key_id": "NULL",
                "payload_digest": "NULL"}
    cols = columns(db)
    select = ", ".join(override.get(c, c) for c in cols)
    sql(db, f"INSERT INTO audit_records ({', '.join(cols)}) SELECT {select} FROM audit_records "
            f"WHERE seq = {int(seq)}")
    return request_id


def fresh_pg():
    """A new, empty PostgreSQL database on CLAWGATE_TEST_PG's server (tests
    sharing the server never see one another's chains); drop it with
    `drop_pg`."""
    base = os.environ["CLAWGATE_TEST_PG"]
    name = f"clawgate_e2e_{uuid.uuid4().hex[:10]}"
    sql(base, f"CREATE DATABASE {name}")
    u = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(u._replace(path="/" + name))


def drop_pg(url):
    base = os.environ["CLAWGATE_TEST_PG"]
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    subprocess.run(["psql", base, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                   capture_output=True, timeout=30)
