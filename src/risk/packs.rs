//! The 31 built-in rules, in six packs.
//!
//! Every rule is a `regex-lite` pattern plus *anchors*: lowercase literals
//! (or digit runs) at least one of which must occur near any match. The
//! engine only runs a rule's regex in small windows around its anchors, so
//! an anchor list must cover every way the pattern can match; the corpus
//! test `engine_equals_naive` checks this against whole-text matching.

use super::{Action, Severity};

/// Pack names, in the order rules are listed.
pub const PACKS: &[&str] = &[
    "security",
    "personal",
    "company",
    "customer",
    "finance_legal",
    "political",
];

/// How the engine finds places where a rule may match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Case-insensitive literal (stored lowercase). With `word`, an ASCII
    /// word character at either end must not touch another word character.
    Lit { text: String, word: bool },
    /// A run of at least this many ASCII digits.
    Digits(usize),
}

/// A cheap test on one anchor occurrence, done by the prefilter before it
/// opens a window, so common anchors in clean text cost no regex run. Must
/// hold for every anchor occurrence that is part of a real match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    None,
    /// The anchor is written in upper case (`.env` variable names).
    Upper,
    /// `:`, `=`, `：`, `是` or `为` follows within 24 bytes (or the anchor
    /// is `bearer`, whose token follows a space).
    Assign,
    /// A digit run that can start a CN mobile number: `1[3-9]…` or
    /// `861[3-9]…`, 3 (separated form), 11 or 13 digits long.
    MobileHead,
    /// Followed by a digit and not preceded by a digit, `.` or letter.
    DottedQuad,
}

/// Extra checks on a regex match where a pattern alone misfires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    None,
    /// Not part of a longer digit run.
    DigitBounds,
    /// GB 11643 18-digit ID: digit bounds and checksum.
    CnIdCard,
    /// 13–19 digit card number: digit bounds, Luhn, and a banking word near.
    BankCard,
    /// Dotted quad with octets <= 255, not part of a longer dotted number.
    Ipv4,
    /// The match starts a line.
    LineStart,
    /// A host name that does not continue as a longer name (`a.local.js`).
    HostEnd,
    /// [`Validator::HostEnd`], and not a Kubernetes `*.cluster.local` name.
    InternalDomain,
    /// Not the `user:password@host` part of a URL.
    Email,
}

#[derive(Debug, Clone)]
pub struct Builtin {
    pub id: &'static str,
    pub pack: &'static str,
    pub severity: Severity,
    pub action: Action,
    pub description: &'static str,
    pub pattern: String,
    pub anchors: Vec<Anchor>,
    pub validator: Validator,
    pub confirm: Confirm,
    /// Bytes searched before and after each anchor occurrence.
    pub before: usize,
    pub after: usize,
}

impl Builtin {
    fn with(mut self, c: Confirm) -> Builtin {
        self.confirm = c;
        self
    }
}

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

fn lits(words: &[&str], word: bool) -> Vec<Anchor> {
    words
        .iter()
        .map(|w| Anchor::Lit {
            text: w.to_ascii_lowercase(),
            word,
        })
        .collect()
}

fn escape_all(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| regex_lite::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

struct Kw<'a> {
    /// English keywords, case-insensitive, whole words.
    ci: &'a [&'a str],
    /// Acronyms, case-sensitive, whole words (`VAT`, `NDA`).
    cs: &'a [&'a str],
    /// Chinese keywords, matched anywhere.
    zh: &'a [&'a str],
}

/// A keyword rule: the regex is the keyword list and the anchors are the
/// keywords themselves.
fn kw(
    id: &'static str,
    pack: &'static str,
    severity: Severity,
    action: Action,
    description: &'static str,
    k: Kw<'_>,
) -> Builtin {
    let mut alts = Vec::new();
    if !k.ci.is_empty() {
        alts.push(format!("(?i:\\b(?:{})\\b)", escape_all(k.ci)));
    }
    if !k.cs.is_empty() {
        alts.push(format!("\\b(?:{})\\b", escape_all(k.cs)));
    }
    if !k.zh.is_empty() {
        alts.push(escape_all(k.zh));
    }
    let mut anchors = lits(k.ci, true);
    anchors.extend(lits(k.cs, true));
    anchors.extend(lits(k.zh, false));
    Builtin {
        id,
        pack,
        severity,
        action,
        description,
        pattern: alts.join("|"),
        anchors,
        validator: Validator::None,
        confirm: Confirm::None,
        before: 0,
        after: 0,
    }
}

