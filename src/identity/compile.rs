//! Identity's compile step: `identity:` -> the header lists.

use super::settings::{IdentityConfig, RawIdentity};
use crate::settings_error::ConfigError;

/// `identity:` -> header lists, lower-cased as the host hands names over.
pub fn compile(raw: &RawIdentity, _at: &str, _errs: &mut Vec<ConfigError>) -> IdentityConfig {
    let lower = |v: &[String]| v.iter().map(|s| s.to_ascii_lowercase()).collect::<Vec<_>>();
    IdentityConfig {
        user: lower(&raw.user),
        instance: lower(&raw.instance),
        session: lower(&raw.session),
        trace: lower(&raw.trace),
    }
}
