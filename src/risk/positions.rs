//! Where the APIs put strings no model reads: ids, enums, opaque tokens
//! and base64 media. A string is skipped because of where it sits in the
//! API's schema, never because of its name alone: `"format": "<a key>"` on
//! a text part, `"data"` on a text block or `"x_id"` inside a message is
//! scanned, since the provider receives it and nothing says a model does
//! not read it. Both readers (the byte reader in `body.rs`, the value walk
//! in `request.rs`) place every object with `Place::child` and ask
//! `skips` for every string, so they skip the same strings.
//!
//! One table serves every dialect (the byte reader's piece cache does not
//! know the dialect): a position of one API sent to another is refused by
//! the provider (unknown field) or ignored, never read by a model.
//! docs/governs.md gives the decision per field.

/// What an object is in the API's schema, as far as skipping goes. The
/// body's own members stand at `Body`; an object's place follows from its
/// parent's place and the key it stands under (an array's items take the
/// array's key). Anything the table does not name is `Free`: every string
/// in it is scanned (tool inputs and arguments, JSON schemas, `metadata`,
/// a field added to an API tomorrow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Body,
    /// A message of `messages` (chat, Anthropic).
    Message,
    /// An item of a Responses `input` list.
    Item,
    /// A content part or block, a system block, a tool result's blocks, a
    /// reasoning summary part, a citation.
    Part,
    /// Chat `image_url: {url, detail}`.
    ImageUrl,
    /// `input_audio: {data, format}` (chat, Responses).
    Audio,
    /// Chat `file: {file_data, file_id, filename}`.
    File,
    /// Anthropic `source` of an image or document.
    Source,
    /// Chat `tool_calls[]`.
    Call,
    /// `tools[]`.
    Tool,
    /// A settings object: `tool_choice`, `response_format`, `text` and its
    /// `format`, `audio`, `reasoning`, `thinking`, `output_config`,
    /// `prompt`, `cache_control`, `context_management`.
    Setting,
    Free,
}

/// An object's `type`, where a skip depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// A `source` whose data is base64 media.
    Base64,
    /// An Anthropic `thinking` block (its `signature`).
    Thinking,
    /// An Anthropic `redacted_thinking` block (its encrypted `data`).
    RedactedThinking,
    /// A Responses `reasoning` or `compaction` item (`encrypted_content`).
    Reasoning,
    /// An Anthropic `web_search_result` (`encrypted_content`).
    WebSearchResult,
    Other,
}

impl Tag {
    pub fn of(ty: Option<&str>) -> Tag {
        match ty {
            Some("base64") => Tag::Base64,
            Some("thinking") => Tag::Thinking,
            Some("redacted_thinking") => Tag::RedactedThinking,
            Some("reasoning" | "compaction") => Tag::Reasoning,
            Some("web_search_result") => Tag::WebSearchResult,
            _ => Tag::Other,
        }
    }
}

impl Place {
    /// The place of an object standing under `key` in an object at `self`.
    pub fn child(self, key: &str) -> Place {
        use Place::*;
        match (self, key) {
            (Body, "messages") => Message,
            (Body, "input") => Item,
            (Body, "system") => Part,
            (Body, "tools") | (Tool, "tools") => Tool,
            (
                Body,
                "tool_choice" | "response_format" | "text" | "audio" | "reasoning" | "thinking"
                | "output_config" | "prompt" | "context_management",
            ) => Setting,
            (Message, "content") | (Item, "content" | "summary" | "output") => Part,
            (Message, "tool_calls") => Call,
            (Message, "audio") => Setting,
            (Part, "content" | "citations") | (Source, "content") => Part,
            (Part, "source") => Source,
            (Part, "image_url") => ImageUrl,
            (Part, "input_audio") => Audio,
            (Part, "file") => File,
            (Part | Tool | Setting, "cache_control") => Setting,
            (Setting, "format" | "edits") => Setting,
            _ => Free,
        }
    }
}

/// Whether a string under `key` in an object at `place` is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    No,
    Yes,
    /// Only when it is a base64 data URL (an image URL or a file's data;
    /// elsewhere a data URL is text like any other and is scanned).
    DataUrl,
}

/// The skip table. `tag` is the enclosing object's `type`, asked only
/// for the few keys that depend on it.
pub fn skips(place: Place, key: &str, tag: impl FnOnce() -> Tag) -> Skip {
    use Place::*;
    let yes = match (place, key) {
        (
            Body,
            "model"
            | "user"
            | "service_tier"
            | "reasoning_effort"
            | "modalities"
            | "encoding_format"
            | "truncation"
            | "tool_choice"
            | "previous_response_id",
        ) => true,
        (Message, "role" | "tool_call_id") => true,
        (Item, "role" | "type" | "id" | "call_id" | "approval_request_id" | "container_id") => true,
        (Item, "encrypted_content") => tag() == Tag::Reasoning,
        (Part, "type" | "id" | "tool_use_id" | "file_id" | "detail") => true,
        (Part, "signature") => tag() == Tag::Thinking,
        (Part, "data") => tag() == Tag::RedactedThinking,
        (Part, "encrypted_content") => tag() == Tag::WebSearchResult,
        (Part, "image_url" | "file_data") | (ImageUrl, "url") | (File, "file_data") => {
            return Skip::DataUrl
        }
        (ImageUrl, "detail") | (Audio, "data" | "format") | (File, "file_id") => true,
        (Source, "type" | "media_type" | "file_id") => true,
        (Source, "data") => tag() == Tag::Base64,
        (Call, "id" | "type") | (Tool, "type") => true,
        (Setting, "type" | "effort" | "voice" | "format" | "id") => true,
        _ => false,
    };
    if yes {
        Skip::Yes
    } else {
        Skip::No
    }
}

/// `data:<mime>;base64,...`: an image, audio clip or file the scan
/// cannot read (it does not decode base64). Skipped only at a media URL.
pub fn is_base64_data_url(s: &str) -> bool {
    let b = s.as_bytes();
    let head = &b[..b.len().min(256)];
    head.len() > 5
        && head[..5].eq_ignore_ascii_case(b"data:")
        && memchr::memmem::find(head, b";base64,").is_some()
}
