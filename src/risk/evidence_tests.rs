//! What counts as evidence next to a keyword, in English and Chinese.

use super::*;

fn ev(text: &str, kw: &str) -> (Vec<&'static str>, u32) {
    let s = text.find(kw).unwrap();
    let (bits, h) = around(text, s, s + kw.len());
    (names(bits), score(bits, h))
}

#[test]
fn a_bare_keyword_in_a_question_has_no_evidence() {
    assert_eq!(
        ev("What is EBITDA and why does it matter?", "EBITDA"),
        (vec![], 0)
    );
    assert_eq!(
        ev("北京 5 年经验的工程师一般工资多少？", "工资"),
        (vec![], 0)
    );
    assert_eq!(ev("What are typical salary ranges in 2026?", "salary").1, 0);
}

#[test]
fn amounts_next_to_names_are_evidence() {
    let (n, s) = ev("Kevin's salary is $145,000 and he wants 20% more", "salary");
    assert_eq!(n, vec!["amount", "percent", "person"]);
    assert!(s >= THRESHOLD);
    let (n, s) = ev("张伟的工资是 26000，她要求涨到 32000", "工资");
    assert!(n.contains(&"amounts") && s >= THRESHOLD, "{n:?}");
}

#[test]
fn dates_markings_and_tables() {
    let (n, _) = ev(
        "budget (confidential): launch on 2026-03-14, Q3 and FY26",
        "budget",
    );
    assert_eq!(n, vec!["date", "marking"]);
    let t = "Pay review\nAlice | L5 | 185,000\nBob | L4 | 140,000";
    assert!(ev(t, "Pay review").0.contains(&"table"));
    assert!(ev("3月15日入职，月薪 42K", "入职").0.contains(&"date"));
}

/// A marking is a whole word or phrase: `not publication`, `unprivileged`
/// or a bare `strictly` mark nothing.
#[test]
fn markings_are_whole_words() {
    for t in [
        "the budget: fetch timestamps are not publication dates",
        "the budget runs the unprivileged proxy",
        "the budget is not strictly required",
    ] {
        assert!(!ev(t, "budget").0.contains(&"marking"), "{t}");
    }
    for t in [
        "the budget (not public) for 2027",
        "budget, strictly embargoed",
        "budget - STRICTLY PRIVATE",
    ] {
        assert!(ev(t, "budget").0.contains(&"marking"), "{t}");
    }
}

#[test]
fn hypothetical_figures_cancel() {
    let (_, s) = ev("假设营收 100 万，成本 60 万，毛利率是多少？", "毛利率");
    assert!(s < THRESHOLD);
    let (_, s) = ev(
        "Give me a made-up example: revenue $100, cost $60",
        "revenue",
    );
    assert!(s < THRESHOLD);
}

#[test]
fn n_plus_one_is_a_figure_not_a_phone() {
    let (n, s) = ev(
        "裁员的时候 N+1 补偿是怎么计算的？法律上有什么规定？",
        "裁员",
    );
    assert_eq!((n, s), (vec!["amount"], 1));
    assert!(ev("call +49 151 2345 about the salary", "salary")
        .0
        .contains(&"person"));
}

#[test]
fn windows_cut_inside_characters_do_not_panic() {
    let t = "机密".repeat(200) + "salary" + &"工资".repeat(200);
    let s = t.find("salary").unwrap();
    let _ = around(&t, s, s + 6);
}
