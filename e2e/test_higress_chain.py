"""clawgate in the plugin chain Higress users run, with Higress's real
plugin binaries: ai-data-masking before it, ai-statistics and ai-proxy
after it, an audit sidecar whose token reaches the filter through the VM
environment (WasmPlugin vmConfig.env / Envoy environment_variables)."""

import json

import harness as h
import higress_chain as hc
import pytest
import requests
from conftest import envoy_start_error, poll, refusal_text

OPENAI = "outbound|443||llm-openai.internal.dns"
LOCAL = "outbound|8000||qwen.ai.svc.cluster.local"
TOKEN = "sidecar-token-from-a-secret"

CONFIG = {
    "providers": [
        {"name": "openai", "cluster": OPENAI, "host": "api.openai.com"},
        {"name": "local", "cluster": LOCAL, "secure": True},
    ],
    "models": [
        {"name": "gpt-4o", "provider": "openai", "upstream_model": "gpt-4o-2024-08-06"},
        {"name": "local-qwen", "provider": "local", "upstream_model": "qwen2.5-72b"},
    ],
    "audit": {"cluster": "clawgate_audit", "token_env": "CLAWGATE_AUDIT_TOKEN", "flush_interval_ms": 200},
    # one domain where clawgate emits the ai-statistics family itself too
    "_rules_": [{"_match_domain_": ["emit.example.com"], "metrics": {"ai_statistics": "emit"}}],
}
MASKING = {"deny_openai": True, "deny_words": ["forbiddenword"],
           "replace_roles": [{"regex": "1[3-9][0-9]{9}", "type": "replace", "value": "[PHONE]"}]}
AI_PROXY = {"provider": {"type": "openai", "apiTokens": ["sk-aiproxy"]}}
UPSTREAM_MODEL = "gpt-4o-2024-08-06"


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    if not hc.available():
        pytest.fail("Higress plugin binaries missing: run `make higress-plugins`")
    workdir = str(tmp_path_factory.mktemp("higress-chain"))
    sc = h.Sidecar(workdir, token=TOKEN)
    ch = hc.start_chain(
        workdir, CONFIG,
        before=[hc.higress_plugin("ai-data-masking", MASKING)],
        after=[hc.higress_plugin("ai-statistics", {}), hc.higress_plugin("gpustack-ai-proxy", AI_PROXY)],
        upstreams=[OPENAI, LOCAL], extra_clusters=[sc.cluster],
        env={"CLAWGATE_AUDIT_TOKEN": TOKEN}, vm_env_keys=["CLAWGATE_AUDIT_TOKEN"])
    ch.sidecar = sc
    yield ch
    ch.stop()
    sc.stop()


@pytest.fixture(autouse=True)
def clean(request):
    if "chain" in request.fixturenames:
        request.getfixturevalue("chain").reset()


def chat(chain, content, consumer="alice", stream=False, host=None, model="gpt-4o"):
    headers = {"x-mse-consumer": consumer}
    if host:
        headers["host"] = host
    body = {"model": model, "messages": [{"role": "user", "content": content}], "stream": stream}
    r = requests.post(chain.url + "/v1/chat/completions", json=body, headers=headers, timeout=30)
    if stream:
        r.content  # drain
    return r


def ai_series(chain, metric, consumer):
    return {k: v for k, v in chain.stats().items()
            if k.endswith(f".metric.{metric}") and f".consumer.{consumer}." in k}


def settled(chain, metric, consumer, want):
    """The series once they reach `want` and clawgate's per-second counter
    flush has had its chance to add to them."""
    poll(lambda: sum(ai_series(chain, metric, consumer).values()), lambda s: s >= want, timeout=10)
    poll(lambda: None, lambda _: False, timeout=1.5)
    return ai_series(chain, metric, consumer)


def log_of(chain, request_id):
    def find():
        for line in chain.access_log():
            if line["ai_log"] not in ("", "-"):
                # the line is JSON; the escaped ai_log inside it is JSON again
                ai_log = json.loads(line["ai_log"])
                if ai_log.get("clawgate_request_id") == request_id:
                    return dict(line, ai_log=ai_log)
        return None
    return poll(find, lambda x: x is not None, timeout=5)


def test_tokens_are_counted_once_beside_ai_statistics(chain):
    for stream in (False, False, True):
        r = chat(chain, "hello there", consumer="alice", stream=stream)
        assert r.status_code == 200, r.text
    series = settled(chain, "input_token", "alice", 3 * 11)
    assert sum(series.values()) == 3 * 11, f"each prompt token once: {series}"
    for name in series:
        assert f".model.{UPSTREAM_MODEL}.consumer.alice." in name, name
    counts = settled(chain, "llm_duration_count", "alice", 3)
    assert sum(counts.values()) == 3, counts


