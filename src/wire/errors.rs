//! Every error the filter answers with itself, in one enum: status, type,
//! code string and the error table (docs/request-path.md) all come from it. Each
//! dialect writes the body in its own shape (`Protocol::error_body`).

/// Every error the filter answers with itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    InvalidJson,
    InvalidBody,
    MissingModel,
    InvalidModel,
    InvalidStream,
    InvalidPath,
    ProtocolMismatch,
    DuplicateKey,
    ContentBlocked,
    UngovernedPath,
    ModelNotFound,
    RequestTooLarge,
    UnsupportedMediaType,
    NoModelAvailable,
    UpstreamUnavailable,
    InternalError,
    BudgetExceeded,
    BudgetUnavailable,
    AmbiguousIdentity,
    ModelNotAllowed,
    RateLimited,
}

impl ErrorCode {
    /// In the order of the error table (docs/request-path.md).
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::InvalidJson,
        ErrorCode::InvalidBody,
        ErrorCode::MissingModel,
        ErrorCode::InvalidModel,
        ErrorCode::InvalidStream,
        ErrorCode::InvalidPath,
        ErrorCode::ProtocolMismatch,
        ErrorCode::DuplicateKey,
        ErrorCode::ContentBlocked,
        ErrorCode::UngovernedPath,
        ErrorCode::ModelNotFound,
        ErrorCode::RequestTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::NoModelAvailable,
        ErrorCode::UpstreamUnavailable,
        ErrorCode::InternalError,
        ErrorCode::BudgetExceeded,
        ErrorCode::BudgetUnavailable,
        ErrorCode::AmbiguousIdentity,
        ErrorCode::ModelNotAllowed,
        ErrorCode::RateLimited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::MissingModel => "missing_model",
            ErrorCode::InvalidModel => "invalid_model",
            ErrorCode::InvalidStream => "invalid_stream",
            ErrorCode::InvalidPath => "invalid_path",
            ErrorCode::ProtocolMismatch => "protocol_mismatch",
            ErrorCode::DuplicateKey => "duplicate_key",
            ErrorCode::ContentBlocked => "content_blocked",
            ErrorCode::UngovernedPath => "ungoverned_path",
            ErrorCode::ModelNotFound => "model_not_found",
            ErrorCode::RequestTooLarge => "request_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::NoModelAvailable => "no_model_available",
            ErrorCode::UpstreamUnavailable => "upstream_unavailable",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::BudgetExceeded => "budget_exceeded",
            ErrorCode::BudgetUnavailable => "budget_unavailable",
            ErrorCode::AmbiguousIdentity => "ambiguous_identity",
            ErrorCode::ModelNotAllowed => "model_not_allowed",
            ErrorCode::RateLimited => "rate_limited",
        }
    }

    pub fn status(self) -> u32 {
        match self {
            ErrorCode::InvalidJson
            | ErrorCode::InvalidBody
            | ErrorCode::MissingModel
            | ErrorCode::InvalidModel
            | ErrorCode::InvalidStream
            | ErrorCode::InvalidPath
            | ErrorCode::ProtocolMismatch
            | ErrorCode::DuplicateKey
            // as providers refuse content themselves: agents read 401/403
            // as a bad key, and retry 5xx
            | ErrorCode::ContentBlocked => 400,
            ErrorCode::UngovernedPath
            | ErrorCode::AmbiguousIdentity
            | ErrorCode::ModelNotAllowed => 403,
            ErrorCode::ModelNotFound => 404,
            ErrorCode::RequestTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::InternalError => 500,
            ErrorCode::BudgetExceeded | ErrorCode::RateLimited => 429,
            ErrorCode::NoModelAvailable | ErrorCode::BudgetUnavailable => 503,
            ErrorCode::UpstreamUnavailable => 504,
        }
    }

    /// The `code` in an error body. A content refusal carries the code
    /// OpenAI uses for its own (clients know it); the audit record, the
    /// `x-clawgate-refused` mark and `clawgate_error` keep `as_str`.
    pub fn wire_code(self) -> &'static str {
        match self {
            ErrorCode::ContentBlocked => "content_policy_violation",
            c => c.as_str(),
        }
    }

    /// The error table's "status" column: a content refusal is answered as the
    /// model's answer by default (`risk.refusal`).
    fn status_text(self) -> String {
        match self {
            ErrorCode::ContentBlocked => "200 (`risk.refusal: message`) or 400 (`error`)".into(),
            c => c.status().to_string(),
        }
    }

    /// The OpenAI error `type`.
    pub fn kind(self) -> &'static str {
        if self.status() >= 500 {
            "server_error"
        } else {
            "invalid_request_error"
        }
    }

    /// When the filter answers with it (the error table's "case" column).
    pub fn case(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid JSON / empty body",
            ErrorCode::InvalidBody => {
                "body not an object, or an upload form parsers could split differently"
            }
            ErrorCode::MissingModel => "missing or empty `model`",
            ErrorCode::InvalidModel => "non-string `model`, or one over 256 bytes",
            ErrorCode::InvalidStream => "non-boolean `stream`",
            ErrorCode::InvalidPath => {
                "a path that cannot be normalised (bad or double percent-encoding, control characters)"
            }
            ErrorCode::ProtocolMismatch => {
                "the routed model does not accept the request's wire format (`protocols`)"
            }
            ErrorCode::UngovernedPath => {
                "an LLM-shaped JSON body on a path clawgate does not govern, or a write to an OpenAI API clawgate does not scan (files, batches, assistants, threads, conversations, realtime), not in `passthrough_paths`"
            }
            ErrorCode::DuplicateKey => "an object key repeated anywhere in the body",
            ErrorCode::ContentBlocked => {
                "a `block` rule hit, or a secure reroute with no secure model (see docs/refusals.md)"
            }
            ErrorCode::ModelNotFound => "unknown or disabled model",
            ErrorCode::RequestTooLarge => "body over `max_body_bytes`",
            ErrorCode::UnsupportedMediaType => {
                "non-JSON content type, or a compressed body (`Content-Encoding`) on a path clawgate reads"
            }
            ErrorCode::NoModelAvailable => "`auto` with no enabled model",
            ErrorCode::UpstreamUnavailable => "every fallback attempt timed out or was reset",
            ErrorCode::InternalError => "the route names a provider that is missing",
            ErrorCode::BudgetExceeded => {
                "a `block` budget limit reached (with `retry-after` until its reset)"
            }
            ErrorCode::BudgetUnavailable => {
                "no fresh budget state and `budgets.when_unknown: closed`"
            }
            ErrorCode::AmbiguousIdentity => {
                "an identity header (`identity.user`, `x-mse-consumer`) sent twice or comma-joined"
            }
            ErrorCode::ModelNotAllowed => {
                "an `access` rule (or `access.default: deny`) denies the caller the routed model"
            }
            ErrorCode::RateLimited => {
                "a `rate_limits` entry reached (with `retry-after` and the rate-limit headers)"
            }
        }
    }

    /// The error table in docs/, generated from this enum (`clawgate docs
    /// errors`; a test in the CLI keeps the doc current).
    pub fn markdown_table() -> String {
        let mut t = String::from("| case | status | code |\n|---|---|---|\n");
        for c in Self::ALL {
            t.push_str(&format!(
                "| {} | {} | `{}` |\n",
                c.case(),
                c.status_text(),
                c.wire_code()
            ));
        }
        t
    }
}

/// An error the filter answers with instead of forwarding the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    pub code: ErrorCode,
    pub message: String,
    /// Seconds for a `retry-after` header (budgets).
    pub retry_after_s: Option<u64>,
    /// More headers for the answer (rate limits' `x-ratelimit-*`).
    pub headers: Vec<(&'static str, String)>,
}

impl ClientError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ClientError {
            code,
            message: message.into(),
            retry_after_s: None,
            headers: Vec::new(),
        }
    }

    pub fn model_not_found(model: &str) -> Self {
        Self::new(
            ErrorCode::ModelNotFound,
            format!(
                "The model `{}` does not exist or is not enabled on this gateway",
                clip(model)
            ),
        )
    }

    pub fn too_large(limit: u64) -> Self {
        Self::new(
            ErrorCode::RequestTooLarge,
            format!("Request body exceeds the gateway limit of {limit} bytes"),
        )
    }

    pub fn status(&self) -> u32 {
        self.code.status()
    }
}

/// Client-supplied names are echoed in messages; keep them short.
fn clip(s: &str) -> String {
    if s.chars().count() > 64 {
        let mut out: String = s.chars().take(64).collect();
        out.push('…');
        out
    } else {
        s.to_string()
    }
}
