//! The `security` pack. Secrets: private keys, vendor keys and tokens,
//! credentials in any assignment syntax, session cookies, connection
//! strings, kubeconfigs.

use crate::risk::builtin::{Builtin, Confirm, Validator, BASE};
use crate::risk::Severity;
use crate::risk::{cli_secret, Action};
use Severity::High;

pub(super) static RULES: &[Builtin] = &[
    Builtin {
        id: "private_key_marker",
        pack: "security",
        severity: High,
        action: Action::Block,
        description: "PEM/OpenSSH/PGP private key block header; a PuTTY key file's private lines",
        // PuTTY's `.ppk` format is the one that counts its private base64
        // lines under `Private-Lines:` (no `\b` before it: an escaped line
        // break, `none\nPrivate-Lines`, puts a letter there); a format's
        // description says `N`
        pattern: r"-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----|Private-Lines: \d{1,3}\b",
        anchors: &["-----begin ", "private-lines: "],
        validator: Validator::PemHeader,
        after: 48,
        ..BASE
    },
    Builtin {
        id: "api_key_like",
        pack: "security",
        severity: High,
        action: Action::Block,
        description: "API keys and tokens by their documented format: OpenAI/Anthropic/DeepSeek sk-, Stripe, AWS, Alibaba, Tencent, Volcengine, GCP, GitHub, GitLab, npm, PyPI, Docker Hub, NuGet, RubyGems, Vault, Slack/DingTalk/Feishu/WeCom/Discord webhooks, Telegram, SendGrid, Mailgun, Hugging Face (user and org), Shopify, Sentry, Mailchimp, Notion, Sourcegraph, 1Password, Meta, Square, Grafana Cloud, Heroku, Amazon Bedrock, Cloudflare Origin CA, Teams webhooks, DingTalk robot secrets, EasyPost, New Relic (user, browser, license, mobile, insights), Brevo, Tailscale, Adobe, Duffel",
        pattern: concat!(
            r"\b(?:sk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_\-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|AIza[0-9A-Za-z_\-]{35}|glpat-[A-Za-z0-9_\-]{20,})",
            r"|\b(?:sk|rk)_live_[A-Za-z0-9]{20,}|\bwhsec_[A-Za-z0-9]{24,}",
            // Slack: numeric ids, then a random segment (bot 24, user 32 hex);
            // app-level `xapp-1-A…-digits-hex`; configuration `xoxe.xoxp-1-…`
            r"|\bxox[abprs]-(?:\d+-){1,4}[0-9]*[A-Za-z][A-Za-z0-9]{9,}|\bxapp-\d-[A-Z0-9]{8,}-\d{8,}-[a-f0-9]{64}\b|\bxoxe\.xox[bp]-\d-[A-Za-z0-9]{40,}",
            r"|\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40,}={0,2}",
            r"|\bLTAI[A-Za-z0-9]{12,30}\b|\bAKID[A-Za-z0-9]{32}\b|\bAKLT[A-Za-z0-9_\-]{20,}",
            // Baidu Cloud (BCE) and JD Cloud access key ids
            r"|\bALTAK[A-Za-z0-9]{15,30}\b|\bJDC_[0-9A-Z]{28,32}\b",
            r"|\bnpm_[A-Za-z0-9]{36}\b|\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{40,}|\bdckr_pat_[A-Za-z0-9_\-]{20,}",
            r"|\boy2[a-z0-9]{43}\b|\brubygems_[a-f0-9]{48}\b",
            r"|\bgithub_pat_[A-Za-z0-9_]{40,}|\bgl(?:rt|dt|ptt|cbt|imt|ft)-[A-Za-z0-9_\-]{20,}",
            r"|\bhv[sb]\.[A-Za-z0-9_\-]{20,}",
            r"|hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}",
            r"|oapi\.dingtalk\.com/robot/send\?access_token=[a-f0-9]{40,}",
            r"|open\.(?:feishu\.cn|larksuite\.com)/open-apis/bot/v2/hook/[A-Za-z0-9\-]{20,}",
            r"|qyapi\.weixin\.qq\.com/cgi-bin/webhook/send\?key=[A-Za-z0-9\-]{20,}",
            r"|discord(?:app)?\.com/api/webhooks/\d{5,}/[A-Za-z0-9_\-]{40,}",
            r"|\b\d{8,10}:AA[A-Za-z0-9_\-]{32,33}\b|\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}",
            r"|\bkey-[a-f0-9]{32}\b|\bhf_[A-Za-z0-9]{30,}|\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
            r"|https://[a-f0-9]{32}@[a-z0-9.\-]*\.ingest\.(?:[a-z]+\.)?sentry\.io",
            // Mailchimp: 32 hex, `-us` and the datacenter number
            r"|\b[a-f0-9]{32}-us\d{1,2}\b",
            // Notion integration secrets (old `secret_` 43, new `ntn_` 46)
            r"|\bsecret_[A-Za-z0-9]{43}\b|\bntn_[A-Za-z0-9]{46}\b",
            // Sourcegraph access tokens (optional instance id, 40 hex)
            r"|\bsgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}\b",
            // 1Password: service-account token (base64 JSON), account secret key
            r"|\bops_eyJ[A-Za-z0-9+/=_\-]{100,}|\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}\b",
            // Facebook/Meta Graph access tokens; Square access tokens and secrets
            r"|\bEAA[A-Za-z0-9]{90,}|\bEAAA[A-Za-z0-9_\-]{60}\b|\bsq0atp-[A-Za-z0-9_\-]{22}\b|\bsq0csp-[A-Za-z0-9_\-]{43}\b",
            // Grafana Cloud API tokens (base64 JSON) and service-account tokens
            r"|\bglc_eyJ[A-Za-z0-9+/]{60,}={0,2}|\bglsa_[A-Za-z0-9]{32}_[a-fA-F0-9]{8}\b",
            // Heroku platform keys, Hugging Face org tokens, Amazon Bedrock API keys
            r"|\bHRKU-[A-Za-z0-9_\-]{40,}|\bapi_org_[A-Za-z0-9]{34}\b|\bABSK[A-Za-z0-9+/]{100,}={0,2}|\bbedrock-api-key-[A-Za-z0-9+/]{40,}={0,2}",
            // Cloudflare Origin CA keys; Stripe restricted and test restricted keys
            r"|\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}\b|\b(?:sk|rk)_prod_[A-Za-z0-9]{20,}|\brk_test_[A-Za-z0-9]{20,}",
            // Microsoft Teams incoming webhooks
            r"|\.webhook\.office\.com/webhookb2/[a-z0-9\-]{36}@[a-z0-9\-]{36}/IncomingWebhook/[A-Za-z0-9]{32}/[a-z0-9\-]{36}",
            // the same webhooks on the host Microsoft first documented
            r"|outlook\.office(?:365)?\.com/webhook(?:b2)?/[a-z0-9\-]{36}@[a-z0-9\-]{36}/IncomingWebhook/[A-Za-z0-9]{32}/[a-z0-9\-]{36}",
            // DingTalk robot signing secret (`SEC` + 64 hex); TestPyPI macaroon
            r"|\bSEC[a-f0-9]{64}\b|\bpypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_\-]{40,}",
            // EasyPost, New Relic (user, browser, insights insert), Brevo
            r"|\bEZ[AT]K[A-Za-z0-9]{54}\b|\bNRAK-[A-Za-z0-9]{27}\b|\bNRJS-[a-f0-9]{19}\b|\bNRII-[A-Za-z0-9_\-]{32}\b|\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b",
            // New Relic's ingest license key (40 characters, the last four
            // `NRAL`; an EU account's starts `eu01xx`), mobile application
            // token (42, then `-NRMA`) and insights query key (`NRIQ-`)
            r"|\b(?:[a-fA-F0-9]{36}|eu\d\dxx[a-fA-F0-9]{30})NRAL\b|\b[A-Za-z0-9]{42}-NRMA\b|\bNRIQ-[A-Za-z0-9_\-]{32}\b",
            // Tailscale auth/API keys, Adobe client secrets, Duffel tokens
            r"|\btskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{8,}-[A-Za-z0-9]{20,}|\bp8e-[A-Za-z0-9]{32}\b|\bduffel_(?:test|live)_[A-Za-z0-9_\-=]{43}"
        ),
        anchors: &[
            "sk-", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "xoxa-", "xoxb-",
            "xoxp-", "xoxr-", "xoxs-", "xapp-", "xoxe.", "aiza", "glpat-", "sk_live_", "rk_live_", "whsec_",
            "ltai", "akid", "aklt", "altak", "jdc_", "npm_", "pypi-", "dckr_pat_", "oy2", "rubygems_",
            "github_pat_", "glrt-", "gldt-", "glptt-", "glcbt-", "glimt-", "glft-", "hvs.",
            "hvb.", "hooks.slack.com", "oapi.dingtalk.com", "open.feishu.cn",
            "open.larksuite.com", "qyapi.weixin.qq.com", "/api/webhooks/", ":aa", "sg.",
            "key-", "hf_", "shpat_", "shpca_", "shppa_", "shpss_", "sentry.io", "accountkey=",
            "sharedaccesskey=", "-us", "secret_", "ntn_", "sgp_", "ops_eyj", "a3-", "eaa",
            "sq0", "glc_", "glsa_", "hrku-", "api_org_", "absk", "bedrock-api-key-", "v1.0-",
            "_prod_", "rk_test_", "webhook.office.com", "outlook.office", "=sec", ":sec", "\"sec", "'sec",
            "= sec", ": sec", "ezak", "eztk", "nrak-", "nrjs-", "nrii-", "nriq-", "-nrma", "nral", "xkeysib-", "tskey-",
            "p8e-", "duffel_",
        ],
        validator: Validator::KeyShape,
        before: 120,
        after: 200,
        ..BASE
    },
    Builtin {
        id: "credential_assignment",
        pack: "security",
        severity: High,
        description: "A password, secret, token or API key assigned a value (`password=...`, `Authorization: Bearer ...`, `密码：...`)",
        // The operator covers the assignment syntaxes people paste: `=`,
        // `:`, Go `:=`, Makefile `?=`/`::=`/`+=`, PHP/Ruby `=>`, with an
        // optional declared type (`var k string =`, `k: &str =`), and the
        // full-width `：`/`＝` a Chinese input method types after an ASCII
        // name (`SecretKey：…`). Vendors' documented names with no
        // credential word of their own: Azure's
        // `Ocp-Apim-Subscription-Key`, WeChat Pay's `apiV3Key` (a vendor's
        // name before a bare `key` is `vendor_named_key`'s). A value
        // stops at a backslash: in an escaped string (`"A=1\nB=2"`) the
        // next line starts there. A subscript is assigned with `=` only
        // (`$config['db_password'] = …`; `["token"]: Schema` is an object's
        // computed key), and a value may carry its string prefix (`b"…"`,
        // `r"…"`). `p@ssword`, `pa$$w0rd`: the name as people disguise it.
        // `Pass` ends a camelCase name (`dbPass`, `smtpPass`) as `_pass`
        // ends a snake one; in lower case it is `bypass`, `compass`.
        pattern: concat!(
            r#"(?i:\b[a-z0-9_\-]{0,24}?(?:p(?:[a@4]ss|a\$\$|@\$\$)[_\-]?w[o0]rd|passwd|pwd|passphrase|secret|api[_\-]?key|api[_\-]?token|access[_\-]?key|private[_\-]?key|token|appsecret|secretid|secretkey|_pass|(?-i:[a-z0-9]Pass\b)|credentials?|creds|subscription[_\-]?key|api_?v3_?key)[a-z0-9_\-]{0,24}(?:["']\][ \t]*=|["']?(?:[ \t]*:?[ \t]*&?(?:'static[ \t]+)?(?:str|string)\b)?[ \t]*(?:={2,3}|!==?|:::=|::=|:=|\?=|\+=|\.=|=>|[:=：＝]|\bis\b|是|为))[ \t]*(?:\r?\n[ \t]+)?(?:[bBrRuUfF]["'\x60]|@?["'\x60]?)[^\s\x22'\x60,;<>{}\\\x{80}-\x{10FFFF}][^\s\x22'\x60,;<\\\x{80}-\x{10FFFF}]{3,})"#,
            // a Terraform variable's default: `variable "db_password" {
            // default = "…" }`
            r#"|(?i:\bvariable[ \t]+"[a-z0-9_\-]{0,24}?(?:password|passwd|secret|token|api_?key|access_?key|private_?key)[a-z0-9_\-]{0,24}"[ \t]*\{[^}]{0,120}?\bdefault[ \t]*=[ \t]*"[^\s\x22\\]{6,})"#,
            // a constructor or `assign` taking the secret:
            // `std::string secret("…")`, `secret.assign("…", n)`
            r#"|(?i:\b[a-z0-9_]{0,24}?(?:password|passwd|secret|api_?key|private_?key)[a-z0-9_]{0,4}(?:\.assign)?\([ \t]*["'][^\s\x22'\\]{6,})"#,
            r#"|(?i:\b(?:pw|pass|password|sk|auth[ _\-]?token|api[ _\-]?key|access[ _\-]?key|secret(?:[ _\-]?key)?|aws_secret_access_key|aws_session_token)[ \t]*(?:[:=：＝]|\bis\b|是|为)?[ \t]+["']?[^\s\x22',;<>{}\\\x{80}-\x{10FFFF}]{6,})"#,
            // a note's dash between the name and a quoted value: `webex
            // token - '…'`, `API key - "…"` (quoted: unquoted, `token - 1`
            // is arithmetic and `API key - what it is` prose)
            r#"|(?i:\b(?:token|secret|password|passwd|api[ _\-]?key|access[ _\-]?key|credentials?)[ \t]+-[ \t]+["'\x60][^\s\x22'\x60\\]{8,})"#,
            // what the secret is for, then its value: `the password for
            // the staging db is …`, `api token for prod: …`
            r#"|(?i:\b(?:password|passcode|passphrase|pwd|secret|api[ _\-]?key|api[ _\-]?token|access[ _\-]?key|token|credentials?)[ \t]+(?:for|of|to|on)(?:[ \t]+[a-z0-9_.@\-]{1,24}){1,5}?[ \t]*(?:\bis\b|\bwas\b|[:=])[ \t]*["']?[^\s\x22',;<>{}\\\x{80}-\x{10FFFF}][^\s\x22',;<>{}\\\x{80}-\x{10FFFF}]{5,})"#,
            r"|(?i:\bkey=[A-Za-z0-9_\-]{16,})",
            // a query parameter ends at `&`: `?access_token=…&limit=5`, SAS `sig=`
            r#"|(?i:[?&](?:access_token|token|secret|client_secret|api_key|apikey|sig|password)=[^&\s#\x22'<>]{8,})"#,
            // command-line flags: `--token X1…`, `--authkey=…`, `--api-key …`
            // (Azure's `--account-key`, a storage tool's `-storagekey`)
            r#"|(?i:\s--?(?:token|auth-?key|api-?key|access-?token|password|secret|account-?key|storage-?key)(?:=|[ \t]+)["']?[^\s\x22'\\]{8,})"#,
            // WeChat Pay's API key (32 letters and digits) under a bare
            // `'key' => …` / `"mch_key": …` in a config array
            r#"|["'](?:mch_|pay_|sign_)?key["'][ \t]{0,20}(?:=>|[:=])[ \t]*["'][A-Za-z0-9]{32}\b"#,
            // a name and its value as two string arguments:
            // `System.setProperty("…password", "…")`, `os.Setenv("API_KEY", "…")`
            r#"|(?i:(?:password|passwd|secret|token|api[_\-]?key|access[_\-]?key)["'][ \t]*,[ \t]*["'][^\s\x22'\\]{6,})"#,
            // `curl -u user:pass`, `--user user:pass`
            r#"|(?:\s(?:-u|--user)[ \t=]+["']?[A-Za-z0-9._@+\-]{1,64}:[^\s\x22'@\\][^\s\x22'\\]{3,})"#,
            r#"|(?i:\bauthorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|basic|token|digest|ssws|api-token|apikey|bot)\s+[A-Za-z0-9._~+/=\-]{8,})"#,
            r"|(?i:\bx-jfrog-art-api[ \t]*:[ \t]*[A-Za-z0-9]{16,})",
            // `Authorization: <token>` with no scheme (API keys sent bare)
            r#"|(?i:\bauthorization["']?[ \t]*:[ \t]*["']?[A-Za-z0-9._~+/\-]{20,}=*)"#,
            // docker `config.json`: `"auth": "<base64 of user:password>"`,
            // also escaped inside a string (GitLab's `DOCKER_AUTH_CONFIG`)
            r#"|(?:\\?"auth\\?"[ \t]*:[ \t]*\\?"[A-Za-z0-9+/]{12,}={0,2})"#,
            r"|(?i:\bbearer\s+[A-Za-z0-9._~+/\-]{20,}=*)",
            r"|(?:密[ \t]?码|口令|密钥|秘钥|授权码|パスワード|비밀번호)\s*(?:是|为|は|[:：=])?\s*[^\s\x22',;<>{}\\\x{80}-\x{10FFFF}]{4,}",
            r"|(?i:<[a-z0-9_.:\-]{0,20}(?:password|passwd|pwd|secret|token|apikey|api_key)[a-z0-9_.\-]{0,16}>\s{0,40}[^<\s@][^<\s]{3,}\s{0,40}<)",
            r#"|(?i:(?:name|key)=["'][a-z0-9._\-]*(?:password|passwd|secret|token)["']\s+value=["'][^"'\s]{4,})"#,
            r"|(?i:\b(?:requirepass|masterauth)\s+[^\s\x22',;<>{}\x{80}-\x{10FFFF}]{4,})"
        ),
        anchors: &[
            "password", "passwd", "pwd", "passphrase", "secret", "api_key", "api-key",
            "apikey", "access_key", "access-key", "accesskey", "private_key", "private-key",
            "privatekey", "token", "authorization", "bearer", "密码", "口令", "密钥",
            "秘钥", "授权码", "requirepass", "masterauth", "pw", "sk", "api key",
            "access key", "auth token", "pass", "key=", "-u ", "--user", "art-api", "key'",
            "key\"", "\"auth\"", "sig=", "authkey", "auth-key", "subscription-key", "credential", "creds", "passcode",
            "subscription_key", "subscriptionkey", "apiv3", "api_v3",
            // with what stands before them: `auth`, `account` and
            // `storage` alone would send every `author` and `account`
            // to the anchors' bucket check
            "\\\"auth\\\"", "-account-key", "-accountkey", "-storage-key", "-storagekey",
            // disguised names (`pass` finds `passw0rd`); `pa$$w` would hit on
            // every `padding`
            "p@ss", "p4ss", "a$$w", "@$$w",
            // Japanese and Korean words for a password; 密码 spaced apart
            "パスワード", "비밀번호", "密 码",
        ],
        validator: Validator::SecretValue,
        confirm: Confirm::Assign,
        before: 24,
        after: 64,
        ..BASE
    },
    Builtin {
        id: "credential_compared",
        pack: "security",
        severity: High,
        description: "A password, secret or token compared with a literal written first (`if (\"…\" == db_password)`)",
        // its own rule, anchored at the quote and the operator: the
        // literal stands before the name, out of `credential_assignment`'s
        // window, and widening that window for every name slowed dirty
        // text by a fifth
        pattern: r#"(?i:["'][^\s"'\\]{6,64}["'][ \t]{0,4}(?:={2,3}|!==?)[ \t]{0,4}[a-z0-9_.]{0,24}?(?:password|passwd|pwd|passphrase|secret|api_?key|access_?key|private_?key|token)[a-z0-9_]{0,24}\b)"#,
        anchors: &["\"==", "\" ==", "\"!=", "\" !=", "'==", "' ==", "'!=", "' !="],
        validator: Validator::SecretValue,
        before: 72,
        after: 56,
        ..BASE
    },
    Builtin {
        id: "jwt_token_like",
        pack: "security",
        severity: High,
        description: "JSON Web Token (three base64url segments starting eyJ)",
        pattern: r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
        anchors: &["eyj"],
        validator: Validator::Jwt,
        after: 2048,
        ..BASE
    },
    Builtin {
        id: "cookie_session_like",
        pack: "security",
        severity: High,
        description: "Session cookies (`Cookie: sessionid=...`, PHPSESSID, JSESSIONID, connect.sid)",
        // Outside a cookie header a generic `sessionid=` is a cookie only
        // with a long opaque value: 16+ characters before any `-`
        // (frameworks issue 26-32 without one). A UUID's first group is 8,
        // and `sessionId=<uuid>` is how logs and agents name a session.
        pattern: concat!(
            r"(?i:\b(?:set-)?cookie\s*:[^\n]{0,200}?\b[a-z0-9_.\-]*(?:sess|sid|token|auth)[a-z0-9_.\-]*=[^;\s]{8,})",
            r"|(?i:\b(?:phpsessid|jsessionid|connect\.sid|_session)=[A-Za-z0-9%._:\-]{8,})",
            r"|(?i:\b(?:sessionid|session_id|session-id)=[A-Za-z0-9%._:]{16,}[A-Za-z0-9%._:\-]*)"
        ),
        anchors: &[
            "cookie", "sessid", "sessionid", "session_id", "session-id", "connect.sid",
            "_session=",
        ],
        validator: Validator::CookieValue,
        before: 220,
        after: 400,
        ..BASE
    },
    Builtin {
        id: "db_connection_string",
        pack: "security",
        severity: High,
        description: "Database URL or JDBC/ADO string carrying a password",
        pattern: concat!(
            r"(?i:\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse|cockroachdb|redshift)(?:\+[a-z0-9]+)?://[^\s:/@]*:[^\s@/]+@[^\s/]+)",
            r"|(?i:\bjdbc:[a-z0-9]+:[^\s]*?(?:password|pwd)=[^\s&;]+)",
            r"|(?i:\bjdbc:oracle:thin:[a-z0-9_$#]+/[^\s@/]+@\S+)",
            r"|(?i:\b(?:server|data source|host)=[^;\n]+;[^\n]*?\b(?:password|pwd)=[^;\s]+)",
            r#"|(?i:\bhost=[^\s;]+(?:\s+[a-z_]+=[^\s;]+)*?\s+password=[^\s'";]+)"#,
            r"|\b[A-Za-z0-9_.\-]+:[^\s@/:]+@(?:tcp|unix)\([^)\s]*\)",
            r"|(?i:\bsqlplus\s+[^\s/]+/[^\s@/]+@\S+)"
        ),
        anchors: &[
            "postgres", "mysql", "mariadb", "mongodb", "redis", "amqp", "mssql",
            "sqlserver", "oracle", "clickhouse", "cockroachdb", "redshift", "jdbc:",
            "server=", "data source=", "host=", "@tcp(", "@unix(", "sqlplus",
        ],
        validator: Validator::Dsn,
        before: 80,
        after: 400,
        ..BASE
    },
    Builtin {
        id: "url_credentials",
        pack: "security",
        severity: High,
        description: "A URL carrying a user and password (git remotes, package indexes, web hooks: `https://user:pass@host`)",
        // Database schemes are `db_connection_string`'s. Found from the
        // `@`, so a URL without userinfo costs nothing.
        pattern: r"(?i:\b(?:https?|git|ssh|ftps?|sftp|svn|svn\+ssh|s3|smb|ldaps?)://[^\s:/@\x22';]{1,64}:[^\s@/\x22';]{1,128}@[A-Za-z0-9.\-\[]{2,})",
        anchors: &["@"],
        validator: Validator::Dsn,
        before: 220,
        after: 64,
        ..BASE
    },
    Builtin {
        id: "kubeconfig_content",
        pack: "security",
        severity: High,
        description: "Kubernetes kubeconfig with embedded certificates, keys or tokens, and Secret manifests with `data`",
        // A Secret's `data` values are base64 whatever they hold; `kind`
        // stands before or after them.
        pattern: concat!(
            r"(?:client-key-data|client-certificate-data|certificate-authority-data):\s*[A-Za-z0-9+/=]{16,}|kind:\s*Config\s[\s\S]{0,400}?\bclusters:",
            r"|kind:[ \t]*Secret\b[\s\S]{0,300}?\bdata:[ \t]*\n(?:[ \t]+[^\n]*\n){0,4}?[ \t]+[A-Za-z0-9_.\-]+:[ \t]*(?:[>|][ \t]*\n[ \t]*)?[A-Za-z0-9+/]{16,}={0,2}",
            r"|\bdata:[ \t]*\n(?:[ \t]+[^\n]*\n){0,4}?[ \t]+[A-Za-z0-9_.\-]+:[ \t]*(?:[>|][ \t]*\n[ \t]*)?[A-Za-z0-9+/]{16,}={0,2}[\s\S]{0,400}?kind:[ \t]*Secret\b"
        ),
        anchors: &[
            "client-key-data",
            "client-certificate-data",
            "certificate-authority-data",
            "kind:",
        ],
        before: 600,
        after: 512,
        ..BASE
    },
    Builtin {
        id: "env_file_secret",
        pack: "security",
        severity: High,
        description: "`.env`-style line assigning a secret (`AWS_SECRET_ACCESS_KEY=...`)",
        pattern: r"(?m)^[ \t]*(?:export[ \t]+|-[ \t]+)?[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|PWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|ACCESSKEY|SECRETKEY|_SK|_KEY)[A-Z0-9_]*[ \t]*(?:::=|:=|\?=|\+=|[=:：＝])[ \t]*[\x22']?[^\s\x22'$<{][^\s\x22']{5,}",
        anchors: &[
            "secret", "password", "passwd", "pwd", "token", "api_key", "apikey",
            "private_key", "access_key", "accesskey", "_sk", "_key",
        ],
        validator: Validator::EnvSecret,
        confirm: Confirm::Upper,
        before: 80,
        after: 64,
        ..BASE
    },
    Builtin {
        id: "vendor_token",
        pack: "security",
        severity: High,
        action: Action::Block,
        description: "More vendors' keys by their documented prefix, length and alphabet, wherever they stand: Adafruit, JFrog, Atlassian, Bitbucket, Azure AD, Clojars, Databricks, Defined Networking, DigitalOcean, Doppler, Dropbox, Dynatrace, Flutterwave, Fly.io, Frame.io, GitLab (agent, OAuth, SCIM, runner registration, feature flags, session), GoCardless, Grafana, Terraform Cloud, HubSpot, Infracost, Linear, Mapbox, MaxMind, Netlify, OpenShift, Perplexity, Plaid, PlanetScale, Postman, Prefect, Pulumi, ReadMe, Scalingo, Sentry, SettleMint, Shippo, Slack refresh, Typeform, Yandex, age, Google OAuth, Groq, xAI, Replicate, Pinecone, LangSmith, Tavily, Supabase, SonarQube, Buildkite, CircleCI, Braintree, Firebase, Figma, Contentful, Baidu Qianfan, AWS session tokens, npm `.npmrc`, 42 Intra, Sidekiq, Sumo Logic, Azure (common annotated keys, DevOps PATs), NVIDIA, Razorpay, Firecrawl, HeyGen",
        // Each alternative is one vendor's documented format; the anchors
        // are their literal prefixes (or the literal a format always holds:
        // `Q~`, `.atlasv1.`, `_mmk`).
        pattern: concat!(
            r"\baio_[A-Za-z0-9]{28}\b|\bAKCp[A-Za-z0-9]{69}\b|\bcmVmdGtuOjAxOj[A-Za-z0-9]{50}\b",
            r"|\bATATT3[A-Za-z0-9_\-=]{186}|\bATBB[A-Za-z0-9]{32}|\b[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}",
            r"|\bCLOJARS_[a-z0-9]{60}\b|\bdapi[a-f0-9]{32}(?:-\d)?\b|\bdnkey-[a-z0-9=_\-]{26}-[a-z0-9=_\-]{52}",
            r"|\bdo[por]_v1_[a-f0-9]{64}\b|\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}\b|\bsl\.[A-Za-z0-9_\-]{130,}",
            r"|\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}\b|\bFLWSECK(?:_TEST)?-[a-fA-F0-9]{32}-X\b",
            r"|\bfo1_[A-Za-z0-9_\-]{43}|\bfm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}|\bfio-u-[A-Za-z0-9_\-=]{64}",
            r"|\bglagent-[A-Za-z0-9_\-]{50}|\bgloas-[A-Za-z0-9_\-]{64}|\bgl(?:ffct|soat)-[A-Za-z0-9_\-]{20}|\bGR1348941[A-Za-z0-9_\-]{20}|\b_gitlab_session=[a-f0-9]{32}",
            r"|\blive_[A-Za-z0-9_\-=]{40}\b|\beyJrIjoi[A-Za-z0-9]{70,400}={0,2}|\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70}",
            r"|\bpat-(?:na|eu)1-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}\b|\bico-[A-Za-z0-9]{32}\b",
            r"|\blin_api_[A-Za-z0-9]{40}\b|\blin_oauth_[a-f0-9]{64}\b|\bsk\.eyJ[A-Za-z0-9_\-]{50,}\.[A-Za-z0-9_\-]{20,}",
            r"|\b[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk\b|\bnfp_[A-Za-z0-9]{36}\b|\bsha256~[A-Za-z0-9_\-]{43}\b|\bpplx-[A-Za-z0-9]{48}\b",
            r"|\baccess-(?:sandbox|development|production)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}\b",
            r"|\bpscale_(?:tkn|oauth|pw)_[A-Za-z0-9_\-.=]{32,64}|\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b|\bpnu_[A-Za-z0-9]{36}\b|\bpul-[a-f0-9]{40}\b",
            r"|\brdme_[a-z0-9]{70}\b|\btk-us-[A-Za-z0-9_\-]{48}|\bsntryu_[a-f0-9]{64}\b|\bsntrys_eyJ[A-Za-z0-9+/=_]{80,}",
            r"|\bsm_(?:aat|pat|sat)_[A-Za-z0-9]{16}\b|\bshippo_(?:live|test)_[a-f0-9]{40}\b|\bxoxe-\d-[A-Za-z0-9]{100,}|\btfp_[A-Za-z0-9_\-.=]{59}",
            r"|\bt1\.[A-Za-z0-9_\-]+={0,2}\.[A-Za-z0-9_\-]{86}|\bAQVN[A-Za-z0-9_\-]{35,38}\b|\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b",
            r"|\bGOCSPX-[A-Za-z0-9_\-]{28}|\bya29\.[A-Za-z0-9_\-]{30,}|\bgsk_[A-Za-z0-9]{52}\b|\bxai-[A-Za-z0-9]{80}\b|\br8_[A-Za-z0-9]{37}\b",
            r"|\bpcsk_[A-Za-z0-9_]{50,}|\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b|\btvly-(?:dev-)?[A-Za-z0-9]{32}\b|\bsbp_[a-f0-9]{40}\b",
            r"|\bsq[upa]_[a-f0-9]{40}\b|\bbkua_[a-f0-9]{40}\b|\bCCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}\b",
            r"|access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}|\bAAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134}|\bfigd_[A-Za-z0-9_\-]{40}|\bCFPAT-[A-Za-z0-9_\-]{43}",
            r"|\bbce-v3/ALTAK-[A-Za-z0-9]{20,}/[a-f0-9]{40}\b|\b(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)[A-Za-z0-9/+=]{100,}",
            // `.npmrc`: a registry's `:_authToken=` (legacy tokens are UUIDs)
            r"|:_authToken=(?:[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}|npm_[A-Za-z0-9]{36})\b",
            // 42 Intra client secret; Sidekiq Enterprise credentials under
            // their Bundler variable; a Sumo Logic access id under its name
            r"|\bs-s4t2ud-[a-f0-9]{64}\b|(?i:bundle_(?:enterprise|gems)__contribsys__com)[^\n]{0,24}?[:=][ \t>\x22']{0,6}[a-f0-9]{8}:[a-f0-9]{8}\b",
            r"|(?i:\bsumo(?:_?logic)?[._\-]?access[._\-]?id)[\x22']?[ \t]*[:=][ \t]*[\x22']?su[A-Za-z0-9]{12}\b",
            // Authress service client keys
            r"|\b(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_\-][a-z0-9\-]{10,32}\.[A-Za-z0-9+/_=\-]{30,120}",
            // Twitter/X app-only bearer tokens: 22 `A`s, then URL-encoded base64
            r"|\bA{22}[A-Za-z0-9%]{80,120}",
            // ClickHouse Cloud, PostHog personal keys, Deno Deploy, Cerebras,
            // Brevo SMTP keys, Lob and Mollie live keys, Bitbucket access
            // tokens, Supabase secret keys, Together
            r"|\b4b1d[A-Za-z0-9]{38}\b|\bphx_[A-Za-z0-9]{40,50}\b|\bdd[pw]_[A-Za-z0-9]{36}\b|\bcsk-[a-z0-9]{48}\b",
            r"|\bxsmtpsib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b|\blive_(?:[a-f0-9]{35}|[A-Za-z0-9]{30})\b",
            r"|\bATCTT3[A-Za-z0-9_\-=]{100,}|\bsb_secret_[A-Za-z0-9_\-]{20,}|\btgp_v1_[A-Za-z0-9_\-]{40,}",
            // Cloudinary's URL (API key and secret), Samsara, Zuplo, Onfido,
            // Google OAuth refresh tokens
            r"|cloudinary://\d{15}:[A-Za-z0-9_\-]{27}@|\bsamsara_api_[A-Za-z0-9]{30}\b|\bzpka_[a-f0-9]{32}_[a-f0-9]{8}\b",
            r"|\bapi_(?:live|sandbox)(?:_[a-z]{2})?\.[A-Za-z0-9_\-]{11}\.[A-Za-z0-9_\-]{32}|\b1//0[A-Za-z0-9_\-]{60,}",
            // an RSA private key's DER in base64 on one line, with no PEM
            // armour, as Alipay's SDKs take an app's key: PKCS#8
            // or PKCS#1 headers; a public key (`…AAOCAQ8A…`) is not one
            r"|\bMII[A-Za-z0-9+/]{3}(?:IBADANBgkqhkiG9w0BAQEFAASC|IBAAK(?:CAQEA|CAgEA|BgQ))[A-Za-z0-9+/]{200,}",
            // Microsoft's common annotated security keys (Azure services,
            // Azure DevOps PATs): 52 random characters, the `JQQJ9` signature
            // and its version, a provider's signature; NVIDIA API keys;
            // Razorpay live key ids; Firecrawl; HeyGen
            r"|\b[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?",
            r"|\bnvapi-[A-Za-z0-9_\-]{64}\b|\brzp_live_[A-Za-z0-9]{14}\b|\bfc-[a-f0-9]{32}\b|\bsk_V2_[A-Za-z0-9_]{40,50}\b"
        ),
        anchors: &[
            "aio_", "akcp", "cmvmdgtuojaxoj", "atatt3", "atbb", "q~", "clojars_", "dapi",
            "dnkey-", "dop_v1_", "doo_v1_", "dor_v1_", "dp.", "sl.", "dt0c01.", "flwseck", "fo1_",
            "fm1", "fm2", "fio-u-", "glagent-", "gloas-", "glffct-", "glsoat-", "gr1348941",
            "_gitlab_session=", "live_", "eyjrijoi", ".atlasv1.", "pat-", "ico-", "lin_", "sk.eyj",
            "_mmk", "nfp_", "sha256~", "pplx-", "access-", "pscale_", "pmak-", "pnu_", "pul-",
            "rdme_", "tk-us-", "sntry", "sm_", "shippo_", "xoxe-", "tfp_", "t1.", "aqvn",
            "age-secret-key-1", "gocspx-", "ya29.", "gsk_", "xai-", "r8_", "pcsk_", "lsv2_",
            "tvly-", "sbp_", "sqp_", "squ_", "sqa_", "bkua_", "ccipat_", "access_token$", ":apa91b",
            "figd_", "cfpat-", "bce-v3/", "iqojb3jpz2lux2vj", "fwogzxivyxdze", ":_authtoken=",
            "s-s4t2ud-", "__contribsys__com", "sumo", ".acc_", ".acc-", "aaaaaaaaaaaaaaaaaaaaaa",
            "4b1d", "phx_", "ddp_", "ddw_", "csk-", "xsmtpsib-", "atctt3", "sb_secret_",
            "tgp_v1_", "cloudinary://", "samsara_api_", "zpka_", "api_live", "api_sandbox", "1//0",
            "ibadanbgkqhkig9w0baqefaasc", "ibaakcaqea", "ibaakcagea", "ibaakbgq", "jqqj9", "nvapi-",
            "rzp_live_", "fc-", "sk_v2_",
        ],
        validator: Validator::KeyShape,
        before: 64,
        after: 300,
        ..BASE
    },
    super::vendor_short::RULE,
    super::vendor_short::NAMED_KEY,
    super::vendor_short::ANY_NAMED_KEY,
    super::hashes::RULE,
    super::hashes::TOOL_SECRET,
    Builtin {
        id: "discord_bot_token",
        pack: "security",
        severity: High,
        action: Action::Block,
        description: "Discord bot tokens: base64url user id (a snowflake), timestamp and HMAC, joined by `.`",
        pattern: r"\b[MNO][A-Za-z0-9_\-]{22,26}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}\b",
        validator: Validator::Snowflake,
        confirm: Confirm::Snowflake,
        before: 8,
        after: 96,
        ..BASE
    },
    Builtin {
        id: "command_line_password",
        pack: "security",
        severity: High,
        description: "A password given to a tool by its documented command-line flag (`mysql -p…`, `sshpass -p`, `redis-cli -a`, `docker login -p`, `openssl -passin pass:…`, `keytool -storepass`, `ldapsearch -w`, `sqlcmd -P`, `smbclient -U user%…`, `htpasswd -b`, `echo … | sudo -S`)",
        pattern: cli_secret::PATTERN,
        anchors: cli_secret::ANCHORS,
        validator: Validator::CliSecret,
        before: 224,
        after: 340,
        ..BASE
    },
];
