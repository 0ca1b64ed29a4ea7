"""A full mixed workload (routed, streamed, blocked, secure, masked,
fallback, refused) through real Envoy + clawgate.wasm + the real sidecar
with `payloads: full`, then every output is searched for the keys, the
audit token and the sensitive texts it used: Envoy's log, stats and
Prometheus page, the sidecar's log, metrics, API answers and its database
file, and every answer the clients got. Only the providers (the mock) may
see their key; only the secure model may see what was routed to it."""

import json
import os
import tempfile

import harness as h
import pytest
import requests
from conftest import chat, poll, post_json

PROVIDER_KEY = "sk-live-PROVIDERKEY0123456789abcdef"
SECURE_KEY = "sk-live-SECUREKEY9876543210fedcba"
AUDIT_TOKEN = "audit-TOKEN-5f2c1e9a7b3d"
CLIENT_KEY = "sk-client-CLIENTKEY-ab12cd34ef56"
# matched texts: blocked, masked, and routed to the secure model
PEM_BODY = "MIIEowIBAAKCAQEA7secretPEMbody"
PEM = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----"
EMAIL = "li.si.secret@acme-corp.cn"
SECURE_TEXT = "db at 10.0.77.31 for project"
SECRETS = [PROVIDER_KEY, SECURE_KEY, AUDIT_TOKEN, CLIENT_KEY, PEM_BODY, EMAIL]


@pytest.fixture(scope="module")
def sc():
    sc = h.Sidecar(tempfile.mkdtemp(prefix="clawgate-secrets-"), token=AUDIT_TOKEN)
    yield sc
    sc.stop()


@pytest.fixture(scope="module")
def gw(gateway_factory, sc):
    cfg = {
        "providers": [{"name": "p1", "api_key": PROVIDER_KEY}, {"name": "p2", "api_key": PROVIDER_KEY},
                      {"name": "local", "secure": True, "api_key": SECURE_KEY}],
        "models": [
            {"name": "m1", "provider": "p1", "fallback": ["m2"]},
            {"name": "m2", "provider": "p2"},
            {"name": "secure-m", "provider": "local"},
        ],
        "risk": {"overrides": {"email_address": {"action": "mask"}, "private_ip": {"action": "route_secure_model"}}},
        "identity": {"trace": ["x-trace"]},
        "audit": {"cluster": "clawgate_audit", "token": AUDIT_TOKEN, "flush_interval_ms": 100, "payloads": "full"},
    }
    return gateway_factory(cfg, extra_clusters=[sc.cluster])


def run_workload(gw):
    """Returns every answer the clients got, as text."""
    auth = {"authorization": f"Bearer {CLIENT_KEY}"}
    answers = []

    def post(body, trace, **kw):
        r = post_json(gw, "/v1/chat/completions", body, headers={**auth, "x-trace": trace}, **kw)
        answers.append(json.dumps(dict(r.headers)) + r.text)
        return r

    assert post(chat("hello", model="m1"), "s-routed").status_code == 200
    r = requests.post(gw.url + "/v1/chat/completions", json=chat("stream me", model="m1", stream=True),
                      headers={**auth, "x-trace": "s-stream"}, timeout=30)
    answers.append(json.dumps(dict(r.headers)) + r.text)
    assert r.status_code == 200 and "[DONE]" in r.text
    assert post(chat(f"keep this safe {PEM}", model="m1"), "s-blocked").headers["x-clawgate-refusal"] == "content_blocked"
    assert post(chat(f"mail {EMAIL} please", model="m1"), "s-masked").status_code == 200
    assert post(chat(SECURE_TEXT, model="m1"), "s-secure").status_code == 200
    gw.script("p1", [{"status": 503}])
    r = post(chat("fall back", model="m1"), "s-fallback")
    assert r.status_code == 200 and r.headers["x-gateway-switched"] == "1"
    assert post(chat("x", model="nope"), "s-unknown").status_code == 404
    assert post(None, "s-bad", raw=b'{"model":"m1","x":"' + PROVIDER_KEY.encode()).status_code == 400
    return answers


def test_no_output_holds_a_key_a_token_or_a_matched_secret(gw, sc):
    answers = run_workload(gw)
    traces = ["s-routed", "s-stream", "s-blocked", "s-masked", "s-secure", "s-fallback", "s-unknown", "s-bad"]
    hdr = {"authorization": f"Bearer {AUDIT_TOKEN}"}
    for t in traces:
        got = poll(lambda: requests.get(f"{sc.url}/v1/traces/{t}", headers=hdr, timeout=5).json()["records"], bool, 10)
        assert got, f"no record for {t}"
    records = requests.get(f"{sc.url}/v1/audit", params={"limit": 1000}, headers=hdr, timeout=5).text
    assert json.loads(records)["total"] == len(traces)

    # what each model received is as intended: keys to their providers,
    # the secure text to the secure model only, masked text to nobody
    p1 = json.dumps(gw.received("p1")) + json.dumps(gw.received("p2"))
    local = json.dumps(gw.received("local"))
    assert SECURE_TEXT in local and SECURE_TEXT not in p1
    assert EMAIL not in p1 and PEM_BODY not in p1 + local

    db = os.path.join(sc.workdir, "audit.db")
    db_bytes = b""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            with open(db + suffix, "rb") as f:
                db_bytes += f.read()
    outputs = {
        "envoy log": gw.envoy.output(),
        "envoy stats": requests.get(f"http://127.0.0.1:{gw.admin_port}/stats", timeout=5).text,
        "envoy prometheus": gw.prometheus(),
        "envoy config dump": requests.get(f"http://127.0.0.1:{gw.admin_port}/config_dump", timeout=5).text,
        "sidecar log": sc.proc.output(),
        "sidecar metrics": requests.get(f"{sc.url}/metrics", headers=hdr, timeout=5).text,
        "records": records,
        "sidecar database": db_bytes.decode("latin-1"),
        "client answers": "\n".join(answers),
    }
    # the config dump holds the plugin config as written (with its keys):
    # Envoy's admin page is the operator's, so only the tokens the
    # filter could leak are looked for there
    allowed = {"envoy config dump": {PROVIDER_KEY, SECURE_KEY, AUDIT_TOKEN}}
    leaks = [(where, s) for where, text in outputs.items() for s in SECRETS
             if s in text and s not in allowed.get(where, set())]
    assert leaks == [], leaks
    # the client's authorization header is never stored
    assert "authorization" not in records.lower()
