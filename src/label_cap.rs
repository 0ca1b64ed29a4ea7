//! Bounded stat labels for client-chosen values (consumers, pass-through
//! model names). A consumer name comes
//! from a request header, and every distinct label is a new set of Envoy
//! stats that lives until Envoy restarts; so each worker names the first
//! `max` distinct consumers it sees and counts everyone after them as
//! `other`. Stats per metric stay at most `max` × workers + 1.

use std::collections::HashSet;

/// The label every consumer past the cap shares.
pub const OTHER: &str = "other";

/// Distinct values that are no longer fresh are kept only up to the cap,
/// so memory is bounded too.
#[derive(Debug, Default)]
pub struct LabelCap {
    seen: HashSet<String>,
}

impl LabelCap {
    /// `value`'s label: itself while fewer than `max` distinct values have
    /// been named (or when it is one of them), else [`OTHER`].
    pub fn label<'a>(&mut self, value: &'a str, max: usize) -> &'a str {
        if self.seen.contains(value) {
            return value;
        }
        if self.seen.len() < max {
            self.seen.insert(value.to_string());
            return value;
        }
        OTHER
    }
}

/// The capped label sets of one worker.
#[derive(Debug, Default)]
pub struct Labels {
    /// `x-mse-consumer` values (`metrics.max_consumers`).
    pub consumers: LabelCap,
    /// Model names no config names: a pass-through route (a predicate or
    /// the default provider) takes the client's model as it came
    /// (`metrics.max_models`).
    pub models: LabelCap,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_n_keep_their_name_the_rest_are_other() {
        let mut cap = LabelCap::default();
        let labels: Vec<String> = ["a", "b", "a", "c", "b", "d"]
            .iter()
            .map(|v| cap.label(v, 2).to_string())
            .collect();
        assert_eq!(labels, ["a", "b", "a", "other", "b", "other"]);
        assert_eq!(cap.seen.len(), 2, "memory bounded by the cap");
    }

    #[test]
    fn zero_names_nobody_and_a_raised_cap_names_more() {
        let mut cap = LabelCap::default();
        assert_eq!(cap.label("a", 0), OTHER);
        assert_eq!(cap.label("a", 1), "a");
        assert_eq!(cap.label("b", 1), OTHER);
    }
}
