//! What follows a PEM private-key header decides whether it opens a key.
//! Code that looks for the header holds it alone in a string literal
//! (`indexOf("-----BEGIN PRIVATE KEY-----")`, a constant); documentation
//! elides the body (`...`). Neither is a key, and a block on either stops
//! an agent reading a TLS library. A body cut short on its first line
//! (`MIIEpAIBAAK...`) may be the start of a real key pasted in part: it is
//! plausible (`certainty`), rerouted but never blocked.

/// The header ending at `end` opens a key: it is not closed by a quote
/// right after it, and what follows is not an elided body.
pub fn opens_a_key(b: &[u8], end: usize) -> bool {
    let quoted = b.get(end).is_some_and(|c| matches!(c, b'"' | b'\'' | b'`'));
    // a key kept as a list of quoted lines (`["-----BEGIN …-----",
    // "MIIEow…", …]`) still has its body after the quote
    (!quoted || body_follows(b, end)) && !elided(body(b, end))
}

/// Within the next 256 bytes, past quotes, commas, `+`, brackets, white
/// space and escaped line breaks, a run of 40 base64 characters.
fn body_follows(b: &[u8], end: usize) -> bool {
    let near = &b[end..(end + 256).min(b.len())];
    near.split(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=')))
        .any(|run| run.len() >= 40)
}

/// The body's first line ends in an ellipsis before a full PEM line (64
/// characters): a key shown in part.
pub fn cut_short(b: &[u8], end: usize) -> bool {
    let body = body(b, end);
    let line = body
        .iter()
        .position(|&c| c == b'\n' || c == b'\\' || c == b'"')
        .map_or(body, |i| &body[..i]);
    let line = &line[..line.len().min(72)];
    line.len() < 64 + 3 && (line.ends_with(b"...") || line.ends_with("…".as_bytes()))
}

/// The text after the header, past white space and one escaped line break.
fn body(b: &[u8], end: usize) -> &[u8] {
    let rest = b.get(end..).unwrap_or_default();
    let at = rest
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(rest.len());
    let body = &rest[at..];
    body.strip_prefix(b"\\n").unwrap_or(body)
}

fn elided(body: &[u8]) -> bool {
    body.starts_with(b"...") || body.starts_with("…".as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "-----BEGIN RSA PRIVATE KEY-----";

    fn at(text: &str) -> (bool, bool) {
        let end = text
            .find(H)
            .map(|i| i + H.len())
            .expect("the header is in the text");
        (
            opens_a_key(text.as_bytes(), end),
            cut_short(text.as_bytes(), end),
        )
    }

    #[test]
    fn a_header_that_opens_a_key() {
        // made up: a body line, an escaped one, the header alone at the end
        let line = "MIIEowIBAAKCAQEAq7Zb3Ld9XkP2mWc8vT5nYh0sJr4GfE1uKx6oQ9iLp3aDzNwB";
        assert_eq!(at(&format!("{H}\n{line}\n")), (true, false));
        assert_eq!(at(&format!("\"key\": \"{H}\\n{line}\\n\"")), (true, false));
        assert_eq!(at(&format!("is this right? {H}")), (true, false));
        assert_eq!(at(&format!("{H} {line}")), (true, false));
    }

    #[test]
    fn code_and_examples_do_not() {
        assert!(!at(&format!("if (pem.indexOf(\"{H}\") !== 0) throw")).0);
        assert!(!at(&format!("const HEADER = '{H}';")).0);
        // but a key kept as quoted lines is a key
        let line = "MIIEowIBAAKCAQEAq7Zb3Ld9XkP2mWc8vT5nYh0sJr4GfE1uKx6oQ9iLp3aDzNwB";
        assert!(at(&format!("lines = [\"{H}\",\n  \"{line}\",")).0);
        assert!(!at(&format!("{H}\n...\n-----END RSA PRIVATE KEY-----")).0);
        assert!(!at(&format!("PRIVATE_KEY=\"{H}\\n…\\n-----END")).0);
    }

    #[test]
    fn a_body_cut_short_is_plausible() {
        assert_eq!(
            at(&format!("{H}\nMIIEpAIBAAKCAQEA...\n-----END")),
            (true, true)
        );
        assert_eq!(at(&format!("{H}\\nQk3xZ…\\n")), (true, true));
    }

    #[test]
    fn the_engine_blocks_a_key_reroutes_a_part_and_passes_code() {
        use crate::risk::test_support::engine;
        use crate::risk::Action;
        let e = engine();
        let line = "MIIEowIBAAKCAQEAq7Zb3Ld9XkP2mWc8vT5nYh0sJr4GfE1uKx6oQ9iLp3aDzNwB";
        let act = |t: &str| e.scan_str(t).action;
        assert_eq!(act(&format!("{H}\n{line}\n")), Some(Action::Block));
        assert_eq!(
            act(&format!("here is mine {H}\nMIIEpAIBAAKCAQEA...\n")),
            Some(Action::RouteSecureModel)
        );
        assert_eq!(act(&format!("if (s.startsWith(\"{H}\")) {{}}")), None);
    }

    #[test]
    fn a_putty_key_file_is_a_key_and_its_description_is_not() {
        use crate::risk::test_support::engine;
        use crate::risk::Action;
        let e = engine();
        let act = |t: &str| e.scan_str(t).action;
        // made up, in the `.ppk` layout: header, public lines, private lines
        let ppk = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci\n\
                   Public-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIHq3\nT0bXk2\n\
                   Private-Lines: 1\nAAAAIFz7qPcLx0w3Rk9TbVnY2mJ8hUeQ4sGdAo6XfK1rNiCW\n";
        assert_eq!(act(ppk), Some(Action::Block));
        assert_eq!(act(&ppk.replace('\n', "\\n")), Some(Action::Block));
        assert_eq!(
            act(&format!("cfg = \"{}\"", ppk.replace('\n', "\\n"))),
            Some(Action::Block)
        );
        for t in [
            "a .ppk file has Public-Lines: N, then Private-Lines: N and the MAC",
            "the Private-Lines header counts the base64 lines that follow",
            "private-lines: 4 (lower case is not PuTTY's)",
        ] {
            assert_eq!(act(t), None, "{t}");
        }
    }
}
