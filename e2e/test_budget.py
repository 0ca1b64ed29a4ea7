"""Budgets through real Envoy and a real sidecar: the sidecar adds up spend
from the audit trail, the filter pulls it on tick and answers 429 (or
downgrades) once a limit is reached; soft thresholds add a header; a new
period resets (the sidecar's clock is injected with its test hook); two
gateways sharing one PostgreSQL enforce one budget."""

import json
import os
import time
import uuid

import harness as h
import pytest
import requests
from conftest import chat, poll, post_json, stat_sum

TOKEN = "budget-token"
DAY_MS = 86_400_000
# the mock answers 18 tokens per request (11 prompt + 7 completion)


def config(limits, **budgets):
    b = {"pull_interval_ms": 200, "limits": limits}
    b.update(budgets)
    return {
        "providers": [{"name": "p1"}, {"name": "p2"}, {"name": "p3", "protocols": ["anthropic"]}],
        "models": [
            {"name": "big", "provider": "p1", "pricing": {"input_per_1m": 1000, "output_per_1m": 2000}},
            {"name": "small", "provider": "p2"},
            {"name": "claude", "provider": "p3"},
        ],
        "identity": {"user": ["x-user"]},
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100},
        "budgets": b,
    }


def ask(gw, user, model="big"):
    return post_json(gw, "/v1/chat/completions", chat("hello", model=model), headers={"x-user": user})


def settle(sc, r):
    """Waits until the request's record is stored and the filter has pulled
    since (pull every 200 ms, tick 100 ms): spend between pulls is the
    documented overshoot, so the tests wait it out."""
    rid = r.headers["x-clawgate-request-id"]
    until(lambda: sc.get(f"/v1/audit/{rid}"), lambda x: x.status_code == 200)
    time.sleep(0.7)
    return r


def until(fn, done, timeout=10.0):
    got = poll(fn, done, timeout, interval=0.1)
    assert done(got), got
    return got


@pytest.fixture
def sidecar(tmp_path):
    started = []

    def make(**kw):
        sc = h.Sidecar(str(tmp_path / f"sc{len(started)}"), token=TOKEN, **kw)
        started.append(sc)
        return sc

    os.makedirs(tmp_path / "sc0", exist_ok=True)
    os.makedirs(tmp_path / "sc1", exist_ok=True)
    yield make
    for sc in started:
        sc.stop()


def test_over_budget_gets_429_soft_header_first(gateway_factory, sidecar):
    sc = sidecar()
    limit = {"name": "daily-workers", "match": "worker-*", "period": "day", "max_tokens": 40, "soft_at": 0.5}
    gw = gateway_factory(config([limit]), extra_clusters=[sc.cluster])
    first = settle(sc, ask(gw, "worker-1"))  # 18 tokens
    assert first.status_code == 200 and "x-clawgate-budget" not in first.headers
    second = settle(sc, ask(gw, "worker-1"))  # 18/40 was spent: under the soft mark
    assert second.status_code == 200 and "x-clawgate-budget" not in second.headers
    soft = settle(sc, ask(gw, "worker-1"))  # 36/40
    assert soft.status_code == 200
    assert soft.headers["x-clawgate-budget"] == "soft; limit=daily-workers; used=90%"
    over = ask(gw, "worker-1")  # 54/40
    assert over.status_code == 429
    err = over.json()["error"]
    assert err["code"] == "budget_exceeded" and "daily-workers" in err["message"]
    assert "of 40 tokens" in err["message"] and "resets at" in err["message"]
    assert 0 < int(over.headers["retry-after"]) <= 86_400
    assert over.headers["x-clawgate-request-id"]
    # the same limit answers an Anthropic call in Anthropic's error shape
    msg = post_json(gw, "/v1/messages", {"model": "claude", "max_tokens": 5,
                                         "messages": [{"role": "user", "content": "hi"}]},
                    headers={"x-user": "worker-1", "anthropic-version": "2023-06-01"})
    assert msg.status_code == 429 and msg.json()["type"] == "error"
    assert "daily-workers" in msg.json()["error"]["message"] and msg.headers["retry-after"]
    # other identities and other patterns are not affected
    assert ask(gw, "worker-2").status_code == 200
    assert ask(gw, "boss").status_code == 200
    until(lambda: stat_sum(gw, "clawgate.budget.limit.daily-workers.outcome.exceeded"), lambda n: n >= 1)
    assert stat_sum(gw, "clawgate.budget.limit.daily-workers.outcome.soft") == 1
    # the refusal is in the audit trail with its budget
    rid = over.headers["x-clawgate-request-id"]
    rec = until(lambda: sc.get(f"/v1/audit/{rid}"), lambda r: r.status_code == 200).json()
    assert (rec["status"], rec["error"], rec["budget"]) == (429, "budget_exceeded",
                                                           {"limit": "daily-workers", "outcome": "exceeded"})


