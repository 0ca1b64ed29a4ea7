//! Who and what a budget or a rate limit covers: an identity kind, a
//! pattern over that identity, whether everyone matched shares one count,
//! and the models counted. Both sections write it the same way (`identity`,
//! `match`, `shared`, `models`) and decide with it the same way; each reads
//! and checks its own keys (budgets through serde, rate limits by hand) and
//! builds a `Scope`.

use serde::Deserialize;
#[cfg(not(target_arch = "wasm32"))]
use serde::Serialize;

/// Which identity a limit counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), derive(Serialize))]
#[serde(rename_all = "lowercase")]
pub enum Who {
    User,
    Instance,
}

impl Who {
    pub fn as_str(self) -> &'static str {
        match self {
            Who::User => "user",
            Who::Instance => "instance",
        }
    }
}

/// The caller as budgets, rate limits and access see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    pub user: Option<&'a str>,
    pub instance: Option<&'a str>,
}

impl<'a> Subject<'a> {
    pub fn get(&self, who: Who) -> Option<&'a str> {
        match who {
            Who::User => self.user,
            Who::Instance => self.instance,
        }
    }
}

/// `*`, `prefix*` or an exact name.
pub fn matches(pattern: &str, who: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => who.starts_with(prefix),
        None => pattern == who,
    }
}

/// The key a count is kept under: the identity, or `*` when shared.
pub fn spend_key(shared: bool, who: &str) -> &str {
    if shared {
        "*"
    } else {
        who
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub who: Who,
    /// Exact identity, `prefix*`, or `*` (any identity present).
    pub pattern: String,
    /// One count for every identity the pattern matches, instead of one
    /// each.
    pub shared: bool,
    /// Model indexes counted; empty: every request.
    pub models: Vec<usize>,
    /// The same, as written, for the sidecar (records carry names).
    pub model_names: Vec<String>,
}

impl Scope {
    /// The caller's identity, when the pattern matches it.
    pub fn identity<'a>(&self, s: Subject<'a>) -> Option<&'a str> {
        s.get(self.who).filter(|id| matches(&self.pattern, id))
    }

    /// Whether a request to `model` counts (`None`: no model known, which
    /// only a scope over every model covers).
    pub fn covers(&self, model: Option<usize>) -> bool {
        self.models.is_empty() || model.is_some_and(|m| self.models.contains(&m))
    }

    /// The caller's count key (its identity, or `*` when shared) when
    /// this scope covers the caller and the model.
    pub fn key<'a>(&self, s: Subject<'a>, model: Option<usize>) -> Option<&'a str> {
        let id = self.identity(s)?;
        self.covers(model).then(|| spend_key(self.shared, id))
    }

    /// The count key an identity already known to match is kept under.
    pub fn key_of<'a>(&self, id: &'a str) -> &'a str {
        spend_key(self.shared, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(pattern: &str, shared: bool, models: Vec<usize>) -> Scope {
        Scope {
            who: Who::User,
            pattern: pattern.into(),
            shared,
            models,
            model_names: vec![],
        }
    }

    #[test]
    fn keys_by_identity_pattern_and_model() {
        let alice = Subject {
            user: Some("worker-alice"),
            instance: Some("i-1"),
        };
        assert_eq!(
            scope("worker-*", false, vec![]).key(alice, None),
            Some("worker-alice")
        );
        assert_eq!(
            scope("worker-*", true, vec![]).key(alice, Some(3)),
            Some("*")
        );
        assert_eq!(scope("boss", false, vec![]).key(alice, None), None);
        assert_eq!(scope("*", false, vec![1]).key(alice, Some(2)), None);
        assert_eq!(scope("*", false, vec![1]).key(alice, None), None);
        assert_eq!(
            scope("*", false, vec![1]).key(alice, Some(1)),
            Some("worker-alice")
        );
        let by_instance = Scope {
            who: Who::Instance,
            ..scope("i-*", false, vec![])
        };
        assert_eq!(by_instance.key(alice, None), Some("i-1"));
        assert_eq!(by_instance.key(Subject::default(), None), None);
    }
}
