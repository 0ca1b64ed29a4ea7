//! Who may use which model: `access` rules by identity, first match wins.
//!
//! A rule matches a caller (user or instance, exact, `prefix*`, `*`) and a
//! model (name or alias, `prefix*`, `*`, `tag:secure`, `tag:external`);
//! the first rule matching both allows or denies, else the default does.
//! A consumer group is a Higress `_rules_` entry with `_match_consumer_`:
//! its config carries its own `access` section.
//!
//! What it does not decide: a secure reroute (a sensitive prompt is never
//! refused into the external model's hands), which callers apply by not
//! asking.

mod compile;
pub mod settings;
#[cfg(test)]
mod tests;

pub use compile::compile;

use crate::scope::{matches, Subject, Who};

#[derive(Debug, Clone)]
pub struct Access {
    pub default_allow: bool,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub who: Who,
    pub pattern: String,
    pub models: Vec<ModelRef>,
    pub allow: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelRef {
    /// A name or alias, or `prefix*` (`*` alone: every model).
    Name(String),
    Secure,
    External,
}

impl ModelRef {
    pub fn parse(s: &str) -> Result<ModelRef, String> {
        match s.strip_prefix("tag:") {
            Some("secure") => Ok(ModelRef::Secure),
            Some("external") => Ok(ModelRef::External),
            Some(t) => Err(format!("unknown tag `{t}` (known: secure, external)")),
            None if s.is_empty() => Err("must not be empty".into()),
            None => Ok(ModelRef::Name(s.to_string())),
        }
    }

    fn matches(&self, m: &Target) -> bool {
        match self {
            ModelRef::Secure => m.secure,
            ModelRef::External => !m.secure,
            ModelRef::Name(p) => m.names.iter().any(|n| matches(p, n)),
        }
    }
}

/// The model a request would go to, as access rules see it: the names it
/// answers to (display name, aliases, or the pass-through name) and
/// whether it is secure.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub names: Vec<&'a str>,
    pub secure: bool,
}

/// The verdict and the rule that gave it (`None`: the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allow: bool,
    pub rule: Option<String>,
}

impl Access {
    pub fn decide(&self, who: Subject, model: &Target) -> Decision {
        for r in &self.rules {
            let id = who.get(r.who);
            if !id.is_some_and(|id| matches(&r.pattern, id)) {
                continue;
            }
            if r.models.iter().any(|x| x.matches(model)) {
                return Decision {
                    allow: r.allow,
                    rule: Some(r.name.clone()),
                };
            }
        }
        Decision {
            allow: self.default_allow,
            rule: None,
        }
    }
}
