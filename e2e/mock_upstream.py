"""A mock OpenAI-compatible (and Anthropic Messages) upstream for the e2e
tests and `make run`.

One process serves several named upstreams, one per port
(`python mock_upstream.py openai=18001 local=18002`). Each records what it
received (`GET /__requests`, `POST /__reset`) and answers chat
completions, completions, responses and embeddings in JSON or SSE, and
Anthropic `/v1/messages` (JSON, SSE events, tool use, cache usage) and
`count_tokens`. Tests
script failures and oddities with `POST /__script` (a FIFO of behaviours
consumed one per request, or `paths`: per path, a behaviour kept for
every request or a list consumed one per request, for a mock standing in
for the audit sidecar).
"""

import gzip
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import mock_agents

DEFAULT_USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
# Anthropic counts fresh input apart from cache reads and writes.
ANTHROPIC_USAGE = {"input_tokens": 11, "output_tokens": 7,
                   "cache_read_input_tokens": 100, "cache_creation_input_tokens": 20}


class Upstream:
    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.requests = []
        self.script = []
        self.default = {}
        self.paths = {}

    def next_behaviour(self, path=None):
        with self.lock:
            kept = self.paths.get(path)
            if isinstance(kept, list) and kept:
                return dict(kept.pop(0))  # a sequence, then the default
            if isinstance(kept, dict):
                return dict(kept)
            if self.script:
                return self.script.pop(0)
            return dict(self.default)


def chat_json(name, model, usage, content):
    return {
        "id": "chatcmpl-mock",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "upstream": name,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": usage,
    }


def chat_chunks(name, model, content, usage, include_usage):
    base = {"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": int(time.time()), "model": model}
    yield dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
    for word in content.split(" "):
        yield dict(base, choices=[{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}])
    yield dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}], upstream=name)
    if include_usage:
        yield dict(base, choices=[], usage=usage)


def anthropic_json(name, model, usage, content):
    return {
        "id": "msg_mock", "type": "message", "role": "assistant", "model": model, "upstream": name,
        "content": [{"type": "text", "text": content}],
        "stop_reason": "end_turn", "stop_sequence": None, "usage": usage,
    }


def anthropic_tool_json(name, model, usage):
    return dict(anthropic_json(name, model, usage, "calling a tool"),
                content=[{"type": "tool_use", "id": "toolu_mock", "name": "get_weather", "input": {"city": "Paris"}}],
                stop_reason="tool_use")


def anthropic_events(name, model, content, usage):
    """(event name, data) of a Messages stream: the input side of usage in
    message_start, the final output count in message_delta."""
    start_usage = dict(usage, output_tokens=1)
    yield "message_start", {"type": "message_start", "message": dict(
        anthropic_json(name, model, start_usage, ""), content=[], stop_reason=None)}
    yield "content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
    yield "ping", {"type": "ping"}
    for word in content.split(" "):
        yield "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": word + " "}}
    yield "content_block_stop", {"type": "content_block_stop", "index": 0}
    yield "message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                            "usage": {"output_tokens": usage.get("output_tokens", 0)}}
    yield "message_stop", {"type": "message_stop"}


def token_chunks(model, tokens, usage, include_usage):
    """A stream whose deltas are exactly `tokens`."""
    base = {"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 0, "model": model}
    for t in tokens:
        yield dict(base, choices=[{"index": 0, "delta": {"content": t}, "finish_reason": None}])
    yield dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}])
    if include_usage:
        yield dict(base, choices=[], usage=usage)


def encode(data, coding):
    if coding == "gzip":
        return gzip.compress(data)
    if coding == "br":
        import brotli
        return brotli.compress(data)
    if coding == "zstd":
        import zstandard
        return zstandard.ZstdCompressor().compress(data)
    raise ValueError(coding)


