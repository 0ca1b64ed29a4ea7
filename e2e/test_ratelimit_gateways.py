"""Rate limits across gateways: two real Envoys share one sidecar on one
PostgreSQL; each syncs its counts with the sidecar every second and adds
the other's to its own, so the two together admit the limit plus at most
what each admits while its view of the other lags (docs/access.md), not
twice the limit as two gateways counting alone did."""

import os
import time

import forge
import harness as h
import pytest
from conftest import chat, post_json, poll

TOKEN = "rl-token"
TPM = 180  # the mock answers 18 tokens per request: 10 requests
PER_REQUEST = 18
# one request per second to each gateway; a gateway's view of the other
# lags at most two syncs (1 s each) and a call: up to 3 requests each
PACE_S = 1.0
LAG_REQUESTS = 3


def config():
    return {
        "providers": [{"name": "p1"}],
        "models": [{"name": "m1", "provider": "p1"}],
        "identity": {"user": ["x-user"]},
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100},
        "rate_limits": {"limits": [
            {"name": "team-tpm", "match": "team-*", "shared": True, "tokens_per_minute": TPM}]},
    }


@pytest.fixture(params=["one sidecar", "a sidecar each"])
def pg_sidecars(request, tmp_path):
    """The two gateways' sidecars on one PostgreSQL: one shared, or one
    per gateway (as budgets across gateway nodes run)."""
    if not os.environ.get("CLAWGATE_TEST_PG"):
        pytest.skip("PostgreSQL not tested: CLAWGATE_TEST_PG not set (scripts/pg.sh start)")
    db = forge.fresh_pg()
    first = h.Sidecar(str(tmp_path), token=TOKEN, db=db)
    started = [first]
    if request.param == "a sidecar each":
        os.makedirs(tmp_path / "b", exist_ok=True)
        started.append(h.Sidecar(str(tmp_path / "b"), token=TOKEN, db=db))
    yield first, started[-1]
    for sc in started:
        sc.stop()
    forge.drop_pg(db)


def test_tokens_per_minute_hold_across_two_gateways_on_one_postgres(gateway_factory, pg_sidecars):
    pg_sidecar, sidecar_b = pg_sidecars
    gw_a = gateway_factory(config(), extra_clusters=[pg_sidecar.cluster])
    gw_b = gateway_factory(config(), extra_clusters=[sidecar_b.cluster])
    # the whole run (14 s) inside one fixed minute window
    s = time.time() % 60
    if s > 60 - 20:
        time.sleep(60 - s + 0.5)
    admitted = {"a": 0, "b": 0}
    refused = 0
    for i in range(14):
        for name, gw in (("a", gw_a), ("b", gw_b)):
            # two users of the team: the shared limit counts them together
            r = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"),
                          headers={"x-user": f"team-{i % 2}"})
            if r.status_code == 200:
                admitted[name] += 1
            else:
                assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited", r.text
                refused += 1
        time.sleep(PACE_S)
    total = sum(admitted.values())
    limit_requests = TPM // PER_REQUEST
    bound = limit_requests + 2 * LAG_REQUESTS
    print(f"admitted {admitted} (total {total}, limit {limit_requests}, stated bound {bound}), refused {refused}")
    # each gateway alone admits the whole limit: 2 × 10 = 20
    assert total <= bound, f"{total} admitted by two gateways against a limit of {limit_requests}: {admitted}"
    assert total >= limit_requests, admitted
    assert admitted["a"] > 0 and admitted["b"] > 0, admitted
    # the sidecar sums the two gateways' counts for the console
    view = poll(lambda: pg_sidecar.get("/v1/ratelimits").json(),
                lambda v: v["limits"] and v["limits"][0]["usage"], 5, interval=0.2)
    lim = view["limits"][0]
    assert lim["name"] == "team-tpm" and lim["tokens_per_minute"] == TPM
    used = lim["usage"][0]
    assert used["who"] == "*" and used["tokens"] >= TPM and used["tokens_left"] == 0, lim
