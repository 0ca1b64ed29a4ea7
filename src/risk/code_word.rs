//! A topic keyword that is a name in code is no topic. Agents read code
//! where `offer.provider.label`, `const roster = listAgents()`,
//! `invoice(title)` or `Allow.ARR` stand among figures and dates that
//! read as evidence (`evidence.rs`) to the salary, roster, invoice and
//! metrics rules. A keyword used as an identifier (a member of something,
//! something's member, a declared name, a call) is recorded, not acted on.

/// Documents named by a topic word (`salary.xlsx`) are data, not code.
const DOCUMENTS: &[&[u8]] = &[
    b"xlsx", b"xls", b"csv", b"pdf", b"docx", b"doc", b"pptx", b"txt", b"numbers", b"pages",
];

/// Is `b[start..end]` a name in code?
pub fn identifier(b: &[u8], start: usize, end: usize) -> bool {
    let ident = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
    let before = &b[start.saturating_sub(7)..start];
    let after = &b[end..(end + 8).min(b.len())];
    // `x.offer`, `Allow.ARR`
    let member =
        before.last() == Some(&b'.') && before.len() >= 2 && ident(&before[before.len() - 2]);
    // `offer.provider`, `roster?.length`, not `salary.xlsx`
    let object = match after {
        [b'.', rest @ ..] | [b'?', b'.', rest @ ..] => {
            rest.first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
                && !DOCUMENTS.iter().any(|d| {
                    rest.len() >= d.len()
                        && rest[..d.len()].eq_ignore_ascii_case(d)
                        && !rest.get(d.len()).is_some_and(ident)
                })
        }
        _ => false,
    };
    let declared = [&b"const "[..], b"let ", b"var ", b"def ", b"fn "]
        .iter()
        .any(|k| before.ends_with(k));
    let call = after.first() == Some(&b'(');
    member || object || declared || call
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, w: &str) -> bool {
        let s = text.find(w).expect("the word is in the text");
        identifier(text.as_bytes(), s, s + w.len())
    }

    #[test]
    fn names_in_code() {
        for (t, w) in [
            ("label: offer.provider.label,", "offer"),
            ("if (roster?.length > 1)", "roster"),
            ("const roster = listAgentEntries(config);", "roster"),
            ("invoice(title: string, desc: string)", "invoice"),
            ("parse(text, Allow.ARR)", "ARR"),
        ] {
            assert!(at(t, w), "{t}");
        }
    }

    #[test]
    fn words_in_prose_and_documents() {
        for (t, w) in [
            ("the offer letter for Li Wei: 32,000 a month", "offer"),
            ("attached salary.xlsx has every salary.", "salary"),
            ("payroll (March) is late", "payroll"),
            ("Q3 revenue. Margins fell.", "revenue"),
        ] {
            assert!(!at(t, w), "{t}");
        }
    }
}