def make_handler(up):
    class Handler(BaseHTTPRequestHandler):
        def read_body(self):
            # Higress's plugins drop content-length when they rewrite a
            # body, so Envoy sends it chunked.
            if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
                out = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return out
                    out += self.rfile.read(size)
                    self.rfile.readline()
            length = int(self.headers.get("content-length") or 0)
            return self.rfile.read(length) if length else b""

        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send_json(self, status, obj, extra=None):
            data = json.dumps(obj).encode()
            coding = self.coding()
            if coding:
                data = encode(data, coding)
                extra = dict(extra or {}, **{"content-encoding": coding})
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("x-mock-upstream", up.name)
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/__requests":
                with up.lock:
                    return self.send_json(200, up.requests)
            if self.path == "/health":
                return self.send_json(200, {"ok": True, "upstream": up.name})
            self.record(b"")
            self.send_json(200, {"upstream": up.name, "path": self.path})

        def record(self, body):
            entry = {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
                "time": time.time(),
            }
            with up.lock:
                up.requests.append(entry)

        def read_body(self):
            if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
                out = b""
                while (size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)) > 0:
                    out += self.rfile.read(size)
                    self.rfile.readline()
                self.rfile.readline()
                return out
            length = int(self.headers.get("content-length") or 0)
            return self.rfile.read(length) if length else b""

        def do_POST(self):
            body = self.read_body()
            if self.path == "/__reset":
                with up.lock:
                    up.requests.clear()
                    up.script.clear()
                    up.default = {}
                    up.paths = {}
                return self.send_json(200, {"ok": True})
            if self.path == "/__script":
                cmd = json.loads(body or b"{}")
                with up.lock:
                    up.script.extend(cmd.get("script", []))
                    if "default" in cmd:
                        up.default = cmd["default"]
                    if "paths" in cmd:
                        up.paths = cmd["paths"]
                return self.send_json(200, {"ok": True})
            self.record(body)
            beh = self.beh = up.next_behaviour(self.path)
            if self.fault(beh):
                return
            if beh.get("delay_ms"):
                time.sleep(beh["delay_ms"] / 1000)
            if beh.get("status", 200) != 200:
                err = beh.get("body") or {"error": {"message": f"mock {up.name} failure", "type": "server_error", "code": "mock"}}
                return self.send_json(beh["status"], err)
            if beh.get("stall_after_headers_ms"):
                # JSON headers, then nothing until the stall is over
                data = json.dumps(chat_json(up.name, "stalled", DEFAULT_USAGE, "late")).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.flush()
                time.sleep(beh["stall_after_headers_ms"] / 1000)
                self.wfile.write(data)
                return
            if "raw" in beh:
                data = beh["raw"].encode()
                self.send_response(200)
                self.send_header("content-type", beh.get("content_type", "application/json"))
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            try:
                req = json.loads(body or b"{}")
            except ValueError:
                req = {}
            if "agent" in beh:
                # the agent CLIs' providers (e2e/test_agents.py)
                return mock_agents.answer(self, up.name, req, beh["agent"])
            model = req.get("model", "unknown")
            content = beh.get("content", f"Hello from {up.name} via {model}")
            path = self.path.split("?")[0]
            if path.endswith("/messages/count_tokens"):
                return self.send_json(200, {"input_tokens": 42})
            if path.endswith("/messages"):
                usage = beh.get("usage", ANTHROPIC_USAGE)
                if req.get("stream"):
                    return self.stream_events(anthropic_events(up.name, model, content, usage), beh)
                if req.get("tools") and beh.get("tool_use"):
                    return self.send_json(200, anthropic_tool_json(up.name, model, usage))
                return self.send_json(200, anthropic_json(up.name, model, usage, content))
            usage = beh.get("usage", DEFAULT_USAGE)
            if self.path.endswith("/embeddings"):
                return self.send_json(200, {
                    "object": "list", "model": model, "upstream": up.name,
                    "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
                    "usage": {"prompt_tokens": usage.get("prompt_tokens", 0), "total_tokens": usage.get("prompt_tokens", 0)},
                })
            if req.get("stream"):
                include = (req.get("stream_options") or {}).get("include_usage", False)
                if beh.get("stream_bytes"):
                    # a long answer: ~1 KB deltas until about stream_bytes
                    words = max(1, beh["stream_bytes"] // 1024)
                    content = " ".join(["x" * 1023] * words)
                    beh = dict(beh, chunk_gap_ms=0)
                chunks = chat_chunks(up.name, model, content, usage, include)
                if beh.get("tokens"):
                    chunks = token_chunks(model, beh["tokens"], usage, include)
                if beh.get("split_at") is not None:
                    return self.stream_split(chunks, beh["split_at"])
                return self.stream(chunks, beh)
            self.send_json(200, chat_json(up.name, model, usage, content))

        # ---- compressed JSON answers for e2e/test_wire.py ----
        def coding(self):
            """`compress: [codings]` compresses with the first one the
            request's accept-encoding allows; `compress_anyway: coding`
            ignores it, as a misbehaving provider would."""
            beh = getattr(self, "beh", None) or {}
            if beh.get("compress_anyway"):
                return beh["compress_anyway"]
            accepted = {c.split(";")[0].strip() for c in (self.headers.get("accept-encoding") or "").split(",")}
            return next((c for c in beh.get("compress", []) if c in accepted), None)

        # ---- upstream faults for e2e/test_upstream_faults.py (one per key) ----
        def fault(self, beh):
            """Plays `beh["fault"]`; True when the answer was sent."""
            kind = beh.get("fault")
            if kind is None:
                return False
            ok = chat_json(up.name, "m", DEFAULT_USAGE, "slow but whole")
            if kind == "stream_then_silence":  # SSE headers and one event, then nothing
                self.sse_head()
                self.write_chunk(b'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n')
                time.sleep(beh.get("ms", 3000) / 1000)
            elif kind == "slow_json":  # a whole answer, a few bytes at a time
                data = json.dumps(ok).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                for i in range(0, len(data), 16):
                    self.wfile.write(data[i:i + 16])
                    self.wfile.flush()
                    time.sleep(beh.get("gap_ms", 20) / 1000)
            elif kind == "stream_error_event":  # a 200 stream that fails inside
                self.sse_head()
                self.write_chunk(b'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n')
                self.write_chunk(b'data: {"error":{"message":"overloaded","type":"server_error"}}\n\n')
                self.wfile.write(b"0\r\n\r\n")
            elif kind == "no_usage":  # an answer without a usage object
                ok.pop("usage")
                self.send_json(200, ok)
            elif kind == "stall_mid_body":  # half the body, then silence past the caller's timeout
                data = json.dumps(ok).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[:len(data) // 2])
                self.wfile.flush()
                time.sleep(beh.get("ms", 3000) / 1000)
                self.close_connection = True
            elif kind == "empty":  # the connection closes without a byte of answer
                self.close_connection = True
            elif kind == "reset":  # headers promise a body, then the socket closes
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", "1000")
                self.end_headers()
                self.wfile.write(b'{"id":"x","choi')
                self.wfile.flush()
                self.close_connection = True
            return True

        def sse_head(self):
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()

        def stream(self, chunks, beh):
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("x-mock-upstream", up.name)
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            gap = beh.get("chunk_gap_ms", 20) / 1000
            cut_after = beh.get("cut_after")
            for i, c in enumerate(chunks):
                if cut_after is not None and i >= cut_after:
                    self.close_connection = True
                    self.wfile.flush()
                    return
                self.write_chunk(f"data: {json.dumps(c)}\n\n".encode())
                time.sleep(gap)
            self.write_chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def stream_events(self, events, beh):
            """Named SSE events, each its own chunk; `split_every` cuts the
            whole stream into chunks of that many bytes instead."""
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("x-mock-upstream", up.name)
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            data = [f"event: {n}\ndata: {json.dumps(d, ensure_ascii=False)}\n\n".encode() for n, d in events]
            if beh.get("split_every"):
                whole = b"".join(data)
                n = beh["split_every"]
                data = [whole[i:i + n] for i in range(0, len(whole), n)]
            for d in data:
                self.write_chunk(d)
                time.sleep(beh.get("chunk_gap_ms", 2) / 1000)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def stream_split(self, chunks, at):
            """The whole stream in two writes cut at byte `at` (risk restore tests)."""
            body = b"".join(f"data: {json.dumps(c)}\n\n".encode() for c in chunks) + b"data: [DONE]\n\n"
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for part in (body[:at], body[at:]):
                if part:
                    self.write_chunk(part)
                    time.sleep(0.03)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def write_chunk(self, data):
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return Handler


class Server(ThreadingHTTPServer):
    # A provider's listen queue, not Python's 5: Envoy opens a connection
    # per concurrent request, and a SYN dropped on a full queue is resent
    # after 1 s, which is the harness's connect timeout (a flaky 503).
    request_queue_size = 1024
    daemon_threads = True


def serve(specs):
    servers = []
    for spec in specs:
        name, port = spec.split("=")
        srv = Server(("127.0.0.1", int(port)), make_handler(Upstream(name)))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    return servers


if __name__ == "__main__":
    serve(sys.argv[1:])
    print("mock upstreams ready:", " ".join(sys.argv[1:]), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
