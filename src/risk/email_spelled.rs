//! E-mail addresses spelled out so a harvester misses them, as people
//! write them in forum posts, signatures and chat: `jane[at]acme[dot]com`,
//! `jane (at) acme (dot) com`, `jane at acme dot com`. The address is as
//! personal as the plain one, so `email_address` takes these forms too.
//!
//! The bare-word form (`at`, `dot`) is English prose as often (`look at it
//! dot com`), so it counts only with every dot spelled out and either a
//! local part shaped like a mailbox (`.`, `_`, `-` or a digit in it) or a
//! word for e-mail near.

use super::id_words::near;
use super::literal;

/// The rule's regex: a local part, then a plain address's `@` and domain,
/// or an `at` in brackets or as a word and labels joined by `.` or a
/// spelled dot (one alternation after the shared local part: two whole
/// alternatives cost the windows around every `@` 8% more).
pub const PATTERN: &str = concat!(
    r"\b[A-Za-z0-9._%+\-]+(?:",
    r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b",
    r"|[ \t]?(?:[\[({<](?i:at|@)[\])}>]|[ \t](?i:at)[ \t])[ \t]?[A-Za-z0-9\-]+",
    r"(?:[ \t]?(?:[\[({<](?i:dot|\.)[\])}>]|[ \t](?i:dot)[ \t]|\.)[ \t]?[A-Za-z0-9\-]+)+\b)",
);

/// Lowercase anchors: `@`, every spelled `at` in brackets, and the dots
/// spelled as a word (the bare-word form counts only with a spelled dot).
/// `[.]` and `(.)` are not anchors (3-byte literals take every key of
/// their slot), so `jane at acme[.]com` is not looked for; after a
/// bracketed `at` or `@` they are found by that.
pub const ANCHORS: &[&str] = &[
    "@", "[at]", "(at)", "{at}", "<at>", " dot ", "[dot]", "(dot)", "{dot}", "<dot>",
];

/// Words for e-mail that make a bare-word spelling an address.
const WORDS: &[(&str, u32)] = &[
    ("email", 1),
    ("e-mail", 1),
    ("mail", 1),
    ("mailbox", 1),
    ("contact", 1),
    ("write to", 1),
    ("reach me", 1),
    ("邮箱", 1),
    ("邮件", 1),
    ("电邮", 1),
    ("郵箱", 1),
];

/// Is the match a spelled-out form (a plain address has no white space or
/// brackets)?
pub fn is_spelled(m: &[u8]) -> bool {
    m.iter().any(|c| b" \t[](){}<>".contains(c))
}

/// A spelled match: its top-level label is 2-24 letters, the bare-word
/// form is an address by the rules above, and the address it spells is
/// not a reserved example or a no-reply sender.
pub fn valid(text: &str, start: usize, end: usize) -> bool {
    let Some(m) = text.as_bytes().get(start..end) else {
        return false;
    };
    let Some((local, at_word, labels)) = parse(m) else {
        return false;
    };
    let tld = labels.last().map_or(&[][..], |l| l.0);
    if !(2..=24).contains(&tld.len()) || !tld.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    if at_word {
        let dots_spelled = labels.iter().skip(1).all(|l| l.1);
        let mailbox = local
            .iter()
            .any(|c| c.is_ascii_digit() || b"._-".contains(c));
        if !dots_spelled || !(mailbox || near(WORDS, text, start, end) != 0) {
            return false;
        }
    }
    let mut plain = local.to_vec();
    plain.push(b'@');
    for (i, (label, _)) in labels.iter().enumerate() {
        if i > 0 {
            plain.push(b'.');
        }
        plain.extend_from_slice(label);
    }
    !literal::email_is_example(&plain, 0, plain.len()) && !literal::email_is_no_reply(&plain)
}

/// A label of the domain and whether the separator before it was spelled.
type Label<'a> = (&'a [u8], bool);

/// Splits a spelled match into its local part, whether its `at` is a bare
/// word, and the domain's labels.
fn parse(m: &[u8]) -> Option<(&[u8], bool, Vec<Label<'_>>)> {
    let word = |c: &u8| c.is_ascii_alphanumeric() || b"._%+-".contains(c);
    let local_end = m.iter().position(|c| !word(c))?;
    let (local, mut rest) = m.split_at(local_end);
    let (sep, after) = separator(rest)?;
    let at_word = !sep.iter().any(|c| b"[({<".contains(c));
    rest = after;
    let mut labels = Vec::new();
    let mut spelled = true;
    loop {
        let n = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        let (label, after) = rest.split_at(n);
        if label.is_empty() {
            return None;
        }
        labels.push((label, spelled));
        if after.is_empty() {
            break;
        }
        let (sep, after) = separator(after)?;
        spelled = sep != b".";
        rest = after;
    }
    Some((local, at_word, labels))
}

/// The separator at the start of `s` (a bracketed form such as `[at]` or
/// `(.)`, a bare word such as ` dot `, or `.`, with the blanks around it)
/// and what follows it.
fn separator(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let blank = |c: &&u8| **c == b' ' || **c == b'\t';
    let lead = s.iter().take_while(blank).count();
    let rest = s.get(lead..)?;
    let len = match rest.first()? {
        b'[' | b'(' | b'{' | b'<' => rest.iter().position(|c| b"])}>".contains(c))? + 1,
        c if c.is_ascii_alphabetic() && lead > 0 => {
            rest.iter().take_while(|c| c.is_ascii_alphabetic()).count()
        }
        b'.' => 1,
        _ => return None,
    };
    let (core, after) = rest.split_at(len);
    let trail = after.iter().take_while(blank).count();
    Some((core, &after[trail..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::test_support::{engine, found_and_acts};

    /// Acts, and the prefilter's windows find what the naive scan finds.
    fn ok(t: &str) -> bool {
        found_and_acts(&engine(), "email_address", t)
    }

    #[test]
    fn bracketed_and_spelled_forms_are_addresses() {
        for t in [
            "email me at jane.doe[at]gmail[dot]com please",
            "my mail: jane.doe (at) outlook (dot) com",
            "reach me via m.keller{at}posteo{dot}de",
            "邮箱是 zhangsan[at]163[dot]com",
            "contact: wei.zhang at qq dot com",
            "write to pat at fastmail dot fm",
            "ops[at]acme.co.uk is the list",
            "JANE[AT]ACME[DOT]COM",
            "jane[@]acme[.]com",
        ] {
            assert!(ok(t), "{t}");
        }
    }

    #[test]
    fn prose_and_examples_are_not() {
        for t in [
            "look at the docs dot com bubble",
            "we met at acme.com last year",
            "the value of arr[at] and x.y",
            "jane[at]example[dot]com",
            "noreply[at]github[dot]com",
            "see user[at]host[dot]1234",
            "he looked at it dot com",
        ] {
            assert!(!ok(t), "{t}");
        }
    }

    #[test]
    fn a_plain_address_is_not_spelled() {
        assert!(!is_spelled(b"jane.doe@gmail.com"));
        assert!(is_spelled(b"jane.doe[at]gmail.com"));
    }
}
