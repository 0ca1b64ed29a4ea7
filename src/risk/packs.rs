//! The 31 built-in rules, in six packs.
//!
//! Every rule is a `regex-lite` pattern plus *anchors*: lowercase literals
//! (or digit runs) at least one of which must occur near any match. The
//! engine only runs a rule's regex in small windows around its anchors, so
//! an anchor list must cover every way the pattern can match; the corpus
//! test `engine_equals_naive` checks this against whole-text matching.

use super::builtin::{Builtin, Confirm, Keywords, Validator, BASE};
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
        description: "Provider API keys (OpenAI/Anthropic sk-, AWS AKIA, GitHub, Slack, Google, GitLab)",
        pattern: r"\b(?:sk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_\-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9\-]{10,}|AIza[0-9A-Za-z_\-]{35}|glpat-[A-Za-z0-9_\-]{20,})",
        anchors: &[
            "sk-", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "xoxa-", "xoxb-",
            "xoxp-", "xoxr-", "xoxs-", "aiza", "glpat-",
        ],
        before: 2,
        after: 200,
        ..BASE
    },
    Builtin {
        id: "credential_assignment",
        pack: "security",
        severity: High,
        description: "A password, secret, token or API key assigned a value (`password=...`, `Authorization: Bearer ...`, `密码：...`)",
        pattern: concat!(
            r#"(?i:\b(?:password|passwd|pwd|passphrase|secret|client[_\-]?secret|api[_\-]?key|access[_\-]?key|secret[_\-]?key|private[_\-]?key|auth[_\-]?token|access[_\-]?token|refresh[_\-]?token|token)["']?[ \t]*[:=][ \t]*["']?[^\s"',;<>{}$]{4,})"#,
            r#"|(?i:\bauthorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|basic|token|digest)\s+[A-Za-z0-9._~+/=\-]{8,})"#,
            r"|(?i:\bbearer\s+[A-Za-z0-9._~+/\-]{20,}=*)",
            r"|(?:密码|口令|密钥|秘钥)\s*(?:是|为|[:：=])\s*[^\s，。,;；]{4,}"
        ),
        anchors: &[
            "password", "passwd", "pwd", "passphrase", "secret", "api_key", "api-key",
            "apikey", "access_key", "access-key", "accesskey", "private_key", "private-key",
            "privatekey", "token", "authorization", "bearer", "密码", "口令", "密钥",
            "秘钥",
        ],
        confirm: Confirm::Assign,
        before: 24,
        after: 64,
        ..BASE
    },
    Builtin {
        id: "jwt_token_like",
        pack: "security",
        severity: High,
        description: "JSON Web Token (three base64url segments starting eyJ)",
        pattern: r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
        anchors: &["eyj"],
        after: 2048,
        ..BASE
    },
    Builtin {
        id: "cookie_session_like",
        pack: "security",
        severity: High,
        description: "Session cookies (`Cookie: sessionid=...`, PHPSESSID, JSESSIONID, connect.sid)",
        pattern: concat!(
            r"(?i:\b(?:set-)?cookie\s*:[^\n]{0,200}?\b[a-z0-9_.\-]*(?:sess|sid|token|auth)[a-z0-9_.\-]*=[^;\s]{8,})",
            r"|(?i:\b(?:phpsessid|jsessionid|sessionid|session_id|session-id|connect\.sid|_session)=[A-Za-z0-9%._:\-]{8,})"
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
            r"(?i:\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse)://[^\s:/@]+:[^\s@/]+@[^\s/]+)",
            r"|(?i:\bjdbc:[a-z0-9]+:[^\s]*?(?:password|pwd)=[^\s&;]+)",
            r"|(?i:\b(?:server|data source|host)=[^;\n]+;[^\n]*?\b(?:password|pwd)=[^;\s]+)"
        ),
        anchors: &[
            "postgres", "mysql", "mariadb", "mongodb", "redis", "amqp", "mssql",
            "sqlserver", "oracle", "clickhouse", "jdbc:", "server=", "data source=",
            "host=",
        ],
        before: 8,
        after: 400,
        ..BASE
    },
    Builtin {
        id: "kubeconfig_content",
        pack: "security",
        severity: High,
        description: "Kubernetes kubeconfig with embedded certificates, keys or tokens",
        pattern: r"(?:client-key-data|client-certificate-data|certificate-authority-data):\s*[A-Za-z0-9+/=]{16,}|kind:\s*Config\s[\s\S]{0,400}?\bclusters:",
        anchors: &[
            "client-key-data",
            "client-certificate-data",
            "certificate-authority-data",
            "kind:",
        ],
        after: 512,
        ..BASE
    },
    Builtin {
        id: "env_file_secret",
        pack: "security",
        severity: High,
        description: "`.env`-style line assigning a secret (`AWS_SECRET_ACCESS_KEY=...`)",
        pattern: r"(?m)^[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY)[A-Z0-9_]*[ \t]*=[ \t]*[\x22']?[^\s\x22'$<{][^\s\x22']{5,}",
        anchors: &[
            "secret", "password", "passwd", "token", "api_key", "apikey", "private_key",
            "access_key",
        ],
        validator: Validator::LineStart,
        confirm: Confirm::Upper,
        before: 80,
        after: 64,
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
        description: "Passport number next to the word passport/护照",
        pattern: r"(?i:\bpassport|护照)(?i:\s*(?:no\.?|number|num|#|id|号码|号))?\s*(?:(?i:is)\s*)?[:：]?\s*\b(?:[A-Z]{1,2}\d{6,9}|\d{9})\b",
        anchors: &["passport", "护照"],
        after: 48,
        ..BASE
    },
    Builtin {
        id: "bank_card_context",
        pack: "personal",
        severity: High,
        description: "Bank card number (13-19 digits, Luhn-valid) with a banking word nearby",
        pattern: r"\b\d{4}(?:[\- ]?\d{4}){2}[\- ]?\d{1,4}(?:[\- ]?\d{1,3})?\b",
        anchors: BANK_CONTEXT,
        validator: Validator::BankCard,
        before: BANK_CONTEXT_RADIUS + 24,
        after: BANK_CONTEXT_RADIUS + 24,
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
        ..BASE
    },
    // ---------------------------------------------------------------- company
    Builtin {
        id: "private_ip",
        pack: "company",
        severity: Low,
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
            ],
            cs: &[],
            zh: &["客户名单", "客户列表", "客户资料", "客户信息", "客户清单", "客户数据"],
        },
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
            ],
            cs: &[],
            zh: &["工单", "客户工单", "销售线索", "商机", "客户关系管理"],
        },
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

];
