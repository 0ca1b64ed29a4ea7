"""`clawgate check-config`: the filter's parser, with line and column."""

import json
import subprocess

import harness as h
from conftest import clawgate


def check(tmp_path, text):
    f = tmp_path / "c.yaml"
    f.write_text(text)
    return clawgate("check-config", str(f))


def test_example_config_is_valid():
    r = clawgate("check-config", f"{h.ROOT}/envoy/clawgate.example.yaml")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK:")


def test_unknown_key_has_path_line_and_column(tmp_path):
    r = check(tmp_path, "providers:\n  - name: openai\nmodels:\n  - name: a\n    provider: openai\n    pricing: {input_per_1m: 1, ouput: 2}\n")
    assert r.returncode == 1
    assert ":6:" in r.stderr and "models[0].pricing.ouput" in r.stderr, r.stderr


def test_semantic_errors_all_reported(tmp_path):
    r = check(tmp_path, "providers:\n  - name: openai\nmodels:\n  - name: a\n    provider: nope\ndefault_provider: gone\n")
    assert r.returncode == 1
    assert ":5:" in r.stderr and "models[0].provider" in r.stderr, r.stderr
    assert ":6:" in r.stderr and "default_provider" in r.stderr, r.stderr


def test_yaml_syntax_error(tmp_path):
    r = check(tmp_path, "providers: [\n")
    assert r.returncode == 1 and "line 2" in r.stderr


def test_probe_through_gateway(gateway_factory):
    gw = gateway_factory({
        "providers": [{"name": "up"}],
        "models": [{"name": "good", "provider": "up"}, {"name": "bad", "provider": "up"}],
    })
    gw.script("up", [{}, {"status": 500}])
    r = clawgate("probe", "--gateway", gw.url, "--json")
    lines = [json.loads(l) for l in r.stdout.splitlines()]
    assert [(l["model"], l["status"]) for l in lines] == [("good", 200), ("bad", 500)]
    assert r.returncode == 1
    sent = [json.loads(x["body"]) for x in gw.received("up")]
    assert [s["max_tokens"] for s in sent] == [1, 1]


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    """`clawgate rules list | head -1`: the pipe closes after one line.
    The command ends without a panic (it used to die on the failed write,
    with a backtrace on stderr) and with SIGPIPE's status, 141: not 0,
    since it did not finish (`audit verify | head` must not pass)."""
    big = tmp_path / "many.txt"
    big.write_text("".join(f"password=Hunter2024xyz{i}\n" for i in range(3000)))
    # an output far past the pipe's 64 KiB buffer (about 800 KB), so the
    # writes go on after the reader has gone; a short one could finish first
    for args in (["rules", "test", "--json", "--file", str(big)],):
        p = subprocess.Popen([h.CLAWGATE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read().decode()
        assert p.wait(timeout=30) == 141, (args, err)
        assert first and "panicked" not in err, (args, err)
