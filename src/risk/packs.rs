//! The built-in rules, in six packs: ClawManager's 31 and two more
//! (`confidential_business_keywords`, `classified_marking`).
//!
//! Every rule is a `regex-lite` pattern plus *anchors*: lowercase literals
//! (or digit runs) at least one of which must occur near any match. The
//! engine only runs a rule's regex in small windows around its anchors, so
//! an anchor list must cover every way the pattern can match; the corpus
//! test `engine_equals_naive` checks this against whole-text matching.

use super::builtin::{Builtin, Confirm, Keywords, Validator, BASE};
use super::cli_secret;
use super::evidence::{MARKINGS, RECORDS, THRESHOLD};
use super::id_alone;
use super::id_words;
use super::phone;
use super::wallets;
use super::{Action, Severity};
use Severity::{High, Low, Medium};

/// Pack names, in the order rules are listed.
pub const PACKS: &[&str] = &[
    "security",
    "personal",
    "company",
    "customer",
    "finance_legal",
    "political",
];

/// Banking context words required near a bank card number (lowercase).
pub const BANK_CONTEXT: &[&str] = &[
    "card",
    "bank",
    "visa",
    "mastercard",
    "amex",
    "unionpay",
    "iban",
    "account",
    "acct",
    "卡号",
    "银行",
    "信用卡",
    "借记卡",
    "储蓄卡",
    "银联",
    "账号",
    "帐号",
    "账户",
    "开户",
];

/// Bytes around a card number searched for [`BANK_CONTEXT`].
pub const BANK_CONTEXT_RADIUS: usize = 64;

