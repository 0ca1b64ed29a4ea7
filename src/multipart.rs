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

/// The boundary of a `multipart/form-data` content type: `None` when it
/// is not one, or names no boundary, or more than one (parsers disagree
/// on which wins), so the caller refuses rather than guesses.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut parts = params(content_type);
    let main = parts.next()?;
    if !main.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let mut found = parts.filter_map(|p| {
        let (k, v) = p.split_once('=')?;
        let k = k.trim().to_ascii_lowercase();
        // `boundary*=` (RFC 2231) is a boundary to some parsers
        k.starts_with("boundary").then(|| unquote(v))
    });
    let b = found.next().filter(|b| !b.is_empty())?;
    found.next().is_none().then_some(b)
}

/// The `;`-separated parameters of a header value, a `;` inside quotes
/// kept (`x="a; filename=b"` is one parameter).
fn params(v: &str) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    let mut escaped = false;
    v.split(move |c| {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => return true,
            _ => {}
        }
        false
    })
}

/// A parameter value: trimmed, its quotes and escapes removed.
fn unquote(v: &str) -> String {
    let v = v.trim();
    match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or(c)
                } else {
                    c
                });
            }
            out
        }
        None => v.to_string(),
    }
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
    // never closed, or no delimiter at all (a form written with another
    // boundary than the header's): another parser may read more
    if !closed {
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
        if let Some(name) = field_name(&String::from_utf8_lossy(head))? {
            out.push((name, String::from_utf8_lossy(text).into_owned()));
        }
    }
    Ok(out)
}

/// The `name` of a text part (`""` when it has none: it is read all the
/// same); `Ok(None)` for a file. `Err` for headers parsers read
/// differently: two `Content-Disposition`s, two names (`name` and
/// `name*`), a parameter without a value, or a text part with a
/// `Content-Transfer-Encoding` (base64, quoted-printable: some parsers
/// decode it, and the scan would read the encoded text).
fn field_name(head: &str) -> Result<Option<String>, Ambiguous> {
    let mut cd = None;
    let mut coded = false;
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "content-disposition" if cd.is_some() => return Err(Ambiguous),
            "content-disposition" => cd = Some(value),
            "content-transfer-encoding" => {
                let v = value.trim().to_ascii_lowercase();
                coded = !matches!(v.as_str(), "7bit" | "8bit" | "binary");
            }
            _ => {}
        }
    }
    let mut name = None;
    for p in cd.map(params).into_iter().flatten().skip(1) {
        if p.trim().is_empty() {
            continue;
        }
        let (k, v) = p.split_once('=').ok_or(Ambiguous)?;
        match k.trim().to_ascii_lowercase().as_str() {
            "filename" | "filename*" => return Ok(None),
            "name" | "name*" if name.is_some() => return Err(Ambiguous),
            "name" | "name*" => name = Some(unquote(v)),
            _ => {}
        }
    }
    if coded {
        return Err(Ambiguous);
    }
    Ok(Some(name.unwrap_or_default()))
}

#[cfg(test)]
#[path = "multipart_tests.rs"]
mod tests;