def test_emitting_the_family_too_uses_ai_statistics_model_and_consumer(chain):
    r = chat(chain, "hello there", consumer="bob", host="emit.example.com")
    assert r.status_code == 200, r.text
    series = settled(chain, "input_token", "bob", 2 * 11)
    # ai-statistics' series and clawgate's: the same model and consumer
    # labels (pip Envoy lacks Higress's bare route_name/cluster_name
    # attributes, so ai-statistics writes `-` for those two here)
    assert len(series) == 2 and set(series.values()) == {11}, series
    for name in series:
        assert f".model.{UPSTREAM_MODEL}.consumer.bob.metric." in name, name
    assert any(f".upstream.{OPENAI}." in n for n in series), series
    counts = settled(chain, "llm_duration_count", "bob", 2)
    assert sorted(counts.values()) == [1, 1], counts


def test_ai_log_holds_both_plugins_keys_and_span_tags(chain):
    r = chat(chain, "hello there", consumer="carol")
    assert r.status_code == 200, r.text
    line = log_of(chain, r.headers["x-clawgate-request-id"])
    assert line, chain.access_log()
    ai_log = line["ai_log"]
    assert ai_log["input_token"] == 11 and ai_log["model"] == UPSTREAM_MODEL, ai_log  # ai-statistics'
    assert ai_log["clawgate_route_reason"] == "explicit" and ai_log["clawgate_model"] == "gpt-4o", ai_log
    assert ai_log["clawgate_provider"] == "openai" and ai_log["clawgate_attempts"] == 1, ai_log
    assert line["route_reason_tag"] == "explicit"
    assert line["model_tag"] == UPSTREAM_MODEL


def test_ai_proxy_receives_clawgates_model_and_holds_the_key(chain):
    r = chat(chain, "hello there")
    assert r.status_code == 200, r.text
    got = chain.received(OPENAI)
    assert len(got) == 1
    assert json.loads(got[0]["body"])["model"] == UPSTREAM_MODEL
    assert got[0]["headers"]["authorization"] == "Bearer sk-aiproxy", "ai-proxy injected its key"


def test_a_block_never_reaches_the_provider_through_ai_proxy(chain):
    secret = "-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA"
    r = chat(chain, f"please debug {secret}")
    assert "private_key_marker" in refusal_text(r)
    assert chain.received(OPENAI) == [] and chain.received(LOCAL) == []
    # the local reply ends the stream: logged at once, nothing left open
    line = log_of(chain, r.headers["x-clawgate-request-id"])
    assert line and line["code"] == "200", chain.access_log()
    ai_log = line["ai_log"]
    assert ai_log["clawgate_error"] == "content_blocked" and ai_log["clawgate_risk_action"] == "block", ai_log
    assert ai_log["clawgate_risk_rules"] == "private_key_marker", ai_log
    assert "clawgate_provider" not in ai_log and "input_token" not in ai_log, ai_log
    active = poll(lambda: chain.stats().get("http.llm.downstream_rq_active"), lambda n: n == 0, timeout=5)
    assert active == 0, active


def test_a_secure_reroute_holds_through_ai_proxy(chain):
    r = chat(chain, "mail the report to alice@acme-corp.cn")
    assert r.status_code == 200, r.text
    assert r.headers["x-clawgate-route-reason"] == "secure"
    assert chain.received(OPENAI) == []
    got = chain.received(LOCAL)
    assert len(got) == 1 and json.loads(got[0]["body"])["model"] == "qwen2.5-72b"


def test_ai_data_masking_runs_first_and_clawgate_sees_its_result(chain):
    r = chat(chain, "call me on 13800138000")
    assert r.status_code == 200, r.text
    assert "x-clawgate-risk-action" not in r.headers, "the number was masked before clawgate scanned"
    got = chain.received(OPENAI)
    assert len(got) == 1
    body = json.loads(got[0]["body"])
    assert body["model"] == UPSTREAM_MODEL and "[PHONE]" in body["messages"][0]["content"]
    denied = chat(chain, "say forbiddenword")
    assert denied.status_code == 200 and "x-clawgate-request-id" not in denied.headers
    assert len(chain.received(OPENAI)) == 1, "ai-data-masking answered itself"


def test_the_audit_token_comes_from_the_vm_environment(chain):
    r = chat(chain, "hello there", consumer="dave")
    assert r.status_code == 200, r.text
    rid = r.headers["x-clawgate-request-id"]
    got = poll(lambda: chain.sidecar.get(f"/v1/audit/{rid}"),
               lambda x: x.status_code == 200, timeout=10)
    assert got.status_code == 200, "the sidecar took the batch: the token was read from the environment"
    assert got.json()["user"] == "dave"


def test_an_unset_token_env_refuses_the_config():
    cfg = {"providers": [{"name": "openai"}],
           "audit": {"token_env": "CLAWGATE_TOKEN_THAT_IS_NOT_SET"}}
    err = envoy_start_error(cfg, ["openai"])
    assert "CLAWGATE_TOKEN_THAT_IS_NOT_SET" in err, err
