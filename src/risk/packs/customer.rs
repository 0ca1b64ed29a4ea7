//! The `customer` pack. Customer records: customer lists, contracts and
//! quotes, invoices and tax ids, CRM tickets.

use crate::risk::builtin::{Builtin, Keywords, BASE};
use crate::risk::evidence::{RECORDS, THRESHOLD};
use crate::risk::Severity;
use Severity::Medium;

pub(super) static RULES: &[Builtin] = &[
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
            zh: &[
                "客户名单",
                "客户列表",
                "客户资料",
                "客户信息",
                "客户清单",
                "客户数据",
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
];
