"""The console in a real browser (Debian's headless Chromium, driven over
the DevTools protocol) against a real sidecar filled by real traffic
through Envoy: log in with the read token, search, open a record and the
config version that decided it, follow a trace, read the cost chart and a
budget, run the rule tester. Screenshots go to e2e/artifacts/."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

import harness as h
import pytest
import requests
from conftest import chat, poll, post_json

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")
TOKEN, READER = "console-write", "console-read"

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium not installed (apt-get install chromium)")


class Page:
    """One browser tab over the DevTools protocol."""

    def __init__(self, ws_url):
        import websocket
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.n = 0

    def send(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expr):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expr}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait(self, expr, timeout=15.0):
        got = poll(lambda: self.js(expr), bool, timeout, interval=0.2)
        assert got, f"never true: {expr}"
        return got

    def text(self, sel):
        return self.js(f"document.querySelector({json.dumps(sel)})?.innerText ?? ''")

    def shot(self, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(os.path.join(ARTIFACTS, f"console-{name}.png"), "wb") as f:
            f.write(base64.b64decode(data))


@pytest.fixture
def browser():
    port = h.free_port()
    profile = tempfile.mkdtemp(prefix="clawgate-chromium-")
    proc = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
                             "--window-size=1400,1000", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        targets = poll(lambda: _targets(port), bool, 30.0, interval=0.3)
        page = next(t for t in targets if t.get("type") == "page")
        p = Page(page["webSocketDebuggerUrl"])
        p.send("Page.enable")
        yield p
        p.ws.close()
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _targets(port):
    try:
        return requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
    except (requests.RequestException, ValueError):
        return []


def config():
    return {
        "providers": [{"name": "p1", "api_key": "sk-console-secret"}, {"name": "p2"}],
        "models": [
            {"name": "m1", "provider": "p1", "pricing": {"input_per_1m": 1000, "output_per_1m": 2000}},
            {"name": "m2", "provider": "p2", "pricing": {"input_per_1m": 500, "output_per_1m": 500, "currency": "EUR"}},
        ],
        "identity": {"user": ["x-user"], "trace": ["x-trace"]},
        "audit": {"cluster": "clawgate_audit", "token": TOKEN, "flush_interval_ms": 100, "payloads": "full"},
        "budgets": {"pull_interval_ms": 200, "limits": [
            {"name": "alice-daily", "match": "alice", "period": "day", "max_tokens": 1000}]},
        "access": {"rules": [{"name": "carol-not-m2", "match": "carol", "models": ["m2"], "action": "deny"}]},
        "rate_limits": {"limits": [{"name": "dave-rpm", "match": "dave", "requests_per_minute": 1}]},
    }


def refusals(gw):
    """A request access refuses and one a rate limit refuses (the two
    inside one minute)."""
    s = time.time() % 60
    if s > 55:
        time.sleep(60 - s + 0.5)
    denied = post_json(gw, "/v1/chat/completions", chat("hi", model="m2"), headers={"x-user": "carol"})
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "model_not_allowed", denied.text
    assert post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-user": "dave"}).status_code == 200
    limited = post_json(gw, "/v1/chat/completions", chat("hi", model="m1"), headers={"x-user": "dave"})
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited", limited.text


def test_console_end_to_end(gateway_factory, browser, tmp_path):
    sc = h.Sidecar(str(tmp_path), token=TOKEN, read_token=READER)
    try:
        gw = gateway_factory(config(), extra_clusters=[sc.cluster])
        ids = []
        for i, (user, model) in enumerate([("alice", "m1"), ("alice", "m2"), ("bob", "m1"), ("alice", "m1")]):
            r = post_json(gw, "/v1/chat/completions", chat(f"question {i}", model=model),
                          headers={"x-user": user, "x-trace": "trace-console"})
            assert r.status_code == 200
            ids.append(r.headers["x-clawgate-request-id"])
        blocked = post_json(gw, "/v1/chat/completions", chat("-----BEGIN RSA PRIVATE KEY-----\nMIIE", model="m1"),
                            headers={"x-user": "bob"})
        assert blocked.headers["x-clawgate-refusal"] == "content_blocked"
        poll(lambda: sc.get("/v1/audit", params={"limit": 100}).json()["total"], lambda n: n >= 5, 10.0)
        page = browser
        page.send("Page.navigate", url=sc.url + "/")
        page.wait("document.readyState === 'complete'")
        # no token yet: the page asks for one
        page.wait("getComputedStyle(document.getElementById('login')).display !== 'none'")
        page.shot("1-login")
        page.js(f"document.getElementById('token').value = {json.dumps(READER)};"
                "document.getElementById('login').requestSubmit(); true")
        page.wait("document.querySelectorAll('#rows tr').length >= 5")
        assert page.js("getComputedStyle(document.getElementById('login')).display") == "none"
        assert READER not in page.js("location.href"), "the token never goes in a URL"
        assert "1–5 of 5" in page.text("#count")
        page.shot("2-requests")
        # search by user
        page.js("document.querySelector('#search [name=user]').value = 'bob';"
                "document.getElementById('search').requestSubmit(); true")
        page.wait("document.getElementById('count').innerText.includes('of 2')")
        users = page.js("[...document.querySelectorAll('#rows tr td:nth-child(2)')].map(td => td.innerText)")
        assert users == ["bob", "bob"]
        statuses = page.js("[...document.querySelectorAll('#rows tr td:nth-child(7)')].map(td => td.innerText)")
        # the refusal was answered as the model's answer (200); its risk
        # cell says it was blocked
        assert statuses == ["200", "200"]
        actions = page.js("[...document.querySelectorAll('#rows tr td:nth-child(6)')].map(td => td.innerText)")
        assert sorted(actions) == ["", "block"]
        # open the allowed one: every field, attempts, payload, its config version
        page.js("[...document.querySelectorAll('#rows tr')].find(tr => tr.children[5].innerText !== 'block').click(); true")
        page.wait("!document.getElementById('detail').hidden")
        detail = page.text("#detail")
        assert ids[2] in detail and "Attempts" in detail and "question 2" in detail
        page.js("document.getElementById('config-link').click(); true")
        page.wait("!document.getElementById('config').hidden")
        cfg = page.text("#config")
        assert "[redacted]" in cfg and "sk-console-secret" not in cfg and "alice-daily" in cfg
        page.shot("3-detail-config")
        # follow the trace: four requests in time order with their timings
        page.js("document.getElementById('trace-link').click(); true")
        page.wait("document.querySelectorAll('#trace-rows tr').length === 4")
        shown = page.js("[...document.querySelectorAll('#trace-rows tr td:nth-child(2)')].map(td => td.innerText)")
        assert shown == ids
        assert page.js("document.querySelectorAll('#trace-rows .bar').length") == 4
        page.shot("4-trace")
        # costs: totals per user and the per-day chart, one per currency
        page.js("document.querySelector('[data-tab=costs]').click(); true")
        page.wait("document.querySelectorAll('#cost-totals tr').length >= 2")
        totals = page.text("#cost-totals")
        assert "alice" in totals and "bob" in totals and "EUR" in totals
        page.wait("document.querySelectorAll('svg.cost-chart rect').length >= 2")
        assert set(page.js("[...document.querySelectorAll('svg.cost-chart')].map(s => s.dataset.currency)")) == {"USD", "EUR"}
        page.shot("5-costs")
        # budgets: alice's spend against her limit
        page.js("document.querySelector('[data-tab=budgets]').click(); true")
        page.wait("document.getElementById('budgets').innerText.includes('alice-daily')")
        budget = page.text("#budgets")
        assert "alice" in budget and "1000" in budget and "54" in budget, budget  # 3 requests × 18 tokens
        # refused requests: the detail names the access rule and the rate
        # limit that decided; the rate limit's minute beside the budgets
        refusals(gw)
        poll(lambda: sc.get("/v1/audit", params={"limit": 100}).json()["total"], lambda n: n >= 8, 10.0)
        # the gateway syncs its counts once a second: reopen the tab until they show
        page.wait("(document.querySelector('[data-tab=budgets]').click(),"
                  " [...document.querySelectorAll('#ratelimits td')].some(td => td.innerText === 'dave'))", timeout=20)
        rates = page.text("#ratelimits")
        assert "dave-rpm" in rates, rates
        row = page.js("[...[...document.querySelectorAll('#ratelimits tr')].find(tr => tr.children[0].innerText === 'dave')"
                      ".children].map(td => td.innerText.trim())")
        assert row[:4] == ["dave", "1", "1", "0"], row  # 1 admitted of 1 per minute, none left
        page.shot("6-budgets")
        for user, says in (("carol", ["carol-not-m2", "denied"]), ("dave", ["dave-rpm", "rate limit"])):
            page.js("document.querySelector('[data-tab=requests]').click(); true")
            page.js(f"document.querySelector('#search [name=user]').value = {json.dumps(user)};"
                    "document.querySelector('#search [name=status]').value = '';"
                    "document.getElementById('search').requestSubmit(); true")
            page.wait(f"[...document.querySelectorAll('#rows tr td:nth-child(7)')].some(td => td.innerText === '{403 if user == 'carol' else 429}')",
                      timeout=20)
            page.js(f"[...document.querySelectorAll('#rows tr')].find(tr => tr.children[6].innerText === '{403 if user == 'carol' else 429}').click(); true")
            page.wait("!document.getElementById('detail').hidden")
            detail = page.text("#detail")
            assert all(x in detail for x in says), detail
            page.shot(f"6-refused-{user}")
        # the rule tester marks the spans it matched
        page.js("document.querySelector('[data-tab=rules]').click(); true")
        page.js("document.getElementById('text').value = 'mail me at jane.doe@corp-mail.com or -----BEGIN RSA PRIVATE KEY-----';"
                "document.getElementById('scan').click(); true")
        page.wait("document.querySelectorAll('#highlight mark').length >= 2")
        marks = page.js("[...document.querySelectorAll('#highlight mark')].map(m => [m.dataset.rule, m.innerText])")
        assert ["email_address", "jane.doe@corp-mail.com"] in marks, marks
        assert any(rule == "private_key_marker" for rule, _ in marks), marks
        assert "block" in page.text("#hits")
        page.shot("7-rules")
    finally:
        sc.stop()
