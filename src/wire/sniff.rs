//! Calls clawgate does not govern but must not let pass blind: writes to
//! OpenAI APIs whose text a model reads later and clawgate does not scan,
//! and bodies shaped like a model call on a path it does not know (any
//! vendor's shape).

/// OpenAI (and Azure OpenAI) APIs whose requests carry text a model reads
/// (now or later), and which clawgate does not scan: file uploads (batch
/// JSONL, assistants' files), batches, Conversations and their items,
/// Assistants, threads, messages and runs, Realtime sessions; a
/// container's or a skill's files (code interpreter, skills), video
/// prompts (a form, not JSON), moderation input (without a `model` the
/// sniff does not know it).
const UNSCANNED: [&str; 11] = [
    "files",
    "uploads",
    "batches",
    "conversations",
    "assistants",
    "threads",
    "realtime",
    "containers",
    "skills",
    "videos",
    "moderations",
];

/// The unscanned API a request writes to (`Some("threads")`): a path with
/// `v1/<api>` or `openai/<api>` in it, by a method that sends content
/// (not GET, HEAD, DELETE or OPTIONS); and any upgrade, whatever its path
/// (`Some("WebSocket")` if no API is named): a socket's frames are never
/// read (OpenAI Realtime, Gemini Live).
pub fn unscanned_api(method: &str, path: &str, upgrade: bool) -> Option<&'static str> {
    if !upgrade && matches!(method, "GET" | "HEAD" | "DELETE" | "OPTIONS") {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    let segs: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
    segs.windows(2)
        .filter(|w| matches!(w[0], "v1" | "openai"))
        .find_map(|w| UNSCANNED.into_iter().find(|api| *api == w[1]))
        .or(upgrade.then_some("WebSocket"))
}

/// How deep a call may sit inside a wrapper and still be found: an array
/// of requests, `{"request": {…}}`, Anthropic's message batches
/// (`requests[].params`), Gemini's `batch.input_config.requests.requests[].request`.
const NESTING: usize = 8;

/// A body holding a call to a model, whatever its vendor and path: a JSON
/// value, or several (JSON Lines), that is or holds (within [`NESTING`]
/// levels of objects and arrays) an object shaped like one: a `model`
/// with a prompt field (OpenAI, Anthropic, Mistral, Ollama's
/// `prompt`/`messages`, the Responses `input`, Cohere's
/// `message`/`chat_history`, Gemini's `contents`), or, with no `model`
/// (the model is in the URL), a conversation: `messages` items with a
/// `role` or `content` (Bedrock `converse`, Bedrock `invoke` of an
/// Anthropic model), Gemini `contents` items with `parts` or a `content`
/// with `parts` (`embedContent`), Cohere's `message` with `chat_history`.
pub fn looks_like_llm_call(body: &[u8]) -> bool {
    use serde_json::Value;
    // Python's `json.loads` reads a UTF-8 BOM and UTF-16 too (it tells the
    // encoding from the first bytes): so does the sniff.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if let Some(text) = utf16(body) {
        return looks_like_llm_call(text.as_bytes());
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if !matches!(first, Some(b'{' | b'[')) {
        return false;
    }
    // A repeated key is no way around it (the last one wins). A plain
    // `Value` parse: the filter already carries that code.
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => holds_call(&v, 0),
        // not one document: maybe one per line (a batch file)
        Err(_) => body
            .split(|&b| b == b'\n')
            .any(|line| serde_json::from_slice::<Value>(line).is_ok_and(|v| holds_call(&v, 0))),
    }
}

/// A UTF-16 body (a BOM, or a NUL in its first two bytes), as UTF-8.
fn utf16(b: &[u8]) -> Option<String> {
    let le = match b {
        [0xFF, 0xFE, ..] | [_, 0, ..] => true,
        [0xFE, 0xFF, ..] | [0, _, ..] => false,
        _ => return None,
    };
    let units = b.chunks_exact(2).map(|c| {
        let pair = [c[0], c[1]];
        if le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    // a BOM decodes to U+FEFF, stripped as UTF-8's; a NUL left at the
    // start only halves the text again
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

fn holds_call(v: &serde_json::Value, depth: usize) -> bool {
    use serde_json::Value;
    let deeper = depth < NESTING;
    match v {
        Value::Object(o) => is_call(o) || (deeper && o.values().any(|x| holds_call(x, depth + 1))),
        Value::Array(a) => deeper && a.iter().any(|x| holds_call(x, depth + 1)),
        _ => false,
    }
}

fn is_call(o: &serde_json::Map<String, serde_json::Value>) -> bool {
    use serde_json::Value;
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
        // wrapped, batched, or one per line
        assert!(looks_like_llm_call(br#"[{"model":"m","messages":[]}]"#));
        assert!(looks_like_llm_call(
            br#"{"requests":[{"custom_id":"1","params":{"model":"m","messages":[]}}]}"#
        ));
        assert!(looks_like_llm_call(
            b"{\"a\":1}\n{\"model\":\"m\",\"prompt\":\"p\"}\n"
        ));
        assert!(!looks_like_llm_call(
            br#"[[[[[[[[[[{"model":"m","messages":[]}]]]]]]]]]]"#
        ));
        assert!(!looks_like_llm_call(br#"[{"model":"m"},{"items":[1,2]}]"#));
        // a BOM, UTF-16 (as Python's json.loads reads them)
        assert!(looks_like_llm_call(
            b"\xEF\xBB\xBF{\"model\":\"m\",\"prompt\":\"p\"}"
        ));
        for bom in [true, false] {
            let s = "{\"model\":\"m\",\"prompt\":\"p\"}";
            let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
            let (le, be) = if bom {
                (
                    [&[0xFF, 0xFE][..], &le].concat(),
                    [&[0xFE, 0xFF][..], &be].concat(),
                )
            } else {
                (le, be)
            };
            assert!(looks_like_llm_call(&le) && looks_like_llm_call(&be));
        }
        assert!(!looks_like_llm_call(b"\0\0\0\0"));
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
            ("POST", "/v1/containers/c1/files", "containers"),
            ("POST", "/v1/skills", "skills"),
            ("POST", "/v1/videos", "videos"),
            ("POST", "/v1/moderations", "moderations"),
        ] {
            assert_eq!(unscanned_api(method, path, false), Some(api), "{path}");
        }
        assert_eq!(unscanned_api("GET", "/v1/realtime", true), Some("realtime"));
        assert_eq!(unscanned_api("GET", "/ws/live", true), Some("WebSocket"));
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
