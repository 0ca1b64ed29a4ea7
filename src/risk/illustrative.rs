//! Text a prompt marks as illustrative: inside an `<example>` or
//! `<examples>` element, the tag prompt authors (and the vendors' prompting
//! guides) use to set a made-up exchange apart from instructions. Claude
//! Code's own system prompt shows how to save a memory with
//! `the Grafana board at grafana.internal/d/...` inside `<examples>`.
//!
//! Only the host-name rules consult this (`internal_domain_name`,
//! `kubernetes_service_dns`): a made-up host in an example names no
//! company system. Secrets, personal data and every other rule ignore it,
//! so wrapping a pasted key or e-mail address in `<example>` hides nothing.

/// How far an enclosing element's tags are looked for, each way. An
/// example longer than this is not recognised (its hosts are flagged).
const REACH: usize = 4096;

/// Is `text[start..end]` inside an `<example…>` element that is closed
/// after it, with no `</example` between the opening tag and the match?
/// Tags are matched as written, lower case: XML names are case-sensitive.
pub fn in_example(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let lo = start.saturating_sub(REACH);
    // One forward pass over `example` names: the last opening tag not
    // closed since. (memchr's reverse finder would add a kilobyte.)
    let mut open = false;
    let mut from = lo;
    while let Some(i) = memchr::memmem::find(&b[from..start], b"example") {
        let at = from + i;
        let tag = |p: &[u8]| at >= lo + p.len() && b[at - p.len()..at] == *p;
        if tag(b"</") {
            open = false;
        } else if tag(b"<") {
            // `<example>`, `<examples>`, `<example attr>`; not `<example_data>`
            open = matches!(b.get(at + 7), Some(b'>' | b's' | b' '));
        }
        from = at + 1;
    }
    open && memchr::memmem::find(&b[end..(end + REACH).min(b.len())], b"</example").is_some()
}

#[cfg(test)]
mod tests {
    use super::in_example;

    fn at(text: &str, w: &str) -> bool {
        let i = text.find(w).unwrap_or(0);
        in_example(text, i, i + w.len())
    }

    #[test]
    fn inside_a_closed_example_element_only() {
        let w = "grafana.internal";
        assert!(at(
            "<examples>\nuser: the board at grafana.internal/d/x\n</examples>",
            w
        ));
        assert!(at("<example id=\"1\">grafana.internal</example>", w));
        // not opened, not closed, closed before, another tag
        assert!(!at("the board at grafana.internal/d/x", w));
        assert!(!at("<example>see grafana.internal", w));
        assert!(!at("grafana.internal</example>", w));
        assert!(!at("<example>x</example> grafana.internal </example>", w));
        assert!(!at("<example_config>grafana.internal</example_config>", w));
        assert!(!at("<EXAMPLE>grafana.internal</EXAMPLE>", w));
        // too far from its tags
        let far = format!("<example>{}grafana.internal</example>", "x".repeat(5000));
        assert!(!at(&far, w));
    }
}
