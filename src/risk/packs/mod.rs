//! The built-in rules, in six packs (one file a pack, listed in [`PACKS`]
//! order): ClawManager's 31 and the rules added since.
//!
//! Every rule is a `regex-lite` pattern plus *anchors*: lowercase literals
//! (or digit runs) at least one of which must occur near any match. The
//! engine only runs a rule's regex in small windows around its anchors, so
//! an anchor list must cover every way the pattern can match; the corpus
//! test `engine_equals_naive` checks this against whole-text matching.

mod company;
mod customer;
mod finance_legal;
mod hashes;
mod personal;
mod political;
mod security;
mod vendor_short;

pub(super) use vendor_short::NAMED_VENDORS;

use crate::risk::builtin::Builtin;

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

/// The rules of each pack, in [`PACKS`] order.
static BY_PACK: [&[Builtin]; 6] = [
    security::RULES,
    personal::RULES,
    company::RULES,
    customer::RULES,
    finance_legal::RULES,
    political::RULES,
];

/// Every built-in rule, pack by pack.
pub fn builtins() -> impl Iterator<Item = &'static Builtin> {
    BY_PACK.iter().flat_map(|p| p.iter())
}
