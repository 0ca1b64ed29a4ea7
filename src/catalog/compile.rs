//! `providers:` + `models:` -> the catalog: names resolved to indexes,
//! keys read, every mistake with its key path.

use super::settings::{RawModel, RawProvider};
use super::wire::{protocols, provider_wire};
use super::{Catalog, Env, Model, Provider};
use crate::accounting::compile_pricing;
use crate::settings_error::{join, ConfigError};
use std::collections::HashSet;

/// The catalog's part of the document.
pub struct Raw<'a> {
    pub providers: &'a [RawProvider],
    pub models: &'a [RawModel],
}

/// What compiling the catalog needs from outside it.
pub struct Ctx<'a> {
    /// `auto.model_name`: model names and aliases share its namespace.
    pub auto_name: &'a str,
    pub env: Env<'a>,
}

/// Compiles the catalog; `base` is the document's key path (`""` or
/// `_rules_[i]`), as both sections sit at its top.
pub fn compile(raw: &Raw<'_>, base: &str, ctx: &Ctx<'_>, errs: &mut Vec<ConfigError>) -> Catalog {
    let providers = compile_providers(raw.providers, base, ctx.env, errs);
    let mut cat = Catalog {
        providers,
        models: Vec::new(),
    };
    cat.models = compile_models(raw.models, base, ctx.auto_name, &cat, errs);
    let mut fallbacks = Vec::new();
    for (i, rm) in raw.models.iter().enumerate() {
        let mut chain = Vec::new();
        for (j, f) in rm.fallback.iter().enumerate() {
            match cat.find_model(f) {
                Some(x) if x == i => errs.push(ConfigError::new(
                    join(base, &format!("models[{i}].fallback[{j}]")),
                    "a model cannot fall back to itself",
                )),
                Some(x) => chain.push(x),
                None => errs.push(ConfigError::new(
                    join(base, &format!("models[{i}].fallback[{j}]")),
                    format!("unknown model `{f}`"),
                )),
            }
        }
        fallbacks.push(chain);
    }
    for (m, chain) in cat.models.iter_mut().zip(fallbacks) {
        m.fallback = chain;
    }
    cat
}

fn compile_providers(
    raw: &[RawProvider],
    base: &str,
    env: Env<'_>,
    errs: &mut Vec<ConfigError>,
) -> Vec<Provider> {
    let mut providers = Vec::new();
    let mut seen = HashSet::new();
    for (i, rp) in raw.iter().enumerate() {
        let at = join(base, &format!("providers[{i}]"));
        if rp.name.is_empty() {
            errs.push(ConfigError::new(format!("{at}.name"), "must not be empty"));
        }
        if !seen.insert(rp.name.clone()) {
            errs.push(ConfigError::new(
                format!("{at}.name"),
                format!("duplicate provider `{}`", rp.name),
            ));
        }
        if let Some(bp) = &rp.base_path {
            if !bp.starts_with('/') {
                errs.push(ConfigError::new(
                    format!("{at}.base_path"),
                    "must start with `/`",
                ));
            }
        }
        if rp.timeout_ms == Some(0) {
            errs.push(ConfigError::new(format!("{at}.timeout_ms"), "must be > 0"));
        }
        let cluster = rp.cluster.clone().unwrap_or_else(|| rp.name.clone());
        let wire = provider_wire(rp, &at, env, errs);
        providers.push(Provider {
            name: rp.name.clone(),
            host: rp.host.clone().unwrap_or_else(|| cluster.clone()),
            cluster,
            base_path: rp
                .base_path
                .clone()
                .map(|b| b.trim_end_matches('/').to_string()),
            api_key: wire.api_key,
            auth_header: wire.auth_header,
            auth_prefix: wire.auth_prefix,
            headers: wire.headers,
            protocols: wire.protocols,
            secure: rp.secure,
            timeout_ms: rp.timeout_ms,
        });
    }
    providers
}

/// Models without their fallback chains (they name models compiled here).
fn compile_models(
    raw: &[RawModel],
    base: &str,
    auto_name: &str,
    cat: &Catalog,
    errs: &mut Vec<ConfigError>,
) -> Vec<Model> {
    // Model names and aliases share one namespace with the auto name.
    let mut names: HashSet<String> = HashSet::new();
    names.insert(auto_name.to_string());
    let mut models = Vec::new();
    for (i, rm) in raw.iter().enumerate() {
        let at = join(base, &format!("models[{i}]"));
        if rm.name.is_empty() {
            errs.push(ConfigError::new(format!("{at}.name"), "must not be empty"));
        }
        for (j, n) in std::iter::once(&rm.name)
            .chain(rm.aliases.iter())
            .enumerate()
        {
            if !names.insert(n.clone()) {
                let key = if j == 0 {
                    format!("{at}.name")
                } else {
                    format!("{at}.aliases[{}]", j - 1)
                };
                errs.push(ConfigError::new(
                    key,
                    format!("`{n}` is already a model name, alias or the auto name"),
                ));
            }
        }
        let provider = match cat.provider_idx(&rm.provider) {
            Some(x) => x,
            None => {
                errs.push(ConfigError::new(
                    format!("{at}.provider"),
                    format!("unknown provider `{}`", rm.provider),
                ));
                0
            }
        };
        let pricing = rm
            .pricing
            .as_ref()
            .map(|pr| compile_pricing(pr, &format!("{at}.pricing"), errs));
        let of_provider = cat.providers.get(provider);
        models.push(Model {
            name: rm.name.clone(),
            provider,
            upstream_model: rm.upstream_model.clone().unwrap_or_else(|| rm.name.clone()),
            aliases: rm.aliases.clone(),
            secure: rm.secure || of_provider.is_some_and(|x| x.secure),
            enabled: rm.enabled,
            context_window: rm.context_window,
            max_tokens: rm.max_tokens,
            reasoning: rm.reasoning,
            pricing,
            fallback: Vec::new(),
            protocols: match &rm.protocols {
                Some(ps) => protocols(ps, &format!("{at}.protocols"), errs),
                None => of_provider.map_or_else(Vec::new, |x| x.protocols.clone()),
            },
        });
    }
    models
}
