//! Reading a request body for decisions: its fields (model, stream,
//! user) and rewriting the model in place. The same for every dialect.

use super::errors::{ClientError, ErrorCode};
use crate::json::lex::Lex;
use crate::json::strict::{self, StrictError};
use crate::json::{splice, Doc, Edit};
use serde_json::Value;

/// True for `application/json` with any parameters (charset...).
pub fn is_json_content_type(ct: &str) -> bool {
    let main = ct.split(';').next().unwrap_or("").trim();
    main.eq_ignore_ascii_case("application/json")
}

/// A request body read for decisions: its outline and the fields
/// decisions read. Nothing else of the body is built.
#[derive(Debug)]
pub struct ParsedRequest<'a> {
    pub doc: Doc<'a>,
    pub model: String,
    pub stream: bool,
    /// The body's `user` (or `metadata.user_id`), a session fallback.
    pub user: Option<String>,
}

/// Longest `model` accepted; provider model ids are far shorter.
pub const MAX_MODEL_BYTES: usize = 256;

/// Reads a request body once; every failure is a 400 with a clear code.
/// `read` outlines and checks it (the risk engine's reader, which scans
/// the texts on the same pass); what it found besides is handed back.
pub fn parse<'a, S>(
    bytes: &'a [u8],
    read: impl FnOnce(&'a [u8]) -> Lex<(Doc<'a>, S)>,
) -> Result<(ParsedRequest<'a>, S), ClientError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ClientError::new(
            ErrorCode::InvalidJson,
            "Request body is empty; expected a JSON object",
        ));
    }
    let (doc, found) = read(bytes).map_err(|_| not_a_request(bytes))?;
    let model = match doc.value_of("model") {
        None | Some(Value::Null) => {
            return Err(ClientError::new(
                ErrorCode::MissingModel,
                "Request body has no `model` field",
            ))
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err(ClientError::new(
                ErrorCode::MissingModel,
                "`model` must not be empty",
            ))
        }
        // A name past any real model's is refused before it is copied into
        // stats, logs and the audit record (a 23 MB name once stalled the
        // trail and stayed in Envoy's heap).
        Some(Value::String(s)) if s.len() > MAX_MODEL_BYTES => {
            return Err(ClientError::new(
                ErrorCode::InvalidModel,
                format!("`model` is longer than {MAX_MODEL_BYTES} bytes"),
            ))
        }
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(ClientError::new(
                ErrorCode::InvalidModel,
                "`model` must be a string",
            ))
        }
    };
    let stream = match doc.value_of("stream") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(_) => {
            return Err(ClientError::new(
                ErrorCode::InvalidStream,
                "`stream` must be a boolean",
            ))
        }
    };
    // OpenAI's `user`, else Anthropic's `metadata.user_id`.
    let user = match doc.get("user") {
        Some(_) => doc.value_of("user"),
        None => doc
            .value_of("metadata")
            .and_then(|mut m| m.get_mut("user_id").map(Value::take)),
    }
    .and_then(|v| match v {
        Value::String(s) => Some(s),
        _ => None,
    });
    Ok((
        ParsedRequest {
            doc,
            model,
            stream,
            user,
        },
        found,
    ))
}

/// The client's error for a body the fast reader refused: `strict_json`
/// words it (line and column, or the repeated key's place).
fn not_a_request(bytes: &[u8]) -> ClientError {
    match strict::from_slice(bytes) {
        Err(StrictError::Syntax { line, column }) => ClientError::new(
            ErrorCode::InvalidJson,
            format!("Request body is not valid JSON (line {line}, column {column})"),
        ),
        Err(StrictError::DuplicateKey { line, column }) => ClientError::new(
            ErrorCode::DuplicateKey,
            format!("Request body repeats an object key (line {line}, column {column}); each key may appear once"),
        ),
        Ok(Value::Object(_)) => {
            ClientError::new(ErrorCode::InvalidJson, "Request body is not valid JSON")
        }
        Ok(_) => ClientError::new(
            ErrorCode::InvalidBody,
            "Request body must be a JSON object",
        ),
    }
}

