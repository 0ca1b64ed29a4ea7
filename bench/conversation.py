"""Realistic agent conversations for the bench bodies: a coding agent's
chat history (system prompt, tools, user asks in English and Chinese,
assistant tool calls, tool results carrying source files and test logs,
assistant answers with code), deterministic per seed. No secrets, no PII
and nothing a risk pack or a masking rule would block: every system must
forward every body."""

import json
import random

MODEL = "gpt-4o-mini"

SYSTEM = ("You are a coding agent working in the user's repository. Use the tools to read files, search the code and "
          "run the tests before you change anything. Keep answers short, show code in fenced blocks, and explain "
          "why a change is safe. When a test fails, read the failing test first. 回答时可以使用中文或英文，与用户保持一致。")

TOOLS = [
    {"type": "function", "function": {"name": "read_file", "description": "Read a file of the repository.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}},
                                                     "required": ["path"]}}},
    {"type": "function", "function": {"name": "run_tests", "description": "Run the test suite, or one test module.",
                                      "parameters": {"type": "object", "properties": {"filter": {"type": "string"}}}}},
    {"type": "function", "function": {"name": "search_code", "description": "Search the repository for a pattern.",
                                      "parameters": {"type": "object", "properties": {"pattern": {"type": "string"}},
                                                     "required": ["pattern"]}}},
]

ASK_EN = [
    "The scheduler test is flaky on CI. Can you find out why and fix it?",
    "Please add a retry with exponential backoff to the HTTP client, capped at five attempts.",
    "Refactor the config loader so that every error carries the key path that caused it.",
    "Why does the parser allocate so much on large inputs? Profile it and suggest a change.",
    "Add a unit test for the empty-input case of the tokenizer and make it pass.",
    "The cache eviction looks wrong when two entries have the same timestamp. Check it.",
    "Can you explain what this module does and where it is called from?",
    "Rename the `Worker` type to `Executor` everywhere and update the docs.",
]
ASK_ZH = [
    "请帮我看一下这个函数为什么在并发的时候会出错，最好给出修改方案。",
    "把日志模块改成结构化输出，每条记录包含时间、级别和请求编号。",
    "测试在本地能通过，但是在流水线上失败了，帮我分析一下原因。",
    "这个配置文件的格式太复杂了，能不能简化一下，同时保持向后兼容？",
    "请解释一下这段代码的时间复杂度，并说明有没有更好的写法。",
]
PROSE_EN = [
    "The failure comes from the order in which the two tasks are polled: the test assumes the timer fires first.",
    "I read the module and its callers; the function is only used by the scheduler and the CLI.",
    "This change keeps the public signature, so no caller needs to change.",
    "The allocation happens because every token is copied into a new String before it is compared.",
    "With the fix the test passes 200 times in a row locally, and the suite still runs in about four seconds.",
    "The backoff starts at 100 ms and doubles, with jitter, so that clients do not retry in lockstep.",
    "I kept the old name as a deprecated alias for one release, which the changelog mentions.",
]
PROSE_ZH = [
    "问题出在两个任务的轮询顺序上，测试假设定时器总是先触发。",
    "我检查了调用方，这个函数只在调度器和命令行工具里被使用。",
    "修改之后公共接口保持不变，所以调用方不需要改动。",
    "每个词元在比较之前都被复制成新的字符串，这就是内存分配多的原因。",
    "修复后本地连续运行两百次都通过了，整个测试套件仍然大约四秒完成。",
]
NOUNS = ["scheduler", "parser", "cache", "config", "client", "worker", "lexer", "router", "store", "queue"]
VERBS = ["load", "parse", "flush", "evict", "retry", "poll", "spawn", "encode", "merge", "resolve"]


def _ident(r):
    return f"{r.choice(VERBS)}_{r.choice(NOUNS)}"


