"""Config history: every filter sends the sidecar its configuration with
secrets redacted whenever its hash changes; each audit record names the
version that decided it; `clawgate config diff` shows what changed."""

import harness as h
import pytest
import requests
from conftest import chat, clawgate, poll, post_json

TOKEN = "history-token"
KEY = "sk-history-secret-123"


def config(price):
    return {
        "providers": [{"name": "p1", "api_key": KEY}],
        "models": [{"name": "m", "provider": "p1", "pricing": {"input_per_1m": price, "output_per_1m": 1}}],
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100},
    }


@pytest.fixture
def sc(tmp_path):
    s = h.Sidecar(str(tmp_path), token=TOKEN)
    yield s
    s.stop()


def test_versions_are_kept_redacted_linked_and_diffed(gateway_factory, sc):
    gw1 = gateway_factory(config(1), extra_clusters=[sc.cluster])
    gw2 = gateway_factory(config(2), extra_clusters=[sc.cluster])
    r = post_json(gw1, "/v1/chat/completions", chat("hi", model="m"))
    rid = r.headers["x-clawgate-request-id"]
    rec = poll(lambda: sc.get(f"/v1/audit/{rid}"), lambda x: x.status_code == 200, 10.0).json()
    listed = poll(lambda: sc.get("/v1/configs").json()["configs"], lambda c: len(c) >= 2, 10.0)
    hashes = {c["hash"] for c in listed}
    assert rec["config_hash"] in hashes, "the record names a kept version"
    doc = sc.get(f"/v1/config/{rec['config_hash']}").json()
    assert doc["config"]["providers"][0]["api_key"] == "[redacted]"
    assert doc["config"]["models"][0]["pricing"]["input_per_1m"] == 1
    other = next(x for x in hashes if x != rec["config_hash"])
    out = clawgate("config", "diff", rec["config_hash"], other, "--db", sc.db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "~ models[0].pricing.input_per_1m: 1 -> 2"
    shown = clawgate("config", "show", other, "--db", sc.db)
    assert KEY not in shown.stdout and '"[redacted]"' in shown.stdout
    assert KEY not in sc.proc.output()
    assert all(KEY not in gw.envoy.output() for gw in (gw1, gw2))
    # an entry whose hash is not its own document's is refused
    forged = requests.post(sc.url + "/v1/config", json={"hash": other, "config": {"models": []}},
                           headers=sc.auth, timeout=5)
    assert forged.status_code == 400 and forged.json()["error"]["code"] == "hash_mismatch"
    assert clawgate("config", "show", "nope", "--db", sc.db).returncode == 2
