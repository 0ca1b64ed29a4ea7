//! Gemini's wire format (a stub: registered, spoken by no endpoint yet).

use crate::risk::Layout;
use crate::wire::dialect::Dialect;
use crate::wire::errors::ClientError;
use crate::wire::protocol::Protocol;

pub static DIALECT: Dialect = Dialect {
    name: "gemini",
    chat_path: "/v1beta/models/gemini:generateContent",
    layout: Layout {
        turns: &["contents"],
        inputs: &[],
        system: &["systemInstruction"],
    },
    error_body: body,
    usage_of_json: |_| None,
    // its streams carry usage in every chunk: nothing to strip
    stream_observer: |_, capture| crate::wire::openai::stream::observer(false, capture),
    notice_event: |notice| format!("data: {{\"gatewayNotice\":{notice}}}\n\n"),
};

impl Protocol {
    pub const GEMINI: Protocol = Protocol::of(&DIALECT);
}

fn body(e: &ClientError) -> String {
    serde_json::json!({"error": {"code": 400, "message": e.message, "status": "INVALID_ARGUMENT"}})
        .to_string()
}

#[cfg(test)]
mod tests {
    use crate::wire::Protocol;

    #[test]
    fn the_stub_is_listed_and_parses_from_the_config() {
        assert!(Protocol::ALL.contains(&Protocol::GEMINI));
        assert_eq!(Protocol::parse("gemini"), Some(Protocol::GEMINI));
    }
}
