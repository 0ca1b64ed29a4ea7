//! The `risk:` section -> the engine and the refusal form, errors under
//! the section's key path. (`risk.secure_model` is routing's.)

use super::{Engine, RefusalForm, RiskConfig};
use crate::settings_error::{join, ConfigError};

/// Compiles `risk:` at key path `at`; `None` for the engine when a rule is
/// wrong.
pub fn compile(
    raw: &RiskConfig,
    at: &str,
    errs: &mut Vec<ConfigError>,
) -> (Option<Engine>, RefusalForm) {
    let engine = match Engine::compile(raw) {
        Ok(e) => Some(e),
        // The engine's errors name paths relative to `risk`.
        Err(es) => {
            errs.extend(
                es.into_iter()
                    .map(|e| ConfigError::new(join(at, &e.path), e.message)),
            );
            None
        }
    };
    let refusal = RefusalForm::parse(raw.refusal.as_deref()).unwrap_or_else(|| {
        errs.push(ConfigError::new(
            join(at, "refusal"),
            "must be `message` or `error`",
        ));
        RefusalForm::Message
    });
    (engine, refusal)
}
