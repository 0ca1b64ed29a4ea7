//! Ordinary business text (issue #27): a consumer's order, an invoice to
//! check, an expense claim. Their own amounts and dates are the
//! transaction itself, so the invoice and ticket rules need a person, a table of
//! records or a marking besides them; a `#58213` is a ticket's number,
//! not a figure. Texts made up for these tests.

use super::test_support::*;
use super::*;

fn acts(e: &Engine, t: &str) -> bool {
    e.scan_str(t).action.is_some_and(|a| a > Action::Audit)
}

#[test]
fn an_order_an_invoice_or_an_expense_claim_is_not_a_record() {
    let e = engine();
    for t in [
        "您好，我的订单号是 202611280153，12月1日下单，金额 ¥368.00，请问发票什么时候开？",
        "请帮我核对这张发票：开票日期 2026-11-30，金额 1,280.00 元，税额 166.40 元，是否正确？",
        "请帮我写一封邮件给财务：本月差旅报销共 3 笔，合计 2,460 元，附发票 3 张，请于 12 月 10 日前审核。",
        "Can you check this invoice: dated 2026-11-30, total $1,280.00, tax $166.40?",
        "工单 #58213 已处理：客户反馈 11 月 30 日支付 199 元后未到账，已退款。",
        // a ticket is a transaction too: its date and amount are the ticket
        "工单 #61027 于 2026-11-30 创建，客户反馈支付 99 元后未到账，请帮我起草回复。",
        "Customer ticket #8841 opened 2026-11-29: refund of $49.99 not received, draft a reply.",
    ] {
        assert!(!acts(&e, t), "{t}");
    }
}

#[test]
fn invoices_of_named_customers_still_act() {
    let e = engine();
    for t in [
        "发票清单：\n张伟 2026-11-02 12,800 元\n李娜 2026-11-05 8,600 元\n王芳 2026-11-09 23,100 元",
        "机密：发票 2026-11-30 金额 1,280,000 元，请勿外传",
    ] {
        assert!(acts(&e, t), "{t}");
    }
}
