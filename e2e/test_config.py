"""A bad plugin config is rejected by Envoy, never half-applied."""

import os
import tempfile

import harness as h
import pytest


@pytest.mark.parametrize("bad", [
    {"providers": [{"name": "p"}], "models": [{"name": "m", "provider": "nope"}]},
    {"provider": []},
    {"predicates": [{"regex": "(", "provider": "p"}], "providers": [{"name": "p"}]},
])
def test_envoy_rejects_bad_config(bad):
    workdir = tempfile.mkdtemp(prefix="clawgate-badcfg-")
    port, admin = h.free_port(), h.free_port()
    cfg = h.envoy_config(port, admin, {"p": h.free_port()}, bad)
    with pytest.raises(RuntimeError) as e:
        proc = h.start_envoy(workdir, cfg, admin, concurrency=1)
        proc.stop()
    assert "invalid configuration" in str(e.value)
