//! The catalog: the providers and models a config names, resolved to
//! indexes. Routing, fallback, budgets and accounting read it instead of
//! the whole config.

mod compile;
pub mod settings;
#[cfg(test)]
mod tests;
mod wire;

pub use compile::{compile, Ctx, Raw};

use crate::accounting::settings::Pricing;
use crate::wire::Protocol;

/// Looks up the Envoy VM's environment (`api_key_env`); `None` where there
/// is no VM to ask (`clawgate check-config`), and the keys stay unset.
pub type Env<'a> = Option<&'a dyn Fn(&str) -> Option<String>>;

#[derive(Debug, Clone)]
pub struct Provider {
    pub name: String,
    pub cluster: String,
    pub host: String,
    /// Replaces the client's path prefix when set (e.g. `/compatible-mode/v1`).
    pub base_path: Option<String>,
    pub api_key: Option<String>,
    /// Where the key goes, lower-cased (`authorization`, `x-api-key`, `api-key`).
    pub auth_header: String,
    pub auth_prefix: String,
    /// Fixed extra headers (names lower-cased).
    pub headers: Vec<(String, String)>,
    pub protocols: Vec<Protocol>,
    pub secure: bool,
    pub timeout_ms: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub provider: usize,
    pub upstream_model: String,
    pub aliases: Vec<String>,
    pub secure: bool,
    pub enabled: bool,
    pub context_window: Option<u64>,
    pub max_tokens: Option<u64>,
    pub reasoning: bool,
    pub pricing: Option<Pricing>,
    /// Indexes into `Catalog::models`.
    pub fallback: Vec<usize>,
    pub protocols: Vec<Protocol>,
}

impl Model {
    pub fn speaks(&self, p: Protocol) -> bool {
        self.protocols.contains(&p)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub providers: Vec<Provider>,
    pub models: Vec<Model>,
}

impl Catalog {
    /// Finds an enabled or disabled model by display name or alias.
    pub fn find_model(&self, name: &str) -> Option<usize> {
        self.models
            .iter()
            .position(|m| m.name == name || m.aliases.iter().any(|a| a == name))
    }

    /// Whether the route's model (or, for a predicate/default route, its
    /// provider) accepts this wire format.
    pub fn route_speaks(&self, model: Option<usize>, provider: usize, p: Protocol) -> bool {
        match model {
            Some(m) => self.models.get(m).is_some_and(|m| m.speaks(p)),
            None => self
                .providers
                .get(provider)
                .is_some_and(|x| x.protocols.contains(&p)),
        }
    }

    pub fn provider_of(&self, model: usize) -> Option<&Provider> {
        self.models
            .get(model)
            .and_then(|m| self.providers.get(m.provider))
    }

    /// A provider's index by name.
    pub fn provider_idx(&self, name: &str) -> Option<usize> {
        self.providers.iter().position(|x| x.name == name)
    }
}
