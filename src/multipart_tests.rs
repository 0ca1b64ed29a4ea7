//! The multipart reader's tests: fixed forms, the edges parsers
//! disagree on, and random forms against a line-by-line reference reader.

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
    assert_eq!(text_fields(b"garbage", "XyZ"), Err(Ambiguous));
    // cut short: never closed, so another parser may read more
    assert_eq!(text_fields(&BODY[..60], "XyZ"), Err(Ambiguous));
}

#[test]
fn a_boundary_inside_a_line_is_content() {
    // the prompt carries the boundary mid-line: one field, key and all
    let body = b"--B\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n\
a cat --B\r\nContent-Disposition: form-data; name=\"x\"; filename=\"f\"\r\n\r\nKEY\r\n--B--\r\n";
    let want = "a cat --B\r\nContent-Disposition: form-data; name=\"x\"; filename=\"f\"\r\n\r\nKEY";
    assert_eq!(text_fields(body, "B"), Ok(pairs(&[("prompt", want)])));
    // transport padding after a delimiter, and an epilogue
    let body = b"pre\r\n--B \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--\r\n--B\r\nx";
    assert_eq!(text_fields(body, "B"), Ok(pairs(&[("a", "1")])));
    // an empty part, read (empty) all the same
    assert_eq!(text_fields(b"--B\r\n--B--", "B"), Ok(pairs(&[("", "")])));
}

#[test]
fn a_text_part_is_read_whatever_its_headers_say() {
    let form = |head: &str| format!("--B\r\n{head}\r\n\r\nKEY\r\n--B--\r\n");
    for (head, want) in [
        // a quoted `;` is no parameter break: a text field, not a file
        ("Content-Disposition: form-data; name=\"p\"; x=\"; filename=a\"", Ok("p")),
        ("Content-Disposition: form-data; name=\"a\\\"b\"", Ok("a\"b")),
        ("Content-Type: text/plain", Ok("")),
        ("Content-Disposition: form-data; name=\"p\"; filename*=utf-8''a", Err(())),
        ("Content-Disposition: form-data; name=\"p\"; odd", Err(())),
        ("Content-Disposition: form-data; name=\"model\"; name*=utf-8''p", Err(())),
        ("Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\ncontent-disposition : form-data; name=\"p\"", Err(())),
        ("Content-Disposition: form-data; name=\"p\"\r\nContent-Transfer-Encoding: base64", Err(())),
    ] {
        let got = text_fields(form(head).as_bytes(), "B");
        match want {
            Ok(name) => assert_eq!(got, Ok(pairs(&[(name, "KEY")])), "{head}"),
            // a file (filename*) is left unread; the others are refused
            Err(()) if head.contains("filename*") => assert_eq!(got, Ok(Vec::new())),
            Err(()) => assert_eq!(got, Err(Ambiguous), "{head}"),
        }
    }
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
    if !closed {
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
        if let Some(name) = field_name(head).ok()? {
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
    assert_eq!(
        boundary("multipart/form-data; boundary=A; boundary=B"),
        None
    );
    assert_eq!(
        boundary("multipart/form-data; boundary=A; boundary*=B"),
        None
    );
    assert_eq!(
        boundary("multipart/form-data; x=\"; boundary=A\"; boundary=B").as_deref(),
        Some("B")
    );
    assert!(is_upload_path("/v1/images/edits"));
    assert!(is_upload_path("/openai/v1/audio/transcriptions/"));
    assert!(!is_upload_path("/v1/images/generations"), "a JSON endpoint");
}
