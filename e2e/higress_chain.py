"""A Higress-like plugin chain in the pip Envoy: Higress's own plugin.wasm
builds (fetched by `make higress-plugins` into .cache/higress/, ABI export
renamed) around the real clawgate.wasm, in the order Higress runs them:
ai-data-masking (AUTHN 991) -> clawgate (AUTHZ 100) -> ai-statistics
(default 200) -> ai-proxy (default 100), with Higress's access-log fields."""

import json
import os
import time

import harness as h
import requests

PLUGINS = os.path.join(h.ROOT, ".cache", "higress")
# The access-log fields Higress's own format carries, plus span tags.
LOG_FORMAT = (
    '{"ai_log":"%FILTER_STATE(wasm.ai_log:PLAIN)%",'
    '"route_reason_tag":"%FILTER_STATE(wasm.trace_span_tag.clawgate.route_reason:PLAIN)%",'
    '"model_tag":"%FILTER_STATE(wasm.trace_span_tag.gen_ai.model_name:PLAIN)%",'
    '"code":"%RESPONSE_CODE%","path":"%REQ(:PATH)%"}\n'
)


def plugin_path(name):
    return os.path.join(PLUGINS, f"{name}.wasm")


def available():
    return all(os.path.exists(plugin_path(n)) for n in ("ai-statistics", "ai-data-masking", "gpustack-ai-proxy"))


def higress_plugin(name, conf):
    return {
        "name": name,
        "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
            "config": {
                "name": name,
                # Higress's Go plugins stop header iteration until the body is in.
                "allow_on_headers_stop_iteration": True,
                "vm_config": {"vm_id": name, "runtime": "envoy.wasm.runtime.v8",
                              "code": {"local": {"filename": plugin_path(name)}}},
                "configuration": {"@type": "type.googleapis.com/google.protobuf.StringValue", "value": json.dumps(conf)},
            },
        },
    }


class Chain:
    def __init__(self, workdir, envoy, port, admin, mock, ports):
        self.workdir, self.envoy, self.port, self.admin = workdir, envoy, port, admin
        self.mock, self.ports = mock, ports
        self.url = f"http://127.0.0.1:{port}"

    def received(self, upstream):
        return requests.get(f"http://127.0.0.1:{self.ports[upstream]}/__requests", timeout=5).json()

    def reset(self):
        for p in self.ports.values():
            requests.post(f"http://127.0.0.1:{p}/__reset", timeout=5)

    def stats(self):
        text = requests.get(f"http://127.0.0.1:{self.admin}/stats", timeout=5).text
        return {k: int(v) for k, _, v in (l.partition(": ") for l in text.splitlines()) if v.strip().isdigit()}

    def access_log(self):
        path = os.path.join(self.workdir, "access.log")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(l) for l in f if l.strip()]

    def stop(self):
        self.envoy.stop()
        self.mock.stop()


def start_chain(workdir, clawgate_config, before, after, upstreams, env=None, extra_clusters=None,
                vm_env_keys=None):
    """Envoy with `before` + clawgate + `after` wasm filters. Higress's
    plugins take seconds each to compile in V8: wait for the listener."""
    mock, ports = h.start_mock(workdir, upstreams)
    port, admin = h.free_port(), h.free_port()
    claw = h.wasm_filter(clawgate_config)
    if vm_env_keys:
        claw["typed_config"]["config"]["vm_config"]["environment_variables"] = {"host_env_keys": vm_env_keys}
    cfg = h.envoy_config(port, admin, ports, clawgate_config, filters=before + [claw] + after,
                         extra_clusters=extra_clusters)
    hcm = cfg["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    hcm["access_log"] = [{
        "name": "envoy.access_loggers.file",
        "typed_config": {"@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog",
                         "path": os.path.join(workdir, "access.log"),
                         "log_format": {"text_format_source": {"inline_string": LOG_FORMAT}}},
    }]
    path = os.path.join(workdir, "chain.json")
    with open(path, "w") as f:
        json.dump(cfg, f, indent=1)
    # Envoy's file access log writes its buffer every 10 s by default (only
    # the first line goes out at once): 100 ms lets tests read each line.
    proc = h.Proc([h.ENVOY, "-c", path, "--concurrency", "1", "--base-id", str(admin), "--log-level", "warn",
                   "--component-log-level", "wasm:warn", "--file-flush-interval-msec", "100"],
                  os.path.join(workdir, "chain.log"),
                  env=dict(os.environ, **(env or {})))
    try:
        h.wait_http(f"http://127.0.0.1:{admin}/ready", timeout=180, proc=proc)
        deadline = time.time() + 60
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/__ping", timeout=5)
                break
            except requests.RequestException:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
    except Exception as e:
        proc.stop()
        mock.stop()
        raise RuntimeError(f"chain envoy failed to start: {e}\n{proc.output()[-4000:]}")
    return Chain(workdir, proc, port, admin, mock, ports)
