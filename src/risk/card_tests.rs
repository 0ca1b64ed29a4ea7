//! Payment cards written as one number (`validators::BankCard`): the
//! networks' published test numbers (Visa, Mastercard, Amex, Discover
//! and UATP test PANs, as processors list them) are zero- or one-digit
//! padding after an issuer prefix, never issued to anyone: a placeholder,
//! like a vendor's `…EXAMPLE` key. So a bare number whose digits read as
//! made up (8 equal or ascending in a row) is not acted on, while the same
//! number named as someone's card is. The numbers here are made up in
//! that shape (Luhn digits computed for this test), not copied from a list.

use super::test_support::{engine, rule_acts};
use super::*;

fn card_acts(e: &Engine, text: &str) -> bool {
    rule_acts(e, "bank_card_context", text)
}

#[test]
fn a_test_number_alone_is_a_placeholder_named_a_card_it_acts() {
    let e = engine();
    for n in [
        "5123400000000003",
        "4917000000000004",
        "6011000000000004",
        "371820000000002",
        "5123477777777773",
    ] {
        assert!(!card_acts(&e, n), "{n}");
        assert!(!card_acts(&e, &format!("use {n} in the sandbox")), "{n}");
        assert!(card_acts(&e, &format!("my credit card: {n}")), "{n}");
    }
    // a number that does not read as made up acts alone, not when its
    // Luhn digit is wrong or it is cut short
    assert!(card_acts(&e, "5283917462051832"));
    assert!(!card_acts(&e, "5283917462051833"));
    assert!(!card_acts(&e, "528391746205183"));
}
