"""Content refusals through real Envoy + clawgate.wasm, read by the official
`openai` and `anthropic` SDKs (their stream helpers check event order):
both forms of `risk.refusal` in OpenAI chat, the Responses API and
Anthropic Messages, streamed and not. Never 401/403 (agents read those as
a bad key), one request per refused turn (the SDKs retry nothing), the
rule named and never the text, and nothing sent upstream."""

import http.client
import json

import anthropic
import openai
import pytest
from conftest import gateway_for, post_json, refusal_text, stat_sum

PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----"
ASK = f"why does ssh reject this key?\n{PEM}"

CONFIG = {
    "providers": [{"name": "openai", "protocols": ["openai", "anthropic"]}],
    "models": [{"name": "gpt-4o", "provider": "openai"}],
    # the default form is `message`; this host gets the error form
    "_rules_": [{"_match_domain_": ["error.test"], "risk": {"refusal": "error"}}],
}

gw = gateway_for(CONFIG)

HOSTS = {"message": None, "error": "error.test"}


def headers(form):
    return {"host": HOSTS[form]} if HOSTS[form] else {}


def openai_client(gw, form):
    # the SDK's own retry policy, as an agent runs it
    return openai.OpenAI(base_url=gw.url + "/v1", api_key="client-key", timeout=30,
                         default_headers=headers(form))


def anthropic_client(gw, form):
    return anthropic.Anthropic(base_url=gw.url, api_key="client-key", timeout=30,
                               default_headers=headers(form))


def chat_turn(gw, form, stream):
    c = openai_client(gw, form)
    msgs = [{"role": "user", "content": ASK}]
    if not stream:
        return c.chat.completions.create(model="gpt-4o", messages=msgs).choices[0].message.content
    text, finish = "", None
    for chunk in c.chat.completions.create(model="gpt-4o", messages=msgs, stream=True,
                                           stream_options={"include_usage": True}):
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
            finish = chunk.choices[0].finish_reason or finish
    assert finish == "stop"
    return text


def responses_turn(gw, form, stream):
    c = openai_client(gw, form)
    if not stream:
        r = c.responses.create(model="gpt-4o", input=ASK)
        assert r.status == "completed" and r.usage.total_tokens == 0
        return r.output_text
    with c.responses.stream(model="gpt-4o", input=ASK) as s:
        deltas = "".join(e.delta for e in s if e.type == "response.output_text.delta")
        final = s.get_final_response()
    assert final.status == "completed" and final.output_text == deltas
    return deltas


def messages_turn(gw, form, stream):
    c = anthropic_client(gw, form)
    msgs = [{"role": "user", "content": ASK}]
    if not stream:
        m = c.messages.create(model="gpt-4o", max_tokens=64, messages=msgs)
        assert m.stop_reason == "end_turn" and m.usage.output_tokens == 0
        return m.content[0].text
    with c.messages.stream(model="gpt-4o", max_tokens=64, messages=msgs) as s:
        deltas = "".join(s.text_stream)
        final = s.get_final_message()
    assert final.stop_reason == "end_turn" and final.content[0].text == deltas
    return deltas


TURNS = {"chat": chat_turn, "responses": responses_turn, "messages": messages_turn}


def requests_seen(gw):
    return stat_sum(gw, "http.llm.downstream_rq_total")


@pytest.mark.parametrize("stream", [False, True], ids=["json", "sse"])
@pytest.mark.parametrize("wire", list(TURNS))
def test_the_message_form_is_the_models_answer(gw, wire, stream):
    before = requests_seen(gw)
    text = TURNS[wire](gw, "message", stream)
    assert "private_key_marker" in text and "send the request again" in text, text
    assert "MIIE" not in text and "BEGIN" not in text
    assert requests_seen(gw) - before == 1, "one request per refused turn"
    assert gw.received("openai") == []


@pytest.mark.parametrize("stream", [False, True], ids=["json", "sse"])
@pytest.mark.parametrize("wire", list(TURNS))
def test_the_error_form_is_a_content_policy_400(gw, wire, stream):
    before = requests_seen(gw)
    with pytest.raises((openai.BadRequestError, anthropic.BadRequestError)) as e:
        TURNS[wire](gw, "error", stream)
    err = e.value
    assert err.status_code == 400
    body = err.body if wire == "messages" else {"error": err.body}
    assert body["error"]["type"] == "invalid_request_error", body
    if wire != "messages":
        assert body["error"]["code"] == "content_policy_violation", body
    assert "private_key_marker" in body["error"]["message"] and "MIIE" not in json.dumps(body)
    assert requests_seen(gw) - before == 1, "the SDKs do not retry a 400"
    assert gw.received("openai") == []


def test_the_message_form_is_marked_and_ends_its_stream(gw):
    body = {"model": "gpt-4o", "stream": True, "messages": [{"role": "user", "content": ASK}]}
    r = post_json(gw, "/v1/chat/completions", body)
    assert r.headers["content-type"] == "text/event-stream"
    assert r.text.endswith("data: [DONE]\n\n")
    assert "private_key_marker" in refusal_text(r)
    r = post_json(gw, "/v1/responses", {**body, "input": ASK})
    assert r.text.rstrip().splitlines()[-2] == "event: response.completed"
    r = post_json(gw, "/v1/messages", {**body, "max_tokens": 8})
    assert r.text.rstrip().splitlines()[-2] == "event: message_stop"
    assert gw.received("openai") == []


@pytest.mark.parametrize("form", ["message", "error"])
def test_the_connection_stays_open_after_a_refusal(gw, form):
    """Envoy closes an HTTP/1 connection after some local replies; count
    whether a refusal costs the client a reconnect."""
    c = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=10)
    hdrs = {"content-type": "application/json", **headers(form)}
    c.request("POST", "/v1/chat/completions", body=json.dumps(
        {"model": "gpt-4o", "messages": [{"role": "user", "content": ASK}]}), headers=hdrs)
    r = c.getresponse()
    r.read()
    assert r.status == {"message": 200, "error": 400}[form]
    closed = (r.getheader("connection") or "").lower() == "close"
    # measured: Envoy closes HTTP/1 after a local 400, never after the 200
    assert closed == (form == "error"), r.getheaders()
    c.request("POST", "/v1/chat/completions", body=json.dumps(
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}), headers=hdrs)
    assert c.getresponse().status == 200, "the next clean turn goes through (http.client reconnects if closed)"
    c.close()
