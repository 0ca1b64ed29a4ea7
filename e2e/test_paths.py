"""Paths through real Envoy + clawgate.wasm: every spelling of a governed
path is governed (a catch-all route would otherwise carry the prompt to a
provider), paths match by suffix under any prefix with `base_path` still
right, an LLM-shaped body on a path clawgate does not govern is refused,
`/health` is the filter's, and every shipped Envoy config normalises."""

import http.client
import json
import os

import harness as h
import pytest
import yaml
from conftest import assert_openai_error, chat, gateway_for, post_json

PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"

CONFIG = {
    "providers": [
        {"name": "openai", "api_key": "sk-openai"},
        {"name": "dashscope", "base_path": "/compatible-mode/v1", "auth_header": "api-key", "api_key": "sk-dash"},
    ],
    "models": [
        {"name": "gpt-4o-mini", "provider": "openai"},
        {"name": "qwen-plus", "provider": "dashscope"},
    ],
    "passthrough_paths": ["/raw/*"],
}

gw = gateway_for(CONFIG)

SPELLINGS = [
    "//v1/chat/completions",
    "/v1//chat/completions",
    "/v1/./chat/completions",
    "/x/../v1/chat/completions",
    "/v1%2Fchat%2Fcompletions",
    "/v1/chat%2fcompletions",
    "/v1/chat/completions;param",
    "/v1;a=b/chat/completions",
    "/V1/CHAT/COMPLETIONS",
    "/v1/Chat/Completions/",
    "/openai/v1/chat/completions",
    "/compatible-mode/v1/chat/completions",
]


def raw_post(gw, path, body, headers=None):
    """POST with the path exactly as given (no client-side normalisation)."""
    c = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=30)
    data = json.dumps(body).encode()
    c.request("POST", path, body=data, headers={"content-type": "application/json", **(headers or {})})
    r = c.getresponse()
    out = (r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read())
    c.close()
    return out


@pytest.mark.parametrize("path", SPELLINGS)
def test_every_spelling_is_scanned(gw, path):
    status, headers, body = raw_post(gw, path, chat(PEM, model="gpt-4o-mini"))
    assert (status, headers.get("x-clawgate-refusal")) == (200, "content_blocked"), body
    assert "private_key_marker" in json.loads(body)["choices"][0]["message"]["content"]
    assert gw.received("openai") == [] and gw.received("dashscope") == []


@pytest.mark.parametrize("path", SPELLINGS)
def test_every_spelling_is_routed_on_one_clean_path(gw, path):
    status, headers, body = raw_post(gw, path, chat("hello", model="gpt-4o-mini"))
    assert status == 200, body
    assert headers["x-gateway-model-used"] == "gpt-4o-mini"
    [got] = gw.received("openai")
    assert got["path"].lower().endswith("/v1/chat/completions")
    assert "//" not in got["path"] and "%" not in got["path"] and ";" not in got["path"]


def test_openai_sdk_with_a_prefixed_base_url_is_governed(gw):
    client = gw.client(prefix="/openai/v1")
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert raw.parse().choices[0].message.content
    assert raw.headers["x-clawgate-route-reason"] == "explicit"
    [got] = gw.received("openai")
    assert got["path"] == "/openai/v1/chat/completions"
    assert got["headers"]["authorization"] == "Bearer sk-openai"
    # base_path replaces the client's prefix; the key goes in `api-key`, no prefix
    client.chat.completions.create(model="qwen-plus", messages=[{"role": "user", "content": "hi"}])
    [got] = gw.received("dashscope")
    assert got["path"] == "/compatible-mode/v1/chat/completions"
    assert got["headers"]["api-key"] == "sk-dash"
    assert "authorization" not in got["headers"], "the client's key is not forwarded"
    refused = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PEM}])
    assert "private_key_marker" in refused.choices[0].message.content


