//! The name of a wire format: a handle on its dialect, one of the
//! registry's list (`registry`), so the set of protocols is that list.

use super::dialect::Dialect;

/// A wire format clawgate governs. A request speaks one (its endpoint
/// says which); a provider or model declares the ones it accepts, so a
/// reroute or fallback never sends a body to a model that cannot read it.
/// Each dialect names its own (`Protocol::OPENAI` in `openai/`); the
/// registry lists them all (`Protocol::ALL`).
#[derive(Clone, Copy)]
pub struct Protocol(&'static Dialect);

impl Protocol {
    /// The protocol of a dialect (its `static`, so one address).
    pub const fn of(d: &'static Dialect) -> Protocol {
        Protocol(d)
    }

    pub const fn dialect(self) -> &'static Dialect {
        self.0
    }

    pub fn as_str(self) -> &'static str {
        self.0.name
    }
}

impl PartialEq for Protocol {
    fn eq(&self, other: &Protocol) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Protocol {}

impl std::fmt::Debug for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}
