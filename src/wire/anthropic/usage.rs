//! Anthropic usage: `input_tokens` counts only the input read fresh;
//! cache reads and cache writes are reported beside it. clawgate's
//! `prompt` is all three, `cached` the cache reads, `cache_write` the
//! cache writes, so the OpenAI cost formula prices each part.

use crate::wire::usage::Usage;
use serde_json::Value;

/// Counts as reported so far (a stream reports them in two events).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub cache_read: Option<u64>,
    pub cache_write: Option<u64>,
}

impl Counts {
    /// Takes every count a `usage` object carries; later reports win
    /// (`message_delta` carries the final output count).
    pub fn merge(&mut self, u: &Value) {
        let n = |k: &str| u.get(k).and_then(Value::as_u64);
        self.input = n("input_tokens").or(self.input);
        self.output = n("output_tokens").or(self.output);
        self.cache_read = n("cache_read_input_tokens").or(self.cache_read);
        self.cache_write = n("cache_creation_input_tokens").or(self.cache_write);
    }

    pub fn usage(&self) -> Option<Usage> {
        let prompt = self
            .input
            .map(|i| i + self.cache_read.unwrap_or(0) + self.cache_write.unwrap_or(0));
        let u = Usage {
            prompt,
            completion: self.output,
            total: prompt.zip(self.output).map(|(p, c)| p + c),
            cached: self.cache_read,
            cache_write: self.cache_write,
            reasoning: None,
        };
        u.known().then_some(u)
    }
}

/// Usage of a whole Messages answer.
pub fn from_json_body(body: &[u8]) -> Option<Usage> {
    let mut c = Counts::default();
    c.merge(&Usage::raw_usage(body)?);
    c.usage()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_reads_and_writes_are_part_of_the_prompt() {
        let u = from_json_body(
            br#"{"type":"message","usage":{"input_tokens":10,"output_tokens":5,
                "cache_read_input_tokens":100,"cache_creation_input_tokens":20}}"#,
        )
        .unwrap();
        assert_eq!(
            (u.prompt, u.completion, u.total, u.cached, u.cache_write),
            (Some(130), Some(5), Some(135), Some(100), Some(20))
        );
        let u = from_json_body(br#"{"usage":{"input_tokens":3,"output_tokens":1}}"#).unwrap();
        assert_eq!((u.prompt, u.cached, u.cache_write), (Some(3), None, None));
    }

    #[test]
    fn missing_or_bad_counts_are_unknown() {
        assert_eq!(from_json_body(br#"{"usage":null}"#), None);
        assert_eq!(from_json_body(b"<html>"), None);
        assert_eq!(
            from_json_body(br#"{"usage":{"input_tokens":-1,"output_tokens":"2"}}"#),
            None
        );
    }
}