def test_downgrade_to_the_cheaper_model(gateway_factory, sidecar):
    sc = sidecar()
    limit = {"name": "big-spend", "match": "*", "period": "month", "models": ["big"],
             "max_cost": 0.02, "currency": "USD", "action": "downgrade", "downgrade_to": "small"}
    gw = gateway_factory(config([limit]), extra_clusters=[sc.cluster])
    # 11 × 1000 + 7 × 2000 per 1M tokens = 0.025 USD per request
    first = settle(sc, ask(gw, "dev-1"))
    assert first.headers["x-gateway-model-used"] == "big"
    down = ask(gw, "dev-1")
    assert down.status_code == 200 and down.headers["x-gateway-model-used"] == "small"
    assert down.headers["x-clawgate-route-reason"] == "budget"
    assert down.headers["x-clawgate-budget"] == "downgraded; limit=big-spend"
    assert json.loads(gw.received("p2")[-1]["body"])["model"] == "small"


def test_a_new_period_resets_the_budget(gateway_factory, sidecar, tmp_path):
    now_file = tmp_path / "now"
    sc = sidecar(extra=["--now-file", str(now_file)])
    limit = {"name": "daily", "match": "*", "period": "day", "max_tokens": 10}
    gw = gateway_factory(config([limit]), extra_clusters=[sc.cluster])
    settle(sc, ask(gw, "u"))
    assert ask(gw, "u").status_code == 429
    # the sidecar's clock moves to the next day: yesterday's spend no longer counts
    now_file.write_text(str((int(time.time() * 1000) // DAY_MS + 1) * DAY_MS + 1000))
    until(lambda: ask(gw, "u"), lambda r: r.status_code == 200)


def test_unknown_state_fails_closed_when_configured(gateway_factory):
    limit = {"name": "daily", "match": "*", "period": "day", "max_tokens": 10}
    # the audit cluster points at a port nobody listens on
    dead = h.cluster("clawgate_audit", h.free_port())
    gw = gateway_factory(config([limit], when_unknown="closed"), extra_clusters=[dead])
    r = ask(gw, "u")
    assert r.status_code == 503 and r.json()["error"]["code"] == "budget_unavailable"
    gw2 = gateway_factory(config([limit]), extra_clusters=[dead])
    assert ask(gw2, "u").status_code == 200, "open by default"


@pytest.mark.skipif(not os.environ.get("CLAWGATE_TEST_PG"), reason="PostgreSQL not tested: CLAWGATE_TEST_PG not set (scripts/pg.sh start)")
def test_two_gateways_on_one_postgres_share_one_budget(gateway_factory, sidecar):
    db = os.environ["CLAWGATE_TEST_PG"]
    user = f"shared-{uuid.uuid4().hex[:8]}"
    limit = {"name": "one-pool", "match": user, "period": "day", "max_tokens": 50}
    a, b = sidecar(db=db), sidecar(db=db)
    gw_a = gateway_factory(config([limit]), extra_clusters=[a.cluster])
    gw_b = gateway_factory(config([limit]), extra_clusters=[b.cluster])
    # 3 × 18 = 54 tokens, spent through both gateways
    for gw, sc in ((gw_a, a), (gw_b, b), (gw_a, a)):
        r = ask(gw, user)
        assert r.status_code == 200
        settle(sc, r)
    assert ask(gw_b, user).status_code == 429
    assert ask(gw_a, user).status_code == 429