impl ParsedRequest<'_> {
    /// Names `upstream` as the model, in place.
    pub fn model_edit(&self, upstream: &str) -> Option<Edit> {
        let m = self.doc.get("model")?;
        Some(Edit {
            start: m.value.start,
            end: m.value.end,
            with: splice::quoted(upstream),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::Engine;

    fn read(body: &[u8]) -> Result<ParsedRequest<'_>, ClientError> {
        parse(body, |b| Engine::default().read_body(b)).map(|(r, _)| r)
    }

    #[test]
    fn parse_errors_are_400() {
        for (body, code) in [
            (&b""[..], "invalid_json"),
            (b"{", "invalid_json"),
            (b"[1]", "invalid_body"),
            (b"[1", "invalid_json"),
            (b"{}", "missing_model"),
            (br#"{"model":""}"#, "missing_model"),
            (br#"{"model":"  "}"#, "missing_model"),
            (br#"{"model":5}"#, "invalid_model"),
            (br#"{"model":"m","stream":"yes"}"#, "invalid_stream"),
            (
                br#"{"model":"m","messages":[],"messages":[]}"#,
                "duplicate_key",
            ),
            (br#"{"model":"m","tools":[{"a":1,"a":1}]}"#, "duplicate_key"),
            (br#"{"model":"m","tools":[{"a":1,}]}"#, "invalid_json"),
            (br#"{"model":"m"} x"#, "invalid_json"),
        ] {
            let e = read(body).err().map(|e| (e.status(), e.code.as_str()));
            assert_eq!(e, Some((400, code)), "{}", String::from_utf8_lossy(body));
        }
    }

    /// The edits, applied, as a value.
    fn edited(body: &[u8], model: Option<&str>) -> Option<Value> {
        let r = read(body).unwrap();
        let mut edits: Vec<Edit> = r.usage_edit().into_iter().collect();
        edits.extend(model.and_then(|m| r.model_edit(m)));
        if edits.is_empty() {
            return None;
        }
        Some(serde_json::from_slice(&splice::apply(body, edits)).unwrap())
    }

    #[test]
    fn include_usage_injection() {
        let v = edited(br#"{"model":"m","stream":true}"#, None).unwrap();
        assert_eq!(v["stream_options"]["include_usage"], Value::Bool(true));
        let v = edited(
            br#" { "model" : "m", "stream" : true, "stream_options": { } } "#,
            None,
        )
        .unwrap();
        assert_eq!(
            v["stream_options"],
            serde_json::json!({"include_usage": true})
        );
        let v = edited(
            br#"{"stream":true,"stream_options":{"x":1},"model":"m"}"#,
            None,
        )
        .unwrap();
        assert_eq!(
            v["stream_options"],
            serde_json::json!({"x": 1, "include_usage": true})
        );
        for unchanged in [
            &br#"{"model":"m","stream":true,"stream_options":{"include_usage":false}}"#[..],
            br#"{"model":"m","stream":true,"stream_options":null}"#,
            br#"{"model":"m"}"#,
            br#"{"model":"m","stream":false}"#,
        ] {
            assert_eq!(edited(unchanged, None), None);
        }
    }

    #[test]
    fn model_is_renamed_in_place() {
        let body = br#"{"messages":[{"role":"user","content":"hi \u00e9"}],"model":"a","n":1}"#;
        let v = edited(body, Some("b\"quoted\"")).unwrap();
        assert_eq!(v["model"], "b\"quoted\"");
        assert_eq!(v["messages"][0]["content"], "hi é");
        let r = read(body).unwrap();
        let out = splice::apply(body, r.model_edit("b").into_iter().collect());
        assert_eq!(
            out,
            br#"{"messages":[{"role":"user","content":"hi \u00e9"}],"model":"b","n":1}"#.to_vec(),
            "only the model's bytes change"
        );
    }

    #[test]
    fn user_is_the_body_user_else_metadata_user_id() {
        let user = |b: &[u8]| read(b).unwrap().user;
        assert_eq!(user(br#"{"model":"m","user":"u1"}"#).as_deref(), Some("u1"));
        assert_eq!(
            user(br#"{"model":"m","metadata":{"user_id":"u2"}}"#).as_deref(),
            Some("u2")
        );
        assert_eq!(
            user(br#"{"model":"m","user":5,"metadata":{"user_id":"u2"}}"#),
            None
        );
        assert_eq!(user(br#"{"model":"m"}"#), None);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON; charset=utf-8"));
        assert!(!is_json_content_type("text/plain"));
        assert!(!is_json_content_type(""));
    }
}
