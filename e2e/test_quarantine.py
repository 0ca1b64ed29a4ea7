"""No record can stall the trail (issue #29), through real Envoy, the real
clawgate.wasm and the real sidecar (SQLite, and PostgreSQL when
CLAWGATE_TEST_PG is set: scripts/pg.sh start).

The sidecar here takes batches of at most 32 KiB (`--max-batch-bytes`),
and the filter keeps request payloads up to 128 KiB: one request with a
large body makes a record the sidecar refuses on its own (413). The
filter splits the refused batch until that record goes alone, stores a
quarantined stub in its place, and every later record of the worker is
stored. Before, the batch was retried at the front of the queue forever."""

import os

import harness as h
import pytest
from conftest import chat, clawgate, poll, post_json, stat_sum

TOKEN = "quarantine-secret"
LIMIT = 32 * 1024

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(
    not os.environ.get("CLAWGATE_TEST_PG"), reason="CLAWGATE_TEST_PG not set"))]


def config():
    return {
        "providers": [{"name": "p1"}],
        "models": [{"name": "m1", "provider": "p1"}],
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100,
                  "payloads": "full", "max_payload_bytes": 4 * LIMIT},
    }


def stored(sc, rid):
    r = sc.get(f"/v1/audit/{rid}")
    return r.json() if r.status_code == 200 else None


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_record_the_sidecar_refuses_is_quarantined_and_the_trail_goes_on(gateway_factory, tmp_path, backend):
    db = os.environ["CLAWGATE_TEST_PG"] if backend == "postgres" else None
    sc = h.Sidecar(str(tmp_path), token=TOKEN, db=db, extra=["--max-batch-bytes", str(LIMIT)])
    try:
        # one Envoy worker: every record shares one queue
        gw = gateway_factory(config(), extra_clusters=[sc.cluster], concurrency=1)
        before = [post_json(gw, "/v1/chat/completions", chat(f"b{i}", model="m1")) for i in range(3)]
        poisoned = post_json(gw, "/v1/chat/completions", chat("x" * (2 * LIMIT), model="m1"))
        after = [post_json(gw, "/v1/chat/completions", chat(f"n{i}", model="m1")) for i in range(100)]
        assert all(r.status_code == 200 for r in before + [poisoned] + after)

        ids = [r.headers["x-clawgate-request-id"] for r in before + after]
        missing = poll(lambda: [i for i in ids if stored(sc, i) is None], lambda m: not m, 30)
        assert not missing, f"{len(missing)} of {len(ids)} records never stored, first {missing[:3]}"
        for rid in ids:
            rec = stored(sc, rid)
            assert not rec.get("quarantined") and rec["request_payload"], rid

        stub = stored(sc, poisoned.headers["x-clawgate-request-id"])
        assert stub is not None, "the refused record is stored as a stub"
        assert stub["quarantined"] is True
        assert "413" in stub["quarantine_reason"]
        assert stub["status"] == 200 and stub["started_ms"] > 0
        assert stub["request_payload"] is None and stub["model_requested"] is None
        assert stat_sum(gw, "clawgate.audit.dropped") == 0
        quarantined = poll(lambda: stat_sum(gw, "clawgate.audit.quarantined"), lambda n: n == 1, 5)
        assert quarantined == 1
        if backend == "sqlite":  # a shared PostgreSQL may hold other tests' forgeries
            out = clawgate("audit", "verify", "--db", sc.db)
            assert out.returncode == 0, "the stub is a link of the chain: " + out.stdout + out.stderr
    finally:
        sc.stop()
