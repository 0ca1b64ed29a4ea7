"""No ungoverned byte (issue #28), through real Envoy + clawgate.wasm whose
catch-all route leads to a provider: a secret a `block` rule catches in
plain form is refused wherever a prompt rides: the newest tool results
under `scan: last_user`, skip-listed names inside a tool's input or out of
the place the API gives them, the query string, and a compressed body."""

import gzip
import json
import zlib

import pytest
import requests
from conftest import assert_openai_error, gateway_for, post_json, refusal_text

# an API key of Google's documented form (made up): `api_key_like` blocks it
KEY = "AIza" + "SyD4k9Qx2Lm7Vt1Rb8Nw3Hc6Jp0Fe5Gu2Zs"

CONFIG = {
    "providers": [
        {"name": "openai", "api_key": "sk-openai-provider"},
        {"name": "anthropic", "auth_header": "x-api-key", "protocols": ["anthropic"]},
    ],
    "models": [
        {"name": "gpt-4o", "provider": "openai"},
        {"name": "claude", "provider": "anthropic"},
    ],
    "risk": {"scan": "last_user"},
    "passthrough_paths": ["/raw/*"],
}

gw = gateway_for(CONFIG)


def nothing_sent(gw):
    return gw.received("openai") == [] and gw.received("anthropic") == []


def tool_turn_chat():
    return {"model": "gpt-4o", "messages": [
        {"role": "user", "content": "read the config file"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "read_file", "arguments": "{\"path\":\".env\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": f"GOOGLE_API_KEY={KEY}"},
    ]}


def tool_turn_responses():
    return {"model": "gpt-4o", "input": [
        {"role": "user", "content": "read the config file"},
        {"type": "function_call", "call_id": "call_1", "name": "read_file", "arguments": "{\"path\":\".env\"}"},
        {"type": "function_call_output", "call_id": "call_1", "output": f"GOOGLE_API_KEY={KEY}"},
    ]}


def tool_turn_anthropic():
    return {"model": "claude", "max_tokens": 64, "messages": [
        {"role": "user", "content": "read the config file"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "tu_1", "name": "read_file", "input": {"path": ".env"}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "tu_1", "content": f"GOOGLE_API_KEY={KEY}"}]},
        # a second user message in the same turn (the API merges them)
        {"role": "user", "content": "go on"},
    ]}


TOOL_TURNS = [
    ("/v1/chat/completions", tool_turn_chat),
    ("/v1/responses", tool_turn_responses),
    ("/v1/messages", tool_turn_anthropic),
]


@pytest.mark.parametrize("path,body", TOOL_TURNS, ids=["chat", "responses", "anthropic"])
def test_last_user_reads_the_newest_tool_results(gw, path, body):
    r = post_json(gw, path, body())
    assert "api_key_like" in refusal_text(r)
    assert KEY not in r.text
    assert nothing_sent(gw)


@pytest.mark.parametrize("path,body", TOOL_TURNS, ids=["chat", "responses", "anthropic"])
def test_last_user_leaves_the_history_alone(gw, path, body):
    """The same key one turn back is history: `last_user` does not read it."""
    b = body()
    key = "messages" if "messages" in b else "input"
    b[key] += [{"role": "assistant", "content": "done"}, {"role": "user", "content": "thanks"}]
    r = post_json(gw, path, b)
    assert r.status_code == 200 and "x-clawgate-refusal" not in r.headers, r.text
    assert not nothing_sent(gw)


@pytest.fixture(scope="module")
def gw_all(gateway_factory):
    """The same gateway reading every message (`all_messages`, the default)."""
    return gateway_factory({**CONFIG, "risk": {}})


@pytest.mark.parametrize("field", ["data", "format", "user", "upload_id"])
def test_skip_listed_names_inside_a_tool_input_are_scanned(gw_all, field):
    gw_all.reset()
    tool_use = {"type": "tool_use", "id": "tu_1", "name": "write_secret", "input": {"nested": [{field: KEY}]}}
    body = {"model": "claude", "max_tokens": 64, "messages": [
        {"role": "user", "content": "store it"},
        {"role": "assistant", "content": [tool_use]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "tu_1", "content": "ok"}]},
    ]}
    r = post_json(gw_all, "/v1/messages", body)
    assert "api_key_like" in refusal_text(r)
    assert nothing_sent(gw_all)
    # the API's own `id` beside it stays an id
    tool_use["input"] = {"nested": [{field: "plain words"}]}
    tool_use["id"] = KEY
    r = post_json(gw_all, "/v1/messages", body)
    assert r.status_code == 200 and "x-clawgate-refusal" not in r.headers, r.text


