"""Secrets and personal data as other people write them, through a real
Envoy with the shipped wasm and the OpenAI SDK, all packs on their default
actions (#27).

The made-up texts are one of each kind this round's rules take (a password
on a command line, an ID in a printed form of its own, one's own IP
address, a Bitcoin address alone, an IBAN with its padding, a phone
introduced as someone's, a literal compared with a credential, a mobile
number in Chinese numerals, a key after a full-width colon, national IDs of
more countries, a QQ number and a plate, a birth date in prose, a number to
be reached on, a Cyrillic letter in a credential's name, dashes between
a number's groups, a password's stored hash); each goes to the secure model, and the texts
next to them that only look alike reach the external one.

When the outside corpus lies beside the checkout (../shared/risk-outside,
read where it is, never copied in), every case of it is sent too, as the
issue measured it: the filter's verdicts through Envoy must be the ones
`make risk-eval` reports natively, and no negative may be blocked."""

import json
import os

import pytest

from conftest import gateway_for

CONFIG = {
    "providers": [{"name": "openai"}, {"name": "local", "secure": True}],
    "models": [
        {"name": "gpt-4o", "provider": "openai"},
        {"name": "local-qwen", "provider": "local", "upstream_model": "qwen2.5"},
    ],
}

gw = gateway_for(CONFIG)

OUTSIDE = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "risk-outside", "corpus.jsonl")


def send(client, text):
    """The risk action the gateway took on `text` and the model it used; a
    refusal (`block`) is the model's answer marked `x-clawgate-refusal`."""
    r = client.chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[{"role": "user", "content": text}]
    )
    if r.headers.get("x-clawgate-refusal") == "content_blocked":
        return "block", None
    return r.headers.get("x-clawgate-risk-action"), r.headers.get("x-gateway-model-used")


# (made-up text, what the filter does with it)
KINDS = [
    ("the nightly job runs mysqldump -h db2 -u backup -pQv7mT2wRx9 shop and writes nothing", "route_secure_model"),
    ("redis-cli -h cache1 -a Nm3Qr8Lp2zKt ping answers NOAUTH, why?", "route_secure_model"),
    ("echo 'Hu8Kz2Lq9Wm3' | sudo -S systemctl restart app hangs", "route_secure_model"),
    ("is this safe? if (\"Wq8#Lm2zTx7\" == admin_password) { grant(); }", "route_secure_model"),
    ("my ip is 81.2.69.160 and the VPN keeps dropping me", "route_secure_model"),
    ("我的 IP 是 81.2.69.160，为什么访问公司内网总是超时？", "route_secure_model"),
    ("please update my record, NI number JG 10 37 48 A", "route_secure_model"),
    ("pay the deposit to DE45 3704 0044 0000 0123 45 today", "route_secure_model"),
    ("1G53gZGr32vHPBxhCvbH1JPNc4oYyfsZhG\nis this address valid?", "route_secure_model"),
    ("my mobile number is 07841 592 630, call after six", "route_secure_model"),
    # a network's test card, written as one number: a sample, rerouted
    ("why is 5123400000000003 declined in the sandbox?", "route_secure_model"),
    # a mobile number spelled in Chinese numerals, a zero-width space inside
    ("有事打我电话 一三九 八七\u200b六五 四三二一", "route_secure_model"),
    # an ASCII name, then the full-width colon a Chinese input method types
    ("阿里云的 AccessKeySecret：Qv7mT2wRx9Lk4Hs8Zp3N，帮我看看配置对不对", "route_secure_model"),
    # a QQ number and a plate after their labels, a birth date in prose,
    # a number to be reached on
    ("有问题加我QQ号 2846193751，车牌号 粤B·D2345 的车停在楼下", "route_secure_model"),
    ("I was born on 12 July 1984, can you work out my star sign?", "route_secure_model"),
    ("you can reach John on 020 8123 4567 after five", "route_secure_model"),
    # numbers by their label: a Medicare MBI, an Italian VAT number
    ("my Medicare number (MBI) is 1EG4-TE5-MK73, P.IVA IT07643520567", "route_secure_model"),
    # a Cyrillic а in the name, em dashes between the groups
    ("the staging db p\u0430ssword = Xk29mQp7Lr4v, 手机139\u20141234\u20145678", "route_secure_model"),
    # national IDs of more countries: with a word, and alone in a printed form
    ("meu CPF é 529.982.247-25, pode atualizar o cadastro?", "route_secure_model"),
    ("PESEL 85031412347, proszę uzupełnić formularz", "route_secure_model"),
    ("numéro de sécurité sociale 1 85 05 78 006 084 91", "route_secure_model"),
    ("Steuer-ID 65 823 019 462 für die Lohnabrechnung", "route_secure_model"),
    ("invoice the client at 51 824 753 556 this month", "route_secure_model"),
    # an address spelled out, a disguised password name, a number to call
    # in Chinese, a GB driving licence
    ("mail the report to k.novak[at]posteo[dot]de before Friday", "route_secure_model"),
    ("the vpn p@ssw0rd is Qz7!mv93Lk, change it after login", "route_secure_model"),
    ("快递没到请打 010-62345678 找前台小刘", "route_secure_model"),
    ("my driving licence number is JONES710238HJ9AB", "route_secure_model"),
    # a plate alone, a name after its label, an estate's building
    ("昨天停在楼下的粤B7K2N9被贴了罚单，帮我写申诉", "route_secure_model"),
    ("收件人：赵丽华，到了放门口", "route_secure_model"),
    ("我住在深圳市南山区桃源村三期12栋1503，周末在家", "route_secure_model"),
    # a licence number in DVLA's shape alone, a MAC address after its label
    ("my licence is WATTS657121KL3QP, fill in the hire form", "route_secure_model"),
    ("My MAC address is 3c:22:fb:1a:9e:07, whitelist it please", "route_secure_model"),
    ("ship the order to 742 Evergreen Terrace, Springfield, IL 62704", "route_secure_model"),
    ("blob upload fails: storageAccountKey = \"b7T9T5OM6wolkLcPOasEkz144KOYBqeR6qPzc25joGJZ4vek4OoNoeFyPYhBjAaAHBTWtmvzAb+TCGR+2HbjdA==\"",
     "route_secure_model"),
    ("the users table has admin | $2b$12$Z47s4BCTqOfFTEsb2XbOPqmxFohRJyv2dRE37bqbQICKE7wnecFvz — which algorithm is that?",
     "route_secure_model"),
    ("vault is sealed again after the reboot; Unseal Key 1: Vq8mT2wRx9Lk4Zp7Nc3Hs6Bd1Fg5Jy0Ua2Ie7Ow+Xy3Q", "route_secure_model"),
    ("call notes: zoom token - 'f41c9a07d2e85b36a0c7e19f4d2b8a63', rotate it after", "route_secure_model"),
    ("az storage blob list --account-name acme --account-key "
     "Zq3Xw9PbL2mK7vR4tY8nC1hJ6sD0fG5aUe2iO7pQ3rW9xB4zN1mV8kT6yH0jL5cF2gS7dA3eR9uI4oP1wQ8tY6==",
     "route_secure_model"),
]

