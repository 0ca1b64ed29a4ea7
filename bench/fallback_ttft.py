"""Time to first token of a streamed answer when the first model fails
(docs/fallback-streaming.md). Two ways, same mocks (p1 answers 503, p2
streams slowly):

  replay  clawgate today: the filter replays with dispatch_http_call and
          answers the client with the whole replayed body.
  retry   Envoy retries the failed attempt itself (route retry policy on
          the fallback statuses, the next priority of one cluster per
          attempt), and an upstream HTTP filter rewrites the body per
          attempt (here a Lua stand-in that renames the model by
          x-envoy-attempt-count), so the answer streams through.

Usage: .venv/bin/python bench/fallback_ttft.py [runs] [chunk_gap_ms] [words]
"""

import json
import os
import statistics
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402

STATUSES = [429, 500, 502, 503, 504]

# Per attempt: attempt 1 keeps m1, attempt 2 asks for m2. Shows that the
# body can be rewritten per attempt, upstream of the retry.
LUA = """
function envoy_on_request(handle)
  local n = tonumber(handle:headers():get("x-envoy-attempt-count") or "1")
  if n > 1 then
    local body = handle:body()
    local s = body:getBytes(0, body:length())
    local out = string.gsub(s, '"model":%s*"m1"', '"model":"m2"')
    body:setBytes(out)
    handle:headers():replace("content-length", tostring(#out))
    handle:headers():replace("x-attempt-model", "m2")
  end
end
"""


def retry_config(port, admin, p1, p2):
    cfg = h.envoy_config(port, admin, {"p1": p1}, {"providers": [{"name": "p1"}]}, filters=[])
    endpoint = lambda p: {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": p}}}}
    cfg["static_resources"]["clusters"].append({
        "name": "providers", "type": "STATIC", "connect_timeout": "1s",
        "load_assignment": {"cluster_name": "providers", "endpoints": [
            {"priority": 0, "lb_endpoints": [endpoint(p1)]},
            {"priority": 1, "lb_endpoints": [endpoint(p2)]},
        ]},
        "typed_extension_protocol_options": {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            "explicit_http_config": {"http_protocol_options": {}},
            "http_filters": [
                {"name": "envoy.filters.http.lua", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua",
                    "default_source_code": {"inline_string": LUA}}},
                {"name": "envoy.filters.http.upstream_codec", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec"}},
            ],
        }},
    })
    hcm = cfg["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    vh = hcm["route_config"]["virtual_hosts"][0]
    vh["include_request_attempt_count"] = True
    vh["routes"] = [{"match": {"prefix": "/"}, "route": {"cluster": "providers", "timeout": "300s", "retry_policy": {
        "retry_on": "retriable-status-codes", "retriable_status_codes": STATUSES, "num_retries": 1,
        "retry_priority": {"name": "envoy.retry_priorities.previous_priorities", "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig",
            "update_frequency": 1}},
        "per_try_timeout": "30s"}}}]
    return cfg


def first_token_s(url, body):
    """Seconds to the first content delta, and to the end of the answer."""
    t0 = time.time()
    first = None
    with requests.post(url, json=body, stream=True, timeout=60) as r:
        assert r.status_code == 200, r.status_code
        for line in r.iter_lines():
            if first is None and line.startswith(b"data: {") and b'"content": "' in line and b'"content": ""' not in line:
                first = time.time() - t0
    return first, time.time() - t0


def run(mode, runs, gap_ms, words):
    workdir = tempfile.mkdtemp(prefix=f"clawgate-ttft-{mode}-")
    mock, ports = h.start_mock(workdir, ["p1", "p2"])
    port, admin = h.free_port(), h.free_port()
    if mode == "replay":
        plugin = {"providers": [{"name": "p1"}, {"name": "p2"}],
                  "models": [{"name": "m1", "provider": "p1", "fallback": ["m2"]}, {"name": "m2", "provider": "p2"}]}
        cfg = h.envoy_config(port, admin, ports, plugin)
    else:
        cfg = retry_config(port, admin, ports["p1"], ports["p2"])
    envoy = h.start_envoy(workdir, cfg, admin, concurrency=1)
    content = " ".join(f"w{i}" for i in range(words))
    out = {"fallback": [], "direct": [], "total": []}
    try:
        for _ in range(runs):
            for kind in ("direct", "fallback"):
                for p in ("p1", "p2"):
                    requests.post(f"http://127.0.0.1:{ports[p]}/__reset", timeout=5)
                beh = {"chunk_gap_ms": gap_ms, "content": content}
                if kind == "fallback":
                    requests.post(f"http://127.0.0.1:{ports['p1']}/__script", json={"script": [{"status": 503}]}, timeout=5)
                    requests.post(f"http://127.0.0.1:{ports['p2']}/__script", json={"script": [beh]}, timeout=5)
                else:
                    requests.post(f"http://127.0.0.1:{ports['p1']}/__script", json={"script": [beh]}, timeout=5)
                ttft, total = first_token_s(f"http://127.0.0.1:{port}/v1/chat/completions",
                                            {"model": "m1", "stream": True, "messages": []})
                out[kind].append(ttft)
                if kind == "fallback":
                    out["total"].append(total)
                    got = requests.get(f"http://127.0.0.1:{ports['p2']}/__requests", timeout=5).json()
                    assert json.loads(got[-1]["body"])["model"] == "m2", (mode, got[-1])
    finally:
        envoy.stop()
        mock.stop()
    return {k: round(statistics.median(v), 3) for k, v in out.items()}


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    gap = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    words = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    print(f"runs={runs} chunk_gap_ms={gap} words={words} (medians, seconds)")
    for mode in ("replay", "retry"):
        print(mode, run(mode, runs, gap, words), flush=True)
