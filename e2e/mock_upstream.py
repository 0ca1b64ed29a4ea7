"""A mock OpenAI-compatible upstream for the e2e tests and `make run`.

One process serves several named upstreams, one per port
(`python mock_upstream.py openai=18001 local=18002`). Each records what it
received (`GET /__requests`, `POST /__reset`) and answers chat
completions, completions, responses and embeddings in JSON or SSE. Tests
script failures and oddities with `POST /__script` (a FIFO of behaviours
consumed one per request).
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}


class Upstream:
    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.requests = []
        self.script = []
        self.default = {}

    def next_behaviour(self):
        with self.lock:
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

        def do_POST(self):
            body = self.read_body()
            if self.path == "/__reset":
                with up.lock:
                    up.requests.clear()
                    up.script.clear()
                    up.default = {}
                return self.send_json(200, {"ok": True})
            if self.path == "/__script":
                cmd = json.loads(body or b"{}")
                with up.lock:
                    up.script.extend(cmd.get("script", []))
                    if "default" in cmd:
                        up.default = cmd["default"]
                return self.send_json(200, {"ok": True})
            self.record(body)
            beh = up.next_behaviour()
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
            model = req.get("model", "unknown")
            usage = beh.get("usage", DEFAULT_USAGE)
            content = beh.get("content", f"Hello from {up.name} via {model}")
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
                return self.stream(chat_chunks(up.name, model, content, usage, include), beh)
            self.send_json(200, chat_json(up.name, model, usage, content))

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

        def write_chunk(self, data):
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return Handler


def serve(specs):
    servers = []
    for spec in specs:
        name, port = spec.split("=")
        srv = ThreadingHTTPServer(("127.0.0.1", int(port)), make_handler(Upstream(name)))
        srv.daemon_threads = True
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
