//! OpenAI usage: chat/completions (`prompt_tokens`…), the Responses API
//! (`input_tokens`…) and embeddings.

use crate::wire::usage::Usage;
use serde_json::Value;

fn count(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_u64)
}

impl Usage {
    /// Reads a `usage` object in either naming.
    pub fn from_usage(u: &Value) -> Option<Usage> {
        let obj = u.as_object()?;
        let pick = |a: &str, b: &str| count(obj.get(a)).or_else(|| count(obj.get(b)));
        let details = |a: &str, b: &str, key: &str| {
            count(obj.get(a).and_then(|d| d.get(key)))
                .or_else(|| count(obj.get(b).and_then(|d| d.get(key))))
        };
        let usage = Usage {
            prompt: pick("prompt_tokens", "input_tokens"),
            completion: pick("completion_tokens", "output_tokens"),
            total: count(obj.get("total_tokens")),
            cached: details(
                "prompt_tokens_details",
                "input_tokens_details",
                "cached_tokens",
            ),
            cache_write: None,
            reasoning: details(
                "completion_tokens_details",
                "output_tokens_details",
                "reasoning_tokens",
            ),
        };
        usage.known().then_some(usage)
    }

    /// Usage of a whole response object (chat, completions, embeddings, or a
    /// Responses API object / `response.completed` event).
    pub fn from_response(v: &Value) -> Option<Usage> {
        if let Some(u) = v.get("usage").filter(|u| !u.is_null()) {
            return Usage::from_usage(u);
        }
        v.get("response")
            .and_then(|r| r.get("usage"))
            .and_then(Usage::from_usage)
    }

    pub fn from_json_body(body: &[u8]) -> Option<Usage> {
        // Fast path: only the counts of `usage` / `response.usage` are
        // read; the rest of the body (choices, output text) is skipped.
        if let Ok(u) = super::usage_counts::read(body) {
            return u;
        }
        // Odd shapes (`usage` or `response` not an object, an escaped
        // key) take the general path, so both give the same answer.
        let v = crate::json::strict::lenient(body).ok()?;
        Usage::from_response(&v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_shapes_give_the_same_answer_as_the_general_path() {
        let cases: [&[u8]; 5] = [
            br#"{"usage":{"prompt_tokens":3,"completion_tokens":1},"response":"text"}"#,
            br#"{"usage":null,"response":{"usage":{"input_tokens":7,"output_tokens":2}}}"#,
            br#"{"usage":{"prompt_tokens":1},"usage":{"prompt_tokens":9}}"#,
            br#"{"choices":[{"message":{"content":"no usage"}}]}"#,
            br#"[1,2]"#,
        ];
        for body in cases {
            let general = serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|v| Usage::from_response(&v));
            assert_eq!(
                Usage::from_json_body(body),
                general,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        assert_eq!(
            Usage::from_json_body(cases[0]).and_then(|u| u.prompt),
            Some(3)
        );
        assert_eq!(
            Usage::from_json_body(cases[1]).and_then(|u| u.prompt),
            Some(7)
        );
    }

    /// Random usage objects of every shape: the fast path and the
    /// general one read the same counts.
    #[test]
    fn the_fast_path_reads_what_the_general_path_reads() {
        const VALUES: &[&str] = &[
            "0",
            "7",
            "-0",
            "-1",
            "3.5",
            "1e2",
            "18446744073709551615",
            "18446744073709551616",
            "null",
            "true",
            "\"9\"",
            "[1,2]",
            "{}",
            "{\"cached_tokens\":4}",
            "{\"reasoning_tokens\":2,\"x\":[{}]}",
            "{\"cached_tokens\":-3}",
        ];
        const KEYS: &[&str] = &[
            "prompt_tokens",
            "input_tokens",
            "completion_tokens",
            "output_tokens",
            "total_tokens",
            "prompt_tokens_details",
            "input_tokens_details",
            "completion_tokens_details",
            "output_tokens_details",
            "other",
        ];
        let mut r = crate::test_rng::Rng(0x5eed_0f5a_6e00);
        let object = |r: &mut crate::test_rng::Rng| {
            let fields: Vec<String> = (0..r.below(6))
                .map(|_| {
                    format!(
                        "\"{}\":{}",
                        KEYS[r.below(KEYS.len())],
                        VALUES[r.below(VALUES.len())]
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        };
        for case in 0..4000 {
            let usage = match r.below(6) {
                0 => VALUES[r.below(VALUES.len())].to_string(),
                _ => object(&mut r),
            };
            let body = match r.below(5) {
                0 => format!("{{\"id\":\"x\",\"usage\":{usage}}}"),
                1 => format!(
                    "{{\"type\":\"response.completed\",\"response\":{{\"usage\":{usage}}}}}"
                ),
                2 => {
                    format!("{{\"usage\":null,\"response\":{{\"usage\":{usage}}},\"choices\":[]}}")
                }
                3 => format!("[{{\"usage\":{usage}}}]"),
                _ => format!("{{\"usage\":{usage},\"response\":{}}}", object(&mut r)),
            };
            let general = serde_json::from_slice::<Value>(body.as_bytes())
                .ok()
                .and_then(|v| Usage::from_response(&v));
            assert_eq!(
                Usage::from_json_body(body.as_bytes()),
                general,
                "case {case}: {body}"
            );
        }
    }

    #[test]
    fn chat_usage_with_details() {
        let u = Usage::from_json_body(
            br#"{"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,
                "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}"#,
        )
        .unwrap();
        assert_eq!(
            u,
            Usage {
                prompt: Some(10),
                completion: Some(5),
                total: Some(15),
                cached: Some(4),
                cache_write: None,
                reasoning: Some(2)
            }
        );
    }

    #[test]
    fn responses_usage() {
        let u = Usage::from_json_body(
            br#"{"type":"response.completed","response":{"usage":{"input_tokens":7,"output_tokens":3,"total_tokens":10,
                "input_tokens_details":{"cached_tokens":1},"output_tokens_details":{"reasoning_tokens":2}}}}"#,
        )
        .unwrap();
        assert_eq!(
            (u.prompt, u.completion, u.cached, u.reasoning),
            (Some(7), Some(3), Some(1), Some(2))
        );
    }

    #[test]
    fn bad_values_are_unknown() {
        let u = Usage::from_json_body(
            br#"{"usage":{"prompt_tokens":-5,"completion_tokens":3.5,"total_tokens":"9"}}"#,
        );
        assert_eq!(u, None);
        let u = Usage::from_json_body(br#"{"usage":{"prompt_tokens":-5,"completion_tokens":3}}"#)
            .unwrap();
        assert_eq!((u.prompt, u.completion), (None, Some(3)));
        assert_eq!(Usage::from_json_body(b"<html>"), None);
        assert_eq!(Usage::from_json_body(br#"{"usage":null}"#), None);
        let e =
            Usage::from_json_body(br#"{"usage":{"prompt_tokens":8,"total_tokens":8}}"#).unwrap();
        assert_eq!((e.prompt, e.completion, e.total), (Some(8), None, Some(8)));
    }
}
