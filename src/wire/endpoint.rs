//! The governed endpoints and what each means for usage and streams.
//! Their dialect's part (usage, stream events) is in `registry`.

use super::protocol::Protocol;

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
            Endpoint::Messages | Endpoint::CountTokens => Protocol::ANTHROPIC,
            _ => Protocol::OPENAI,
        }
    }

    /// Whether the gateway may ask for `stream_options.include_usage` on the
    /// client's behalf: an option of chat completions and completions only.
    /// Anthropic streams always carry usage, and so do Responses streams (in
    /// `response.completed`); the Responses API has no `stream_options`, and
    /// providers that check fields (Azure) refuse a request carrying it.
    pub fn can_inject_usage(self) -> bool {
        matches!(self, Endpoint::ChatCompletions | Endpoint::Completions)
    }

    /// Whether the usage-only chunk the gateway asked for can be told apart
    /// and hidden again (`choices: []` + `usage`, a chat completions shape).
    pub fn can_strip_injected_usage(self) -> bool {
        self == Endpoint::ChatCompletions
    }
}
