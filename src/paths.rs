//! Which requests the filter governs, decided on the path as Envoy routes
//! it: percent-decoded, `;params` dropped, `//` merged, `.`/`..` resolved,
//! matched case-insensitively by endpoint suffix (`…/chat/completions`
//! under any prefix, as Higress matches) or under one exact prefix.
//! A path that cannot be normalised is refused, never guessed at.

use crate::openai::request::Endpoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathMatch {
    /// `<any prefix>/<endpoint>` (Higress's own rule).
    #[default]
    Suffix,
    /// Only `<path_prefix>/<endpoint>`.
    Prefix,
}

/// Where a governed call arrived: the normalised prefix before the
/// endpoint (case kept) and the query string (with its `?`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LlmPath {
    pub prefix: String,
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathKind {
    /// A model call the filter governs.
    Llm(Endpoint, LlmPath),
    /// `GET …/models`, answered from the config.
    ListModels,
    /// `GET /health`, answered by the filter.
    Health,
    /// Anything else: passes, unless its body looks like an LLM call.
    Other,
}

/// The endpoints by suffix, longest first (`chat/completions` before
/// `completions`, `messages/count_tokens` before `messages`).
const SUFFIXES: [(&str, Endpoint); 7] = [
    ("messages/count_tokens", Endpoint::CountTokens),
    ("images/generations", Endpoint::ImagesGenerations),
    ("chat/completions", Endpoint::ChatCompletions),
    ("completions", Endpoint::Completions),
    ("responses", Endpoint::Responses),
    ("embeddings", Endpoint::Embeddings),
    ("messages", Endpoint::Messages),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// Decoded, cleaned path, case kept (no query).
    pub path: String,
    /// `?…` as received, or empty.
    pub query: String,
}

/// Normalises a request path; `Err` names why it cannot be.
pub fn normalize(raw: &str) -> Result<Normalized, &'static str> {
    let cut = raw
        .bytes()
        .position(|b| b == b'?' || b == b'#')
        .unwrap_or(raw.len());
    let (path, query) = raw.split_at(cut);
    let query = if query.starts_with('?') {
        query.split('#').next().unwrap_or("").to_string()
    } else {
        String::new()
    };
    let decoded = percent_decode(path)?;
    if decoded.contains('%') {
        return Err("doubly encoded path");
    }
    if decoded.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("control character in path");
    }
    // A backslash is a separator to some servers: treat it as one.
    let decoded = decoded.replace('\\', "/");
    let mut segs: Vec<&str> = Vec::new();
    for seg in decoded.split('/') {
        let seg = seg.split(';').next().unwrap_or("");
        match seg {
            "" | "." => {}
            // Above the root stays at the root, as Envoy's normalize_path.
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut path = String::with_capacity(decoded.len() + 1);
    for s in &segs {
        path.push('/');
        path.push_str(s);
    }
    if path.is_empty() {
        path.push('/');
    }
    Ok(Normalized { path, query })
}

fn percent_decode(s: &str) -> Result<String, &'static str> {
    let b = s.as_bytes();
    if memchr::memchr(b'%', b).is_none() {
        return Ok(s.to_string());
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                _ => return Err("bad percent escape in path"),
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "path is not UTF-8 once decoded")
}

