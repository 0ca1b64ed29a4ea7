//! The name of a wire format; what it means is found through `registry`.

/// The wire formats clawgate governs. A request speaks one (its endpoint
/// says which); a provider or model declares the ones it accepts, so a
/// reroute or fallback never sends a body to a model that cannot read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// OpenAI-compatible: chat/completions, completions, responses,
    /// embeddings, images/generations.
    Openai,
    /// Anthropic Messages: `/v1/messages` and its `count_tokens`.
    Anthropic,
}