/// All built-in rules, pack by pack.
pub static BUILTINS: &[Builtin] = &[
    // ---------------------------------------------------------------- security
    Builtin {
        id: "private_key_marker",
        pack: "security",
        severity: High,
        action: Action::Block,
        description: "PEM/OpenSSH/PGP private key block header",
        pattern: r"-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----",
        anchors: &["-----begin "],
        after: 48,
        ..BASE
    },
    Builtin {
        id: "api_key_like",
        pack: "security",
        severity: High,
        action: Action::Block,
        description: "API keys and tokens by their documented format: OpenAI/Anthropic/DeepSeek sk-, Stripe, AWS, Alibaba, Tencent, Volcengine, GCP, GitHub, GitLab, npm, PyPI, Docker Hub, NuGet, RubyGems, Vault, Slack/DingTalk/Feishu/WeCom/Discord webhooks, Telegram, SendGrid, Mailgun, Hugging Face (user and org), Shopify, Sentry, Mailchimp, Notion, Sourcegraph, 1Password, Meta, Square, Grafana Cloud, Heroku, Amazon Bedrock, Cloudflare Origin CA, Teams webhooks, DingTalk robot secrets, EasyPost, New Relic, Brevo, Tailscale, Adobe, Duffel",
        pattern: concat!(
            r"\b(?:sk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_\-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|AIza[0-9A-Za-z_\-]{35}|glpat-[A-Za-z0-9_\-]{20,})",
            r"|\b(?:sk|rk)_live_[A-Za-z0-9]{20,}|\bwhsec_[A-Za-z0-9]{24,}",
            // Slack: numeric ids, then a random segment (bot 24, user 32 hex);
            // app-level `xapp-1-A…-digits-hex`; configuration `xoxe.xoxp-1-…`
            r"|\bxox[abprs]-(?:\d+-){1,4}[0-9]*[A-Za-z][A-Za-z0-9]{9,}|\bxapp-\d-[A-Z0-9]{8,}-\d{8,}-[a-f0-9]{64}\b|\bxoxe\.xox[bp]-\d-[A-Za-z0-9]{40,}",
            r"|\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40,}={0,2}",
            r"|\bLTAI[A-Za-z0-9]{12,30}\b|\bAKID[A-Za-z0-9]{32}\b|\bAKLT[A-Za-z0-9_\-]{30,}",
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
            r"|\bsgp_(?:[a-fA-F0-9]{16}_)?[a-fA-F0-9]{40}\b",
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
            // DingTalk robot signing secret (`SEC` + 64 hex); TestPyPI macaroon
            r"|\bSEC[a-f0-9]{64}\b|\bpypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_\-]{40,}",
            // EasyPost, New Relic (user, browser, insights insert), Brevo
            r"|\bEZ[AT]K[A-Za-z0-9]{54}\b|\bNRAK-[A-Za-z0-9]{27}\b|\bNRJS-[a-f0-9]{19}\b|\bNRII-[A-Za-z0-9_\-]{32}\b|\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b",
            // Tailscale auth/API keys, Adobe client secrets, Duffel tokens
            r"|\btskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{8,}-[A-Za-z0-9]{20,}|\bp8e-[A-Za-z0-9]{32}\b|\bduffel_(?:test|live)_[A-Za-z0-9_\-=]{43}"
        ),
        anchors: &[
            "sk-", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "xoxa-", "xoxb-",
            "xoxp-", "xoxr-", "xoxs-", "xapp-", "xoxe.", "aiza", "glpat-", "sk_live_", "rk_live_", "whsec_",
            "ltai", "akid", "aklt", "npm_", "pypi-", "dckr_pat_", "oy2", "rubygems_",
            "github_pat_", "glrt-", "gldt-", "glptt-", "glcbt-", "glimt-", "glft-", "hvs.",
            "hvb.", "hooks.slack.com", "oapi.dingtalk.com", "open.feishu.cn",
            "open.larksuite.com", "qyapi.weixin.qq.com", "/api/webhooks/", ":aa", "sg.",
            "key-", "hf_", "shpat_", "shpca_", "shppa_", "shpss_", "sentry.io", "accountkey=",
            "sharedaccesskey=", "-us", "secret_", "ntn_", "sgp_", "ops_eyj", "a3-", "eaa",
            "sq0", "glc_", "glsa_", "hrku-", "api_org_", "absk", "bedrock-api-key-", "v1.0-",
            "_prod_", "rk_test_", "webhook.office.com", "=sec", ":sec", "\"sec", "'sec",
            "= sec", ": sec", "ezak", "eztk", "nrak-", "nrjs-", "nrii-", "xkeysib-", "tskey-",
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
        // optional declared type (`var k string =`, `k: &str =`). A value
        // stops at a backslash: in an escaped string (`"A=1\nB=2"`) the
        // next line starts there.
        pattern: concat!(
            r#"(?i:\b[a-z0-9_\-]{0,24}?(?:password|passwd|pwd|passphrase|secret|api[_\-]?key|api[_\-]?token|access[_\-]?key|private[_\-]?key|token|appsecret|secretid|secretkey|_pass)[a-z0-9_\-]{0,24}["']?(?:[ \t]*:?[ \t]*&?(?:'static[ \t]+)?(?:str|string)\b)?[ \t]*(?:={2,3}|!==?|:::=|::=|:=|\?=|\+=|\.=|=>|[:=]|\bis\b|是|为)[ \t]*(?:\r?\n[ \t]+)?@?["'\x60]?[^\s\x22'\x60,;<>{}\\\x{80}-\x{10FFFF}][^\s\x22'\x60,;<\\\x{80}-\x{10FFFF}]{3,})"#,
            // a constructor or `assign` taking the secret:
            // `std::string secret("…")`, `secret.assign("…", n)`
            r#"|(?i:\b[a-z0-9_]{0,24}?(?:password|passwd|secret|api_?key|private_?key)[a-z0-9_]{0,4}(?:\.assign)?\([ \t]*["'][^\s\x22'\\]{6,})"#,
            r#"|(?i:\b(?:pw|pass|password|sk|auth[ _\-]?token|api[ _\-]?key|access[ _\-]?key|secret)[ \t]*(?:[:=]|\bis\b|是|为)?[ \t]+["']?[^\s\x22',;<>{}\\\x{80}-\x{10FFFF}]{6,})"#,
            r"|(?i:\bkey=[A-Za-z0-9_\-]{16,})",
            // a query parameter ends at `&`: `?access_token=…&limit=5`, SAS `sig=`
            r#"|(?i:[?&](?:access_token|token|secret|client_secret|api_key|apikey|sig|password)=[^&\s#\x22'<>]{8,})"#,
            // command-line flags: `--token X1…`, `--authkey=…`, `--api-key …`
            r#"|(?i:\s--?(?:token|auth-?key|api-?key|access-?token|password|secret)(?:=|[ \t]+)["']?[^\s\x22'\\]{8,})"#,
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
            // docker `config.json`: `"auth": "<base64 of user:password>"`
            r#"|(?:"auth"[ \t]*:[ \t]*"[A-Za-z0-9+/]{12,}={0,2})"#,
            r"|(?i:\bbearer\s+[A-Za-z0-9._~+/\-]{20,}=*)",
            r"|(?:密码|口令|密钥|秘钥|授权码)\s*(?:是|为|[:：=])?\s*[^\s\x22',;<>{}\\\x{80}-\x{10FFFF}]{4,}",
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
            "key\"", "\"auth\"", "sig=", "authkey", "auth-key",
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
        pattern: r"(?m)^[ \t]*(?:export[ \t]+|-[ \t]+)?[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|PWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|ACCESSKEY|SECRETKEY|_SK|_KEY)[A-Z0-9_]*[ \t]*(?:::=|:=|\?=|\+=|[=:])[ \t]*[\x22']?[^\s\x22'$<{][^\s\x22']{5,}",
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
        description: "More vendors' keys by their documented prefix, length and alphabet, wherever they stand: Adafruit, JFrog, Atlassian, Bitbucket, Azure AD, Clojars, Databricks, Defined Networking, DigitalOcean, Doppler, Dropbox, Dynatrace, Flutterwave, Fly.io, Frame.io, GitLab (agent, OAuth, SCIM, runner registration, feature flags, session), GoCardless, Grafana, Terraform Cloud, HubSpot, Infracost, Linear, Mapbox, MaxMind, Netlify, OpenShift, Perplexity, Plaid, PlanetScale, Postman, Prefect, Pulumi, ReadMe, Scalingo, Sentry, SettleMint, Shippo, Slack refresh, Typeform, Yandex, age, Google OAuth, Groq, xAI, Replicate, Pinecone, LangSmith, Tavily, Supabase, SonarQube, Buildkite, CircleCI, Braintree, Firebase, Figma, Contentful, Baidu Qianfan, AWS session tokens, npm `.npmrc`, 42 Intra, Sidekiq, Sumo Logic",
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
            r"|\blive_[A-Za-z0-9_\-=]{40}\b|\beyJrIjoi[A-Za-z0-9]{70,400}={0,2}|\b[a-z0-9]{14}\.atlasv1\.[a-z0-9_\-=]{60,70}",
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
            r"|(?i:\bsumo(?:_?logic)?[._\-]?access[._\-]?id)[\x22']?[ \t]*[:=][ \t]*[\x22']?su[A-Za-z0-9]{12}\b"
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
            "s-s4t2ud-", "__contribsys__com", "sumo",
        ],
        validator: Validator::KeyShape,
        before: 64,
        after: 300,
        ..BASE
    },
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
    // ---------------------------------------------------------------- personal
    Builtin {
        id: "email_address",
        pack: "personal",
        severity: Medium,
        description: "E-mail address",
        pattern: r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b",
        anchors: &["@"],
        validator: Validator::Email,
        before: 72,
        after: 255,
        ..BASE
    },
    Builtin {
        id: "cn_mobile_number",
        pack: "personal",
        severity: Medium,
        description: "Mainland China mobile number (1[3-9]x, 11 digits, optional +86), not part of a longer number",
        pattern: r"(?:\+?86[\- ]?)?1[3-9]\d(?:\d{8}|[\- ]\d{4}[\- ]\d{4})",
        digits: Some(3),
        validator: Validator::DigitBounds,
        confirm: Confirm::MobileHead,
        before: 4,
        after: 12,
        ..BASE
    },
    Builtin {
        id: "cn_id_card",
        pack: "personal",
        severity: High,
        description: "Chinese resident ID number (18 digits, valid date and GB 11643 checksum)",
        pattern: r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]",
        digits: Some(17),
        validator: Validator::CnIdCard,
        after: 1,
        ..BASE
    },
    Builtin {
        id: "passport_number",
        pack: "personal",
        severity: High,
        description: "Passport, US SSN, date of birth or medical record number next to its label (passport/护照, SSN, DOB, MRN)",
        pattern: r"(?i:passport|护照)(?i:\s*(?:no\.?|number|num|#|id|号码|号))?\s*(?:(?i:is)\s*)?[:：]?\s*(?:\b[A-Z]{1,2}\d{6,9}|\d{9})\b|(?i:\bssn|social security(?: number)?)[^\d\n.?!]{0,16}?\b\d{3}-\d{2}-\d{4}\b|(?i:\b(?:dob|date of birth)\b)\s*[:：]?\s*\d{1,4}[\-/.]\d{1,2}[\-/.]\d{1,4}\b|\bMRN\s*[:#]?\s*\d{6,}\b|(?:出生日期|病历号)\s*[:：]?\s*\d{4}",
        anchors: &["passport", "护照", "ssn", "social security", "dob", "date of birth", "mrn", "出生日期", "病历号"],
        after: 48,
        ..BASE
    },
    Builtin {
        id: "bank_card_context",
        pack: "personal",
        severity: High,
        description: "Bank card number (13-19 digits, Luhn-valid) with a banking word nearby, or alone with a known issuer prefix and length",
        pattern: r"\b\d{4}(?:[\- ]{0,2}\d{4}){2}[\- ]{0,2}\d{1,4}(?:[\- ]?\d{1,3})?\b|\b\d{4}[\- ]\d{6}[\- ]\d{5}\b",
        anchors: BANK_CONTEXT,
        // without a banking word, a card grouped as printed (4-4-4-4,
        // 4-6-5) of a known issuer's prefix and length
        digits: Some(4),
        confirm: Confirm::CardGroup,
        validator: Validator::BankCard,
        before: BANK_CONTEXT_RADIUS + 24,
        after: BANK_CONTEXT_RADIUS + 24,
        ..BASE
    },
    Builtin {
        id: "iban_number",
        pack: "personal",
        severity: High,
        description: "IBAN of any country (ISO 13616 length and mod-97 check), compact or in groups of four",
        pattern: r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b",
        digits: Some(4),
        validator: Validator::Iban,
        confirm: Confirm::IbanHead,
        before: 40,
        after: 40,
        ..BASE
    },
    Builtin {
        id: "national_id_number",
        pack: "personal",
        severity: High,
        description: "National ID or tax number of another country (US SSN/ITIN, UK NINO/NHS, Aadhaar, PAN, Korean RRN, Singapore NRIC/FIN, Spanish DNI/NIE, codice fiscale, Canadian SIN, Hong Kong/Macau/Taiwan ID, unified social credit code), US NPI, DEA number, driver licence, passport, valid by its check, with a word naming it nearby, or alone in a form only it takes (SSN/ITIN, NHS, SIN, Aadhaar, RRN as printed; spaced NINO; NRIC/FIN, DNI/NIE, PAN, codice fiscale; ABA as dddd-dddd-d; a Chinese resident ID in groups)",
        // 8-13 digits in groups (and a DNI letter); letters then digits
        // (NINO, HKID, NRIC, NIE, Taiwan); PAN; codice fiscale; USCC; a
        // Chinese resident ID in groups
        pattern: r"(?i)\b(?:[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]|[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}|[A-Z]{5}\d{4}[A-Z]|[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b|[A-Z]{1,2}[ \-]?\d{6,9} ?(?:\([0-9A-Z]\)|[0-9A-Z]\b)?|\d{7} ?\(\d\)|\d{4} \d{4} \d{4} \d{4} \d[\dX]\b|\d{6} \d{8} \d{3}[\dX]\b|\d(?:[ .\-]?\d){7,12}(?:[ \-]?[A-Z]\b)?)",
        words: id_words::CONTEXT,
        anchors: id_alone::NINO_ANCHORS,
        digits: Some(3),
        confirm: Confirm::IdHead,
        validator: Validator::NationalId,
        before: id_words::RADIUS + 32,
        after: id_words::RADIUS + 32,
        ..BASE
    },
    Builtin {
        id: "phone_number",
        pack: "personal",
        severity: Medium,
        description: "Phone number of any country (E.164 or national groups, 7-15 digits) with a word for a phone nearby (phone, tel, mobile, 电话, 手机, 座机…), or alone as +CC… or (NXX) NXX-XXXX",
        // a national `0…` number of 2 groups first: two such numbers in a
        // row are two phones, not one run of groups
        pattern: r"0\d{1,4}[ \-]\d{6,8}\b|(?:\+\d{1,3}[ .\-]?)?(?:[(（]\d{1,4}[)）][ .\-]?)?\d{2,5}(?:[ .\-]?\d{2,5}){1,4}",
        words: phone::WORDS,
        digits: Some(3),
        confirm: Confirm::PhoneHead,
        validator: Validator::Phone,
        before: id_words::RADIUS + 32,
        after: id_words::RADIUS + 32,
        ..BASE
    },
    Builtin {
        id: "bank_account_number",
        pack: "personal",
        severity: High,
        description: "US bank routing number (ABA check) or account number with a word naming it nearby",
        pattern: r"\b\d(?:[ \-]?\d){7,16}\b",
        words: id_words::BANKING,
        validator: Validator::BankNumber,
        before: id_words::RADIUS + 32,
        after: id_words::RADIUS + 32,
        ..BASE
    },
    Builtin {
        id: "crypto_wallet",
        pack: "personal",
        severity: Medium,
        description: "Crypto wallet address: bech32 or EIP-55 by its checksum; base58check or one-case 0x near a wallet word",
        pattern: r"\b(?:[123mn][1-9A-HJ-NP-Za-km-z]{25,34}|(?:bc|BC|tb|TB)1[02-9ac-hj-np-zAC-HJ-NP-Z]{11,87}|0[xX][0-9a-fA-F]{40})\b",
        anchors: &["bc1", "tb1", "0x"],
        words: wallets::WORDS,
        confirm: Confirm::Wallet,
        validator: Validator::Wallet,
        before: id_words::RADIUS + 96,
        after: id_words::RADIUS + 96,
        ..BASE
    },
    Builtin {
        id: "ip_address",
        pack: "personal",
        severity: Medium,
        description: "Public IPv4 or IPv6 address introduced as someone's own (my ip is, IP address:); not private, loopback or documentation ranges",
        pattern: r"(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]*[0-9A-Fa-f]|\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?",
        // `ip` followed by what introduces an address: a 2-byte anchor
        // would stop the prefilter at every `ship` and `tip`
        words: &[("ip ", 1), ("ip:", 1), ("ipv4", 1), ("ipv6", 1), ("ip是", 1), ("ip地址", 1), ("ip：", 1)],
        validator: Validator::IpOwn,
        before: 4,
        after: 100,
        ..BASE
    },
    Builtin {
        id: "personal_address_keywords",
        pack: "personal",
        severity: Medium,
        description: "Home/mailing address mentions and Chinese street addresses",
        keywords: Keywords {
            ci: &[
                "home address",
                "residential address",
                "mailing address",
                "street address",
                "shipping address",
                "my address is",
            ],
            cs: &[],
            zh: &[
                "家庭住址",
                "家庭地址",
                "住址",
                "收货地址",
                "居住地址",
                "通讯地址",
                "门牌号",
            ],
        },
        // 省/市 … 区/县 … 路/街/道 12号; the window reaches back from 号.
        pattern: r"[\x{4e00}-\x{9fff}]{1,8}(?:省|市)[\x{4e00}-\x{9fff}]{1,8}(?:区|县)[\x{4e00}-\x{9fff}0-9]{1,15}(?:路|街|道|巷)\d{1,5}号",
        anchors: &["号"],
        before: 132,
        after: 4,
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "resume_cv_keywords",
        pack: "personal",
        severity: Low,
        description: "Résumés and CVs (`my resume`, `curriculum vitae`, 简历)",
        keywords: Keywords {
            ci: &[
                "my resume",
                "my cv",
                "attached resume",
                "attached cv",
                "candidate resume",
                "candidate's resume",
                "updated resume",
                "resume attached",
                "curriculum vitae",
                "work experience and education",
            ],
            cs: &[],
            zh: &["简历", "履历", "求职信", "工作经历", "教育背景"],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    // ---------------------------------------------------------------- company
    Builtin {
        id: "private_ip",
        pack: "company",
        severity: Low,
        // Every home router is 192.168.1.1: recorded, not acted on.
        action: Action::Audit,
        description: "RFC 1918 private IPv4 address",
        pattern: r"\b(?:10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3})\b",
        anchors: &["10.", "192.168.", "172."],
        validator: Validator::Ipv4,
        confirm: Confirm::DottedQuad,
        before: 1,
        after: 16,
        ..BASE
    },
    Builtin {
        id: "internal_domain_name",
        pack: "company",
        severity: Medium,
        description: "Internal DNS names (*.internal, *.intranet, *.corp, *.lan, *.local, intranet.*)",
        pattern: r"(?i:\b[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.(?:internal|intranet|corp|lan|local|localdomain|home\.arpa)\b|\b(?:intranet|internal)\.[a-z0-9\-]+\.[a-z]{2,}\b)",
        anchors: &[
            ".internal",
            ".intranet",
            ".corp",
            ".lan",
            ".local",
            ".home.arpa",
            "intranet.",
            "internal.",
        ],
        validator: Validator::InternalDomain,
        before: 64,
        after: 64,
        ..BASE
    },
    Builtin {
        id: "internal_hostname_pattern",
        pack: "company",
        severity: Low,
        description: "Environment-role-number host names (prod-db-01, stg-redis-2, ip-10-0-1-23)",
        pattern: r"(?i:\b(?:prod|prd|production|stg|staging|uat|dev|test|qa|pre)-(?:db|mysql|pg|postgres|redis|kafka|es|mq|api|app|web|node|master|worker|k8s|srv|server|host|vm|gw|lb|cache|etl)-?\d{1,3}\b|\bip-(?:10|172|192)-\d{1,3}-\d{1,3}-\d{1,3}\b)",
        anchors: &[
            "prod-", "prd-", "production-", "stg-", "staging-", "uat-", "dev-", "test-",
            "qa-", "pre-", "ip-10-", "ip-172-", "ip-192-",
        ],
        before: 1,
        after: 32,
        ..BASE
    },
    Builtin {
        id: "kubernetes_service_dns",
        pack: "company",
        severity: Low,
        description: "Kubernetes service DNS name (<svc>.<ns>.svc[.cluster.local])",
        pattern: r"(?i:\b[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.svc(?:\.cluster\.local)?\b)",
        anchors: &[".svc"],
        validator: Validator::HostEnd,
        before: 128,
        after: 20,
        ..BASE
    },
    Builtin {
        id: "project_codename_keywords",
        pack: "company",
        severity: Medium,
        description: "Internal project code names and unreleased products",
        keywords: Keywords {
            ci: &[
                "codename",
                "code name",
                "code-name",
                "secret project",
                "internal project",
                "unreleased product",
                "unreleased project",
            ],
            cs: &[],
            zh: &["项目代号", "内部代号", "代号", "保密项目", "未发布产品", "未发布项目"],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "org_roster_keywords",
        pack: "company",
        severity: Medium,
        description: "Org charts, staff rosters and employee directories",
        keywords: Keywords {
            ci: &[
                "org chart",
                "organization chart",
                "organizational chart",
                "employee list",
                "employee directory",
                "staff list",
                "staff directory",
                "headcount plan",
                "reporting line",
                "reporting lines",
                "roster",
            ],
            cs: &[],
            zh: &[
                "组织架构",
                "员工名单",
                "花名册",
                "员工通讯录",
                "人员名单",
                "汇报关系",
                "编制计划",
            ],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "salary_hr_keywords",
        pack: "company",
        severity: High,
        description: "Salary, payroll, performance and layoff information",
        keywords: Keywords {
            ci: &[
                "salary",
                "salaries",
                "payroll",
                "payslip",
                "pay slip",
                "severance",
                "layoff",
                "layoffs",
                "performance review",
                "compensation package",
                "compensation plan",
                "compensation band",
                "base salary",
                "bonus",
                "bonus pool",
                "pay review",
                "pay rise",
                "offer letter",
                "sign-on",
                "rif list",
                "reduction in force",
                "separation agreement",
                "performance improvement plan",
                "offer",
            ],
            cs: &[],
            zh: &[
                "薪资",
                "工资",
                "薪酬",
                "年终奖",
                "绩效考核",
                "绩效评级",
                "裁员",
                "离职补偿",
                "社保基数",
                "调薪",
                "月薪",
                "年薪",
                "优化名单",
                "录用通知",
                "期望年薪",
                "补偿",
                "奖金",
                "离职",
            ],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "confidential_business_keywords",
        pack: "company",
        severity: High,
        description: "Budgets, unreleased launches and prices, dividends, mergers, board papers, and documents marked confidential, with figures",
        keywords: Keywords {
            ci: &[
                "budget",
                "dividend",
                "acquisition",
                "acquiring",
                "acquire",
                "merger",
                "launches",
                "launch date",
                "board minutes",
                "board meeting",
                "board pack",
                "forecast",
                "reorg",
                "headcount",
            ],
            cs: &["M&A"],
            zh: &[
                "预算",
                "分红",
                "派息",
                "收购",
                "并购",
                "股权",
                "发布会",
                "定价",
                "会议纪要",
                "董事会",
                "立项",
                "编制",
            ],
        },
        anchors: MARKINGS,
        // The markings themselves are keywords here (`anchors` also feed
        // the regex below); a date and a price alone are ordinary, so the
        // bar is higher than for the other keyword rules.
        pattern: r"(?i:confidential|internal only|internal use|not public|not announced|unannounced|embargo|do not forward|do not share|not for distribution|privileged|work product|strictly)|保密|机密|绝密|内部资料|内部文件|未公开|未公布|未披露|尚未公告|公告前|不得外传|请勿外传|仅限",
        evidence: THRESHOLD + 1,
        ..BASE
    },
    // ---------------------------------------------------------------- customer
    Builtin {
        id: "customer_list_keywords",
        pack: "customer",
        severity: Medium,
        description: "Customer lists and customer records",
        keywords: Keywords {
            ci: &[
                "customer list",
                "client list",
                "customer database",
                "customer data",
                "customer records",
                "customer contacts",
                "list of customers",
                "list of clients",
                "top accounts",
                "accounts for renewal",
                "key accounts",
            ],
            cs: &[],
            zh: &["客户名单", "客户列表", "客户资料", "客户信息", "客户清单", "客户数据",
                "重点客户",
                "大客户",
            ],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "contract_quote_keywords",
        pack: "customer",
        severity: Medium,
        description: "Contracts, price quotes and purchase orders",
        keywords: Keywords {
            ci: &[
                "price quote",
                "sales quote",
                "quotation for",
                "quotation number",
                "contract price",
                "contract value",
                "contract amount",
                "contract terms",
                "purchase order",
                "statement of work",
                "master services agreement",
                "master service agreement",
                "pricing proposal",
                "quote for",
                "msa",
                "discount",
            ],
            cs: &["RFQ", "SOW"],
            zh: &[
                "报价单",
                "报价",
                "合同金额",
                "合同价格",
                "合同条款",
                "采购订单",
                "采购合同",
                "框架协议",
                "折扣",
                "违约金",
            ],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "invoice_tax_keywords",
        pack: "customer",
        severity: Medium,
        description: "Invoices and tax identifiers (VAT/TIN only as whole words)",
        keywords: Keywords {
            ci: &[
                "invoice",
                "invoices",
                "invoice number",
                "vat number",
                "vat id",
                "vat registration",
                "tax id",
                "tax number",
                "tax identification number",
                "taxpayer id",
                "tax invoice",
            ],
            cs: &["VAT", "TIN", "EIN"],
            zh: &["发票", "增值税", "税号", "纳税人识别号", "开票"],
        },
        evidence: THRESHOLD | RECORDS,
        ..BASE
    },
    Builtin {
        id: "crm_ticket_keywords",
        pack: "customer",
        severity: Medium,
        description: "CRM systems, support tickets and sales leads",
        keywords: Keywords {
            ci: &[
                "crm",
                "salesforce",
                "hubspot",
                "zendesk",
                "freshdesk",
                "support ticket",
                "customer ticket",
                "ticket id",
                "ticket number",
                "case number",
                "sales lead",
                "sales leads",
                "sales pipeline",
                "ticket #",
            ],
            cs: &[],
            zh: &["工单", "客户工单", "销售线索", "商机", "客户关系管理"],
        },
        // a ticket is a transaction: its own date and amount are the
        // ticket, not data about someone (see `RECORDS`)
        evidence: THRESHOLD | RECORDS,
        ..BASE
    },
    // ---------------------------------------------------------------- finance_legal
    Builtin {
        id: "financial_metrics_keywords",
        pack: "finance_legal",
        severity: Medium,
        description: "Revenue, margins, profit, cash flow and results",
        keywords: Keywords {
            ci: &[
                "revenue",
                "gross margin",
                "net profit",
                "net income",
                "profit margin",
                "operating margin",
                "cash flow",
                "ebitda",
                "quarterly results",
                "earnings",
                "balance sheet",
                "income statement",
                "guidance",
                "net loss",
                "preliminary results",
            ],
            cs: &["P&L", "ARR"],
            zh: &[
                "营收",
                "营业收入",
                "净利润",
                "毛利率",
                "现金流",
                "财报",
                "财务报表",
                "利润表",
                "资产负债表",
                "业绩预告",
                "业绩",
                "净亏损",
                "利润",
            ],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "legal_document_keywords",
        pack: "finance_legal",
        severity: Medium,
        description: "NDAs, litigation, subpoenas and privileged legal material",
        keywords: Keywords {
            ci: &[
                "non-disclosure agreement",
                "confidentiality agreement",
                "litigation",
                "lawsuit",
                "subpoena",
                "settlement agreement",
                "attorney-client",
                "privileged and confidential",
                "legal hold",
                "cease and desist",
                "privileged & confidential",
                "attorney work product",
                "work product",
                "outside counsel",
                "settlement",
                "dispute",
            ],
            cs: &["NDA"],
            zh: &[
                "保密协议",
                "诉讼",
                "仲裁",
                "律师函",
                "法律意见书",
                "起诉",
                "和解协议",
                "法务",
                "律师意见",
                "败诉",
                "赔偿",
                "和解",
                "案件",
            ],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    // ---------------------------------------------------------------- political
    Builtin {
        id: "political_person_org_keywords",
        pack: "political",
        severity: Medium,
        description: "State leaders, ruling parties and political bodies",
        keywords: Keywords {
            ci: &[
                "xi jinping",
                "communist party",
                "politburo",
                "central committee",
                "state council",
                "tiananmen",
                "dalai lama",
                "falun gong",
                "democratic progressive party",
                "kuomintang",
            ],
            cs: &["CCP", "CPC"],
            zh: &[
                "习近平",
                "共产党",
                "中共中央",
                "政治局",
                "国务院",
                "天安门事件",
                "达赖",
                "法轮功",
                "民进党",
                "国民党",
            ],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "military_security_keywords",
        pack: "political",
        severity: High,
        description: "Military, weapons and state-secret topics",
        keywords: Keywords {
            ci: &[
                "military base",
                "military deployment",
                "troop deployment",
                "missile",
                "missiles",
                "nuclear warhead",
                "weapons system",
                "classified information",
                "classified document",
                "classified documents",
                "top secret",
                "people's liberation army",
                "state secret",
                "state secrets",
            ],
            cs: &[],
            zh: &[
                "军事基地",
                "军事部署",
                "部队部署",
                "导弹",
                "核武器",
                "核弹头",
                "武器系统",
                "解放军",
                "国家机密",
                "国家秘密",
                "绝密",
                "涉密",
            ],
        },
        evidence: THRESHOLD + 1,
        ..BASE
    },
    Builtin {
        id: "extremism_keywords",
        pack: "political",
        severity: High,
        action: Action::Block,
        description: "Terrorism, bomb making and violent extremism",
        keywords: Keywords {
            ci: &[
                "terrorist attack",
                "terror attack",
                "bomb making",
                "make a bomb",
                "build a bomb",
                "pipe bomb",
                "suicide bombing",
                "jihad",
                "jihadist",
                "violent extremism",
                "extremist group",
                "mass shooting",
            ],
            cs: &["ISIS"],
            zh: &[
                "恐怖袭击",
                "恐怖组织",
                "制造炸弹",
                "自制炸弹",
                "炸弹制作",
                "圣战",
                "极端主义",
                "暴恐",
            ],
        },
        ..BASE
    },

    Builtin {
        id: "classified_marking",
        pack: "political",
        severity: High,
        description: "Classification banners and portion marks (TOP SECRET//NOFORN, (S//REL), 绝密★, 机密★)",
        pattern: r"\b(?:TOP SECRET|SECRET|CONFIDENTIAL)//[A-Z]|\((?:TS|S|C)//[A-Z]+\)|(?:绝密|机密|秘密)★",
        anchors: &[
            "top secret//",
            "secret//",
            "confidential//",
            "(ts//",
            "(s//",
            "(c//",
            "绝密★",
            "机密★",
            "秘密★",
        ],
        before: 4,
        after: 8,
        ..BASE
    },
];
