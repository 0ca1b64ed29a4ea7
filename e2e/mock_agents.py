"""The provider side of the agent tests (e2e/test_agents.py): answers in
the three wire formats the agent CLIs speak, with what real providers put
in them and the simple mock leaves out.

- Anthropic Messages (`/v1/messages`, Claude Code): JSON or SSE, a
  thinking block, `tool_use`, usage with cache reads and cache writes.
- OpenAI Responses (`/v1/responses`, Codex): JSON or SSE with the
  `response.*` events, a reasoning item, `function_call` items, usage in
  `response.completed` with cached and reasoning details.
- Chat completions (`/v1/chat/completions`, OpenClaw): JSON or SSE,
  `tool_calls` deltas, usage with cached and reasoning details (sent in a
  stream only when `stream_options.include_usage` asks for it, as OpenAI
  does).

mock_upstream.py hands a request here when its behaviour has an `agent`
key (set as the upstream's default with `POST /__script`). The `agent`
dict says what to answer:

  text        the answer's text (default: names the upstream and model)
  tool        {"name": ..., "arguments": {...}}: call this tool instead
  usage       {"input", "output", "cached", "cache_write", "reasoning"}:
              protocol-neutral counts; `input` is the fresh input, so the
              whole prompt is input + cached + cache_write
  compress    "gzip": compress the answer when the request's
              accept-encoding allows gzip, as providers do
  gap_ms      pause between streamed events (default 2)
"""

import gzip
import json
import time
import zlib

USAGE = {"input": 1200, "output": 80, "cached": 3000, "cache_write": 500, "reasoning": 40}


def usage_of(spec):
    return dict(USAGE, **(spec.get("usage") or {}))


def anthropic_usage(u):
    return {"input_tokens": u["input"], "output_tokens": u["output"],
            "cache_read_input_tokens": u["cached"], "cache_creation_input_tokens": u["cache_write"]}


def openai_prompt(u):
    """OpenAI counts cache reads inside the prompt; there is no cache-write
    count in its wire format, so writes are billed as plain input."""
    return u["input"] + u["cached"] + u["cache_write"]


def responses_usage(u):
    prompt = openai_prompt(u)
    return {"input_tokens": prompt, "input_tokens_details": {"cached_tokens": u["cached"]},
            "output_tokens": u["output"], "output_tokens_details": {"reasoning_tokens": u["reasoning"]},
            "total_tokens": prompt + u["output"]}


def chat_usage(u):
    prompt = openai_prompt(u)
    return {"prompt_tokens": prompt, "prompt_tokens_details": {"cached_tokens": u["cached"]},
            "completion_tokens": u["output"],
            "completion_tokens_details": {"reasoning_tokens": u["reasoning"]},
            "total_tokens": prompt + u["output"]}


# ---- Anthropic Messages ----

def anthropic_blocks(spec, text):
    blocks = [{"type": "thinking", "thinking": "The user wants an answer.", "signature": "sig-mock"}]
    tool = spec.get("tool")
    if tool:
        blocks.append({"type": "tool_use", "id": "toolu_mock_1", "name": tool["name"], "input": tool["arguments"]})
    else:
        blocks.append({"type": "text", "text": text})
    return blocks


def anthropic_message(spec, model, text):
    return {"id": "msg_mock", "type": "message", "role": "assistant", "model": model,
            "content": anthropic_blocks(spec, text),
            "stop_reason": "tool_use" if spec.get("tool") else "end_turn", "stop_sequence": None,
            "usage": anthropic_usage(usage_of(spec))}