@pytest.mark.parametrize("query", [f"?key={KEY}", f"?alt=json&key=%41{KEY[1:]}"], ids=["plain", "escaped"])
def test_the_query_string_is_read_by_the_block_rules(gw, query):
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]}
    r = post_json(gw, "/v1/chat/completions" + query, body)
    assert "api_key_like" in refusal_text(r)
    assert KEY not in r.text
    assert nothing_sent(gw)
    r = post_json(gw, "/v1/chat/completions?alt=json", body)
    assert r.status_code == 200 and "x-clawgate-refusal" not in r.headers, r.text
    [got] = gw.received("openai")
    assert got["path"].endswith("/v1/chat/completions?alt=json")


ENCODED = [
    ("/v1/chat/completions", "gzip", gzip.compress),
    ("/v1/messages", "deflate", zlib.compress),
    ("/api/chat", "gzip", gzip.compress),
    ("/api/generate", "deflate", zlib.compress),
]


@pytest.mark.parametrize("path,coding,compress", ENCODED, ids=[f"{p} {c}" for p, c, _ in ENCODED])
def test_a_compressed_body_is_refused_not_forwarded_unread(gw, path, coding, compress):
    model = "claude" if path == "/v1/messages" else "gpt-4o"
    body = {"model": model, "max_tokens": 64, "prompt": f"use {KEY}",
            "messages": [{"role": "user", "content": f"use {KEY}"}]}
    r = post_json(gw, path, None, raw=compress(json.dumps(body).encode()),
                  headers={"content-encoding": coding})
    if path == "/v1/messages":
        assert r.status_code == 415 and r.json()["type"] == "error", r.text
        assert r.json()["error"]["type"] == "invalid_request_error"
    else:
        err = assert_openai_error(r, 415, "unsupported_media_type")
        assert "Content-Encoding" in err["message"]
    assert nothing_sent(gw)


def test_a_compressed_body_on_any_path_clawgate_reads_is_refused(gw):
    """An ungoverned path is sniffed for LLM-shaped bodies; a compressed
    body cannot be sniffed, so it is refused there too (list the path in
    `passthrough_paths` to let it through); `identity` is no encoding."""
    r = post_json(gw, "/v2/other", None, raw=gzip.compress(b'{"temperature": 1}'),
                  headers={"content-encoding": "gzip"})
    assert_openai_error(r, 415, "unsupported_media_type")
    r = requests.post(gw.url + "/v2/other", data=b"plain", headers={"content-encoding": "identity"}, timeout=10)
    assert r.status_code == 200 and gw.received("openai")[-1]["path"] == "/v2/other"


VENDOR_SHAPES = [
    ("gemini", "/v1beta/models/gemini-2.0-flash:generateContent",
     {"contents": [{"role": "user", "parts": [{"text": f"use {KEY}"}]}]}),
    ("cohere", "/v1/chat", {"model": "command-r", "message": f"use {KEY}", "chat_history": []}),
    ("bedrock converse", "/model/anthropic.claude-3-5-sonnet/converse",
     {"messages": [{"role": "user", "content": [{"text": f"use {KEY}"}]}], "system": [{"text": "be brief"}]}),
]


@pytest.mark.parametrize("path,body", [v[1:] for v in VENDOR_SHAPES], ids=[v[0] for v in VENDOR_SHAPES])
def test_other_vendors_call_shapes_on_ungoverned_paths_are_refused(gw, path, body):
    r = post_json(gw, path, body)
    assert_openai_error(r, 403, "ungoverned_path")
    assert nothing_sent(gw)


BATCH_LINE = json.dumps({"custom_id": "1", "method": "POST", "url": "/v1/chat/completions",
                         "body": {"model": "gpt-4o", "messages": [{"role": "user", "content": f"use {KEY}"}]}})
