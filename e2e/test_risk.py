"""Risk rules on prompts through real Envoy: block, secure reroute, mask,
audit-only, fail closed without a secure model, custom rules, and a bad
custom pattern rejected at config load."""

import json

from conftest import chat, envoy_start_error, gateway_for, post_json, refusal_text

PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----"
EMAIL = "alice.smith@acme-corp.com"

CONFIG = {
    "providers": [{"name": "openai"}, {"name": "local", "secure": True}],
    "models": [
        {"name": "gpt-4o", "provider": "openai"},
        {"name": "local-qwen", "provider": "local", "upstream_model": "qwen2.5"},
    ],
    "risk": {
        "overrides": {"cn_mobile_number": {"action": "mask"}},
        "rules": [
            {"id": "project_falcon", "category": "company", "pattern": "(?i)project falcon",
             "action": "route_secure_model", "severity": "high"},
            {"id": "coffee_order", "pattern": "(?i)double espresso", "action": "audit", "severity": "low"},
        ],
    },
    "_rules_": [
        # a route where no secure model exists: sensitive prompts must fail closed
        {"_match_domain_": ["nosecure.test"], "models": [{"name": "gpt-4o", "provider": "openai"}]},
    ],
}


gw = gateway_for(CONFIG)


def test_block_names_rule_never_text(gw):
    r = post_json(gw, "/v1/chat/completions", chat(f"please fix my key\n{PEM}"))
    assert "private_key_marker" in refusal_text(r)
    assert "MIIE" not in r.text and "BEGIN" not in r.text
    assert gw.received("openai") == [] and gw.received("local") == []


def test_secure_reroute_keeps_data_inside(gw):
    r = post_json(gw, "/v1/chat/completions", chat(f"write to {EMAIL} about the renewal"))
    assert r.status_code == 200, r.text
    assert r.headers["x-gateway-model-used"] == "local-qwen"
    assert r.headers["x-clawgate-route-reason"] == "secure"
    assert r.headers["x-clawgate-risk-action"] == "route_secure_model"
    assert gw.received("openai") == []
    [got] = gw.received("local")
    body = json.loads(got["body"])
    assert body["model"] == "qwen2.5"
    assert EMAIL in body["messages"][0]["content"], "secure model gets the real text"


def test_custom_rule_from_config_reroutes(gw):
    r = post_json(gw, "/v1/chat/completions", chat("status of Project Falcon?"))
    assert r.headers["x-gateway-model-used"] == "local-qwen"
    assert gw.received("openai") == []


def test_mask_replaces_spans_in_forwarded_body(gw):
    r = post_json(gw, "/v1/chat/completions", chat("call me on 13812345678 tomorrow"))
    assert r.status_code == 200
    assert r.headers["x-clawgate-risk-action"] == "mask"
    assert r.headers["x-gateway-model-used"] == "gpt-4o"
    [got] = gw.received("openai")
    content = json.loads(got["body"])["messages"][0]["content"]
    assert "13812345678" not in got["body"]
    assert "[MASKED:cn_mobile_number]" in content


def test_timestamp_is_not_a_phone_number(gw):
    r = post_json(gw, "/v1/chat/completions", chat("event at 1732435200123 ms"))
    assert "x-clawgate-risk-action" not in r.headers
    [got] = gw.received("openai")
    assert "1732435200123" in got["body"]


def test_audit_only_forwards_unchanged(gw):
    text = "one double espresso please"
    r = post_json(gw, "/v1/chat/completions", chat(text))
    assert r.status_code == 200
    assert r.headers["x-clawgate-risk-action"] == "audit"
    assert r.headers["x-gateway-model-used"] == "gpt-4o"
    [got] = gw.received("openai")
    assert json.loads(got["body"])["messages"][0]["content"] == text


def test_fail_closed_without_secure_model(gw):
    r = post_json(gw, "/v1/chat/completions", chat(f"mail {EMAIL}"), headers={"host": "nosecure.test"})
    text = refusal_text(r)
    assert "email_address" in text and "secure model" in text, text
    assert EMAIL not in r.text
    assert gw.received("openai") == []


def test_tool_call_arguments_and_responses_input_are_scanned(gw):
    body = {"model": "gpt-4o", "messages": [
        {"role": "assistant", "tool_calls": [{"id": "1", "type": "function",
                                              "function": {"name": "f", "arguments": json.dumps({"k": PEM})}}]},
        {"role": "user", "content": "continue"}]}
    assert "private_key_marker" in refusal_text(post_json(gw, "/v1/chat/completions", body))
    r = post_json(gw, "/v1/responses", {"model": "gpt-4o", "input": PEM})
    assert "private_key_marker" in refusal_text(r)
    assert gw.received("openai") == []


def test_bad_custom_pattern_rejects_config():
    bad = dict(CONFIG, risk={"rules": [{"id": "broken", "pattern": "(unclosed", "action": "block"}]})
    bad.pop("_rules_")
    assert "risk.rules[0].pattern" in envoy_start_error(bad, ["openai", "local"])
