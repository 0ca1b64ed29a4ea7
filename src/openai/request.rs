//! OpenAI request classification, parsing and rewriting, and what each
//! governed endpoint means for the scan, usage and streams.

use super::errors::{ClientError, ErrorCode};
use super::stream::StreamObserver;
use super::strict_json::{self, StrictError};
use super::usage::Usage;
use crate::risk::{Engine, Outcome};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    ChatCompletions,
    Completions,
    Responses,
    Embeddings,
}

impl Endpoint {
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::ChatCompletions => "chat/completions",
            Endpoint::Completions => "completions",
            Endpoint::Responses => "responses",
            Endpoint::Embeddings => "embeddings",
        }
    }

    /// Whether the gateway may ask for `stream_options.include_usage` on the
    /// client's behalf (embeddings never stream).
    pub fn can_inject_usage(self) -> bool {
        self != Endpoint::Embeddings
    }

    /// Scans every text of the body a model will read. All OpenAI
    /// endpoints share one walk on purpose: a field sent to the "wrong"
    /// endpoint is still scanned.
    pub fn scan(self, risk: &Engine, body: &mut Map<String, Value>) -> Outcome {
        risk.scan_request(body)
    }

    /// Usage from a whole JSON answer.
    pub fn usage_of_json(self, body: &[u8]) -> Option<Usage> {
        Usage::from_json_body(body)
    }

    /// Watches a streamed answer; `strip` hides the injected usage chunk,
    /// `capture` keeps up to that many bytes of the text.
    pub fn stream_observer(self, strip: bool, capture: Option<usize>) -> StreamObserver {
        StreamObserver::new(strip, capture)
    }

    /// Whether the usage-only chunk the gateway asked for can be told apart
    /// and hidden again (`choices: []` + `usage`, a chat completions shape).
    pub fn can_strip_injected_usage(self) -> bool {
        self == Endpoint::ChatCompletions
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathKind {
    /// A model call the filter governs.
    Llm(Endpoint),
    /// `GET <prefix>/models`, answered from the config.
    ListModels,
    /// Anything else passes through untouched.
    Other,
}

/// Classifies a request by method and path (query string ignored).
pub fn classify(method: &str, path: &str, prefix: &str) -> PathKind {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix(prefix).and_then(|r| r.strip_prefix('/')) else {
        return PathKind::Other;
    };
    let rest = rest.trim_end_matches('/');
    match (method, rest) {
        ("POST", "chat/completions") => PathKind::Llm(Endpoint::ChatCompletions),
        ("POST", "completions") => PathKind::Llm(Endpoint::Completions),
        ("POST", "responses") => PathKind::Llm(Endpoint::Responses),
        ("POST", "embeddings") => PathKind::Llm(Endpoint::Embeddings),
        ("GET", "models") => PathKind::ListModels,
        _ => PathKind::Other,
    }
}

/// True for `application/json` with any parameters (charset...).
pub fn is_json_content_type(ct: &str) -> bool {
    let main = ct.split(';').next().unwrap_or("").trim();
    main.eq_ignore_ascii_case("application/json")
}

#[derive(Debug, Clone)]
pub struct ParsedRequest {
    pub body: Map<String, Value>,
    pub model: String,
    pub stream: bool,
    /// The body's `user` field, a session fallback.
    pub user: Option<String>,
}

/// Parses a request body once; every failure is a 400 with a clear code.
pub fn parse(bytes: &[u8]) -> Result<ParsedRequest, ClientError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ClientError::new(
            ErrorCode::InvalidJson,
            "Request body is empty; expected a JSON object",
        ));
    }
    let value = strict_json::from_slice(bytes).map_err(|e| match e {
        StrictError::Syntax { line, column } => ClientError::new(
            ErrorCode::InvalidJson,
            format!("Request body is not valid JSON (line {line}, column {column})"),
        ),
        StrictError::DuplicateKey { line, column } => ClientError::new(
            ErrorCode::DuplicateKey,
            format!("Request body repeats an object key (line {line}, column {column}); each key may appear once"),
        ),
    })?;
    let Value::Object(body) = value else {
        return Err(ClientError::new(
            ErrorCode::InvalidBody,
            "Request body must be a JSON object",
        ));
    };
    let model = match body.get("model") {
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
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(ClientError::new(
                ErrorCode::InvalidModel,
                "`model` must be a string",
            ))
        }
    };
    let stream = match body.get("stream") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ClientError::new(
                ErrorCode::InvalidStream,
                "`stream` must be a boolean",
            ))
        }
    };
    let user = body.get("user").and_then(Value::as_str).map(str::to_string);
    Ok(ParsedRequest {
        body,
        model,
        stream,
        user,
    })
}

impl ParsedRequest {
    /// Sets `stream_options.include_usage` unless the client set it; returns
    /// true when the body changed (so the usage chunk was not asked for).
    pub fn inject_include_usage(&mut self) -> bool {
        if !self.stream {
            return false;
        }
        let opts = self
            .body
            .entry("stream_options")
            .or_insert_with(|| Value::Object(Map::new()));
        match opts {
            Value::Object(o) if !o.contains_key("include_usage") => {
                o.insert("include_usage".into(), Value::Bool(true));
                true
            }
            _ => false,
        }
    }

    pub fn set_model(&mut self, upstream: &str) {
        self.body
            .insert("model".into(), Value::String(upstream.to_string()));
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.body).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert_eq!(
            classify("POST", "/v1/chat/completions", "/v1"),
            PathKind::Llm(Endpoint::ChatCompletions)
        );
        assert_eq!(
            classify("POST", "/v1/chat/completions?x=1", "/v1"),
            PathKind::Llm(Endpoint::ChatCompletions)
        );
        assert_eq!(
            classify("POST", "/v1/responses", "/v1"),
            PathKind::Llm(Endpoint::Responses)
        );
        assert_eq!(classify("GET", "/v1/models", "/v1"), PathKind::ListModels);
        assert_eq!(
            classify("GET", "/v1/chat/completions", "/v1"),
            PathKind::Other
        );
        assert_eq!(
            classify("POST", "/v10/chat/completions", "/v1"),
            PathKind::Other
        );
        assert_eq!(classify("GET", "/health", "/v1"), PathKind::Other);
    }

    #[test]
    fn parse_errors_are_400() {
        for (body, code) in [
            (&b""[..], "invalid_json"),
            (b"{", "invalid_json"),
            (b"[1]", "invalid_body"),
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
        ] {
            let e = parse(body).err().map(|e| (e.status(), e.code.as_str()));
            assert_eq!(e, Some((400, code)), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn include_usage_injection() {
        let mut r = parse(br#"{"model":"m","stream":true}"#).unwrap();
        assert!(r.inject_include_usage());
        assert!(!r.inject_include_usage());
        let v: Value = serde_json::from_slice(&r.to_bytes()).unwrap();
        assert_eq!(v["stream_options"]["include_usage"], Value::Bool(true));
        let mut r =
            parse(br#"{"model":"m","stream":true,"stream_options":{"include_usage":false}}"#)
                .unwrap();
        assert!(!r.inject_include_usage());
        let mut r = parse(br#"{"model":"m"}"#).unwrap();
        assert!(!r.inject_include_usage());
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON; charset=utf-8"));
        assert!(!is_json_content_type("text/plain"));
        assert!(!is_json_content_type(""));
    }
}
