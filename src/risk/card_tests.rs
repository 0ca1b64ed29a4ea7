//! Payment cards written as one number (`validators::BankCard`). The
//! networks' published test numbers (Visa, Mastercard, Amex, Discover
//! and UATP test PANs, as processors list them) are an issuer prefix,
//! padding and a Luhn digit someone computed: the same number grouped as
//! printed was always taken, so written as one number it is taken too.
//! It reads as a sample, so it is plausible (`certainty`): it reroutes,
//! and an operator's `block` does not block it. A number that is one
//! group repeated (`4242…`, `0000…`) stays a placeholder, and alone so
//! does an issuer's prefix followed by one digit over and over (`4000…2`). The numbers here
//! are made up in that shape (Luhn digits computed for this test), not
//! copied from a list.

use super::test_support::{cfg, engine, rule_acts};
use super::*;

fn card_acts(e: &Engine, text: &str) -> bool {
    rule_acts(e, "bank_card_context", text)
}

#[test]
fn a_test_number_alone_reroutes_but_never_blocks() {
    let e = engine();
    let blocking = Engine::compile(&cfg(serde_json::json!({
        "overrides": {"bank_card_context": {"action": "block"}}
    })))
    .unwrap();
    let action = |e: &Engine, t: &str| {
        e.scan_str(t)
            .hits
            .iter()
            .find(|h| h.rule == "bank_card_context")
            .map(|h| h.action)
    };
    for n in [
        "5123400000000003",
        "4917030000000001",
        "6011020000000002",
        "371820000000002",
        "5123477777777773",
    ] {
        assert!(card_acts(&e, n), "{n}");
        assert!(card_acts(&e, &format!("my credit card: {n}")), "{n}");
        assert_eq!(action(&blocking, n), Some(Action::RouteSecureModel), "{n}");
    }
    // a number without a run acts as the operator says
    assert_eq!(action(&blocking, "5283917462051832"), Some(Action::Block));
    // alone, an issuer's prefix and one digit repeated is typed padding;
    // named as someone's card it acts
    for n in ["4000000000000002", "4917000000000004", "6011000000000004"] {
        assert!(!card_acts(&e, n), "{n}");
        assert!(card_acts(&e, &format!("my card is {n}")), "{n}");
    }
    // one group repeated, or all zeros, is a placeholder even with a word
    for n in [
        "4242424242424242",
        "0000000000000000",
        "5555 5555 5555 5555",
    ] {
        assert!(!card_acts(&e, &format!("card number {n}")), "{n}");
    }
    // a number that does not read as made up acts alone, not when its
    // Luhn digit is wrong or it is cut short
    assert!(card_acts(&e, "5283917462051832"));
    assert!(!card_acts(&e, "5283917462051833"));
    assert!(!card_acts(&e, "528391746205183"));
}
