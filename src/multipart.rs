//! The text fields of a `multipart/form-data` upload (image edits, audio
//! transcriptions and translations carry their `prompt` this way), so the
//! risk engine reads them like any other prompt. File parts are skipped:
//! the scan does not decode images or audio.

/// Upload endpoints whose form carries text a model reads.
const UPLOAD_PATHS: [&str; 3] = [
    "/images/edits",
    "/audio/transcriptions",
    "/audio/translations",
];

/// Whether a normalised path is an upload endpoint (by suffix, like the
/// JSON endpoints).
pub fn is_upload_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let p = p.trim_end_matches('/');
    UPLOAD_PATHS.iter().any(|s| p.ends_with(s))
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    let main = parts.next()?.trim();
    if !main.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
    })
}

/// A form that parsers could split differently (see [`text_fields`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ambiguous;

/// `(field name, text)` of every part without a `filename`: the form's
/// text fields, read as RFC 2046 says: a delimiter is `--boundary` at the
/// start of a line (the body's start, or after CRLF), then optional
/// spaces or tabs and CRLF, or `--` to close the form. `--boundary`
/// inside a line is content, as Python's `email` and Go's
/// `mime/multipart` read it.
///
/// `Err(Ambiguous)` for a form another parser could read differently, so
/// that a prompt could hide in what clawgate takes for a file or a
/// preamble: `--boundary` starting a line that ends in a bare LF or CR
/// (parsers that accept those split there), or starting a line without
/// being a delimiter (`--boundaryX`, which parsers that only look for
/// `CRLF--boundary` split on), or a form that is never closed.
pub fn text_fields(body: &[u8], boundary: &str) -> Result<Vec<(String, String)>, Ambiguous> {
    let delim = format!("--{boundary}");
    let d = delim.as_bytes();
    // (where the delimiter's line starts, where its part begins) per part
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut closed = false;
    for i in memchr::memmem::find_iter(body, d) {
        let after_newline = i == 0 || matches!(body[i - 1], b'\n' | b'\r');
        if !after_newline {
            continue; // inside a line: content, for every parser
        }
        if i > 0 && !body[..i].ends_with(b"\r\n") {
            return Err(Ambiguous);
        }
        let rest = &body[i + d.len()..];
        if rest.starts_with(b"--") {
            parts.push((i, i));
            closed = true;
            break; // what follows is the epilogue
        }
        let pad = rest
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        if !rest[pad..].starts_with(b"\r\n") {
            return Err(Ambiguous);
        }
        parts.push((i, i + d.len() + pad + 2));
    }
    if !closed && !parts.is_empty() {
        return Err(Ambiguous);
    }
    let mut out = Vec::new();
    for w in parts.windows(2) {
        // the CRLF before a delimiter belongs to the delimiter
        let part = body
            .get(w[0].1..w[1].0.saturating_sub(2))
            .unwrap_or_default();
        let (head, text) = match part.strip_prefix(b"\r\n") {
            Some(text) => (&b""[..], text),
            None => match memchr::memmem::find(part, b"\r\n\r\n") {
                Some(sep) => (&part[..sep], &part[sep + 4..]),
                None => (part, &b""[..]),
            },
        };
        if let Some(name) = field_name(&String::from_utf8_lossy(head)) {
            out.push((name, String::from_utf8_lossy(text).into_owned()));
        }
    }
    Ok(out)
}