#[allow(clippy::too_many_arguments)]
fn re(
    id: &'static str,
    pack: &'static str,
    severity: Severity,
    action: Action,
    description: &'static str,
    pattern: &str,
    anchors: Vec<Anchor>,
    validator: Validator,
    before: usize,
    after: usize,
) -> Builtin {
    Builtin {
        id,
        pack,
        severity,
        action,
        description,
        pattern: pattern.to_string(),
        anchors,
        validator,
        confirm: Confirm::None,
        before,
        after,
    }
}

/// All built-in rules, pack by pack.
pub fn builtins() -> Vec<Builtin> {
    use Action::{Block, RouteSecureModel as Route};
    use Severity::{High, Low, Medium};
    vec![
        // ---------------------------------------------------------------- security
        re(
            "private_key_marker",
            "security",
            High,
            Block,
            "PEM/OpenSSH/PGP private key block header",
            r"-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----",
            lits(&["-----begin "], false),
            Validator::None,
            0,
            48,
        ),
        re(
            "api_key_like",
            "security",
            High,
            Block,
            "Provider API keys (OpenAI/Anthropic sk-, AWS AKIA, GitHub, Slack, Google, GitLab)",
            r"\b(?:sk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_\-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9\-]{10,}|AIza[0-9A-Za-z_\-]{35}|glpat-[A-Za-z0-9_\-]{20,})",
            lits(
                &[
                    "sk-", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "xoxa-", "xoxb-",
                    "xoxp-", "xoxr-", "xoxs-", "aiza", "glpat-",
                ],
                false,
            ),
            Validator::None,
            2,
            200,
        ),
        re(
            "credential_assignment",
            "security",
            High,
            Route,
            "A password, secret, token or API key assigned a value (`password=...`, `Authorization: Bearer ...`, `密码：...`)",
            concat!(
                r#"(?i:\b(?:password|passwd|pwd|passphrase|secret|client[_\-]?secret|api[_\-]?key|access[_\-]?key|secret[_\-]?key|private[_\-]?key|auth[_\-]?token|access[_\-]?token|refresh[_\-]?token|token)["']?[ \t]*[:=][ \t]*["']?[^\s"',;<>{}$]{4,})"#,
                r#"|(?i:\bauthorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|basic|token|digest)\s+[A-Za-z0-9._~+/=\-]{8,})"#,
                r"|(?i:\bbearer\s+[A-Za-z0-9._~+/\-]{20,}=*)",
                r"|(?:密码|口令|密钥|秘钥)\s*(?:是|为|[:：=])\s*[^\s，。,;；]{4,}"
            ),
            lits(
                &[
                    "password", "passwd", "pwd", "passphrase", "secret", "api_key", "api-key",
                    "apikey", "access_key", "access-key", "accesskey", "private_key", "private-key",
                    "privatekey", "token", "authorization", "bearer", "密码", "口令", "密钥",
                    "秘钥",
                ],
                false,
            ),
            Validator::None,
            24,
            64,
        )
        .with(Confirm::Assign),
        re(
            "jwt_token_like",
            "security",
            High,
            Route,
            "JSON Web Token (three base64url segments starting eyJ)",
            r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
            lits(&["eyj"], false),
            Validator::None,
            0,
            2048,
        ),
        re(
            "cookie_session_like",
            "security",
            High,
            Route,
            "Session cookies (`Cookie: sessionid=...`, PHPSESSID, JSESSIONID, connect.sid)",
            concat!(
                r"(?i:\b(?:set-)?cookie\s*:[^\n]{0,200}?\b[a-z0-9_.\-]*(?:sess|sid|token|auth)[a-z0-9_.\-]*=[^;\s]{8,})",
                r"|(?i:\b(?:phpsessid|jsessionid|sessionid|session_id|session-id|connect\.sid|_session)=[A-Za-z0-9%._:\-]{8,})"
            ),
            lits(
                &[
                    "cookie", "sessid", "sessionid", "session_id", "session-id", "connect.sid",
                    "_session=",
                ],
                false,
            ),
            Validator::None,
            220,
            400,
        ),
        re(
            "db_connection_string",
            "security",
            High,
            Route,
            "Database URL or JDBC/ADO string carrying a password",
            concat!(
                r"(?i:\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse)://[^\s:/@]+:[^\s@/]+@[^\s/]+)",
                r"|(?i:\bjdbc:[a-z0-9]+:[^\s]*?(?:password|pwd)=[^\s&;]+)",
                r"|(?i:\b(?:server|data source|host)=[^;\n]+;[^\n]*?\b(?:password|pwd)=[^;\s]+)"
            ),
            lits(
                &[
                    "postgres", "mysql", "mariadb", "mongodb", "redis", "amqp", "mssql",
                    "sqlserver", "oracle", "clickhouse", "jdbc:", "server=", "data source=",
                    "host=",
                ],
                false,
            ),
            Validator::None,
            8,
            400,
        ),
        re(
            "kubeconfig_content",
            "security",
            High,
            Route,
            "Kubernetes kubeconfig with embedded certificates, keys or tokens",
            r"(?:client-key-data|client-certificate-data|certificate-authority-data):\s*[A-Za-z0-9+/=]{16,}|kind:\s*Config\s[\s\S]{0,400}?\bclusters:",
            lits(
                &[
                    "client-key-data",
                    "client-certificate-data",
                    "certificate-authority-data",
                    "kind:",
                ],
                false,
            ),
            Validator::None,
            0,
            512,
        ),
        re(
            "env_file_secret",
            "security",
            High,
            Route,
            "`.env`-style line assigning a secret (`AWS_SECRET_ACCESS_KEY=...`)",
            r"(?m)^[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY)[A-Z0-9_]*[ \t]*=[ \t]*[\x22']?[^\s\x22'$<{][^\s\x22']{5,}",
            lits(
                &[
                    "secret", "password", "passwd", "token", "api_key", "apikey", "private_key",
                    "access_key",
                ],
                false,
            ),
            Validator::LineStart,
            80,
            64,
        )
        .with(Confirm::Upper),
        // ---------------------------------------------------------------- personal
        re(
            "email_address",
            "personal",
            Medium,
            Route,
            "E-mail address",
            r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b",
            lits(&["@"], false),
            Validator::Email,
            72,
            255,
        ),
        re(
            "cn_mobile_number",
            "personal",
            Medium,
            Route,
            "Mainland China mobile number (1[3-9]x, 11 digits, optional +86), not part of a longer number",
            r"(?:\+?86[\- ]?)?1[3-9]\d(?:\d{8}|[\- ]\d{4}[\- ]\d{4})",
            vec![Anchor::Digits(3)],
            Validator::DigitBounds,
            4,
            12,
        )
        .with(Confirm::MobileHead),
        re(
            "cn_id_card",
            "personal",
            High,
            Route,
            "Chinese resident ID number (18 digits, valid date and GB 11643 checksum)",
            r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]",
            vec![Anchor::Digits(17)],
            Validator::CnIdCard,
            0,
            1,
        ),
        re(
            "passport_number",
            "personal",
            High,
            Route,
            "Passport number next to the word passport/护照",
            r"(?i:\bpassport|护照)(?i:\s*(?:no\.?|number|num|#|id|号码|号))?\s*(?:(?i:is)\s*)?[:：]?\s*\b(?:[A-Z]{1,2}\d{6,9}|\d{9})\b",
            lits(&["passport", "护照"], false),
            Validator::None,
            0,
            48,
        ),
        re(
            "bank_card_context",
            "personal",
            High,
            Route,
            "Bank card number (13-19 digits, Luhn-valid) with a banking word nearby",
            r"\b\d{4}(?:[\- ]?\d{4}){2}[\- ]?\d{1,4}(?:[\- ]?\d{1,3})?\b",
            lits(BANK_CONTEXT, false),
            Validator::BankCard,
            BANK_CONTEXT_RADIUS + 24,
            BANK_CONTEXT_RADIUS + 24,
        ),
        {
            let mut b = kw(
                "personal_address_keywords",
                "personal",
                Medium,
                Route,
                "Home/mailing address mentions and Chinese street addresses",
                Kw {
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
            );
            // 省/市 … 区/县 … 路/街/道 12号
            b.pattern.push_str(
                r"|[\x{4e00}-\x{9fff}]{1,8}(?:省|市)[\x{4e00}-\x{9fff}]{1,8}(?:区|县)[\x{4e00}-\x{9fff}0-9]{1,15}(?:路|街|道|巷)\d{1,5}号",
            );
            b.anchors.extend(lits(&["号"], false));
            b.before = 132;
            b.after = 4;
            b
        },
        kw(
            "resume_cv_keywords",
            "personal",
            Low,
            Route,
            "Résumés and CVs (`my resume`, `curriculum vitae`, 简历)",
            Kw {
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
        ),
        // ---------------------------------------------------------------- company
        re(
            "private_ip",
            "company",
            Low,
            Route,
            "RFC 1918 private IPv4 address",
            r"\b(?:10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3})\b",
            lits(&["10.", "192.168.", "172."], false),
            Validator::Ipv4,
            1,
            16,
        )
        .with(Confirm::DottedQuad),
        re(
            "internal_domain_name",
            "company",
            Medium,
            Route,
            "Internal DNS names (*.internal, *.intranet, *.corp, *.lan, *.local, intranet.*)",
            r"(?i:\b[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.(?:internal|intranet|corp|lan|local|localdomain|home\.arpa)\b|\b(?:intranet|internal)\.[a-z0-9\-]+\.[a-z]{2,}\b)",
            lits(
                &[
                    ".internal",
                    ".intranet",
                    ".corp",
                    ".lan",
                    ".local",
                    ".home.arpa",
                    "intranet.",
                    "internal.",
                ],
                false,
            ),
            Validator::InternalDomain,
            64,
            64,
        ),
        re(
            "internal_hostname_pattern",
            "company",
            Low,
            Route,
            "Environment-role-number host names (prod-db-01, stg-redis-2, ip-10-0-1-23)",
            r"(?i:\b(?:prod|prd|production|stg|staging|uat|dev|test|qa|pre)-(?:db|mysql|pg|postgres|redis|kafka|es|mq|api|app|web|node|master|worker|k8s|srv|server|host|vm|gw|lb|cache|etl)-?\d{1,3}\b|\bip-(?:10|172|192)-\d{1,3}-\d{1,3}-\d{1,3}\b)",
            lits(
                &[
                    "prod-", "prd-", "production-", "stg-", "staging-", "uat-", "dev-", "test-",
                    "qa-", "pre-", "ip-10-", "ip-172-", "ip-192-",
                ],
                false,
            ),
            Validator::None,
            1,
            32,
        ),
        re(
            "kubernetes_service_dns",
            "company",
            Low,
            Route,
            "Kubernetes service DNS name (<svc>.<ns>.svc[.cluster.local])",
            r"(?i:\b[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.svc(?:\.cluster\.local)?\b)",
            lits(&[".svc"], false),
            Validator::HostEnd,
            128,
            20,
        ),
        kw(
            "project_codename_keywords",
            "company",
            Medium,
            Route,
            "Internal project code names and unreleased products",
            Kw {
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
        ),
        kw(
            "org_roster_keywords",
            "company",
            Medium,
            Route,
            "Org charts, staff rosters and employee directories",
            Kw {
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
        ),
        kw(
            "salary_hr_keywords",
            "company",
            High,
            Route,
            "Salary, payroll, performance and layoff information",
            Kw {
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
                ],
            },
        ),
        // ---------------------------------------------------------------- customer
        kw(
            "customer_list_keywords",
            "customer",
            Medium,
            Route,
            "Customer lists and customer records",
            Kw {
                ci: &[
                    "customer list",
                    "client list",
                    "customer database",
                    "customer data",
                    "customer records",
                    "customer contacts",
                    "list of customers",
                    "list of clients",
                ],
                cs: &[],
                zh: &["客户名单", "客户列表", "客户资料", "客户信息", "客户清单", "客户数据"],
            },
        ),
        kw(
            "contract_quote_keywords",
            "customer",
            Medium,
            Route,
            "Contracts, price quotes and purchase orders",
            Kw {
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
                ],
            },
        ),
        kw(
            "invoice_tax_keywords",
            "customer",
            Medium,
            Route,
            "Invoices and tax identifiers (VAT/TIN only as whole words)",
            Kw {
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
        ),
        kw(
            "crm_ticket_keywords",
            "customer",
            Medium,
            Route,
            "CRM systems, support tickets and sales leads",
            Kw {
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
                ],
                cs: &[],
                zh: &["工单", "客户工单", "销售线索", "商机", "客户关系管理"],
            },
        ),
        // ---------------------------------------------------------------- finance_legal
        kw(
            "financial_metrics_keywords",
            "finance_legal",
            Medium,
            Route,
            "Revenue, margins, profit, cash flow and results",
            Kw {
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
                ],
            },
        ),
        kw(
            "legal_document_keywords",
            "finance_legal",
            Medium,
            Route,
            "NDAs, litigation, subpoenas and privileged legal material",
            Kw {
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
                ],
            },
        ),
        // ---------------------------------------------------------------- political
        kw(
            "political_person_org_keywords",
            "political",
            Medium,
            Route,
            "State leaders, ruling parties and political bodies",
            Kw {
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
        ),
        kw(
            "military_security_keywords",
            "political",
            High,
            Route,
            "Military, weapons and state-secret topics",
            Kw {
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
        ),
        kw(
            "extremism_keywords",
            "political",
            High,
            Block,
            "Terrorism, bomb making and violent extremism",
            Kw {
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
        ),
    ]
}
