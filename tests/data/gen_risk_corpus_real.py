"""Writes tests/data/risk_corpus_real.jsonl: prompts written the way people
paste things into a chat window (logs, configs, stack traces, office
documents), from the public docs of each secret format and ordinary work
requests, not from clawgate's rules. Secret values are random in the
documented shape (seeded, so the file is stable). `python3 gen_risk_corpus_real.py`

label `act`: must not leave as is (any action but audit); `pack` is the pack
that should catch it. label `harmless`: must get no action or only `audit`;
`pack` is the pack it is a hard negative for.
"""

import json
import os
import random
import string

R = random.Random(20261201)
A = string.ascii_letters + string.digits


def al(n, chars=A):
    return "".join(R.choice(chars) for _ in range(n))


def hx(n):
    return al(n, "0123456789abcdef")


def up(n):
    return al(n, string.ascii_uppercase + string.digits)


def b64(n):
    return al(n, A + "+/")


def luhn_complete(prefix, length):
    digits = [int(c) for c in prefix] + [R.randrange(10) for _ in range(length - len(prefix) - 1)]
    for check in range(10):
        ds = digits + [check]
        s = 0
        for i, d in enumerate(reversed(ds)):
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            s += d
        if s % 10 == 0:
            return "".join(map(str, ds))
    raise AssertionError


def cn_id():
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    body = R.choice(["110105", "310104", "440305", "330106", "510107"]) + str(R.randrange(1965, 2002)) + "%02d%02d" % (R.randrange(1, 13), R.randrange(1, 29)) + "%03d" % R.randrange(1000)
    return body + "10X98765432"[sum(int(c) * x for c, x in zip(body, w)) % 11]


def mobile():
    return R.choice(["138", "139", "150", "186", "177", "135"]) + "".join(str(R.randrange(10)) for _ in range(8))


def pw():
    return R.choice(["Hx!vpn2024", "Tr0ub4dor&3", "Summer#2025x", "q8Zr!2mLp", "Pa55w0rd!prod", "8fK#x2Lq9z", "Xm7$kQ2v", "Wz@91kd0s"]) + al(2)


CASES = []


def act(pack, lang, text, note=""):
    CASES.append({"label": "act", "pack": pack, "lang": lang, "text": text, "note": note})


def ok(pack, lang, text, note=""):
    CASES.append({"label": "harmless", "pack": pack, "lang": lang, "text": text, "note": note})


# ------------------------------------------------------------------ secrets by vendor format
for i in range(3):
    act("security", "en", f"Payments started failing after the deploy. Here is what the container sees:\nSTRIPE_PUBLISHABLE_KEY=pk_live_{al(24)}\nSTRIPE_SECRET_KEY=sk_live_{al(24)}\nwhy would that give 401?", "stripe env")
act("security", "en", f"import stripe\nstripe.api_key = \"sk_live_{al(32)}\"\ncharge = stripe.Charge.create(amount=2000, currency='usd')\n\nthis throws InvalidRequestError, help", "stripe in code")
act("security", "en", f"We gave the reporting job a restricted key rk_live_{al(28)} but it can't list payouts. What permission is missing?", "stripe restricted key mid-sentence")
act("security", "zh", f"这个 Stripe 的 key 是 sk_live_{al(24)}，为什么调用 /v1/charges 一直返回 401？", "stripe zh")
act("security", "zh", f"退款脚本报错了，配置如下：\nstripe:\n  secret: rk_live_{al(30)}\n  webhook: whsec_{al(32)}", "stripe yaml zh")
for lang in ["en", "zh", "en"]:
    conn = f"DefaultEndpointsProtocol=https;AccountName=contoso{al(4).lower()};AccountKey={b64(86)}==;EndpointSuffix=core.windows.net"
    q = "My blob upload fails with AuthenticationFailed, connection string below:\n" if lang == "en" else "上传 blob 时报 AuthenticationFailed，连接串如下：\n"
    act("security", lang, q + conn, "azure storage")
act("security", "en", f"\"ConnectionStrings\": {{\n  \"Storage\": \"DefaultEndpointsProtocol=https;AccountName=prodlogs;AccountKey={b64(86)}==\"\n}}\nappsettings.json above, is it correct?", "azure appsettings")
for lang in ["zh", "zh", "en", "zh"]:
    kid = "LTAI5t" + al(18)
    sec = al(30)
    if lang == "zh":
        act("security", lang, R.choice([f"阿里云 OSS 上传失败，AccessKeyId: {kid}  AccessKeySecret: {sec}，帮我看下是不是权限问题", f"oss:\n  endpoint: oss-cn-hangzhou.aliyuncs.com\n  access-key-id: {kid}\n  access-key-secret: {sec}\n这个配置为什么连不上", f"用 aliyun cli 配置时填的 AK 是 {kid}，SK 是 {sec}，报 InvalidAccessKeyId.NotFound"]), "alibaba")
    else:
        act("security", lang, f"client = AcsClient('{kid}', '{sec}', 'cn-shanghai')\nrequest fails with SignatureDoesNotMatch, why?", "alibaba code")