# keys by their vendor's documented format, whatever the syntax (made up):
# an Azure key (the `JQQJ9` signature at 52), NVIDIA's, a PuTTY key file
KEYS = [
    "Azure says 401: 4r48rsjeyDLmENlRdzNS8kFPPRNQaltYKO1sUCRp0i7BYXiFS77nJQQJ99dEXz4m5UyRBMsjZkMaACOGCYNq",
    "newrelic.yml: license_key: 5d0c8e2a9f7b1436e0a5c9d8f2b4e7a1c3d6NRAL",
    "NIM 报错 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 怎么办",
    "ppk = \"PuTTY-User-Key-File-3: ssh-ed25519\\nPrivate-Lines: 1\\nAAAAIFz7qPcLx0w3Rk9TbVnY2mJ8hUeQ4sGdAo6XfK1rNiCW\"",
]

LOOKALIKES = [
    "const cacheKey = \"rTxlYmcRdAoN8fyGPhRiCma0AvT4o4V8\"; recaptchaSiteKey: \"rTxlYmcRdAoN8fyGPhRiCma0AvT4o4V8\"",
    "run mysql -h db2 -u backup -p shop and type the password when it asks",
    "redis-cli -a \"$REDIS_PASSWORD\" ping reads the password from the environment",
    "the upstream server IP address: 81.2.69.160 answers on port 8443",
    "服务器的 IP 是 81.2.69.160，帮我写一份 nginx 反向代理配置",
    "ticket JG 10 37 48 E was closed",
    "if (\"changeme\" == password) { warn(\"default password\"); }",
    # numerals that are words, however many: counting, a date
    "一二三一二三，第一二三名，二〇二六年十二月七日",
    "AccessKeySecret：请在控制台创建后填写",
    "QQ群里有2024人，车牌识别准确率99.5%",
    "Python was born on 20 February 1991; call stack depth 1048576",
    "partita IVA non valida; Medicare number format is 11 characters",
    "Пароль от почты поменяли вчера — страница 10\u201420",
    "Bestellnummer 48291736502 vom 12.03.2024, Kundennummer 1029384756",
    "Zamówienie nr 93020145872 z dnia 2024-01-15",
    "ticket 51 824 753 557 closed",
    "Commande n° 2 24 03 15 004 117 32 livrée le 15/03/2024",
    "we looked at it dot com style; the acme.com case study is linked",
    "打包发布 v2.10.3，构建号 0001-2345678，请联系运维",
    "the p@ssword field is required on the login form",
    "a GB driving licence number has 16 characters",
    "the fc-layer-norm block, nvapi-client docs and rzp_live_mode_flag",
    "a .ppk file says Private-Lines: N before the private key's lines",
    "阿里云RDS1234实例和沪A股600519，京ICP备12345678号",
    "示例：姓名：张三，联系人：李先生，患者王某；联系人列表加载失败",
    "本项目共12栋楼，其中3栋已封顶",
    "MAC: FF:FF:FF:FF:FF:FF is broadcast; build 3fa9c2e1b7d04a12 passed",
    "our office moved to Mountain View, CA 94043 last year",
    "the API key - \"what the console shows\" - goes in the header; n = iToken - p->iDoclistToken;",
    "az storage blob list --account-name acme --account-key \"$AZURE_STORAGE_KEY\"",
    "this.addPassword = \"#add-password\"; put '/forgot-password' => \"cms/sites/passwords#update\"",
    "in sed s/(a)(b)/$1$2/ swaps the groups; a bcrypt hash starts with $2b$12$ and 53 more characters",
]


