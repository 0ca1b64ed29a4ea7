//! OpenAI's part of a request: asking a stream for its usage
//! (`stream_options.include_usage`, chat completions and completions).

use crate::json::Edit;
use crate::wire::request::ParsedRequest;
use serde_json::Value;

impl ParsedRequest<'_> {
    /// Asks for `stream_options.include_usage` unless the client set it
    /// (`None`: no change, so the usage chunk is the client's own).
    pub fn usage_edit(&self) -> Option<Edit> {
        if !self.stream {
            return None;
        }
        let Some(m) = self.doc.get("stream_options") else {
            let sep = if self.doc.members.is_empty() { "" } else { "," };
            return Some(Edit::insert(
                self.doc.close,
                format!(r#"{sep}"stream_options":{{"include_usage":true}}"#),
            ));
        };
        let opts: Value = serde_json::from_slice(self.doc.raw(m.value)).ok()?;
        let o = opts.as_object()?;
        if o.contains_key("include_usage") {
            return None;
        }
        let sep = if o.is_empty() { "" } else { "," };
        Some(Edit::insert(
            m.value.end.checked_sub(1)?,
            format!(r#"{sep}"include_usage":true"#),
        ))
    }
}