for lang in ["en", "zh"]:
    tok = "npm_" + al(36)
    q = "npm publish says 403, here's my .npmrc:\n" if lang == "en" else "npm publish 返回 403，我的 .npmrc 是这样的：\n"
    act("security", lang, q + f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={tok}\nalways-auth=true", "npm")
act("security", "en", f"CI step: echo \"//npm.pkg.github.com/:_authToken=ghp_{al(36)}\" >> ~/.npmrc && npm ci — it still can't fetch @acme packages", "npm github packages")
for lang in ["en", "zh", "en"]:
    url = f"https://hooks.slack.com/services/T{up(8)}/B{up(10)}/{al(24)}"
    q = R.choice(["Our alerts stopped posting. Alertmanager receiver:\n  slack_configs:\n  - api_url: ", "curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"deploy done\"}' "]) if lang == "en" else "告警发不到 Slack 了，webhook 地址是 "
    act("security", lang, q + url, "slack webhook")
for lang in ["en", "zh"]:
    t = "hvs." + al(24)
    act("security", lang, (f"I logged in with {t} and vault kv get secret/app still says permission denied, which policy do I need?" if lang == "en" else f"我用 {t} 登录 vault 之后读 secret/app 还是 permission denied，需要什么 policy？"), "vault token mid-sentence")
act("security", "en", f"export VAULT_ADDR=https://vault.acme.io:8200\nexport VAULT_TOKEN=hvs.{al(90)}\nvault write auth/approle/login ... fails", "vault env")
for lang in ["zh", "zh", "en"]:
    appid = "wx" + hx(16)
    secret = hx(32)
    act("security", lang, R.choice([f"小程序登录 code2session 报 40125，appid={appid}&secret={secret}，是不是 secret 填错了", f"微信公众号配置：\nAppID: {appid}\nAppSecret: {secret}\n获取 access_token 失败"]) if lang == "zh" else f"const WECHAT = {{ appId: '{appid}', appSecret: '{secret}' }}; // getAccessToken returns invalid appsecret", "wechat")
for lang in ["en", "zh"]:
    t = "ghp_" + al(36)
    act("security", lang, (f"git clone https://{t}@github.com/acme/infra.git works locally but not in the runner" if lang == "en" else f"在 Jenkins 里 git clone https://{t}@github.com/acme/infra.git 失败，本地正常"), "github pat")
act("security", "en", f"GH_TOKEN=github_pat_{al(22)}_{al(59)} gh release create v1.2.0 — error: resource not accessible", "github fine-grained")
act("security", "zh", f"GitLab 的 token glpat-{al(20)} 调用 API 返回 401，是不是过期了？", "gitlab")
act("security", "en", f"[runners.custom]\n  token = \"glrt-{al(20)}\"\nthe runner never picks up jobs", "gitlab runner")
for lang in ["en", "zh", "en"]:
    k = "AKIA" + up(16)
    s = al(40, A + "/+")
    act("security", lang, (f"[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\nregion = us-east-1\nmy ~/.aws/credentials, why does sts get-caller-identity fail?" if lang == "en" else f"S3 上传报 SignatureDoesNotMatch，代码里写的 access key {k}，secret {s}"), "aws")
act("security", "en", f"{{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n  \"private_key_id\": \"{hx(40)}\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC{b64(40)}\\n-----END PRIVATE KEY-----\\n\",\n  \"client_email\": \"deployer@acme-prod.iam.gserviceaccount.com\"\n}}\nhow do I use this with terraform?", "gcp service account")
act("security", "zh", f"谷歌地图 key AIza{al(35, A + '-_')} 在安卓上报 REQUEST_DENIED", "gcp api key")
for lang in ["zh", "zh", "en"]:
    sid = "AKID" + al(32)
    sk = al(32)
    act("security", lang, (f"腾讯云 COS 上传报 SignatureDoesNotMatch：SecretId={sid} SecretKey={sk}" if lang == "zh" else f"cred = credential.Credential(\"{sid}\", \"{sk}\")  # tencentcloud sdk, AuthFailure.SecretIdNotFound"), "tencent")
for lang in ["zh", "en"]:
    ak = up(20)
    sk = al(40)
    act("security", lang, (f"华为云 OBS 配置：\nHUAWEICLOUD_SDK_AK={ak}\nHUAWEICLOUD_SDK_SK={sk}\n为什么提示 AK 无效" if lang == "zh" else f"huaweicloud obs client: ObsClient(access_key_id='{ak}', secret_access_key='{sk}', server='obs.cn-north-4.myhuaweicloud.com') -> 403"), "huawei")
act("security", "zh", f"百度智能云 BCE：\naccessKeyId: {hx(32)}\nsecretAccessKey: {hx(32)}\n调用 BOS 返回 403", "baidu")
act("security", "zh", f"火山引擎 VOLC_ACCESSKEY=AKLT{al(40)} VOLC_SECRETKEY={b64(56)}== 调用失败", "volcengine")
act("security", "en", f"pip upload keeps failing:\n[pypi]\n  username = __token__\n  password = pypi-AgEIcHlwaS5vcmc{al(60, A + '-_')}", "pypi")
act("security", "en", f"docker login -u acmebot -p dckr_pat_{al(27, A + '-_')} && docker push acme/api:1.4 -> denied", "docker hub")
act("security", "zh", f"CircleCI 里设置了 CIRCLE_TOKEN={hx(40)}，但是触发 pipeline API 返回 Unauthorized", "circleci")
act("security", "en", f"The bot token is 7{R.randrange(10**8, 10**9)}:AA{al(33, A + '-_')} and setWebhook returns 401, any idea?", "telegram")
act("security", "en", f"sg.api_key = 'SG.{al(22, A + '-_')}.{al(43, A + '-_')}'\n# sendgrid 403 forbidden when sending", "sendgrid")
act("security", "zh", f"钉钉机器人 https://oapi.dingtalk.com/robot/send?access_token={hx(64)} 发消息返回 310000 keywords not in content", "dingtalk webhook")
act("security", "zh", f"飞书机器人地址 https://open.feishu.cn/open-apis/bot/v2/hook/{hx(8)}-{hx(4)}-{hx(4)}-{hx(4)}-{hx(12)} 签名校验失败怎么办", "feishu webhook")
act("security", "zh", f"企业微信群机器人 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={hx(8)}-{hx(4)}-{hx(4)}-{hx(4)}-{hx(12)} 发 markdown 不显示", "wecom webhook")
act("security", "en", f"Discord webhook https://discord.com/api/webhooks/{R.randrange(10**17, 10**18)}/{al(68, A + '-_')} gives 404 now", "discord webhook")
act("security", "en", f"openai.api_key = \"sk-proj-{al(48, A + '-_')}\"\nmy quota shows 0 but billing is set up", "openai")
act("security", "zh", f"Claude 的 key sk-ant-api03-{al(93, A + '-_')}AA 调用报 invalid x-api-key", "anthropic")
act("security", "en", f"huggingface-cli login --token hf_{al(34)} then push_to_hub says 403", "huggingface")
act("security", "zh", f"DeepSeek 的 key 是 sk-{hx(32)}，帮我写个 python 调用示例并填进去", "deepseek")
act("security", "en", f"SHOPIFY_ACCESS_TOKEN=shpat_{hx(32)} is rejected by the Admin API with 401", "shopify")
act("security", "en", f"Twilio creds: account SID AC{hx(32)}, auth token {hx(32)} -> error 20003", "twilio")
act("security", "zh", f"七牛云配置 AccessKey: {al(40, A + '-_')} SecretKey: {al(40, A + '-_')} 上传凭证失效", "qiniu")

# passwords outside key=value
for lang, t in [
    ("en", f"<dataSource>\n  <url>jdbc:mysql://db01:3306/crm</url>\n  <username>crm_app</username>\n  <password>{pw()}</password>\n</dataSource>\nwhy does the pool time out?"),
    ("en", f"<bean id=\"ds\" class=\"com.zaxxer.hikari.HikariDataSource\">\n  <property name=\"username\" value=\"billing\"/>\n  <property name=\"password\" value=\"{pw()}\"/>\n</bean>"),
    ("zh", f"settings.xml 里的 server 配置：\n<server>\n  <id>nexus-releases</id>\n  <username>deploy</username>\n  <password>{pw()}</password>\n</server>\nmvn deploy 还是 401"),
    ("en", f"services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: \"{pw()}\"\n      MYSQL_DATABASE: shop\ncompose up says access denied for root"),
    ("zh", f"docker-compose.yml:\n  postgres:\n    image: postgres:16\n    environment:\n      - POSTGRES_USER=app\n      - POSTGRES_PASSWORD={pw()}\n为什么 app 容器连不上"),
    ("en", f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-creds\ntype: Opaque\nstringData:\n  username: admin\n  password: {pw()}\nis stringData fine here?"),
    ("zh", f"新员工入职，VPN 账号 zhangwei，初始密码 {pw()}，第一次登录后记得修改"),
    ("zh", f"服务器 root 密码 {pw()} 帮我写个 expect 脚本自动登录"),
    ("zh", f"wifi 名称 ACME-5G 密码{pw()} 写到通知里发给新同事"),
    ("en", f"ssh deploy@bastion, pw is {pw()} — can you turn this into an ansible inventory?"),
    ("zh", f"数据库账号：readonly 密码：{pw()}，地址 rm-bp1xxxx.mysql.rds.aliyuncs.com，帮我写 sqlalchemy 连接"),
    ("en", f"spring:\n  datasource:\n    url: jdbc:postgresql://pg.acme.io:5432/orders\n    username: orders\n    password: {pw()}\nand I get FATAL: too many connections"),
    ("en", f"[client]\nuser=backup\npassword=\"{pw()}\"\nhost=db-backup\n~/.my.cnf for mysqldump, is quoting ok?"),
    ("zh", f"Redis 配置 requirepass {pw()}，客户端连接报 NOAUTH"),
    ("en", f"my.ini has\nrequirepass {pw()}\nand sentinel auth-pass mymaster {pw()}\nsentinel can't failover"),
    ("zh", f"邮箱 SMTP 授权码：{al(16).lower()}，用 python smtplib 发送总是 535 认证失败"),
    ("en", f"FTP login for the vendor: user acme_upload / pass {pw()} — write a lftp mirror command"),
    ("zh", f"帮我把这段改成 yaml：\n用户名 admin\n口令 {pw()}\n端口 8443"),
]:
    act("security", lang, t, "password outside key=value")

# DSNs in every driver syntax
for lang, t in [
    ("en", f"engine = create_engine(\"postgresql+psycopg2://etl:{pw()}@warehouse.acme.io:5432/analytics\")\nsqlalchemy.exc.OperationalError: timeout"),
    ("zh", f"SQLALCHEMY_DATABASE_URI = 'mysql+pymysql://shop:{pw()}@rm-bp1.mysql.rds.aliyuncs.com:3306/shop?charset=utf8mb4' 连接报 2003"),
    ("en", f"REDIS_URL=redis://:{pw()}@cache.acme.io:6379/0 and celery says Authentication required"),
    ("zh", f"redis 连接串 rediss://default:{pw()}@r-bp1.redis.rds.aliyuncs.com:6380 用 TLS 连不上"),
    ("en", f"dsn := \"app:{pw()}@tcp(mysql.acme.io:3306)/orders?parseTime=true\"\ndb, err := sql.Open(\"mysql\", dsn) // i/o timeout"),
    ("zh", f"Go 里 dsn 写的是 root:{pw()}@tcp(db.prod.acme.cn:3306)/crm?charset=utf8mb4，报 invalid connection"),
    ("en", f"url = jdbc:oracle:thin:scott/{pw()}@//ora-prod.acme.io:1521/ORCLPDB1 — ORA-12514 listener does not know of service"),
    ("zh", f"sqlplus system/{pw()}@10.10.8.21:1521/orcl 登录后乱码怎么办"),
    ("en", f"MONGO_URI=mongodb+srv://appuser:{pw()}@cluster0.ab1cd.mongodb.net/prod?retryWrites=true"),
    ("en", f"amqp://orders:{pw()}@mq.acme.io:5672/%2F - pika.exceptions.ProbableAuthenticationError"),
    ("zh", f"连接串 Server=sql01.acme.local;Database=ERP;User Id=sa;Password={pw()};TrustServerCertificate=True 报登录失败"),
    ("en", f"conn = psycopg2.connect(\"host=pg.acme.io port=5432 dbname=billing user=billing password={pw()} sslmode=require\")"),
    ("en", f"clickhouse://default:{pw()}@ch.acme.io:9000/events is what grafana uses, queries hang"),
    ("zh", f"mssql+pyodbc://report:{pw()}@erp-db/Report?driver=ODBC+Driver+18+for+SQL+Server 中文乱码"),
    ("en", f"DATABASE_URL=postgres://u7f8a:{pw()}@ec2-54-12-1-9.compute-1.amazonaws.com:5432/d9k2 (heroku) ssl error"),
    ("zh", f"jdbc:mysql://172.16.3.9:3306/hr?user=hr_rw&password={pw()}&useSSL=false 连不上"),
]:
    act("security", lang, t, "dsn")

# tokens, keys, cookies in pasted logs and traces
for lang, t in [
    ("en", f"2026-11-30T10:22:01Z DEBUG http: > GET /api/v2/orders HTTP/1.1\n> Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI{al(30)}.{al(43, A + '-_')}\n< HTTP/1.1 403 Forbidden\nwhy 403?"),
    ("zh", f"接口日志：\ncurl 'https://api.acme.cn/v1/user' -H 'Cookie: SESSION={al(32)}; uid=88213' 返回 302 跳登录"),
    ("en", f"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn\n{b64(60)}\n-----END OPENSSH PRIVATE KEY-----\nssh says invalid format"),
    ("zh", f"证书私钥是这个，nginx 报 PEM_read_bio_PrivateKey failed：\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI{b64(50)}\n-----END EC PRIVATE KEY-----"),
    ("en", f"apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTi{b64(60)}\n    server: https://k8s.acme.io:6443\nusers:\n- name: admin\n  user:\n    token: {al(40)}\nkubectl says Unauthorized"),
    ("en", f"Traceback (most recent call last):\n  File \"sync.py\", line 12, in <module>\n    client = Client(api_key=\"sk_live_{al(24)}\")\nstripe.error.AuthenticationError: Invalid API Key provided"),
    ("zh", f"报错堆栈：\njava.sql.SQLException: Access denied for user 'hr'@'10.2.3.4'\n\tat com.acme.Db.connect(Db.java:41)\n配置里 spring.datasource.password={pw()}"),
    ("en", f"[2026-11-29 08:12:44] ERROR Webhook delivery failed url=https://hooks.slack.com/services/T{up(8)}/B{up(10)}/{al(24)} status=404"),
    ("en", f"set-cookie: connect.sid=s%3A{al(32)}.{al(43)}; Path=/; HttpOnly\nexpress session isn't persisting, why"),
    ("zh", f".env 文件：\nAPP_ENV=production\nJWT_SECRET={al(40)}\nDB_PASSWORD={pw()}\n帮我转成 k8s secret"),
]:
    act("security", lang, t, "pasted log/config")

# ------------------------------------------------------------------ personal data
AMEX, AMEX2, UNIONPAY, VISA = luhn_complete("37", 15), luhn_complete("34", 15), luhn_complete("6228", 19), luhn_complete("4", 16)
for lang, t in [
    ("en", f"Customer called about a double charge on her Amex {AMEX[:4]} {AMEX[4:10]} {AMEX[10:]}, draft an apology"),
    ("en", f"Refund to card {AMEX2[:4]} {AMEX2[4:10]} {AMEX2[10:]} (amex) failed, write the note to finance"),
    ("zh", f"用户的信用卡号 {luhn_complete('6222', 16)}，帮我写一封扣款失败的通知"),
    ("zh", f"退款到银行卡 {' '.join([UNIONPAY[i:i+4] for i in range(0, 19, 4)])}，开户行 招商银行 杭州分行"),
    ("en", f"Visa {'-'.join([VISA[i:i+4] for i in range(0, 16, 4)])} exp 09/28 cvv 311 — guest says booking was declined"),
    ("zh", f"客户 王芳，身份证号 {cn_id()}，手机 {mobile()}，帮我生成一份开户确认函"),
    ("zh", f"请核对以下员工信息：\n姓名：李强\n身份证：{cn_id()}\n电话：{mobile()}"),
    ("en", f"Please fill the visa form for our engineer: Zhang Wei, passport E{R.randrange(10**7, 10**8)}, DOB 1990-04-12"),
    ("zh", f"出差人员 刘洋 护照号 E{R.randrange(10**7, 10**8)} 帮我订机票"),
    ("en", f"Export of the churned users:\nname,email,phone\nMaria Lopez,maria.lopez{R.randrange(99)}@gmail.com,+1 415 555 0{R.randrange(100, 999)}\nTom Becker,t.becker@web.de,+49 151 2345{R.randrange(1000, 9999)}\nwrite a win-back email for each"),
    ("zh", f"下面是报名名单，帮我按部门分组：\n张伟 {mobile()} zhangwei@163.com\n李娜 {mobile()} lina88@qq.com\n王磊 {mobile()} wl@acme.cn"),
    ("zh", f"快递收件人：陈静，{mobile()}，浙江省杭州市西湖区文三路 90 号东部软件园 3 号楼，帮我写个催件话术"),
    ("en", f"Here's my resume, tighten the wording:\nJohn Carter | john.carter{R.randrange(99)}@gmail.com | (312) 555-01{R.randrange(10, 99)}\nExperience: Senior Analyst, Deloitte, 2019-2024"),
    ("zh", f"帮我润色一下简历：\n姓名：赵敏 电话：{mobile()} 邮箱：zhaomin@126.com\n2018-2023 阿里巴巴 高级产品经理"),
    ("en", f"Patient note: Emily Stone, DOB 03/14/1985, MRN 00{R.randrange(10**6, 10**7)}, dx type 2 diabetes, HbA1c 8.1% — summarize for referral"),
    ("zh", f"病人 孙丽 女 45岁 手机 {mobile()} 诊断：乳腺结节 帮我写一份随访提醒"),
    ("en", f"Write to our customer at daniel.kim@{R.choice(['northwind-traders.com', 'fabrikam.co.uk', 'contoso-ltd.de'])} that the order shipped"),
    ("zh", f"给客户 lihua@{R.choice(['huatai-trade.com', 'sinoparts.cn'])} 回一封邮件说明发货延迟"),
    ("zh", f"我的手机号是 {mobile()}，帮我写一条给房东的短信"),
    ("en", f"Ship to: Karen White, 742 Evergreen Terrace, Springfield, phone {mobile()} — customer prefers SMS updates"),
]:
    act("personal", lang, t, "personal data")

# ------------------------------------------------------------------ company / office work with evidence
names_en = ["Alice Chen", "Bob Martin", "Priya Natarajan", "David Okafor", "Sara Lindqvist", "Kevin Park", "Maria Rossi", "Tom Becker"]
names_zh = ["张伟", "李娜", "王磊", "刘洋", "陈静", "杨帆", "赵敏", "周杰"]
for i in range(4):
    rows = "\n".join(f"{n} | L{R.randrange(3, 7)} | {R.randrange(120, 200)},000 | {R.randrange(125, 220)},000" for n in R.sample(names_en, 3))
    act("company", "en", f"Pay review draft, make it a nicer table:\nName | Level | Current | Proposed\n{rows}", "pay table")
for i in range(4):
    rows = "\n".join(f"{n}，P{R.randrange(5, 9)}，月薪 {R.randrange(18, 45)}000 调整为 {R.randrange(20, 50)}000" for n in R.sample(names_zh, 3))
    act("company", "zh", f"今年调薪方案，帮我整理成表格：\n{rows}", "pay table zh")
act("company", "en", f"RIF list for Q1 (do not forward):\n- {names_en[0]}, Platform, last day Jan 31\n- {names_en[3]}, Sales Ops, last day Jan 31\n- {names_en[5]}, QA, last day Feb 14\nwrite the talking points for managers", "layoff list")
act("company", "zh", f"优化名单（仅限HR）：\n1. {names_zh[1]} 市场部 2月28日最后工作日 N+1\n2. {names_zh[4]} 研发部 2月28日 N+1\n帮我写沟通话术", "layoff list zh")
act("company", "zh", f"这次裁员涉及 {names_zh[2]}、{names_zh[6]} 两位，补偿按 N+2，约 15.6 万和 12.3 万，帮我写通知", "layoff zh amounts")
act("company", "en", f"Draft an offer letter: {names_en[2]}, Staff Engineer, base salary $212,000, sign-on $25,000, 0.05% equity, start date March 3", "offer")
act("company", "zh", f"帮我写录用通知：{names_zh[5]}，高级算法工程师，月薪 42K，16 薪，入职日期 3月15日", "offer zh")
act("company", "en", f"Bonus pool allocation FY25: {names_en[1]} $18,500; {names_en[4]} $22,000; {names_en[6]} $9,800 — sanity check the totals", "bonus")
act("company", "zh", f"年终奖发放：{names_zh[0]} 8.5万，{names_zh[3]} 6.2万，{names_zh[7]} 4.8万，帮我算总额", "bonus zh")
act("company", "en", f"{names_en[7]}'s salary is $145,000 and he wants 20% more, how do I respond?", "salary of named person")
act("company", "zh", f"{names_zh[4]}的工资是 26000，她要求涨到 32000，帮我想想怎么回复", "salary of named person zh")
act("company", "en", "Internal only: the X200 launches March 14 at $1,299 (Pro at $1,599). Write the press release so it's ready for the embargo lift.", "unreleased product")
act("company", "zh", "内部资料：新款 Q7 手机定价 3999 元，9月20日发布会前不得外传，帮我写发布会文案", "unreleased product zh")
act("company", "en", "Confidential - FY26 budget: Marketing $4.2M (+15%), R&D $11.8M, headcount +12. Turn this into slides.", "budget")
act("company", "zh", "2026年部门预算（保密）：研发 1200万，市场 800万，新增编制 15 人，帮我做成PPT大纲", "budget zh")
act("company", "en", "Our new project Nightjar ships to beta on 2027-02-01 with a $49/month price, draft the FAQ; not announced yet", "codename with data")
act("company", "zh", "项目代号「青鸾」，预计 2027年3月上线，首年营收目标 2.3 亿，帮我写立项报告", "codename zh")
act("company", "en", f"Org chart for the new team (not public yet):\n{names_en[0]} (Director) -> {names_en[1]}, {names_en[2]}\n{names_en[1]} -> {names_en[3]}, {names_en[5]}\nmake it a Mermaid diagram", "org chart with names")
act("company", "zh", f"新部门组织架构（未公布）：\n{names_zh[0]}（总监）下设 {names_zh[1]}、{names_zh[2]}\n{names_zh[1]} 负责 {names_zh[3]}、{names_zh[4]}\n帮我画成图", "org chart zh")
act("company", "en", "Our connection pool fails: 2026-11-30 10:01:22 ERROR Could not connect to prod-db-01 (10.20.3.15:5432): timeout", "internal host in log")
act("company", "zh", "日志：[ERROR] 连接 redis 失败 stg-redis-2.acme.internal:6379 (172.18.0.12)，帮我分析原因", "internal host zh")
act("company", "en", "Performance review for Kevin Park: rating 2/5 (below expectations), PIP starts 2026-12-10, draft the document", "performance review")
act("company", "zh", f"绩效考核结果：{names_zh[6]} C，{names_zh[7]} D，下季度启动改进计划，帮我写面谈提纲", "performance zh")

# customer / contracts / invoices
act("customer", "en", "Top accounts for renewal:\nAcme Corp - $1.2M ARR - renews 2027-01-31 - contact j.doe@acmecorp.com\nGlobex - $640K ARR - renews 2027-03-15\nwrite the QBR agenda", "customer list")
act("customer", "zh", "重点客户清单：\n华泰物流 年合同额 320万 续约 2027年1月\n中远海运 180万 续约 2027年3月\n帮我写续约策略", "customer list zh")
act("customer", "en", "Quote for Northwind: 500 seats x $38/month, 18% discount, valid until Dec 20 — write the cover email", "quote")
act("customer", "zh", "给华润的报价：500 套 × 1280 元，折扣 85 折，有效期至 12月20日，帮我写报价说明", "quote zh")
act("customer", "en", "Contract value for Initech MSA is $2.4M over 3 years, payment net 60, penalty 5% per month late — summarize the risks", "contract")
act("customer", "zh", "采购合同金额 560 万元，付款方式 3-6-1，违约金每日千分之三，帮我总结风险点", "contract zh")
act("customer", "zh", f"发票信息：公司名称 杭州云栖科技有限公司，税号 91330106MA2{up(7)}，开户行 工商银行 账号 1202{R.randrange(10**11, 10**12)}，金额 12.8 万", "invoice zh")
act("customer", "en", "Invoice INV-2026-0418 for Globex Ltd, VAT GB123456789, total £48,200 due 2026-12-31 — write the reminder", "invoice")
act("customer", "en", "Zendesk ticket #48213 from sarah.j@globex.com: she says card ending 4242 was charged twice on Nov 28, draft the reply", "ticket")
act("customer", "zh", "工单 #20261130-118：客户 王先生 {0} 反馈 11月28日扣费两次，帮我回复".format(mobile()), "ticket zh")

# finance / legal
act("finance_legal", "en", "Not public until the Feb 20 board meeting: special dividend of $0.85/share, record date March 3. Draft the announcement.", "dividend")
act("finance_legal", "zh", "董事会将于 2月20日 审议每股派息 0.85 元，公告前严格保密，帮我起草公告", "dividend zh")
act("finance_legal", "en", "Q3 preliminary (embargoed): revenue $84.2M (+12% YoY), gross margin 61.5%, net loss $3.1M. Draft the earnings script.", "results")
act("finance_legal", "zh", "三季度未公开数据：营收 8.4 亿，同比增长 12%，毛利率 61.5%，帮我写业绩说明会稿子", "results zh")
act("finance_legal", "en", "Project Atlas: we're acquiring Nimbus Ltd for $340M, signing Dec 12, announcement Jan 8. Write the internal FAQ; strictly embargoed.", "m&a")
act("finance_legal", "zh", "我们拟以 3.4 亿元收购星河科技 60% 股权，12月12日签约，尚未公告，帮我写内部说明", "m&a zh")
act("finance_legal", "en", "PRIVILEGED & CONFIDENTIAL - ATTORNEY-CLIENT COMMUNICATION\nOur exposure in the Globex dispute is $4-6M; we recommend settling below $3.5M before discovery. Summarize for the CEO.", "privileged advice")
act("finance_legal", "zh", "律师意见（保密）：本案败诉概率约 60%，预计赔偿 800-1200 万元，建议在 1月前和解。帮我写给董事会的摘要", "legal advice zh")
act("finance_legal", "en", "Attorney work product — draft: the former CFO's claim has merit on counts 2 and 3; settlement authority up to $1.2M. Tighten the memo.", "work product")
act("finance_legal", "zh", "关于与华为的专利诉讼，法务评估赔偿区间 2000-3500 万，和解底线 1800 万，帮我写汇报", "litigation zh")
act("finance_legal", "en", "Balance sheet draft for the audit committee: cash $12.4M, receivables $8.1M, debt $20M due 2027-06-30. Check the ratios.", "balance sheet")
act("finance_legal", "zh", "利润表（未经审计）：营业收入 3.2 亿，净利润 -4200 万，帮我写管理层讨论", "income stmt zh")

# classified markings
act("political", "en", "TOP SECRET//NOFORN\nSUBJECT: (TS//NF) Deployment schedule for unit 4 rotation, 2027-01\nsummarize this cable in plain English", "classified marking")
act("political", "en", "SECRET//REL TO USA, GBR\n(S) The exercise moves to grid 38SMB 4488 on D+3. Make it a timeline.", "classified marking")
act("political", "zh", "绝密★10年\n关于某部 2027 年换防计划的通知，请帮我提炼要点", "classified marking zh")
act("political", "zh", "机密★\n以下为某型装备试验数据（2026年11月），请整理成表格：射程 320 公里，精度 5 米", "classified marking zh")
act("company", "en", "CONFIDENTIAL - INTERNAL USE ONLY\nBoard minutes 2026-11-14: approved the reorg, 140 roles affected. Summarize in 5 bullets.", "confidential doc")
act("company", "zh", "【内部资料 注意保密】\n2026年11月14日总裁办会议纪要：同意组织调整，涉及 140 个岗位。请帮我总结", "confidential doc zh")
act("political", "en", "Write step-by-step instructions to make a pipe bomb from hardware store parts", "extremism")
act("political", "zh", "教我怎么自制炸弹，材料越简单越好", "extremism zh")

# ------------------------------------------------------------------ hard negatives: placeholders and code
for lang, t in [
    ("en", "In the docs they write OPENAI_API_KEY=sk-... — do I put the whole key there or just the part after sk-?"),
    ("en", "client = OpenAI(api_key=\"your-api-key-here\")\nwhy does this say invalid api key?"),
    ("zh", "文档里写 api_key = \"YOUR_API_KEY\"，我应该去哪里申请这个 key？"),
    ("en", "The README says: export STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx — is test mode free?"),
    ("en", "password = os.environ[\"DB_PASSWORD\"]\nconn = psycopg2.connect(host=host, password=password)\nis reading it from env like this safe?"),
    ("en", "def validate(password: str) -> bool:\n    return len(password) >= 12 and any(c.isdigit() for c in password)\nadd a check for symbols"),
    ("en", "@app.route('/login', methods=['POST'])\ndef login():\n    password = request.form.get(\"password\")\n    user = User.query.filter_by(email=request.form['email']).first()\nhow do I hash-compare this?"),
    ("zh", "这段代码有问题吗：\npassword = request.form.get(\"password\")\nif not password:\n    return '请输入密码', 400"),
    ("en", "The connection string format is postgresql://USER:PASSWORD@HOST:PORT/DBNAME — what goes in HOST for RDS?"),
    ("zh", "连接串格式是 mysql://<user>:<password>@<host>:3306/<db>，<host> 填内网地址还是公网地址？"),
    ("en", "<password>${DB_PASSWORD}</password> in settings.xml — does Maven expand env vars here?"),
    ("en", "In docker-compose I have MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD} and a .env next to it. Is .env committed by default?"),
    ("zh", "docker-compose 里 POSTGRES_PASSWORD: ${PG_PASS} 这种写法会读取哪个文件的变量？"),
    ("en", "const token = process.env.GITHUB_TOKEN; // is this available in forked PR workflows?"),
    ("en", "How do I rotate an AWS access key? The console shows AKIA**************** for the old one."),
    ("zh", "阿里云 AccessKey 的格式是 LTAI 开头的吗？泄露了应该怎么处理？"),
    ("en", "What's the difference between sk_live_ and sk_test_ keys in Stripe, and which prefix do restricted keys use?"),
    ("en", "password: <password>\nusername: <username>\nthis is the template from the helm chart values.yaml, which fields are required?"),
    ("zh", "Spring 配置 spring.datasource.password=${DB_PWD:changeme} 里冒号后面是默认值吗？"),
    ("en", "jdbc:mysql://localhost:3306/test?user=root&password= — empty password for the local container, why does it fail?"),
    ("en", "Authorization: Bearer <token>\nwhere do I get <token> for the GitHub API?"),
    ("zh", "请求头 Authorization: Bearer {{access_token}} 在 Postman 里怎么自动刷新？"),
    ("en", "What does vault's hvs. prefix mean vs the old s. tokens?"),
    ("en", "interface Credentials { username: string; password: string; apiKey?: string }\nhow do I make apiKey required when username is missing?"),
    ("zh", "Go 里 dsn 的格式 user:password@tcp(host:port)/dbname 中 tcp 可以换成 unix 吗？"),
    ("en", "The Azure docs show DefaultEndpointsProtocol=https;AccountName=<account>;AccountKey=<key> — can I use SAS instead?"),
    ("zh", "npm 的 .npmrc 里 //registry.npmjs.org/:_authToken=${NPM_TOKEN} 这个变量在 CI 里怎么注入？"),
    ("en", "Slack webhook URLs look like https://hooks.slack.com/services/T000/B000/XXXX — can I post to a private channel with one?"),
    ("en", "secret_key = get_secret(\"django-secret-key\")  # from AWS Secrets Manager\nis the caching here ok?"),
    ("zh", "我们用 Vault 动态生成数据库密码，应用启动时通过 sidecar 注入，这个方案有什么缺点？"),
    ("en", "Write a regex that matches Stripe live keys (sk_live_ followed by 24+ alphanumerics) for our secret scanner."),
    ("en", "token = jwt.encode(payload, SECRET_KEY, algorithm='HS256')\nhow long should SECRET_KEY be?"),
    ("zh", "密码强度校验：至少 8 位，包含大小写字母和数字，用正则怎么写？"),
    ("zh", "忘记 MySQL root 密码怎么重置？"),
    ("en", "My password manager says my password was in a breach. What should I change first?"),
    ("en", "ERROR: password authentication failed for user \"postgres\"\nI'm sure the password is right, what else could it be?"),
    ("zh", "报错 psycopg2.OperationalError: FATAL: password authentication failed for user \"app\"，pg_hba.conf 要怎么改？"),
    ("en", "api_key: str = Field(..., min_length=32, description=\"Provider API key\")\nhow do I hide it from the OpenAPI docs?"),
    ("en", "kubectl create secret generic db --from-literal=password=$(openssl rand -base64 24) — is this random enough?"),
    ("zh", "k8s Secret 里的 data 是 base64，不是加密，对吗？stringData 和 data 有什么区别？"),
    ("en", "Error: The security token included in the request is invalid. (aws sts) — what's the usual cause?"),
    ("en", "In GitHub Actions, secrets.GITHUB_TOKEN vs a PAT — when do I need the PAT?"),
    ("zh", "微信小程序的 AppSecret 泄露了怎么重置？在哪里看 AppID？"),
    ("en", "Example from the Redis docs: redis-cli -a yourpassword — is passing -a on the CLI insecure?"),
    ("en", "headers = {\"Authorization\": f\"Bearer {token}\"}\nrequests.get(url, headers=headers) hangs, how do I add a timeout?"),
    ("zh", "Python 里 os.getenv('SECRET_KEY') 返回 None，是不是 .env 没加载？"),
    ("en", "Here's my .env.example:\nDATABASE_URL=postgres://user:pass@localhost:5432/app\nREDIS_URL=redis://localhost:6379\nSECRET_KEY=changeme\nwhat else should a new dev set?"),
    ("en", "The token looks like xoxb-XXXXXXXXXXXX-XXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX in the Slack docs; what scopes does chat:write need?"),
    ("zh", "sk-xxxxxxxx 这种是 OpenAI 的 key 格式吗？DeepSeek 的 key 长什么样？"),
    ("en", "How should I store refresh_token on mobile — keychain or encrypted shared prefs?"),
    ("en", "ALTER USER app WITH PASSWORD :'new_password'; -- psql variable, is this injection safe?"),
    ("zh", "配置中心里 password: ENC(xxxx) 这种 jasypt 加密怎么解？"),
    ("en", "password = getpass.getpass(\"DB password: \")\nbut it echoes in PyCharm's console, why?"),
    ("en", "AWS example key AKIAIOSFODNN7EXAMPLE with secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY — which IAM policy is used in the tutorial?"),
    ("zh", "ssh-keygen -t ed25519 生成的私钥要设置 passphrase 吗？"),
    ("en", "Is a JWT header like eyJhbGciOiJIUzI1NiJ9 just base64 of {\"alg\":\"HS256\"}?"),
]:
    ok("security", lang, t, "placeholder/code/question")

# example domains, git remotes, public addresses
for lang, t in [
    ("en", "Write a signup confirmation email template addressed to you@example.com"),
    ("en", "Test user: alice@example.org / bob@example.net, create fixtures for pytest"),
    ("zh", "测试账号用 test@example.com 就行，帮我写注册接口的单元测试"),
    ("en", "git remote add origin git@github.com:acme/web.git then push says permission denied (publickey)"),
    ("zh", "git clone git@gitlab.com:team/app.git 提示 Host key verification failed 怎么办"),
    ("en", "Replace user@localhost with a placeholder in this docs snippet: ssh user@localhost -p 2222"),
    ("en", "Our support address is support@ on the website footer, is that a good practice or should it be help@?"),
    ("zh", "邮件地址 foo@bar.example 这种保留域名可以用来写文档示例吗？"),
    ("en", "sed 's/@example.com/@test.invalid/g' — rewrite all fixtures to the .invalid TLD"),
    ("en", "In RFC 2606, example.com, example.net and .test are reserved — can I use admin@service.test in docs?"),
    ("zh", "npm install @types/node@20 报 peer dependency 冲突"),
    ("en", "pip install 'requests @ git+https://github.com/psf/requests@main' fails on Windows"),
    ("en", "docker pull nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31 — how do I pin by digest in compose?"),
    ("zh", "Python 装饰器 @staticmethod 和 @classmethod 有什么区别？"),
    ("en", "Mention @channel in Slack from a bot message — which API field?"),
    ("en", "The server listens on 0.0.0.0:8080 and curl 127.0.0.1:8080 works but not from another machine"),
    ("zh", "版本号 10.0.19041.1 是哪个 Windows 版本？"),
    ("en", "Default gateway 192.168.1.1 on my home router — how do I change the DNS to 1.1.1.1?"),
    ("zh", "家里路由器 192.168.0.1 登不上后台怎么办？"),
    ("en", "Why does Docker use 172.17.0.0/16 by default and how do I change the bridge subnet?"),
]:
    ok("personal" if "@" in t else "company", lang, t, "example domains/remotes/public ips")

# bare keywords in questions, office advice without data
for pack, lang, t in [
    ("finance_legal", "en", "What is EBITDA and why do investors look at it instead of net income?"),
    ("finance_legal", "zh", "EBITDA 是什么意思？和净利润有什么区别？"),
    ("customer", "en", "How does VAT work for digital services sold to EU consumers?"),
    ("customer", "zh", "增值税专用发票和普通发票有什么区别？"),
    ("personal", "en", "Any tips to make my resume stand out for a product manager role?"),
    ("personal", "zh", "写简历的时候工作经历应该怎么写比较好？"),
    ("company", "en", "What are typical salary ranges for a senior backend engineer in Berlin?"),
    ("company", "zh", "北京 5 年经验的 Java 工程师一般工资多少？"),
    ("company", "en", "Draw an example org chart in Mermaid for a 3-level startup: CEO, CTO, engineers"),
    ("company", "zh", "用 Mermaid 画一个通用的公司组织架构示例图，比如 CEO 下面有 CTO 和 CFO"),
    ("customer", "en", "Help me design a CRM schema: accounts, contacts, opportunities, activities. Postgres DDL please."),
    ("customer", "zh", "帮我设计一个客户关系管理系统的数据库表结构，包括客户、联系人、商机"),
    ("finance_legal", "en", "What clauses are typical in a mutual NDA between two startups?"),
    ("finance_legal", "zh", "保密协议一般包含哪些条款？期限一般多长？"),
    ("political", "en", "Explain the Cuban Missile Crisis in 200 words for a high-school class"),
    ("political", "zh", "简单介绍一下古巴导弹危机的经过和影响"),
    ("political", "en", "Summarize the history of the Manhattan Project and the first nuclear test"),
    ("political", "zh", "第二次世界大战中诺曼底登陆的军事部署是怎样的？写一段历史科普"),
    ("company", "en", "How do I run a fair layoff process? What do good companies communicate?"),
    ("company", "zh", "裁员的时候 N+1 补偿是怎么计算的？法律上有什么规定？"),
    ("company", "en", "What is a compensation band and how do companies set them?"),
    ("company", "zh", "绩效考核用 OKR 还是 KPI 更好？"),
    ("finance_legal", "en", "Explain the difference between revenue and profit like I'm five"),
    ("finance_legal", "zh", "现金流量表怎么看？经营活动现金流为负说明什么？"),
    ("finance_legal", "en", "What's the statute of limitations for a breach of contract lawsuit in California?"),
    ("finance_legal", "zh", "劳动仲裁的流程是什么？需要准备哪些材料？"),
    ("customer", "en", "Write an invoice template in HTML with placeholders for company name, items and totals"),
    ("customer", "zh", "帮我写一个报价单的 Excel 模板，列出产品、单价、数量、合计"),
    ("customer", "en", "What's a good SLA for first response on support tickets?"),
    ("customer", "zh", "工单系统一般有哪些状态？帮我设计一个状态机"),
    ("customer", "en", "How do I export my contacts from Salesforce to CSV?"),
    ("customer", "zh", "客户名单应该怎么分级管理？有什么方法论？"),
    ("company", "en", "What does 'codename' mean in software releases, like Android's dessert names?"),
    ("company", "zh", "Ubuntu 的版本代号都是怎么起的？"),
    ("finance_legal", "en", "What is a balance sheet? Give me a made-up example for a lemonade stand."),
    ("finance_legal", "zh", "毛利率一般多少算健康？不同行业差别大吗？"),
    ("political", "en", "What does TOP SECRET mean compared to SECRET and CONFIDENTIAL in US classification?"),
    ("political", "zh", "国家秘密分为绝密、机密、秘密三级，它们的保密期限分别是多久？"),
    ("political", "en", "Who founded the Communist Party of China and when? A short history."),
    ("political", "zh", "国务院和全国人大的职能有什么区别？"),
    ("political", "en", "Recommend documentaries about the history of missiles and the space race"),
    ("company", "en", "Write a job description for a payroll specialist"),
    ("company", "zh", "帮我写一份薪酬专员的岗位职责"),
    ("personal", "en", "How do I format a mailing address for a letter to Japan?"),
    ("personal", "zh", "收货地址填写的时候省市区一定要写全吗？"),
    ("finance_legal", "en", "Write a short story where a lawyer gets a subpoena in the mail"),
    ("finance_legal", "zh", "美国的集体诉讼和中国的诉讼制度有什么不同？"),
    ("customer", "en", "Explain what a purchase order is and how it differs from an invoice"),
    ("customer", "zh", "采购订单和采购合同有什么区别？"),
    ("company", "en", "What's the best way to structure reporting lines in a 50-person engineering org?"),
    ("company", "zh", "员工花名册一般需要包含哪些字段？给个 Excel 表头"),
    ("finance_legal", "en", "Calculate the EBITDA margin if revenue is 100 and EBITDA is 20, just to check the formula"),
    ("finance_legal", "zh", "假设营收 100 万，成本 60 万，毛利率是多少？"),
    ("company", "en", "How much severance is typical in Germany per year of service?"),
    ("company", "zh", "年终奖怎么计税最划算？"),
    ("customer", "en", "Is a VAT number the same as an EIN?"),
    ("customer", "zh", "开票的时候税号填错了可以作废重开吗？"),
    ("finance_legal", "zh", "上市公司财报里的非经常性损益是什么？"),
    ("finance_legal", "en", "Generate a sample income statement for a fictional SaaS company for a finance course"),
    ("personal", "en", "What should a curriculum vitae include for an academic job in the UK?"),
    ("personal", "zh", "教育背景应该写在简历的前面还是后面？"),
    ("company", "en", "Write a Python script that parses a payroll CSV (columns: name, gross, tax) and sums the gross column"),
    ("company", "zh", "写一个 SQL：统计 salary 表里每个部门的平均工资"),
    ("customer", "en", "What's the difference between a lead and an opportunity in HubSpot?"),
    ("customer", "zh", "销售线索怎么打分比较科学？"),
    ("finance_legal", "en", "What is attorney-client privilege and when does it not apply?"),
    ("finance_legal", "zh", "法律意见书一般包括哪些部分？"),
    ("political", "en", "Write a school essay outline on the causes of World War I"),
    ("political", "zh", "解放军建军节是哪一天？有什么历史背景？"),
    ("company", "en", "Explain the difference between an internal project and a client project for time tracking"),
    ("company", "zh", "项目代号一般怎么取名比较好？给几个例子"),
    ("customer", "en", "Build a SQL query that lists customer records created last month from the customers table"),
    ("customer", "zh", "客户信息表需要加唯一索引吗？手机号字段用什么类型？"),
    ("finance_legal", "en", "Quarterly results season: what metrics do analysts usually compare?"),
    ("finance_legal", "zh", "业绩预告和业绩快报有什么区别？"),
    ("company", "en", "Our team offsite is on March 14, budget around $2,000 — suggest activities for 12 people"),
    ("company", "zh", "团建预算每人 300 元，周六在杭州，有什么推荐？"),
    ("customer", "en", "Price a coffee shop menu: latte $4.50, cappuccino $4.00 — is that competitive in Austin in 2026?"),
    ("customer", "zh", "奶茶店定价 15 元一杯在二线城市贵吗？"),
    ("finance_legal", "en", "Stock split vs dividend: which is better for shareholders? Apple's 2020 split as an example."),
    ("finance_legal", "zh", "A股分红一般在几月份？股息率怎么算？"),
    ("personal", "en", "Is it safe to put my home address on my resume?"),
    ("personal", "zh", "简历上要不要写身份证号？"),
    ("company", "en", "What is headcount planning and which spreadsheet columns do HR teams use?"),
    ("company", "zh", "编制计划和招聘计划有什么区别？"),
    ("political", "en", "What is the role of the Politburo Standing Committee? Neutral summary please."),
    ("political", "zh", "解释一下导弹的工作原理，给中学生科普"),
    ("customer", "en", "Translate 'please find attached the invoice' into German and French"),
    ("customer", "zh", "把“请查收附件中的发票”翻译成英文"),
    ("finance_legal", "en", "Create a practice exam question on calculating net profit margin with made-up numbers"),
    ("finance_legal", "zh", "出一道关于现金流折现的练习题，数字随便编"),
]:
    ok(pack, lang, t, "bare keyword, no data")

# pasted technical content with no secrets (logs, configs, stack traces)
for pack, lang, t in [
    ("security", "en", "Traceback (most recent call last):\n  File \"app.py\", line 88, in handler\n    token = session['token']\nKeyError: 'token'\nhow do I guard this?"),
    ("security", "zh", "报错：KeyError: 'password'，代码是 data['password']，前端没传这个字段"),
    ("security", "en", "2026-11-30 10:22:01 WARN  AuthFilter - invalid token for user_id=4821 path=/api/orders (expired)\nwhy would tokens expire after 5 minutes?"),
    ("security", "zh", "nginx 日志：\"POST /login HTTP/1.1\" 401 0 \"-\" \"Mozilla/5.0\"，大量 401 是被撞库了吗？"),
    ("security", "en", "services:\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n  app:\n    build: .\n    env_file: .env\nwhy does app not see the env vars?"),
    ("security", "en", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: \"\"\n  tls.key: \"\"\nhow do I fill this from cert-manager?"),
    ("security", "zh", "<configuration>\n  <appSettings>\n    <add key=\"Timeout\" value=\"30\" />\n  </appSettings>\n</configuration>\n怎么在这里读取环境变量？"),
    ("security", "en", "Caused by: org.postgresql.util.PSQLException: Connection to localhost:5432 refused. Check that the hostname and port are correct\nspring boot on mac, postgres in docker"),
    ("security", "zh", "redis-cli 连接报错 (error) NOAUTH Authentication required. 要在哪里配置密码？"),
    ("security", "en", "git log shows a commit 'remove secrets' — how do I purge the old file from history with git filter-repo?"),
    ("security", "en", "Set-Cookie: theme=dark; Path=/; Max-Age=31536000\nis SameSite needed for a theme cookie?"),
    ("security", "zh", "Cookie: _ga=GA1.2.12345.67890; lang=zh-CN 这些是什么 cookie？"),
    ("security", "en", "curl -H 'Content-Type: application/json' -d '{\"query\":\"{ viewer { login } }\"}' https://api.github.com/graphql returns 401 without a token, expected?"),
    ("security", "en", "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\nhow do I check this cert's expiry with openssl?"),
    ("security", "zh", "-----BEGIN PUBLIC KEY----- 开头的是公钥吧？可以放到前端用来加密吗？"),
    ("security", "en", "The Stripe docs example: curl https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: — is that test key safe to use?"),
    ("security", "en", "token_type: bearer, expires_in: 3600 — how do I refresh before expiry in axios interceptors?"),
    ("security", "zh", "JWT 的结构是 header.payload.signature，payload 里放用户 id 安全吗？"),
    ("security", "en", "SQLAlchemy URL format docs: dialect+driver://username:password@host:port/database — what's the driver for asyncpg?"),
    ("security", "zh", "mongodb+srv://<username>:<password>@cluster0.mongodb.net 这个格式里的 srv 是什么意思？"),
    ("security", "en", "sk_live keys should never be in frontend code, right? We only use pk_live in the browser."),
    ("security", "en", "export AWS_PROFILE=prod && aws s3 ls — it picks the wrong credentials file, why?"),
    ("security", "zh", "阿里云 RAM 子账号的 AccessKey 和主账号的有什么区别？最小权限怎么配？"),
    ("security", "en", "The function signature is def connect(host: str, user: str, password: Optional[str] = None) -> Connection; document it"),
    ("security", "en", "What's the format of a GitLab personal access token (glpat-...) and how long is it valid by default?"),
    ("security", "zh", "HashiCorp Vault 的 token 有 service token 和 batch token，区别是什么？"),
    ("company", "en", "kubectl get svc -n kube-system shows kube-dns at cluster IP, what's the FQDN for a service in namespace default?"),
    ("company", "zh", "k8s 里 service 的 DNS 格式是 <service>.<namespace>.svc.cluster.local 吗？"),
    ("company", "en", "Our status page says 'api latency elevated since 10:20 UTC' — draft a customer update"),
    ("company", "zh", "服务器时间 2026-11-30 10:00:00 和 NTP 差了 3 秒，会影响什么？"),
    ("security", "en", "Base64 of 'hello world' is aGVsbG8gd29ybGQ= — why does it end with =?"),
    ("security", "zh", "md5('123456') = e10adc3949ba59abbe56e057f20f883e，这就是为什么不能用 md5 存密码吗？"),
    ("security", "en", "sha256sum says 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 for 'test', is that right?"),
    ("security", "en", "UUID v4 example 3fa85f64-5717-4562-b3fc-2c963f66afa6 — is this safe to use as an API key?"),
    ("personal", "en", "Our test card in Stripe docs is 4242 4242 4242 4242 — does it work in live mode?"),
    ("personal", "zh", "订单号 202611301234567890123 这么长会溢出 bigint 吗？"),
    ("personal", "en", "ISBN 978-0-13-468599-1 — which book is this?"),
    ("personal", "zh", "快递单号 SF1234567890123 怎么查物流？"),
]:
    ok(pack, lang, t, "pasted technical content, no secret")


# more pasted configs and office documents
for lang, t in [
    ("en", f"terraform.tfvars:\nregion = \"us-west-2\"\ndb_password = \"{pw()}\"\ndatadog_api_key = \"{hx(32)}\"\nplan says variable not declared"),
    ("en", f"jobs:\n  deploy:\n    steps:\n      - run: curl -H \"Authorization: token ghp_{al(36)}\" https://api.github.com/repos/acme/app/dispatches"),
    ("zh", f"application.properties：\nspring.redis.host=r-bp1.redis.rds.aliyuncs.com\nspring.redis.password={pw()}\n启动报 ERR invalid password"),
    ("en", f"[database]\nhost = db.acme.io\nuser = analytics\npassword = {pw()}\n\nconfigparser can't read the % in it, how to escape?"),
    ("zh", f"帮我把 nacos 配置转 yaml：\ndatasource.password={pw()}\naliyun.oss.accessKeySecret={al(30)}"),
    ("en", f"SENTRY_DSN=https://{hx(32)}@o{R.randrange(10**5, 10**6)}.ingest.sentry.io/{R.randrange(10**6, 10**7)} and DATADOG_API_KEY={hx(32)} in our Helm values"),
    ("zh", f"Jenkins 凭据里存的 token 是 {hx(34)}，流水线调用 /job/build/buildWithParameters 返回 403，配置：JENKINS_API_TOKEN={hx(34)}"),
    ("en", f"NUGET_API_KEY=oy2{al(43).lower()} dotnet nuget push fails with 403"),
    ("en", f"gem push says unauthorized; ~/.gem/credentials has\n---\n:rubygems_api_key: rubygems_{hx(48)}"),
    ("zh", f"Harbor 机器人账号 robot$ci 密码 {al(32)}，docker login 报 unauthorized"),
    ("en", f"mailgun key-{hx(32)} returns 401 from api.mailgun.net, is the region wrong?"),
    ("zh", f"高德地图 web 服务 key={hx(32)}，调用逆地理编码返回 INVALID_USER_KEY"),
]:
    act("security", lang, t, "pasted config")
for pack, lang, t in [
    ("company", "en", f"Headcount plan 2027 (draft, confidential):\nTeam | Now | Plan | Cost\nPlatform | 14 | 18 | $2.1M\nData | 9 | 12 | $1.4M\nturn into a slide"),
    ("company", "zh", "2027年编制计划（草稿）：\n平台组 现有 14 人 计划 18 人 人力成本 1500万\n数据组 现有 9 人 计划 12 人 900万\n帮我做成表"),
    ("company", "en", f"Severance for {names_en[4]}: 6 months base ($61,000) plus COBRA through June 30. Write the separation agreement summary."),
    ("company", "zh", f"{names_zh[2]} 离职补偿：N+1 共 11.5 万，社保缴到 12月31日，帮我写离职协议摘要"),
    ("customer", "en", "Sales pipeline review: Initech $450K (commit, closes Dec 19), Umbrella $1.1M (best case, Q1) — write the forecast note"),
    ("customer", "zh", "本季度商机：招商局 450万 预计12月签约，顺丰 110万 1月签约，帮我写预测说明"),
    ("finance_legal", "en", "Board pack (strictly confidential): FY26 guidance cut from $410M to $372M, to be announced Jan 15. Draft the CEO's talking points."),
    ("finance_legal", "zh", "业绩预告（未披露）：2026年净利润预计下降 35%-45%，约 1.2-1.5 亿元，1月20日公告，帮我拟稿"),
    ("company", "en", f"Offer comparison for {names_en[7]}: our offer $178K + 10% bonus vs their current $165K; recruiter wants approval by Friday"),
    ("company", "zh", f"候选人 {names_zh[7]} 期望年薪 60万，我们 offer 52万 + 期权 2万股，帮我写谈薪话术"),
    ("personal", "en", f"Background check form: Linda Wu, SSN 5{R.randrange(10, 99)}-{R.randrange(10, 99)}-{R.randrange(1000, 9999)}, DOB 1988-07-02 — fill the summary"),
    ("personal", "zh", f"帮我写一份租房合同，承租人 黄磊，身份证 {cn_id()}，联系电话 {mobile()}"),
    ("finance_legal", "en", "Privileged & Confidential: outside counsel advises that the data breach notification deadline in 3 states has passed; potential fines $250K-$1M. Summarize."),
    ("finance_legal", "zh", "仲裁案件（保密）：对方索赔 2300 万元，我方反请求 800 万元，开庭时间 2027年1月10日，帮我写案情摘要"),
]:
    act(pack, lang, t, "office document with figures")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "risk_corpus_real.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for i, c in enumerate(CASES, 1):
            f.write(json.dumps({"id": i, **c}, ensure_ascii=False) + "\n")
    n = len(CASES)
    pos = sum(c["label"] == "act" for c in CASES)
    zh = sum(c["lang"] == "zh" for c in CASES)
    print(f"{n} cases, {pos} act, {n - pos} harmless, {zh} zh ({zh / n:.0%})")


if __name__ == "__main__":
    main()
