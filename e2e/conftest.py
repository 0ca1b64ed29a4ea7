"""Fixtures and helpers the e2e modules share: a module declares its
gateway with `gw = gateway_for(CONFIG)` (or its own `gw` fixture built on
`gateway_factory`), and every test that uses `gw` starts with clean mocks."""

import json
import os
import subprocess
import sys
import tempfile
import time

import pytest
import requests

sys.path.insert(0, os.path.dirname(__file__))
import harness as h  # noqa: E402


class Gateway:
    """A running Envoy + clawgate.wasm in front of mock upstreams."""

    def __init__(self, workdir, plugin_config, mock_ports, envoy_proc, port, admin_port):
        self.workdir = workdir
        self.plugin_config = plugin_config
        self.mock_ports = mock_ports
        self.envoy = envoy_proc
        self.port = port
        self.admin_port = admin_port
        self.url = f"http://127.0.0.1:{port}"

    def base(self, upstream):
        return f"http://127.0.0.1:{self.mock_ports[upstream]}"

    def received(self, upstream):
        return requests.get(self.base(upstream) + "/__requests", timeout=5).json()

    def script(self, upstream, script=None, default=None):
        body = {"script": script or []}
        if default is not None:
            body["default"] = default
        requests.post(self.base(upstream) + "/__script", json=body, timeout=5)

    def reset(self):
        for u in self.mock_ports:
            requests.post(self.base(u) + "/__reset", timeout=5)

    def stats(self, flt=""):
        r = requests.get(f"http://127.0.0.1:{self.admin_port}/stats", params={"filter": flt}, timeout=5)
        out = {}
        for line in r.text.splitlines():
            k, _, v = line.partition(": ")
            out[k] = v
        return out

    def prometheus(self):
        return requests.get(f"http://127.0.0.1:{self.admin_port}/stats/prometheus", timeout=5).text

    def client(self, prefix="/v1", **kw):
        import openai

        return openai.OpenAI(base_url=self.url + prefix, api_key="client-key", max_retries=0, timeout=30, **kw)

    def anthropic(self, **kw):
        import anthropic

        return anthropic.Anthropic(base_url=self.url, api_key="client-key", max_retries=0, timeout=30, **kw)


def start_gateway(plugin_config, upstream_names=None, concurrency=2, extra_clusters=None, vm_env=None, before=()):
    workdir = tempfile.mkdtemp(prefix="clawgate-e2e-")
    names = upstream_names or [p.get("cluster", p["name"]) for p in plugin_config.get("providers", [])]
    mock, ports = h.start_mock(workdir, names)
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, ports, plugin_config, extra_clusters=extra_clusters, vm_env=vm_env,
                         before=before)
    try:
        envoy = h.start_envoy(workdir, cfg, admin, concurrency=concurrency)
    except Exception:
        mock.stop()
        raise
    gw = Gateway(workdir, plugin_config, ports, envoy, port, admin)
    gw.mock = mock
    return gw


def stop_gateway(gw):
    gw.envoy.stop()
    gw.mock.stop()


@pytest.fixture(scope="module")
def gateway_factory():
    started = []

    def make(plugin_config, **kw):
        gw = start_gateway(plugin_config, **kw)
        started.append(gw)
        return gw

    yield make
    for gw in started:
        stop_gateway(gw)


def gateway_for(plugin_config, **kw):
    """A module-scoped `gw` fixture: one gateway for all of a module's tests.
    Use as `gw = gateway_for(CONFIG)` at module level."""

    @pytest.fixture(scope="module", name="gw")
    def gw(gateway_factory):
        return gateway_factory(plugin_config, **kw)

    return gw


@pytest.fixture(autouse=True)
def reset_mocks(request):
    """The module's gateway is shared, so each test starts with empty
    request logs and no leftover scripts on its mocks."""
    if "gw" in request.fixturenames:
        request.getfixturevalue("gw").reset()


def assert_openai_error(resp, status, code):
    assert resp.status_code == status, resp.text
    assert resp.headers.get("content-type", "").startswith("application/json")
    body = resp.json()
    err = body["error"]
    assert set(err) >= {"message", "type", "code"}, body
    assert err["code"] == code, body
    assert len(resp.headers.get("x-clawgate-request-id", "")) == 32
    return err


def refusal_text(resp):
    """A content refusal answered as the model's answer (`risk.refusal:
    message`, the default): a 200 marked `x-clawgate-refusal`, whose text
    is read back from any wire format, JSON or SSE, as a client would."""
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("x-clawgate-refusal") == "content_blocked", dict(resp.headers)
    assert len(resp.headers.get("x-clawgate-request-id", "")) == 32
    if resp.headers.get("content-type", "").startswith("text/event-stream"):
        text = ""
        for line in resp.text.splitlines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            ev = json.loads(line[len("data: "):])
            if "choices" in ev:
                text += ev["choices"][0]["delta"].get("content") or ""
            elif ev.get("type") == "response.output_text.delta":
                text += ev["delta"]
            elif ev.get("type") == "content_block_delta":
                text += ev["delta"]["text"]
        return text
    body = resp.json()
    if "choices" in body:
        return body["choices"][0]["message"]["content"]
    if body.get("object") == "response":
        return body["output"][0]["content"][0]["text"]
    return body["content"][0]["text"]


def post_json(gw, path, body, headers=None, raw=None, timeout=30):
    hdrs = {"content-type": "application/json"}
    hdrs.update(headers or {})
    data = raw if raw is not None else json.dumps(body)
    return requests.post(gw.url + path, data=data, headers=hdrs, timeout=timeout)


def chat(content, model="gpt-4o", **extra):
    """A chat completion body with one user message."""
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


def poll(fetch, done, timeout, interval=0.1):
    """Calls fetch() until done(value) or the timeout; returns the last value."""
    deadline = time.time() + timeout
    while True:
        value = fetch()
        if done(value) or time.time() > deadline:
            return value
        time.sleep(interval)


def stat_sum(gw, suffix):
    """The sum of the gateway's counters whose names end with suffix (one per
    worker, and per tag value)."""
    total = 0
    for k, v in gw.stats().items():
        if k.endswith(suffix) and v.strip().lstrip("-").isdigit():
            total += int(v)
    return total


def wait_stat(gw, suffix, expected, timeout=3.0):
    """Stats are written when Envoy logs the request, just after the reply."""
    return poll(lambda: stat_sum(gw, suffix), lambda got: got == expected, timeout, interval=0.05)


def clawgate(*args, timeout=60):
    """Runs the native clawgate binary."""
    return subprocess.run([h.CLAWGATE, *args], capture_output=True, text=True, timeout=timeout)


def envoy_start_error(plugin_config, upstream_names):
    """Starts Envoy with a plugin config it must refuse; returns the error."""
    workdir = tempfile.mkdtemp(prefix="clawgate-badcfg-")
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, {n: h.free_port() for n in upstream_names}, plugin_config)
    with pytest.raises(RuntimeError) as e:
        h.start_envoy(workdir, cfg, admin, concurrency=1).stop()
    return str(e.value)