def anthropic_events(spec, model, text):
    msg = anthropic_message(spec, model, text)
    start = dict(msg, content=[], stop_reason=None, usage=dict(msg["usage"], output_tokens=1))
    yield "message_start", {"type": "message_start", "message": start}
    for i, block in enumerate(msg["content"]):
        kind = block["type"]
        if kind == "thinking":
            yield "content_block_start", {"type": "content_block_start", "index": i,
                                          "content_block": {"type": "thinking", "thinking": "", "signature": ""}}
            yield "content_block_delta", {"type": "content_block_delta", "index": i,
                                          "delta": {"type": "thinking_delta", "thinking": block["thinking"]}}
            yield "content_block_delta", {"type": "content_block_delta", "index": i,
                                          "delta": {"type": "signature_delta", "signature": block["signature"]}}
        elif kind == "tool_use":
            yield "content_block_start", {"type": "content_block_start", "index": i,
                                          "content_block": dict(block, input={})}
            yield "content_block_delta", {"type": "content_block_delta", "index": i,
                                          "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}}
        else:
            yield "content_block_start", {"type": "content_block_start", "index": i,
                                          "content_block": {"type": "text", "text": ""}}
            for word in words(block["text"]):
                yield "content_block_delta", {"type": "content_block_delta", "index": i,
                                              "delta": {"type": "text_delta", "text": word}}
        yield "content_block_stop", {"type": "content_block_stop", "index": i}
    yield "message_delta", {"type": "message_delta",
                            "delta": {"stop_reason": msg["stop_reason"], "stop_sequence": None},
                            "usage": {"output_tokens": msg["usage"]["output_tokens"]}}
    yield "message_stop", {"type": "message_stop"}


# ---- OpenAI Responses ----

def responses_output(spec, text):
    items = [{"type": "reasoning", "id": "rs_mock_1", "summary": [{"type": "summary_text", "text": "Thinking it over."}]}]
    tool = spec.get("tool")
    if tool:
        items.append({"type": "function_call", "id": "fc_mock_1", "call_id": "call_mock_1", "status": "completed",
                      "name": tool["name"], "arguments": json.dumps(tool["arguments"])})
    else:
        items.append({"type": "message", "id": "msg_mock_1", "role": "assistant", "status": "completed",
                      "content": [{"type": "output_text", "text": text, "annotations": []}]})
    return items


def responses_object(spec, model, text, status="completed"):
    done = status == "completed"
    return {"id": "resp_mock", "object": "response", "created_at": int(time.time()), "status": status,
            "model": model, "output": responses_output(spec, text) if done else [],
            "usage": responses_usage(usage_of(spec)) if done else None}


def responses_events(spec, model, text):
    seq = iter(range(10_000))
    yield "response.created", {"type": "response.created", "sequence_number": next(seq),
                               "response": responses_object(spec, model, text, "in_progress")}
    for i, item in enumerate(responses_output(spec, text)):
        started = dict(item, status="in_progress")
        if item["type"] == "message":
            started["content"] = []
        if item["type"] == "function_call":
            started["arguments"] = ""
        yield "response.output_item.added", {"type": "response.output_item.added", "sequence_number": next(seq),
                                             "output_index": i, "item": started}
        if item["type"] == "message":
            part = {"type": "output_text", "text": "", "annotations": []}
            yield "response.content_part.added", {"type": "response.content_part.added", "sequence_number": next(seq),
                                                  "item_id": item["id"], "output_index": i, "content_index": 0,
                                                  "part": part}
            for word in words(text):
                yield "response.output_text.delta", {"type": "response.output_text.delta", "sequence_number": next(seq),
                                                     "item_id": item["id"], "output_index": i, "content_index": 0,
                                                     "delta": word}
            yield "response.output_text.done", {"type": "response.output_text.done", "sequence_number": next(seq),
                                                "item_id": item["id"], "output_index": i, "content_index": 0,
                                                "text": text}
            yield "response.content_part.done", {"type": "response.content_part.done", "sequence_number": next(seq),
                                                 "item_id": item["id"], "output_index": i, "content_index": 0,
                                                 "part": dict(part, text=text)}
        if item["type"] == "function_call":
            yield "response.function_call_arguments.delta", {
                "type": "response.function_call_arguments.delta", "sequence_number": next(seq),
                "item_id": item["id"], "output_index": i, "delta": item["arguments"]}
            yield "response.function_call_arguments.done", {
                "type": "response.function_call_arguments.done", "sequence_number": next(seq),
                "item_id": item["id"], "output_index": i, "arguments": item["arguments"]}
        yield "response.output_item.done", {"type": "response.output_item.done", "sequence_number": next(seq),
                                            "output_index": i, "item": item}
    yield "response.completed", {"type": "response.completed", "sequence_number": next(seq),
                                 "response": responses_object(spec, model, text)}


# ---- chat completions ----

def chat_message(spec, text):
    tool = spec.get("tool")
    if tool:
        return {"role": "assistant", "content": None, "tool_calls": [{
            "id": "call_mock_1", "type": "function",
            "function": {"name": tool["name"], "arguments": json.dumps(tool["arguments"])}}]}
    return {"role": "assistant", "content": text}


def chat_object(spec, model, text):
    return {"id": "chatcmpl-agent", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": chat_message(spec, text),
                         "finish_reason": "tool_calls" if spec.get("tool") else "stop"}],
            "usage": chat_usage(usage_of(spec))}


