//! OpenAI request classification, parsing and rewriting, and what each
//! governed endpoint means for the scan, usage and streams.

use super::errors::{ClientError, ErrorCode};
use super::stream::StreamObserver;
use super::strict_json::{self, StrictError};
use super::usage::Usage;
use crate::protocol::Protocol;
use crate::risk::{Engine, Outcome};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    ChatCompletions,
    Completions,
    Responses,
    Embeddings,
    /// `images/generations` (JSON with a text `prompt`).
    ImagesGenerations,
    /// Anthropic Messages.
    Messages,
    /// Anthropic `messages/count_tokens`: routed, scanned and recorded;
    /// nothing is generated, so there is no usage to count.
    CountTokens,
}

impl Endpoint {
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::ChatCompletions => "chat/completions",
            Endpoint::Completions => "completions",
            Endpoint::Responses => "responses",
            Endpoint::Embeddings => "embeddings",
            Endpoint::ImagesGenerations => "images/generations",
            Endpoint::Messages => "messages",
            Endpoint::CountTokens => "messages/count_tokens",
        }
    }

    pub fn protocol(self) -> Protocol {
        match self {
            Endpoint::Messages | Endpoint::CountTokens => Protocol::Anthropic,
            _ => Protocol::Openai,
        }
    }

    /// Whether the gateway may ask for `stream_options.include_usage` on the
    /// client's behalf (an OpenAI option of the endpoints that stream;
    /// Anthropic streams always carry usage).
    pub fn can_inject_usage(self) -> bool {
        matches!(
            self,
            Endpoint::ChatCompletions | Endpoint::Completions | Endpoint::Responses
        )
    }

    /// Scans every text of the body a model will read. All OpenAI
    /// endpoints share one walk on purpose: a field sent to the "wrong"
    /// endpoint is still scanned. Anthropic bodies have their own.
    pub fn scan(self, risk: &Engine, body: &mut Map<String, Value>) -> Outcome {
        match self.protocol() {
            Protocol::Openai => risk.scan_request(body),
            Protocol::Anthropic => risk.scan_anthropic(body),
        }
    }

    /// Usage from a whole JSON answer.
    pub fn usage_of_json(self, body: &[u8]) -> Option<Usage> {
        match self {
            Endpoint::Messages => crate::anthropic::usage::from_json_body(body),
            Endpoint::CountTokens => None,
            _ => Usage::from_json_body(body),
        }
    }

    /// Watches a streamed answer; `strip` hides the injected usage chunk,
    /// `capture` keeps up to that many bytes of the text.
    pub fn stream_observer(self, strip: bool, capture: Option<usize>) -> StreamObserver {
        match self.protocol() {
            Protocol::Openai => StreamObserver::new(strip, capture),
            Protocol::Anthropic => StreamObserver::anthropic(capture),
        }
    }

    /// Whether the usage-only chunk the gateway asked for can be told apart
    /// and hidden again (`choices: []` + `usage`, a chat completions shape).
    pub fn can_strip_injected_usage(self) -> bool {
        self == Endpoint::ChatCompletions
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
    /// The body's `user` (or `metadata.user_id`), a session fallback.
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
    // OpenAI's `user`, else Anthropic's `metadata.user_id`.
    let user = body
        .get("user")
        .or_else(|| body.get("metadata").and_then(|m| m.get("user_id")))
        .and_then(Value::as_str)
        .map(str::to_string);
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
