//! The `finance_legal` pack. Unpublished financial figures and legal documents.

use crate::risk::builtin::{Builtin, Keywords, BASE};
use crate::risk::evidence::THRESHOLD;
use crate::risk::Severity;
use Severity::Medium;

pub(super) static RULES: &[Builtin] = &[
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
];
