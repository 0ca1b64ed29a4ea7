//! Which items of a conversation `scan: last_user` reads: the current
//! turn, everything the caller sent after the model last spoke. A turn is
//! more than the last `role: user` message: an agent's newest tool results
//! (chat `tool` messages, Responses `function_call_output` items,
//! Anthropic `tool_result` blocks) come after the last user message, and
//! they are what a tool just read (a file with a key in it).

/// Who an item of `messages` or of a Responses `input` list speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Speaker {
    /// The model: `role: assistant`, or a Responses output item the
    /// caller sends back (`function_call`, `reasoning`, ...).
    Model,
    /// The operator's system prompt (`system`, `developer`): skipped by
    /// `last_user` like top-level `system` and `instructions`.
    System,
    /// The caller: user messages, tool results, anything else.
    #[default]
    Caller,
}

impl Speaker {
    pub fn of_role(role: &str) -> Speaker {
        match role {
            "assistant" => Speaker::Model,
            "system" | "developer" => Speaker::System,
            _ => Speaker::Caller,
        }
    }

    /// A Responses item without a role, by its `type`: the model's calls
    /// and reasoning, not their outputs.
    pub fn is_model_item(ty: &str) -> bool {
        ty.ends_with("_call")
            || matches!(ty, "reasoning" | "mcp_list_tools" | "mcp_approval_request")
    }
}

/// Whether each item is in the current turn: every item after the last
/// model item that precedes the caller's newest item, system items
/// excepted. A trailing model item (an Anthropic prefill) is the caller's
/// text too and stays in; a list with no caller item has no turn.
pub fn current_turn(speakers: &[Speaker]) -> impl Iterator<Item = bool> + '_ {
    let newest = speakers.iter().rposition(|s| *s != Speaker::Model);
    let start = newest.map_or(speakers.len(), |n| {
        speakers[..n]
            .iter()
            .rposition(|s| *s == Speaker::Model)
            .map_or(0, |m| m + 1)
    });
    speakers
        .iter()
        .enumerate()
        .map(move |(i, s)| i >= start && *s != Speaker::System)
}

#[cfg(test)]
mod tests {
    use super::Speaker::{Caller as C, Model as M, System as S};
    use super::*;

    fn picked(s: &[Speaker]) -> Vec<usize> {
        current_turn(s)
            .enumerate()
            .filter_map(|(i, p)| p.then_some(i))
            .collect()
    }

    #[test]
    fn the_turn_is_everything_after_the_model_last_spoke() {
        assert_eq!(picked(&[S, C, M, C]), [3]);
        // tool results after the last user message are in the turn
        assert_eq!(picked(&[S, C, M, C, M, C, C]), [5, 6]);
        assert_eq!(picked(&[C, M, C, C, M]), [2, 3, 4], "a prefill stays in");
        assert_eq!(
            picked(&[S, C, C]),
            [1, 2],
            "no model yet: every caller item"
        );
        assert_eq!(picked(&[M, M]), Vec::<usize>::new());
        assert_eq!(picked(&[]), Vec::<usize>::new());
    }
}