def rust_file(r, lines):
    out = [f"//! The {r.choice(NOUNS)} module.", "", "use std::collections::HashMap;", "use std::time::Duration;", ""]
    while len(out) < lines:
        name, ty = _ident(r), r.choice(NOUNS).capitalize()
        out += [f"/// {r.choice(PROSE_EN)}",
                f"pub fn {name}(items: &[{ty}], limit: usize) -> Result<Vec<{ty}>, Error> {{",
                "    let mut seen: HashMap<u64, usize> = HashMap::new();",
                "    let mut out = Vec::with_capacity(items.len().min(limit));",
                "    for (i, item) in items.iter().enumerate() {",
                f"        if seen.insert(item.id, i).is_some() {{ continue; }}",
                f"        if out.len() >= limit {{ return Err(Error::Limit({r.randint(2, 999)})); }}",
                "        out.push(item.clone());",
                "    }",
                f"    std::thread::sleep(Duration::from_millis({r.randint(1, 50)}));",
                "    Ok(out)",
                "}", ""]
    return "\n".join(out)


def python_file(r, lines):
    out = [f'"""The {r.choice(NOUNS)} helpers."""', "", "import time", ""]
    while len(out) < lines:
        name = _ident(r)
        out += [f"def {name}(items, limit={r.randint(2, 500)}):",
                f'    """{r.choice(PROSE_EN)}"""',
                "    seen, out = set(), []",
                "    for item in items:",
                "        if item.id in seen:",
                "            continue",
                "        seen.add(item.id)",
                "        out.append(item)",
                f"    time.sleep({r.randint(1, 9)} / 1000)",
                "    return out[:limit]", "", ""]
    return "\n".join(out)


def test_log(r, lines):
    out = [f"running {lines} tests"]
    for i in range(lines):
        mod, name = r.choice(NOUNS), _ident(r)
        ok = r.random() > 0.05
        out.append(f"test {mod}::tests::{name}_{i} ... {'ok' if ok else 'FAILED'}")
    out.append(f"test result: ok. {lines} passed; 0 failed; finished in {r.randint(1, 9)}.{r.randint(10, 99)}s")
    return "\n".join(out)


def _user(r):
    return r.choice(ASK_ZH) if r.random() < 0.3 else r.choice(ASK_EN)


def _prose(r, n):
    return " ".join(r.choice(PROSE_ZH) if r.random() < 0.25 else r.choice(PROSE_EN) for _ in range(n))