SURFACES = [
    ("batches", "/v1/batches", {"input_file_id": "file-1", "endpoint": "/v1/chat/completions", "completion_window": "24h"}),
    ("conversation items", "/v1/conversations/conv_1/items",
     {"items": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": f"use {KEY}"}]}]}),
    ("assistants", "/v1/assistants", {"model": "gpt-4o", "instructions": f"use {KEY}"}),
    ("thread runs", "/v1/threads/runs", {"assistant_id": "asst_1", "additional_instructions": f"use {KEY}"}),
    ("realtime session", "/v1/realtime/sessions", {"model": "gpt-4o-realtime-preview", "instructions": f"use {KEY}"}),
    ("realtime client secret", "/v1/realtime/client_secrets", {"session": {"type": "realtime", "instructions": f"use {KEY}"}}),
    ("moderations", "/v1/moderations", {"input": f"use {KEY}"}),
]


@pytest.mark.parametrize("path,body", [s[1:] for s in SURFACES], ids=[s[0] for s in SURFACES])
def test_openai_apis_that_carry_prompts_are_refused(gw, path, body):
    r = post_json(gw, path, body)
    err = assert_openai_error(r, 403, "ungoverned_path")
    assert "passthrough_paths" in err["message"] and KEY not in r.text
    assert nothing_sent(gw)


def test_a_batch_file_upload_is_refused_unless_passed_through(gw):
    files = {"purpose": (None, "batch"), "file": ("batch.jsonl", BATCH_LINE.encode() + b"\n", "application/jsonl")}
    r = requests.post(gw.url + "/v1/files", files=files, timeout=10)
    assert_openai_error(r, 403, "ungoverned_path")
    assert nothing_sent(gw)
    # reading a file back sends no prompt; a listed path is the operator's call
    assert requests.get(gw.url + "/v1/files/file-1/content", timeout=10).status_code == 200
    r = requests.post(gw.url + "/raw/v1/files", files=files, timeout=10)
    assert r.status_code == 200 and gw.received("openai")[-1]["path"] == "/raw/v1/files"


def form(*parts, boundary="BOUNDARY", end="\r\n"):
    """A multipart body from raw parts, joined exactly as given."""
    body = "".join(f"--{boundary}\r\n{p}\r\n" for p in parts) + f"--{boundary}--{end}"
    return body.encode(), {"content-type": f"multipart/form-data; boundary={boundary}"}


def test_a_boundary_inside_a_prompt_line_does_not_hide_the_rest(gw):
    """RFC 2046: a boundary delimits only at a line start. A prompt with
    `--BOUNDARY` mid-line is one field to a standard parser, key and all."""
    hidden = f'a cat --BOUNDARY\r\nContent-Disposition: form-data; name="x"; filename="x.png"\r\n\r\n{KEY}'
    body, headers = form('Content-Disposition: form-data; name="model"\r\n\r\ngpt-4o',
                         f'Content-Disposition: form-data; name="prompt"\r\n\r\n{hidden}',
                         'Content-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG')
    r = requests.post(gw.url + "/v1/images/edits", data=body, headers=headers, timeout=10)
    err = assert_openai_error(r, 400, "content_policy_violation")
    assert "api_key_like" in err["message"] and KEY not in r.text
    assert nothing_sent(gw)


def test_a_form_parsers_could_split_differently_is_refused(gw):
    # a bare LF before a boundary line: a lenient parser starts a new part there
    lf = f'x\n--BOUNDARY\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n{KEY}'
    body, headers = form('Content-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n' + lf)
    r = requests.post(gw.url + "/v1/images/edits", data=body, headers=headers, timeout=10)
    err = assert_openai_error(r, 400, "invalid_body")
    assert "ambiguous" in err["message"]
    assert nothing_sent(gw)
    # a clean form still goes through untouched
    body, headers = form('Content-Disposition: form-data; name="prompt"\r\n\r\na red boat')
    r = requests.post(gw.url + "/v1/images/edits", data=body, headers=headers, timeout=10)
    assert r.status_code == 200 and gw.received("openai")[-1]["path"] == "/v1/images/edits"


# --- second pass (#28): the bypasses a hostile tenant tries next ---------------

def leaked(gw):
    """Whether the key reached any provider, anywhere in what it received."""
    return any(KEY in json.dumps(r) for u in ("openai", "anthropic") for r in gw.received(u))


SCHEMA_SPOTS = [
    ("chat tool schema", "/v1/chat/completions", lambda v: {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
     "tools": [{"type": "function", "function": {"name": "f", "parameters": {
         "type": "object", "properties": {"x": {"type": "string", "format": v}}}}}]}),
    ("response_format schema", "/v1/chat/completions", lambda v: {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
     "response_format": {"type": "json_schema", "json_schema": {"name": "s", "schema": {"type": "object", "id": v}}}}),
    ("anthropic input_schema", "/v1/messages", lambda v: {"model": "claude", "max_tokens": 64,
     "messages": [{"role": "user", "content": "hi"}],
     "tools": [{"name": "f", "input_schema": {"type": "object", "properties": {"data": {"type": "string", "format": v}}}}]}),
    ("responses tool schema", "/v1/responses", lambda v: {"model": "gpt-4o", "input": "hi",
     "tools": [{"type": "function", "name": "f", "parameters": {"type": "object", "properties": {"u": {"type": "string", "format": v}}}}]}),
    ("chat metadata", "/v1/chat/completions", lambda v: {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
     "store": True, "metadata": {"data": v}}),
]


@pytest.mark.parametrize("path,body", [s[1:] for s in SCHEMA_SPOTS], ids=[s[0] for s in SCHEMA_SPOTS])
def test_skip_listed_names_inside_schemas_and_metadata_are_scanned(gw, path, body):
    r = post_json(gw, path, body(KEY))
    assert "api_key_like" in refusal_text(r)
    assert not leaked(gw)
    r = post_json(gw, path, body("date-time"))
    assert r.status_code == 200 and "x-clawgate-refusal" not in r.headers, r.text


NESTED = [
    ("wrapped", {"request": {"model": "gpt-4o", "messages": [{"role": "user", "content": f"use {KEY}"}]}}),
    ("array", [{"model": "gpt-4o", "messages": [{"role": "user", "content": f"use {KEY}"}]}]),
    ("gemini batch", {"batch": {"input_config": {"requests": {"requests": [
        {"request": {"contents": [{"parts": [{"text": f"use {KEY}"}]}]}}]}}}}),
    ("wrapped gemini", {"requests": [{"contents": [{"role": "user", "parts": [{"text": f"use {KEY}"}]}]}]}),
]


@pytest.mark.parametrize("body", [n[1] for n in NESTED], ids=[n[0] for n in NESTED])
def test_a_call_shape_nested_or_batched_on_an_ungoverned_path_is_refused(gw, body):
    r = post_json(gw, "/v1beta/models/gemini-2.0-flash:batchGenerateContent", body)
    assert_openai_error(r, 403, "ungoverned_path")
    assert not leaked(gw)


def upload(gw, body, ct):
    return requests.post(gw.url + "/v1/images/edits", data=body, headers={"content-type": ct}, timeout=10)


def test_a_form_with_two_boundaries_is_refused(gw):
    body = (f'--B\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nuse {KEY}\r\n--B--\r\n').encode()
    r = upload(gw, body, "multipart/form-data; boundary=A; boundary=B")
    assert_openai_error(r, 400, "invalid_body")
    assert not leaked(gw)


def test_a_form_without_a_readable_boundary_is_refused(gw):
    body = (f'--B\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nuse {KEY}\r\n--B--\r\n').encode()
    for ct in ["multipart/form-data", "multipart/form-data; boundary*=B", "multipart/form-data; boundary=A"]:
        r = upload(gw, body, ct)
        assert r.status_code == 400, (ct, r.text)
    assert not leaked(gw)


@pytest.mark.parametrize("head", [
    'Content-Disposition: form-data; name="prompt"; x="; filename=a"',
    'Content-Disposition: form-data; name="prompt"; odd',
    'Content-Disposition: form-data; name="image"; name="prompt"',
    'Content-Disposition: form-data; name="image"; filename="a"\r\nContent-Disposition: form-data; name="prompt"',
], ids=["quoted semicolon", "bare param", "two names", "two dispositions"])
def test_a_text_part_disguised_as_a_file_is_read_or_refused(gw, head):
    body, headers = form(f"{head}\r\n\r\nuse {KEY}")
    r = requests.post(gw.url + "/v1/images/edits", data=body, headers=headers, timeout=10)
    assert r.status_code in (200, 400), r.text
    if r.status_code == 200:
        assert "api_key_like" in r.text
    assert not leaked(gw)


@pytest.mark.parametrize("cte,text", [
    ("base64", __import__("base64").b64encode(f"use {KEY}".encode()).decode()),
    ("quoted-printable", "use " + "".join(f"={b:02X}" for b in KEY.encode())),
])
def test_a_text_part_with_a_transfer_encoding_is_refused(gw, cte, text):
    body, headers = form(f'Content-Disposition: form-data; name="prompt"\r\nContent-Transfer-Encoding: {cte}\r\n\r\n{text}')
    r = requests.post(gw.url + "/v1/images/edits", data=body, headers=headers, timeout=10)
    assert_openai_error(r, 400, "invalid_body")
    assert nothing_sent(gw)


def test_a_key_in_the_path_prefix_is_read(gw):
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]}
    r = post_json(gw, f"/{KEY}/v1/chat/completions", body)
    assert "api_key_like" in refusal_text(r)
    assert not leaked(gw)