/// The text of a query string as a server reads it: `+` a space, each
/// `%XX` its byte; a bad escape stays as sent and bytes that are not
/// UTF-8 become U+FFFD, so nothing in it is dropped unread.
pub fn query_text(q: &str) -> String {
    let b = q.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |at: usize| b.get(at).and_then(|&c| (c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (c, _, _) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Classifies a normalised path by method.
pub fn classify(method: &str, n: &Normalized, mode: PathMatch, prefix: &str) -> PathKind {
    let lower = n.path.to_ascii_lowercase();
    if method == "GET" && lower == "/health" {
        return PathKind::Health;
    }
    let under = |suffix: &str| -> Option<String> {
        let head = lower.strip_suffix(suffix)?.strip_suffix('/')?;
        let ok = match mode {
            PathMatch::Suffix => true,
            PathMatch::Prefix => head == prefix.to_ascii_lowercase(),
        };
        ok.then(|| n.path[..head.len()].to_string())
    };
    match method {
        "GET" if under("models").is_some() => PathKind::ListModels,
        "POST" => SUFFIXES
            .iter()
            .find_map(|(s, e)| {
                under(s).map(|prefix| {
                    PathKind::Llm(
                        *e,
                        LlmPath {
                            prefix,
                            query: n.query.clone(),
                        },
                    )
                })
            })
            .unwrap_or(PathKind::Other),
        _ => PathKind::Other,
    }
}

/// The path sent upstream: the provider's `base_path` (else the client's
/// own prefix), the endpoint, the client's query.
pub fn upstream_path(p: &LlmPath, endpoint: Endpoint, base_path: Option<&str>) -> String {
    let base = base_path.unwrap_or(&p.prefix);
    format!("{base}/{}{}", endpoint.as_str(), p.query)
}

/// `passthrough_paths` entries: exact, or `prefix*`; compared on the
/// normalised, lower-cased path.
pub fn is_passthrough(list: &[String], path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    list.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => lower.starts_with(prefix),
        None => lower == *p,
    })
}

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

    fn kind(method: &str, raw: &str) -> PathKind {
        let n = normalize(raw).unwrap();
        classify(method, &n, PathMatch::Suffix, "/v1")
    }

    #[test]
    fn a_query_reads_as_a_server_reads_it() {
        assert_eq!(
            query_text("?key=AIza%2Db+c&x=%zz%4"),
            "?key=AIza-b c&x=%zz%4"
        );
        assert_eq!(query_text("?q=%FF"), "?q=\u{fffd}");
    }

    fn llm(e: Endpoint, prefix: &str, query: &str) -> PathKind {
        PathKind::Llm(
            e,
            LlmPath {
                prefix: prefix.into(),
                query: query.into(),
            },
        )
    }

    #[test]
    fn variants_of_one_path_are_one_path() {
        for raw in [
            "/v1/chat/completions",
            "//v1/chat/completions",
            "/v1/./chat/completions",
            "/x/../v1/chat/completions",
            "/v1%2Fchat%2Fcompletions",
            "/v1/chat%2fcompletions",
            "/v1/chat/completions;param",
            "/v1;a=b/chat/completions/",
            "/v1\\chat\\completions",
            "/../../v1/chat/completions",
        ] {
            assert_eq!(
                kind("POST", raw),
                llm(Endpoint::ChatCompletions, "/v1", ""),
                "{raw}"
            );
        }
        assert_eq!(
            kind("POST", "/V1/CHAT/COMPLETIONS"),
            llm(Endpoint::ChatCompletions, "/V1", "")
        );
    }

    #[test]
    fn suffixes_under_any_prefix() {
        assert_eq!(
            kind("POST", "/openai/v1/chat/completions?a=1"),
            llm(Endpoint::ChatCompletions, "/openai/v1", "?a=1")
        );
        assert_eq!(
            kind("POST", "/compatible-mode/v1/completions"),
            llm(Endpoint::Completions, "/compatible-mode/v1", "")
        );
        assert_eq!(
            kind("POST", "/v1/messages"),
            llm(Endpoint::Messages, "/v1", "")
        );
        assert_eq!(
            kind("POST", "/anthropic/v1/messages/count_tokens?beta=true"),
            llm(Endpoint::CountTokens, "/anthropic/v1", "?beta=true")
        );
        assert_eq!(
            kind("POST", "/v1/images/generations"),
            llm(Endpoint::ImagesGenerations, "/v1", "")
        );
        assert_eq!(kind("POST", "/responses"), llm(Endpoint::Responses, "", ""));
        assert_eq!(kind("GET", "/openai/v1/models"), PathKind::ListModels);
        assert_eq!(kind("GET", "/v1/chat/completions"), PathKind::Other);
        assert_eq!(kind("POST", "/v1/chat/completionsx"), PathKind::Other);
        assert_eq!(kind("GET", "/health"), PathKind::Health);
        assert_eq!(kind("GET", "/health/deep"), PathKind::Other);
    }

    #[test]
    fn prefix_mode_takes_only_its_prefix() {
        let c = |raw: &str| classify("POST", &normalize(raw).unwrap(), PathMatch::Prefix, "/v1");
        assert_eq!(
            c("/v1/chat/completions"),
            llm(Endpoint::ChatCompletions, "/v1", "")
        );
        assert_eq!(c("/openai/v1/chat/completions"), PathKind::Other);
        assert_eq!(c("/v10/chat/completions"), PathKind::Other);
    }

    #[test]
    fn what_cannot_be_normalised_is_an_error() {
        for raw in ["/v1/%zz", "/v1/%2", "/v1/%252Fx", "/v1/%00", "/v1/%ff%fe"] {
            assert!(normalize(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn upstream_path_uses_base_path_or_client_prefix() {
        let p = LlmPath {
            prefix: "/openai/v1".into(),
            query: "?a=1".into(),
        };
        assert_eq!(
            upstream_path(&p, Endpoint::ChatCompletions, Some("/compatible-mode/v1")),
            "/compatible-mode/v1/chat/completions?a=1"
        );
        assert_eq!(
            upstream_path(&p, Endpoint::Messages, None),
            "/openai/v1/messages?a=1"
        );
    }

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

    #[test]
    fn passthrough_lists() {
        let l = vec!["/v1/special".to_string(), "/tools/*".to_string()];
        assert!(is_passthrough(&l, "/V1/special"));
        assert!(is_passthrough(&l, "/tools/x/y"));
        assert!(!is_passthrough(&l, "/v1/special/x"));
    }
}