# The ids agents send on every turn, made up with the digit runs that once
# passed a check: a mobile number inside a hex device id (Claude Code's
# metadata.user_id), an Aadhaar-shaped and a card-shaped run in UUIDs (a
# session id, Codex's prompt_cache_key).
DEVICE_ID = "3fa9c2e1" + "13987654321" + "b7d04" + "5c" * 19 + "a1"
SESSION_UUID = "01a25b42-9787-7942-4362-fd483fe8b228"
CACHE_KEY = "62156662-8840-4532-baa4-25ecc7065974"


def test_the_ids_agents_send_are_not_personal_data(gw):
    client = gw.client()
    user_id = json.dumps({"device_id": DEVICE_ID, "account_uuid": "", "session_id": SESSION_UUID})
    r = client.chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[{"role": "user", "content": f"Say hello. (session {SESSION_UUID})"}],
        extra_body={"prompt_cache_key": CACHE_KEY, "metadata": {"user_id": user_id}},
    )
    assert r.headers.get("x-clawgate-risk-action") in (None, "audit"), r.headers
    assert r.headers.get("x-gateway-model-used") == "gpt-4o"
    assert gw.received("local") == []
    # the same mobile number written apart is personal data
    assert send(client, "call me on 13987654321") == ("route_secure_model", "local-qwen")


def test_each_kind_goes_to_the_secure_model(gw):
    client = gw.client()
    wrong = []
    for text, action in KINDS:
        got = send(client, text)
        if got != (action, "local-qwen"):
            wrong.append((text, got))
    assert not wrong, wrong
    assert gw.received("openai") == []


def test_each_key_is_refused(gw):
    client = gw.client()
    wrong = [(t[:40], got) for t in KEYS if (got := send(client, t)) != ("block", None)]
    assert not wrong, wrong
    assert gw.received("openai") == [] and gw.received("local") == []


def test_lookalikes_reach_the_external_model(gw):
    client = gw.client()
    wrong = [(t, got) for t in LOOKALIKES if (got := send(client, t))[1] != "gpt-4o"]
    assert not wrong, wrong
    assert gw.received("local") == []


def native_verdicts():
    """`id -> acted` from the native engine (`make risk-eval`'s example)."""
    import subprocess
    import tempfile

    out = os.path.join(tempfile.mkdtemp(prefix="risk-outside-"), "ids.txt")
    root = os.path.join(os.path.dirname(__file__), "..")
    subprocess.run(
        ["cargo", "run", "-q", "--release", "--example", "risk_outside", "--", OUTSIDE, out],
        cwd=root, check=True, capture_output=True, timeout=900,
    )
    verdicts = {}
    with open(out) as f:
        for line in f:
            parts = line.split()
            verdicts[parts[0]] = parts[1] == "true"
    return verdicts


@pytest.mark.skipif(not os.path.exists(OUTSIDE), reason="no outside corpus beside the checkout")
def test_the_outside_corpus_through_envoy_matches_the_native_engine(gw):
    client = gw.client()
    native = native_verdicts()
    differ, blocked_neg, neg = [], [], {}
    with open(OUTSIDE) as f:
        cases = [json.loads(line) for line in f if line.strip()]
    for c in cases:
        action, _ = send(client, c["text"])
        acted = action is not None and action != "audit"
        if acted != native.get(c["id"]):
            differ.append(c["id"])
        if c["label"] == "neg" and action == "block":
            blocked_neg.append(c["id"])
        if c["label"] == "neg":
            t = neg.setdefault(c["lang"], [0, 0])
            t[0] += 1
            t[1] += acted
    # ids only in the messages: the texts stay where they lie
    assert not differ, f"Envoy and the native engine disagree on {differ}"
    assert not blocked_neg, f"negatives blocked: {blocked_neg}"
    for lang in ("en", "zh"):
        n_neg, fp = neg[lang]
        assert fp / n_neg <= 0.02, f"{lang}: false positives {fp}/{n_neg}"