def chat_chunks(spec, model, text, include_usage):
    base = {"id": "chatcmpl-agent", "object": "chat.completion.chunk", "created": int(time.time()), "model": model}
    yield dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
    tool = spec.get("tool")
    if tool:
        call = {"index": 0, "id": "call_mock_1", "type": "function",
                "function": {"name": tool["name"], "arguments": ""}}
        yield dict(base, choices=[{"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": None}])
        args = {"index": 0, "function": {"arguments": json.dumps(tool["arguments"])}}
        yield dict(base, choices=[{"index": 0, "delta": {"tool_calls": [args]}, "finish_reason": None}])
    else:
        for word in words(text):
            yield dict(base, choices=[{"index": 0, "delta": {"content": word}, "finish_reason": None}])
    yield dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "tool_calls" if tool else "stop"}])
    if include_usage:
        yield dict(base, choices=[], usage=chat_usage(usage_of(spec)))


def words(text):
    parts = text.split(" ")
    return [p + (" " if i < len(parts) - 1 else "") for i, p in enumerate(parts)]


# ---- writing the answer ----

def answer(handler, upstream, req, spec):
    """Answers `req` in the wire format of the handler's path."""
    spec = spec if isinstance(spec, dict) else {}
    model = req.get("model", "unknown")
    text = spec.get("text") or f"Hello from {upstream} via {model}"
    path = handler.path.split("?")[0]
    stream = bool(req.get("stream"))
    if path.endswith("/messages"):
        if stream:
            return send_events(handler, spec, anthropic_events(spec, model, text), named=True)
        return send_json(handler, spec, anthropic_message(spec, model, text))
    if path.endswith("/responses"):
        if stream:
            return send_events(handler, spec, responses_events(spec, model, text), named=True)
        return send_json(handler, spec, responses_object(spec, model, text))
    if stream:
        include = bool((req.get("stream_options") or {}).get("include_usage"))
        events = (("", c) for c in chat_chunks(spec, model, text, include))
        return send_events(handler, spec, events, named=False, done=True)
    return send_json(handler, spec, chat_object(spec, model, text))


def gzip_wanted(handler, spec):
    accepted = (handler.headers.get("accept-encoding") or "").lower()
    return spec.get("compress") == "gzip" and "gzip" in accepted


def send_json(handler, spec, obj):
    data = json.dumps(obj).encode()
    handler.send_response(200)
    handler.send_header("content-type", "application/json")
    if gzip_wanted(handler, spec):
        data = gzip.compress(data)
        handler.send_header("content-encoding", "gzip")
    handler.send_header("content-length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def send_events(handler, spec, events, named, done=False):
    """SSE, one event per chunk; a gzip answer is one gzip stream flushed
    after each event, as a compressing proxy sends it."""
    handler.send_response(200)
    handler.send_header("content-type", "text/event-stream")
    handler.send_header("cache-control", "no-cache")
    zipped = gzip_wanted(handler, spec)
    if zipped:
        handler.send_header("content-encoding", "gzip")
    handler.send_header("transfer-encoding", "chunked")
    handler.end_headers()
    comp = zlib.compressobj(9, 8, 31) if zipped else None  # wbits 31: a gzip container
    gap = spec.get("gap_ms", 2) / 1000

    def write(data):
        if comp is not None:
            data = comp.compress(data) + comp.flush(zlib.Z_SYNC_FLUSH)
        if data:
            handler.write_chunk(data)

    for name, ev in events:
        head = f"event: {name}\n" if named else ""
        write(f"{head}data: {json.dumps(ev)}\n\n".encode())
        time.sleep(gap)
    if done:
        write(b"data: [DONE]\n\n")
    if comp is not None:
        tail = comp.flush()
        if tail:
            handler.write_chunk(tail)
    handler.wfile.write(b"0\r\n\r\n")
    handler.wfile.flush()
