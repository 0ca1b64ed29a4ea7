//! RawConfig -> Config: each domain compiles its own section under its key
//! path; this only hands them what they need from each other (the catalog
//! first: routing, fallback and budgets name its models) and collects
//! every error (not just the first one).

use super::model::Config;
use super::schema::RawConfig;
use crate::catalog::{self, Env};
use crate::settings_error::{join, ConfigError};
use crate::{
    access, accounting, audit, budget, fallback, identity, metrics, paths, ratelimit, risk, routing,
};

pub fn validate(
    raw: RawConfig,
    base: &str,
    hash: String,
    env: Env<'_>,
) -> Result<Config, Vec<ConfigError>> {
    let mut errs = Vec::new();
    let p = |s: &str| join(base, s);
    let catalog = catalog::compile(
        &catalog::Raw {
            providers: &raw.providers,
            models: &raw.models,
        },
        base,
        &catalog::Ctx {
            auto_name: &raw.auto.model_name,
            env,
        },
        &mut errs,
    );
    let routing = routing::compile(
        &routing::Raw {
            predicates: &raw.predicates,
            default_provider: raw.default_provider.as_deref(),
            auto: &raw.auto,
            assignments: raw.assignments.as_ref(),
            secure_model: raw.risk.secure_model.as_deref(),
        },
        base,
        &catalog,
        &mut errs,
    );
    let (risk, refusal) = risk::compile(&raw.risk, &p("risk"), &mut errs);
    let fallback = fallback::compile(&raw.fallback, &p("fallback"), &catalog, &mut errs);
    let audit = raw
        .audit
        .as_ref()
        .map(|ra| audit::compile(ra, &p("audit"), &mut errs));
    let gateway = gateway(&raw, base, &mut errs);
    let identity = identity::compile(&raw.identity, &p("identity"), &mut errs);
    let budgets = raw.budgets.as_ref().and_then(|b| {
        let ctx = budget::Ctx {
            catalog: &catalog,
            has_audit: audit.is_some(),
        };
        budget::compile(b, &p("budgets"), &ctx, &mut errs)
    });
    let accounting = accounting::compile(&raw.accounting, &p("accounting"), &mut errs);
    let metrics = metrics::compile(&raw.metrics, &p("metrics"), &mut errs);
    let access = raw
        .access
        .as_ref()
        .map(|a| access::compile(a, &p("access"), &mut errs));
    let rate_limits = raw
        .rate_limits
        .as_ref()
        .map(|r| ratelimit::compile(r, &p("rate_limits"), &catalog.models, &mut errs));

    match risk {
        Some(risk) if errs.is_empty() => Ok(Config {
            catalog,
            routing,
            identity,
            risk,
            refusal,
            fallback,
            accounting,
            audit,
            budgets,
            metrics,
            access,
            rate_limits,
            max_body_bytes: raw.max_body_bytes,
            path_prefix: gateway.path_prefix,
            path_match: gateway.path_match,
            passthrough_paths: gateway.passthrough_paths,
            hash,
        }),
        _ => Err(errs),
    }
}

/// The gateway's own top-level settings, compiled.
struct Gateway {
    path_prefix: String,
    path_match: paths::PathMatch,
    passthrough_paths: Vec<String>,
}

fn gateway(raw: &RawConfig, base: &str, errs: &mut Vec<ConfigError>) -> Gateway {
    let p = |s: &str| join(base, s);
    if raw.max_body_bytes == 0 {
        errs.push(ConfigError::new(p("max_body_bytes"), "must be > 0"));
    }
    if !raw.path_prefix.starts_with('/') {
        errs.push(ConfigError::new(p("path_prefix"), "must start with `/`"));
    }
    let path_match = match raw.path_match.as_str() {
        "suffix" => paths::PathMatch::Suffix,
        "prefix" => paths::PathMatch::Prefix,
        _ => {
            errs.push(ConfigError::new(
                p("path_match"),
                "must be `suffix` or `prefix`",
            ));
            paths::PathMatch::Suffix
        }
    };
    for (j, x) in raw.passthrough_paths.iter().enumerate() {
        if !x.starts_with('/') {
            errs.push(ConfigError::new(
                p(&format!("passthrough_paths[{j}]")),
                "must start with `/`",
            ));
        }
    }
    Gateway {
        path_prefix: raw.path_prefix.trim_end_matches('/').to_string(),
        path_match,
        passthrough_paths: raw
            .passthrough_paths
            .iter()
            .map(|x| x.to_ascii_lowercase())
            .collect(),
    }
}