def raw_http(gw, head, body=b""):
    """One request written by hand (headers Python's clients would not send)."""
    import socket
    with socket.create_connection(("127.0.0.1", gw.port), timeout=10) as s:
        s.sendall(head.encode() + b"\r\n" + body)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out.decode(errors="replace")


@pytest.mark.parametrize("codings", [["GZIP"], ["gzip, identity"], ["identity, gzip"], ["identity", "gzip"], [" br "]],
                         ids=["upper", "gzip+identity", "identity+gzip", "two headers", "padded"])
def test_every_spelling_of_a_coding_is_refused(gw, codings):
    body = gzip.compress(json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": f"use {KEY}"}]}).encode())
    for path in ["/v1/chat/completions", "/api/chat"]:
        head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
        head += "".join(f"Content-Encoding: {c}\r\n" for c in codings)
        out = raw_http(gw, head, body)
        assert out.startswith("HTTP/1.1 415"), out[:200]
    assert nothing_sent(gw)


def test_a_transfer_coding_other_than_chunked_never_reaches_a_provider(gw):
    body = gzip.compress(json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": f"use {KEY}"}]}).encode())
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    for path in ["/v1/chat/completions", "/api/chat"]:
        head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n"
        out = raw_http(gw, head, chunked)
        assert not out.startswith("HTTP/1.1 200"), out[:200]
    assert nothing_sent(gw)


def test_anthropic_message_batches_are_refused(gw):
    body = {"requests": [{"custom_id": "1", "params": {"model": "claude", "max_tokens": 9,
                                                       "messages": [{"role": "user", "content": f"use {KEY}"}]}}]}
    r = post_json(gw, "/v1/messages/batches", body)
    assert_openai_error(r, 403, "ungoverned_path")
    assert not leaked(gw)


def test_a_websocket_upgrade_to_any_unlisted_path_is_refused(gw):
    """Gemini Live (and any other model socket) carries prompts in frames
    the filter cannot read."""
    for path in ["/v1/realtime?model=gpt-4o-realtime", "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"]:
        head = (f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
        out = raw_http(gw, head + "Content-Length: 0\r\n")
        assert out.startswith("HTTP/1.1 403"), (path, out[:300])
        assert "ungoverned_path" in out
    assert nothing_sent(gw)


def test_a_thread_message_on_a_governed_suffix_is_not_forwarded_unread(gw):
    """`/v1/threads/t/messages` ends like Anthropic's endpoint."""
    r = post_json(gw, "/v1/threads/thread_1/messages", {"role": "user", "content": f"use {KEY}"})
    assert r.status_code != 200 or "x-clawgate-refusal" in r.headers, r.text
    assert not leaked(gw)


def test_a_video_prompt_in_a_form_is_refused(gw):
    body, headers = form('Content-Disposition: form-data; name="model"\r\n\r\nsora-2',
                         f'Content-Disposition: form-data; name="prompt"\r\n\r\nuse {KEY}')
    r = requests.post(gw.url + "/v1/videos", data=body, headers=headers, timeout=10)
    assert_openai_error(r, 403, "ungoverned_path")
    assert nothing_sent(gw)


@pytest.mark.parametrize("encode", [lambda s: b"\xef\xbb\xbf" + s.encode(), lambda s: s.encode("utf-16"),
                                    lambda s: s.encode("utf-16-le")], ids=["utf-8 bom", "utf-16", "utf-16-le"])
def test_a_call_shape_in_another_unicode_form_is_refused(gw, encode):
    """Python's json.loads reads these bodies as JSON; so does the sniff."""
    body = json.dumps({"model": "llama3", "messages": [{"role": "user", "content": f"use {KEY}"}]})
    r = post_json(gw, "/api/chat", None, raw=encode(body))
    assert_openai_error(r, 403, "ungoverned_path")
    assert nothing_sent(gw)


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_a_call_shape_sent_by_put_or_patch_is_refused(gw, method):
    """A provider may take a model call by another method (or read
    `X-HTTP-Method-Override`): the body of a PUT or PATCH is sniffed as a
    POST's is."""
    body = json.dumps({"model": "llama3", "messages": [{"role": "user", "content": f"use {KEY}"}]})
    r = requests.request(method, gw.url + "/api/chat", data=body, timeout=10,
                         headers={"content-type": "application/json", "x-http-method-override": "POST"})
    assert_openai_error(r, 403, "ungoverned_path")
    assert nothing_sent(gw)
    # a body that is no call still goes through (the mock provider answers
    # these methods with its own 501, not clawgate's 403)
    r = requests.request(method, gw.url + "/v2/other", data=b'{"name": "x"}', timeout=10,
                         headers={"content-type": "application/json"})
    assert r.status_code != 403 and "x-clawgate-request-id" not in r.headers, r.text


# --- skip lists at the API's own positions only (#28) -------------------------

def chat_with(content, **message):
    return {"model": "gpt-4o", "messages": [{"role": "user", "content": content, **message}]}


def responses_with(*items):
    return {"model": "gpt-4o", "input": list(items)}


def anthropic_with(*blocks):
    return {"model": "claude", "max_tokens": 64, "messages": [{"role": "user", "content": list(blocks)}]}


# A name the APIs use for an id, enum or base64 media, at a place where
# the API has no such field: the provider receives it, so it is scanned.
MISPLACED = [
    ("chat part format", "/v1/chat/completions", chat_with([{"type": "text", "text": "hi", "format": KEY}])),
    ("chat part data", "/v1/chat/completions", chat_with(
        [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}, "data": KEY}])),
    ("chat part x_id", "/v1/chat/completions", chat_with([{"type": "text", "text": "hi", "x_id": KEY}])),
    ("chat image_url type", "/v1/chat/completions", chat_with(
        [{"type": "image_url", "image_url": {"url": "https://example.com/a.png", "type": KEY}}])),
    ("chat message type", "/v1/chat/completions", chat_with("hi", type=KEY)),
    ("chat data url as text", "/v1/chat/completions", chat_with(f"data:text/plain;base64,{KEY}")),
    ("responses item x_id", "/v1/responses", responses_with(
        {"type": "function_call_output", "call_id": "c1", "output": "ok", "x_id": KEY})),
    ("responses item data", "/v1/responses", responses_with(
        {"type": "message", "role": "user", "content": "hi", "data": KEY})),
    ("responses part format", "/v1/responses", responses_with(
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi", "format": KEY}]})),
    # scanned before too: the new skip of a reasoning item's token stays there
    ("responses message encrypted_content", "/v1/responses", responses_with(
        {"type": "message", "role": "user", "content": "hi", "encrypted_content": KEY})),
    ("anthropic block format", "/v1/messages", anthropic_with({"type": "text", "text": "hi", "format": KEY})),
    ("anthropic block data", "/v1/messages", anthropic_with(
        {"type": "tool_result", "tool_use_id": "tu_1", "content": "ok", "data": KEY})),
    ("anthropic block x_id", "/v1/messages", anthropic_with({"type": "text", "text": "hi", "x_id": KEY})),
    ("anthropic block signature", "/v1/messages", anthropic_with({"type": "text", "text": "hi", "signature": KEY})),
    ("anthropic url source data", "/v1/messages", anthropic_with(
        {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png", "data": KEY}})),
    ("anthropic text source type", "/v1/messages", anthropic_with(
        {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "notes",
                                        "extra": {"type": KEY}}})),
]


@pytest.mark.parametrize("path,body", [m[1:] for m in MISPLACED], ids=[m[0] for m in MISPLACED])
def test_api_names_out_of_their_place_are_scanned(gw, path, body):
    r = post_json(gw, path, body)
    assert "api_key_like" in refusal_text(r)
    assert KEY not in r.text
    assert not leaked(gw)


# The API's own positions of ids, tokens and base64 media stay skipped: a
# key-shaped string there is not read (the provider decodes or checks it).
IN_PLACE = [
    ("anthropic base64 image", "/v1/messages", anthropic_with(
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": KEY}},
        {"type": "text", "text": "what is this?"})),
    ("chat image data url", "/v1/chat/completions", chat_with(
        [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{KEY}"}}])),
    ("responses reasoning", "/v1/responses", responses_with(
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": KEY},
        {"type": "message", "role": "user", "content": "go on"})),
]


@pytest.mark.parametrize("path,body", [m[1:] for m in IN_PLACE], ids=[m[0] for m in IN_PLACE])
def test_the_apis_own_media_and_token_positions_stay_skipped(gw_all, path, body):
    gw_all.reset()
    r = post_json(gw_all, path, body)
    assert r.status_code == 200 and "x-clawgate-refusal" not in r.headers, r.text
