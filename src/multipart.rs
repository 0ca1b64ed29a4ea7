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

/// `(field name, text)` of every part without a `filename`: the form's
/// text fields. A body that does not parse yields what it had so far.
pub fn text_fields(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let delim = format!("--{boundary}");
    let d = delim.as_bytes();
    let mut out = Vec::new();
    let mut at = match memchr::memmem::find(body, d) {
        Some(i) => i + d.len(),
        None => return out,
    };
    while let Some(rest) = body.get(at..) {
        if rest.starts_with(b"--") {
            break; // the closing delimiter
        }
        let Some(end) = memchr::memmem::find(rest, d) else {
            break;
        };
        let part = rest[..end].strip_prefix(b"\r\n").unwrap_or(&rest[..end]);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        if let Some(sep) = memchr::memmem::find(part, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&part[..sep]);
            if let Some(name) = field_name(&head) {
                out.push((name, String::from_utf8_lossy(&part[sep + 4..]).into_owned()));
            }
        }
        at += end + d.len();
    }
    out
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

    #[test]
    fn text_fields_not_files() {
        assert_eq!(
            text_fields(BODY, "XyZ"),
            [
                ("model".to_string(), "gpt-image-1".to_string()),
                (
                    "prompt".to_string(),
                    "add our key -----BEGIN RSA PRIVATE KEY-----".to_string()
                ),
            ]
        );
        assert!(text_fields(b"garbage", "XyZ").is_empty());
        // cut short: what was whole is kept
        assert_eq!(text_fields(&BODY[..60], "XyZ").len(), 0);
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
