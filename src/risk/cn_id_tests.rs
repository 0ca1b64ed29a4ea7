//! `cn_id_card` on IDs as they are printed: whole, or grouped 6-8-4 after
//! a word naming an ID; the GB 11643 check holds either way. Made-up
//! numbers, their check digit computed here.

use super::test_support::*;
use super::validators::cn_id_checksum;

/// A made-up ID: region, birth date and sequence, then its check digit.
fn id(first17: &str) -> String {
    (0..11u8)
        .map(|i| format!("{first17}{}", b"0123456789X"[i as usize] as char))
        .find(|c| cn_id_checksum(c.as_bytes()))
        .unwrap_or_default()
}

fn hit(t: &str) -> bool {
    ids(&engine(), t).iter().any(|r| r == "cn_id_card")
}

#[test]
fn a_grouped_id_after_its_name_is_found() {
    let v = id("32058419770302461");
    assert_eq!(v.len(), 18);
    let (a, b, c) = (&v[..6], &v[6..14], &v[14..]);
    assert!(hit(&format!("身份证号码：{v}")));
    assert!(hit(&format!("身份证号码：{a} {b} {c}，请核对")));
    assert!(hit(&format!("请核对证件号 {a}-{b}-{c}")));
    assert!(hit(&format!("ID card: {a} {b} {c}")));
}

#[test]
fn other_groupings_and_a_wrong_check_are_not_ids() {
    let v = id("32058419770302461");
    let (a, b, c) = (&v[..6], &v[6..14], &v[14..]);
    // one separator, two kinds, no word naming an ID
    assert!(!hit(&format!("身份证号码：{a} {b}{c}")));
    assert!(!hit(&format!("身份证号码：{a} {b}-{c}")));
    assert!(!hit(&format!("编号 {a} {b} {c}")));
    // the check digit off by one
    let last = v.as_bytes()[17];
    let wrong = if last == b'0' { '1' } else { '0' };
    assert!(!hit(&format!("身份证号码：{a} {b} {}{wrong}", &c[..3])));
}
