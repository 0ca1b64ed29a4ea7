//! Calls clawgate does not govern but must not let pass blind: writes to
//! OpenAI APIs whose text a model reads later and clawgate does not scan,
//! and bodies shaped like a model call on a path it does not know (any
//! vendor's shape).

/// OpenAI (and Azure OpenAI) APIs whose requests carry text a model reads
/// later, and which clawgate does not scan: file uploads (batch JSONL,
/// assistants' files), batches, Conversations and their items,
/// Assistants, threads, messages and runs, Realtime sessions.
const UNSCANNED: [&str; 7] = [
    "files",
    "uploads",
    "batches",
    "conversations",
    "assistants",
    "threads",
    "realtime",
];

/// The unscanned API a request writes to (`Some("threads")`): a path with
/// `v1/<api>` or `openai/<api>` in it, by a method that sends content
/// (not GET, HEAD, DELETE or OPTIONS), or any WebSocket upgrade to it.
pub fn unscanned_api(method: &str, path: &str, upgrade: bool) -> Option<&'static str> {
    if !upgrade && matches!(method, "GET" | "HEAD" | "DELETE" | "OPTIONS") {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    let segs: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
    segs.windows(2)
        .filter(|w| matches!(w[0], "v1" | "openai"))
        .find_map(|w| UNSCANNED.into_iter().find(|api| *api == w[1]))
}

/// A JSON object shaped like a call to a model, whatever its vendor and
/// path: a `model` with a prompt field (OpenAI, Anthropic, Mistral,
/// Ollama's `prompt`/`messages`, the Responses `input`, Cohere's
/// `message`/`chat_history`, Gemini's `contents`), or, with no `model`
/// (the model is in the URL), a conversation: `messages` items with a
/// `role` or `content` (Bedrock `converse`, Bedrock `invoke` of an
/// Anthropic model), Gemini `contents` items with `parts` or a `content`
/// with `parts` (`embedContent`), Cohere's `message` with `chat_history`.
pub fn looks_like_llm_call(body: &[u8]) -> bool {
    use serde_json::Value;
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return false;
    }
    // A repeated key is no way around it (the last one wins). A plain
    // `Value` parse: the filter already carries that code.
    let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    let has = |k: &str| o.contains_key(k);
    let items_with = |k: &str, fields: &[&str]| {
        o.get(k).and_then(Value::as_array).is_some_and(|a| {
            a.iter()
                .any(|it| fields.iter().any(|f| it.get(f).is_some()))
        })
    };
    const PROMPTS: [&str; 6] = [
        "messages",
        "input",
        "prompt",
        "message",
        "chat_history",
        "contents",
    ];
    (has("model") && PROMPTS.iter().any(|k| has(k)))
        || items_with("messages", &["role", "content"])
        || items_with("contents", &["parts"])
        || o.get("content").is_some_and(|c| c.get("parts").is_some())
        || (has("message") && has("chat_history"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llm_shaped_bodies() {
        assert!(looks_like_llm_call(br#"{"model":"m","messages":[]}"#));
        assert!(looks_like_llm_call(br#" {"prompt":"p","model":"m"}"#));
        assert!(looks_like_llm_call(
            br#"{"model":"m","input":"x","extra":1}"#
        ));
        assert!(!looks_like_llm_call(br#"{"model":"m"}"#));
        assert!(!looks_like_llm_call(br#"{"messages":[]}"#));
        assert!(!looks_like_llm_call(br#"[{"model":"m","messages":[]}]"#));
        assert!(!looks_like_llm_call(b"model=m&messages=x"));
        assert!(!looks_like_llm_call(b"{not json"));
        assert!(looks_like_llm_call(
            br#"{"model":"a","model":"b","messages":[]}"#
        ));
    }

    #[test]
    fn openai_apis_that_carry_prompts_unscanned() {
        for (method, path, api) in [
            ("POST", "/v1/files", "files"),
            ("POST", "/v1/uploads/u1/parts", "uploads"),
            ("POST", "/v1/batches", "batches"),
            ("POST", "/v1/conversations/c1/items", "conversations"),
            ("POST", "/v1/assistants", "assistants"),
            ("POST", "/V1/threads/t1/runs", "threads"),
            ("POST", "/openai/threads/runs", "threads"),
            ("PATCH", "/v1/threads/t1/messages/m1", "threads"),
            ("POST", "/v1/realtime/sessions", "realtime"),
            ("POST", "/proxy/v1/realtime/client_secrets", "realtime"),
        ] {
            assert_eq!(unscanned_api(method, path, false), Some(api), "{path}");
        }
        assert_eq!(unscanned_api("GET", "/v1/realtime", true), Some("realtime"));
        for (method, path) in [
            ("GET", "/v1/files/f1/content"),
            ("DELETE", "/v1/assistants/a1"),
            ("POST", "/files"),
            ("POST", "/api/v2/threads"),
            ("POST", "/v1/chat/files"),
        ] {
            assert_eq!(unscanned_api(method, path, false), None, "{method} {path}");
        }
    }

    #[test]
    fn other_vendors_call_shapes() {
        for body in [
            // Gemini generateContent / countTokens, embedContent
            &br#"{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"#[..],
            br#"{"content":{"parts":[{"text":"hi"}]}}"#,
            // Cohere v1 chat, with or without a model
            br#"{"model":"command-r","message":"hi"}"#,
            br#"{"message":"hi","chat_history":[]}"#,
            // Bedrock converse and invoke (the model is in the URL)
            br#"{"messages":[{"role":"user","content":[{"text":"hi"}]}],"system":[{"text":"s"}]}"#,
            br#"{"anthropic_version":"bedrock-2023-05-31","messages":[{"role":"user","content":"hi"}]}"#,
            // Ollama, Mistral
            br#"{"model":"llama3","prompt":"hi"}"#,
            br#"{"model":"mistral-large","messages":[]}"#,
        ] {
            assert!(looks_like_llm_call(body), "{}", String::from_utf8_lossy(body));
        }
        for body in [
            &br#"{"message":"a webhook"}"#[..],
            br#"{"contents":"a file listing"}"#,
            br#"{"messages":["a","queue"]}"#,
            br#"{"content":"hi"}"#,
        ] {
            assert!(
                !looks_like_llm_call(body),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