/// The `name` of a text part's `Content-Disposition`; `None` for a file.
fn field_name(head: &str) -> Option<String> {
    let cd = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
    let mut name = None;
    for p in cd.split(';').skip(1) {
        let (k, v) = p.split_once('=')?;
        match k.trim().to_ascii_lowercase().as_str() {
            "filename" | "filename*" => return None,
            "name" => name = Some(v.trim().trim_matches('"').to_string()),
            _ => {}
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-1\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x00\x01--not\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nadd our key -----BEGIN RSA PRIVATE KEY-----\r\n\
--XyZ--\r\n";

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, t)| (k.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn text_fields_not_files() {
        assert_eq!(
            text_fields(BODY, "XyZ"),
            Ok(pairs(&[
                ("model", "gpt-image-1"),
                ("prompt", "add our key -----BEGIN RSA PRIVATE KEY-----"),
            ]))
        );
        assert_eq!(text_fields(b"garbage", "XyZ"), Ok(Vec::new()));
        // cut short: never closed, so another parser may read more
        assert_eq!(text_fields(&BODY[..60], "XyZ"), Err(Ambiguous));
    }

    #[test]
    fn a_boundary_inside_a_line_is_content() {
        // the prompt carries the boundary mid-line: one field, key and all
        let body = b"--B\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n\
a cat --B\r\nContent-Disposition: form-data; name=\"x\"; filename=\"f\"\r\n\r\nKEY\r\n--B--\r\n";
        let want =
            "a cat --B\r\nContent-Disposition: form-data; name=\"x\"; filename=\"f\"\r\n\r\nKEY";
        assert_eq!(text_fields(body, "B"), Ok(pairs(&[("prompt", want)])));
        // transport padding after a delimiter, and an epilogue
        let body = b"pre\r\n--B \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--\r\n--B\r\nx";
        assert_eq!(text_fields(body, "B"), Ok(pairs(&[("a", "1")])));
        // an empty part
        assert_eq!(text_fields(b"--B\r\n--B--", "B"), Ok(Vec::new()));
    }

    #[test]
    fn a_form_parsers_could_split_differently_is_ambiguous() {
        let head = "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n";
        for tail in [
            // a bare LF or CR line end before a boundary line
            "x\n--B\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nKEY\r\n--B--",
            "x\r--B\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nKEY\r\n--B--",
            // a boundary line ended by a bare LF
            "x\r\n--B\nContent-Disposition: form-data; name=\"p\"\n\nKEY\r\n--B--",
            // a line that starts with the boundary but is not a delimiter
            "x\r\n--BX\r\nKEY\r\n--B--",
            // never closed
            "x\r\n--B\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nKEY",
        ] {
            let body = format!("{head}{tail}");
            assert_eq!(
                text_fields(body.as_bytes(), "B"),
                Err(Ambiguous),
                "{tail:?}"
            );
        }
    }

    /// A line-by-line reader, as Python's `email` reads a form: lines end
    /// at CRLF, LF or CR; a line that starts with `--B` is a delimiter
    /// (`--B` and blanks), a close (`--B--`) or, if anything else, makes
    /// the form ambiguous, as does a delimiter line whose end or start is
    /// not CRLF. `None`: ambiguous.
    fn reference(body: &[u8], b: &str) -> Option<Vec<(String, String)>> {
        let d = format!("--{b}");
        // lines with the bytes that end them
        let mut lines: Vec<(&[u8], &[u8])> = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let n = rest
                .iter()
                .position(|&c| c == b'\r' || c == b'\n')
                .unwrap_or(rest.len());
            let end = if rest[n..].starts_with(b"\r\n") {
                2
            } else {
                (n < rest.len()) as usize
            };
            lines.push((&rest[..n], &rest[n..n + end]));
            rest = &rest[n + end..];
        }
        let mut parts: Vec<Vec<&[u8]>> = Vec::new();
        let mut closed = false;
        let mut prev_end: &[u8] = b"\r\n";
        for (line, end) in lines {
            let prev = std::mem::replace(&mut prev_end, end);
            if let Some(tail) = line.strip_prefix(d.as_bytes()) {
                if prev != b"\r\n" {
                    return None;
                }
                if tail.starts_with(b"--") {
                    closed = true;
                    break;
                }
                if tail.iter().any(|&c| c != b' ' && c != b'\t') || end != b"\r\n" {
                    return None;
                }
                parts.push(Vec::new());
                continue;
            }
            if let Some(p) = parts.last_mut() {
                p.push(line);
                p.push(end);
            }
        }
        if !closed && !parts.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        for p in parts {
            // the CRLF before the next delimiter is the delimiter's
            let mut bytes: Vec<u8> = p.concat();
            bytes.truncate(bytes.len().saturating_sub(2));
            // headers up to the first empty line
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let (head, body) = match text.strip_prefix("\r\n") {
                Some(b) => ("", b),
                None => text.split_once("\r\n\r\n").unwrap_or((&text, "")),
            };
            if let Some(name) = field_name(head) {
                out.push((name, body.to_string()));
            }
        }
        Some(out)
    }

    #[test]
    fn random_forms_read_as_the_line_reader_reads_them() {
        const BITS: [&str; 14] = [
            "a",
            "KEY",
            " ",
            "-",
            "B",
            "--B",
            "--BX",
            "\r\n",
            "\n",
            "\r",
            "\r\n--B",
            "\r\n--B--",
            "\t",
            "\r\n\r\n",
        ];
        let mut r = crate::test_rng::Rng(0x005e_edf0);
        let (mut agreed, mut clear) = (0, 0);
        for case in 0..20_000 {
            let mut body = String::new();
            let text = |r: &mut crate::test_rng::Rng| -> String {
                // mostly plain, now and then a bit that tests the reader
                (0..r.below(6))
                    .map(|_| {
                        BITS[if r.below(4) == 0 {
                            r.below(BITS.len())
                        } else {
                            r.below(3)
                        }]
                    })
                    .collect()
            };
            if r.below(3) == 0 {
                body += &text(&mut r);
                body += "\r\n";
            }
            for i in 0..r.below(4) {
                body += "--B";
                body += [" ", "\t", ""][r.below(3)];
                body += "\r\n";
                let file = if r.below(3) == 0 {
                    "; filename=\"f\""
                } else {
                    ""
                };
                body += &format!("Content-Disposition: form-data; name=\"n{i}\"{file}\r\n\r\n");
                body += &text(&mut r);
                body += "\r\n";
            }
            if r.below(8) != 0 {
                body += "--B--";
                body += &text(&mut r);
            }
            let got = text_fields(body.as_bytes(), "B").ok();
            assert_eq!(
                got,
                reference(body.as_bytes(), "B"),
                "case {case}: {body:?}"
            );
            agreed += 1;
            clear += usize::from(got.is_some_and(|f| !f.is_empty()));
        }
        // the generator reaches both readable forms and ambiguous ones
        assert!(
            clear > 5_000 && agreed - clear > 1_000,
            "{clear} of {agreed}"
        );
    }

    #[test]
    fn boundaries_and_paths() {
        assert_eq!(
            boundary("multipart/form-data; boundary=XyZ").as_deref(),
            Some("XyZ")
        );
        assert_eq!(
            boundary("Multipart/Form-Data; charset=x; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("application/json"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert!(is_upload_path("/v1/images/edits"));
        assert!(is_upload_path("/openai/v1/audio/transcriptions/"));
        assert!(!is_upload_path("/v1/images/generations"), "a JSON endpoint");
    }
}