def turn(r, n, budget):
    """One agent turn of about `budget` bytes: the assistant's tool call,
    the tool's result (a source file or a test log), and the assistant's
    answer with code or the user's next message."""
    call_id = f"call_{r.getrandbits(48):012x}"
    kind = r.choice(["read_file", "read_file", "run_tests", "search_code"])
    if kind == "read_file":
        path = f"src/{r.choice(NOUNS)}/{_ident(r)}.{'rs' if r.random() < 0.6 else 'py'}"
        args, lines = {"path": path}, max(8, budget // 60)
        result = rust_file(r, lines) if path.endswith(".rs") else python_file(r, lines)
    elif kind == "run_tests":
        args, result = {"filter": r.choice(NOUNS)}, test_log(r, max(4, budget // 55))
    else:
        pat = _ident(r)
        args = {"pattern": pat}
        result = "\n".join(f"src/{r.choice(NOUNS)}/mod.rs:{r.randint(1, 900)}: let x = {pat}(&items, {r.randint(1, 64)})?;"
                           for _ in range(max(2, budget // 70)))
    msgs = [{"role": "assistant", "content": _prose(r, 1),
             "tool_calls": [{"id": call_id, "type": "function",
                             "function": {"name": kind, "arguments": json.dumps(args)}}]},
            {"role": "tool", "tool_call_id": call_id, "content": result}]
    snippet = rust_file(r, 14).split("\n\n", 1)[-1]
    msgs.append({"role": "assistant", "content": f"{_prose(r, 3)}\n\n```rust\n{snippet}\n```\n\n{_prose(r, 1)}"})
    msgs.append({"role": "user", "content": _user(r)})
    return msgs


def _size(msgs):
    return len(json.dumps({"model": MODEL, "messages": msgs, "tools": TOOLS}, ensure_ascii=False).encode())


def _body(msgs):
    return json.dumps({"model": MODEL, "messages": msgs, "tools": TOOLS}, ensure_ascii=False)


def conversation(size, seed=0):
    """A whole conversation of about `size` bytes (UTF-8 JSON)."""
    r = random.Random(seed)
    msgs = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": _user(r)}]
    n = 0
    while True:
        gap = size - _size(msgs)
        if gap < 1500:
            t = [{"role": "assistant", "content": _prose(r, 2)}, {"role": "user", "content": _user(r)}]
            if gap < 700 or _size(msgs + t) > size:
                break
            msgs += t
            continue
        t = turn(r, n, min(12000, gap - 900))
        if _size(msgs + t) > size:
            break
        msgs += t
        n += 1
    # the last user message fills what is left
    gap = size - _size(msgs)
    last = msgs[-1]["content"]
    while gap > 0:
        extra = " " + _prose(r, 1)
        if len(extra.encode()) > gap:
            extra = " " + "please" * max(0, (gap - 1) // 6)
            if len(extra.encode()) > gap or extra == " ":
                break
        last += extra
        msgs[-1]["content"] = last
        gap = size - _size(msgs)
        if gap < 0:
            msgs[-1]["content"] = last = last[: -len(extra)]
            break
    return _body(msgs)


def session(turns=50, final=500 * 1024, seed=0):
    """An agent session: `turns` request bodies, each the whole
    conversation so far, growing by about the same step to `final` bytes."""
    r = random.Random(seed)
    msgs = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": _user(r)}]
    bodies = [_body(msgs)]
    step = (final - _size(msgs)) // (turns - 1)
    for i in range(1, turns):
        target = _size(msgs) + step
        t = turn(r, i, step - 1200)
        msgs += t
        # top up towards the target with the user's message
        while _size(msgs) < target - 200:
            msgs[-1]["content"] += " " + _prose(r, 1)
        bodies.append(_body(msgs))
    return bodies


# --- The shapes the three agent clients send (tests/data/agents/ holds
# real captured bodies) and an adversarial one. Each shape is a head (the
# body without its list of turns) and the items one agent turn appends;
# `shaped` fills a body to a size, `shaped_session` grows one over a
# session. Heads are as small as the chat one, so 2 KB bodies exist in
# every shape; what differs is how the turns look on the wire.

# Claude Code prepends reminders to user turns as their own text blocks,
# so every user message opens with the same bytes.
REMINDER_TODO = ("<system-reminder>\nThe task list tool has not been used recently. If the work has several steps, "
                 "keep the list up to date; otherwise ignore this reminder and do not mention it to the user.\n"
                 "</system-reminder>")
REMINDER_ENV = ("<system-reminder>\n# Environment\nWorking directory: /home/dev/project\nIs a git repository: true\n"
                "Platform: linux\nShell: bash\n</system-reminder>")
RESULT_TAIL = "\n\n<system-reminder>\n<total_tokens>14999000 tokens left</total_tokens>\n</system-reminder>"
RUNTIME = ("Runtime: agent=main | session=agent:main:explicit:5f0c2d1e-8b7a-4c3d-9e2f-1a6b7c8d9e0f | host=dev | "
           "os=Linux 6.8 (x64) | node=v24.3.0 | model=up/gpt-4o-mini | default_model=up/gpt-4o-mini")
ENV_CONTEXT = ("<environment_context>\n  <cwd>/home/dev/project</cwd>\n  <shell>bash</shell>\n"
               "  <current_date>2026-12-06</current_date>\n  <timezone>Etc/UTC</timezone>\n</environment_context>")
# the adversarial shape: every message opens with this block (> 128 bytes)
ALIKE = ("```rust\n/// The retry policy every client of the service shares: capped, jittered, logged.\n"
         "pub fn retry_policy(max: u32) -> Policy {\n    Policy::exponential(Duration::from_millis(100)).cap(max)\n}\n```\n")

PATHS = {"chat": "/v1/chat/completions", "claude-code": "/v1/messages", "codex": "/v1/responses",
         "openclaw": "/v1/chat/completions", "alike": "/v1/chat/completions"}
SHAPES = tuple(PATHS)


def _anthropic_tools():
    return [{"name": t["function"]["name"], "description": t["function"]["description"],
             "input_schema": t["function"]["parameters"]} for t in TOOLS]


def _responses_tools():
    return [{"type": "function", "name": t["function"]["name"], "description": t["function"]["description"],
             "strict": False, "parameters": t["function"]["parameters"]} for t in TOOLS]


def _tool_work(r, budget):
    """A tool call's name, arguments and result, about `budget` bytes."""
    m = turn(r, 0, budget)
    call = m[0]["tool_calls"][0]["function"]
    return call["name"], json.loads(call["arguments"]), m[1]["content"], m[2]["content"]


def _id(r, prefix, n=24):
    return f"{prefix}{r.getrandbits(4 * n):0{n}x}"


class _Shape:
    key = "messages"

    def head(self, r):
        return {"model": MODEL, "messages": [{"role": "system", "content": SYSTEM}], "tools": TOOLS}

    def ask(self, r, text):
        return {"role": "user", "content": text}

    def grow(self, item, text):
        item["content"] += text

    def turn(self, r, budget):
        return turn(r, 0, budget)


class _ClaudeCode(_Shape):
    def head(self, r):
        return {"model": MODEL, "max_tokens": 32000,
                "system": [{"type": "text", "text": "You are a coding agent built on an agent SDK."},
                           {"type": "text", "text": SYSTEM}],
                "tools": _anthropic_tools(), "messages": [],
                "metadata": {"user_id": _id(r, "user_", 32)}}

    def ask(self, r, text):
        return {"role": "user", "content": [{"type": "text", "text": REMINDER_TODO}, {"type": "text", "text": text}]}

    def grow(self, item, text):
        item["content"][-1]["text"] += text

    def turn(self, r, budget):
        name, args, result, answer = _tool_work(r, budget)
        tid = _id(r, "toolu_")
        numbered = "\n".join(f"{i + 1:6}\t{line}" for i, line in enumerate(result.split("\n")))
        return [{"role": "assistant", "content": [{"type": "text", "text": _prose(r, 1)},
                                                  {"type": "tool_use", "id": tid, "name": name, "input": args}]},
                {"role": "user", "content": [{"tool_use_id": tid, "type": "tool_result", "content": numbered + RESULT_TAIL}]},
                {"role": "assistant", "content": [{"type": "text", "text": answer}]},
                self.ask(r, _user(r))]


class _Codex(_Shape):
    key = "input"

    def head(self, r):
        return {"model": MODEL, "instructions": SYSTEM,
                "input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": ENV_CONTEXT}]}],
                "tools": _responses_tools(), "tool_choice": "auto", "parallel_tool_calls": True, "store": False,
                "prompt_cache_key": _id(r, "", 32)}

    def ask(self, r, text):
        return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}

    def grow(self, item, text):
        item["content"][-1]["text"] += text

    def turn(self, r, budget):
        name, args, result, answer = _tool_work(r, budget)
        cid = _id(r, "call_")
        return [{"type": "function_call", "name": name, "arguments": json.dumps(args), "call_id": cid},
                {"type": "function_call_output", "call_id": cid,
                 "output": f"Exit code: 0\nWall time: 0.1 seconds\nOutput:\n{result}"},
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": answer}]},
                self.ask(r, _user(r))]


class _OpenClaw(_Shape):
    def ask(self, r, text):
        return {"role": "user", "content": f"[Sun 2026-12-06 04:{r.randint(10, 59)} UTC] {text}\n\n{RUNTIME}"}

    def grow(self, item, text):
        head, sep, runtime = item["content"].rpartition("\n\n")
        item["content"] = head + text + sep + runtime

    def turn(self, r, budget):
        m = turn(r, 0, budget)
        m[1] = {"role": "tool", "content": m[1]["content"], "tool_call_id": m[1]["tool_call_id"]}
        m[-1] = self.ask(r, m[-1]["content"])
        return m


class _Alike(_Shape):
    """Every message opens with the same block, then differs."""

    def ask(self, r, text):
        return {"role": "user", "content": ALIKE + text}

    def turn(self, r, budget):
        out = []
        while budget > 0:
            m = {"role": "assistant" if len(out) % 2 else "user", "content": ALIKE + _prose(r, 4)}
            out.append(m)
            budget -= len(json.dumps(m, ensure_ascii=False).encode())
        return out


_SHAPES = {"chat": _Shape(), "claude-code": _ClaudeCode(), "codex": _Codex(), "openclaw": _OpenClaw(),
           "alike": _Alike()}


def _dump(body):
    return json.dumps(body, ensure_ascii=False)


def _top_up(sh, body, r, target):
    """Grows the last item's text (a user's) towards `target` bytes."""
    last = body[sh.key][-1]
    while True:
        gap = target - len(_dump(body).encode())
        extra = " " + _prose(r, 1)
        if gap <= 0:
            return
        if len(extra.encode()) > gap:
            extra = " " + "please" * max(0, (gap - 1) // 6)
            if extra == " ":
                return
        sh.grow(last, extra)
        if len(_dump(body).encode()) > target:
            return


def shaped(shape, size, seed=0):
    """One body of about `size` bytes in `shape` (one of SHAPES)."""
    if shape == "chat":
        return conversation(size, seed)
    sh, r = _SHAPES[shape], random.Random(seed)
    body = sh.head(r)
    body[sh.key].append(sh.ask(r, _user(r)))
    while True:
        gap = size - len(_dump(body).encode())
        if gap < 1500:
            break
        t = sh.turn(r, min(12000, gap - 900))
        body[sh.key] += t
        if len(_dump(body).encode()) > size:
            del body[sh.key][-len(t):]
            break
    _top_up(sh, body, r, size)
    return _dump(body)


def shaped_session(shape, turns=50, final=500 * 1024, seed=0):
    """`session` in `shape`: `turns` bodies, each the whole conversation so
    far, growing by about the same step to `final` bytes."""
    if shape == "chat":
        return session(turns, final, seed)
    sh, r = _SHAPES[shape], random.Random(seed)
    body = sh.head(r)
    body[sh.key].append(sh.ask(r, _user(r)))
    bodies = [_dump(body)]
    step = (final - len(bodies[0].encode())) // (turns - 1)
    for _ in range(1, turns):
        target = len(_dump(body).encode()) + step
        body[sh.key] += sh.turn(r, step - 1200)
        _top_up(sh, body, r, target - 200)
        bodies.append(_dump(body))
    return bodies


if __name__ == "__main__":
    for shape in SHAPES:
        for kb in (2, 32, 256, 1024):
            b = shaped(shape, kb * 1024, seed=kb)
            items = json.loads(b)[_SHAPES[shape].key]
            print(f"{shape:12} {kb:5} KB -> {len(b.encode()):8} bytes, {len(items)} items")
        s = shaped_session(shape, seed=1)
        print(f"{shape:12} session: {len(s)} bodies, {len(s[0].encode())} -> {len(s[-1].encode())} bytes, "
              f"{sum(len(b.encode()) for b in s)} bytes in all")