def test_an_llm_shaped_body_on_an_ungoverned_path_is_refused(gw):
    for path, body in [
        ("/v2/llm", chat("hello", model="gpt-4o-mini")),
        ("/api/generate", {"model": "llama3", "prompt": "hello"}),
        ("/v1/some/new/endpoint", {"model": "m", "input": "hello"}),
    ]:
        r = post_json(gw, path, body)
        err = assert_openai_error(r, 403, "ungoverned_path")
        assert "governed" in err["message"]
    assert gw.received("openai") == []
    # anything else passes untouched, and listed paths pass ungoverned
    r = post_json(gw, "/v2/other", {"model": "m", "temperature": 1})
    assert r.status_code == 200 and gw.received("openai")[-1]["path"] == "/v2/other"
    r = post_json(gw, "/raw/chat", chat("hello"))
    assert r.status_code == 200 and gw.received("openai")[-1]["path"] == "/raw/chat"
    assert "x-clawgate-request-id" not in r.headers


def test_images_generations_prompt_is_scanned(gw):
    r = post_json(gw, "/v1/images/generations", {"model": "gpt-4o-mini", "prompt": PEM})
    # no message to answer with: the error form, whatever `risk.refusal` says
    assert_openai_error(r, 400, "content_policy_violation")
    r = post_json(gw, "/v1/images/generations", {"model": "gpt-4o-mini", "prompt": "a cat"})
    assert r.status_code == 200
    assert gw.received("openai")[-1]["path"] == "/v1/images/generations"


@pytest.mark.parametrize("path", ["/v1/images/edits", "/v1/audio/transcriptions", "/openai/v1/audio/translations"])
def test_upload_prompts_are_scanned(gw, path):
    """A multipart upload's text fields (the `prompt`) are read; the file
    parts are not. A prompt a rule acts on is refused: a form is never
    masked or rerouted, so it is not sent at all."""
    import requests
    files = {"file": ("speech.mp3", b"ID3\x00\x01binary-audio", "audio/mpeg"),
             "model": (None, "gpt-4o-mini"), "prompt": (None, f"context: {PEM}")}
    r = requests.post(gw.url + path, files=files, timeout=10)
    err = assert_openai_error(r, 400, "content_policy_violation")
    assert "BEGIN" not in err["message"] and r.headers["x-clawgate-request-id"]
    assert gw.received("openai") == []
    files["prompt"] = (None, "a meeting about the roadmap")
    r = requests.post(gw.url + path, files=files, timeout=10)
    assert r.status_code == 200
    got = gw.received("openai")[-1]
    assert got["path"] == path and "binary-audio" in got["body"], "forwarded untouched"


def test_a_path_that_cannot_be_normalised_is_refused(gw):
    status, _, body = raw_post(gw, "/v1/chat/completions%252F", chat("hello", model="gpt-4o-mini"))
    assert status == 400
    assert json.loads(body)["error"]["code"] == "invalid_path"
    assert gw.received("openai") == []


def test_health_is_answered_by_the_filter(gw):
    import requests

    r = requests.get(gw.url + "/health", timeout=5)
    assert r.status_code == 200
    v = r.json()
    assert v["status"] == "ok" and len(v["config_hash"]) == 16
    assert [m["name"] for m in v["models"]] == ["gpt-4o-mini", "qwen-plus"]
    assert v["fallback"]["on_status"] == [412, 429, 500, 502, 503, 504]
    assert "sk-" not in r.text
    assert gw.received("openai") == []


def test_every_shipped_envoy_config_normalises_paths():
    doc = yaml.safe_load(open(os.path.join(h.ROOT, "envoy", "envoy.yaml")))
    hcms = [f["typed_config"] for lst in doc["static_resources"]["listeners"]
            for fc in lst["filter_chains"] for f in fc["filters"]]
    generated = h.envoy_config(1, 2, {"u": 3}, {})
    hcms += [f["typed_config"] for lst in generated["static_resources"]["listeners"]
             for fc in lst["filter_chains"] for f in fc["filters"]]
    assert len(hcms) == 2
    for hcm in hcms:
        assert hcm["normalize_path"] is True and hcm["merge_slashes"] is True, hcm.get("stat_prefix")
        assert hcm["path_with_escaped_slashes_action"] == "UNESCAPE_AND_FORWARD"
