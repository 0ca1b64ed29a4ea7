//! RawConfig -> Config: resolves names, compiles regexes and collects every
//! semantic error with its key path (not just the first one).

use super::error::ConfigError;
use super::model::*;
use super::pricing::pricing;
use super::provider_wire::{protocols, provider_wire};
use super::schema::*;
use regex_lite::Regex;
use std::collections::HashSet;

/// Looks up the Envoy VM's environment (`api_key_env`); `None` where there
/// is no VM to ask (`clawgate check-config`), and the keys stay unset.
pub type Env<'a> = Option<&'a dyn Fn(&str) -> Option<String>>;

pub fn validate(
    raw: RawConfig,
    base: &str,
    hash: String,
    env: Env<'_>,
) -> Result<Config, Vec<ConfigError>> {
    let mut errs = Vec::new();
    let p = |s: &str| super::error::join(base, s);

    let mut providers = Vec::new();
    let mut seen = HashSet::new();
    for (i, rp) in raw.providers.iter().enumerate() {
        let at = p(&format!("providers[{i}]"));
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
        let wire = provider_wire(rp, &at, env, &mut errs);
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
    let provider_idx = |name: &str| providers.iter().position(|x| x.name == name);

    // Model names and aliases share one namespace with the auto name.
    let mut names: HashSet<String> = HashSet::new();
    names.insert(raw.auto.model_name.clone());
    let mut models = Vec::new();
    for (i, rm) in raw.models.iter().enumerate() {
        let at = p(&format!("models[{i}]"));
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
        let provider = match provider_idx(&rm.provider) {
            Some(x) => x,
            None => {
                errs.push(ConfigError::new(
                    format!("{at}.provider"),
                    format!("unknown provider `{}`", rm.provider),
                ));
                0
            }
        };
        let pricing = rm.pricing.as_ref().and_then(|pr| {
            let at = format!("{at}.pricing");
            pricing(pr, &at, &mut errs)
        });
        models.push(Model {
            name: rm.name.clone(),
            provider,
            upstream_model: rm.upstream_model.clone().unwrap_or_else(|| rm.name.clone()),
            aliases: rm.aliases.clone(),
            secure: rm.secure || providers.get(provider).is_some_and(|x| x.secure),
            enabled: rm.enabled,
            context_window: rm.context_window,
            max_tokens: rm.max_tokens,
            reasoning: rm.reasoning,
            pricing,
            fallback: Vec::new(),
            protocols: match &rm.protocols {
                Some(ps) => protocols(ps, &format!("{at}.protocols"), &mut errs),
                None => providers
                    .get(provider)
                    .map_or_else(Vec::new, |x| x.protocols.clone()),
            },
        });
    }
    let model_idx = |models: &[Model], name: &str| {
        models
            .iter()
            .position(|m| m.name == name || m.aliases.iter().any(|a| a == name))
    };

    let mut fallbacks = Vec::new();
    for (i, rm) in raw.models.iter().enumerate() {
        let mut chain = Vec::new();
        for (j, f) in rm.fallback.iter().enumerate() {
            match model_idx(&models, f) {
                Some(x) if x == i => errs.push(ConfigError::new(
                    p(&format!("models[{i}].fallback[{j}]")),
                    "a model cannot fall back to itself",
                )),
                Some(x) => chain.push(x),
                None => errs.push(ConfigError::new(
                    p(&format!("models[{i}].fallback[{j}]")),
                    format!("unknown model `{f}`"),
                )),
            }
        }
        fallbacks.push(chain);
    }
    for (m, chain) in models.iter_mut().zip(fallbacks) {
        m.fallback = chain;
    }

    let mut predicates = Vec::new();
    for (i, rp) in raw.predicates.iter().enumerate() {
        let at = p(&format!("predicates[{i}]"));
        let provider = match provider_idx(&rp.provider) {
            Some(x) => x,
            None => {
                errs.push(ConfigError::new(
                    format!("{at}.provider"),
                    format!("unknown provider `{}`", rp.provider),
                ));
                0
            }
        };
        let kind = match (&rp.prefix, &rp.exact, &rp.regex) {
            (Some(x), None, None) => Some(PredicateKind::Prefix(x.clone())),
            (None, Some(x), None) => Some(PredicateKind::Exact(x.clone())),
            (None, None, Some(x)) => match Regex::new(x) {
                Ok(r) => Some(PredicateKind::Regex(r)),
                Err(e) => {
                    errs.push(ConfigError::new(
                        format!("{at}.regex"),
                        format!("invalid regex: {e}"),
                    ));
                    None
                }
            },
            _ => {
                errs.push(ConfigError::new(
                    at,
                    "needs exactly one of `prefix`, `exact`, `regex`",
                ));
                None
            }
        };
        if let Some(kind) = kind {
            predicates.push(Predicate { kind, provider });
        }
    }

    let default_provider = raw.default_provider.as_ref().and_then(|d| {
        let x = provider_idx(d);
        if x.is_none() {
            errs.push(ConfigError::new(
                p("default_provider"),
                format!("unknown provider `{d}`"),
            ));
        }
        x
    });

    if raw.auto.model_name.is_empty() {
        errs.push(ConfigError::new(p("auto.model_name"), "must not be empty"));
    }
    let auto_models = if raw.auto.models.is_empty() {
        (0..models.len())
            .filter(|&i| models[i].enabled && !models[i].secure)
            .collect()
    } else {
        let mut v = Vec::new();
        for (j, n) in raw.auto.models.iter().enumerate() {
            match model_idx(&models, n) {
                Some(x) => v.push(x),
                None => errs.push(ConfigError::new(
                    p(&format!("auto.models[{j}]")),
                    format!("unknown model `{n}`"),
                )),
            }
        }
        v
    };

    let assignments = raw.assignments.as_ref().map(|ra| {
        let mut rules = Vec::new();
        for (who, m) in &ra.map {
            match model_idx(&models, m) {
                Some(x) => rules.push((who.clone(), x)),
                None => errs.push(ConfigError::new(
                    p(&format!("assignments.map.{who}")),
                    format!("unknown model `{m}`"),
                )),
            }
        }
        Assignments {
            header: ra.header.to_ascii_lowercase(),
            rules,
            enforce: ra.enforce,
        }
    });

    let secure_model = match &raw.risk.secure_model {
        Some(n) => match model_idx(&models, n) {
            Some(x) if models[x].secure => Some(x),
            Some(_) => {
                errs.push(ConfigError::new(
                    p("risk.secure_model"),
                    format!("model `{n}` is not secure (set `secure: true` on it or its provider)"),
                ));
                None
            }
            None => {
                errs.push(ConfigError::new(
                    p("risk.secure_model"),
                    format!("unknown model `{n}`"),
                ));
                None
            }
        },
        None => models.iter().position(|m| m.secure && m.enabled),
    };

    let risk = match crate::risk::Engine::compile(&raw.risk) {
        Ok(e) => Some(e),
        // Risk errors name paths relative to `risk`.
        Err(es) => {
            errs.extend(
                es.into_iter()
                    .map(|e| ConfigError::new(p(&super::error::join("risk", &e.path)), e.message)),
            );
            None
        }
    };

    let refusal =
        crate::risk::RefusalForm::parse(raw.risk.refusal.as_deref()).unwrap_or_else(|| {
            errs.push(ConfigError::new(
                p("risk.refusal"),
                "must be `message` or `error`",
            ));
            crate::risk::RefusalForm::Message
        });

    let fb = &raw.fallback;
    let mut chain = Vec::new();
    for (j, n) in fb.chain.iter().enumerate() {
        match model_idx(&models, n) {
            Some(x) => chain.push(x),
            None => errs.push(ConfigError::new(
                p(&format!("fallback.chain[{j}]")),
                format!("unknown model `{n}`"),
            )),
        }
    }
    if fb.max_attempts == 0 {
        errs.push(ConfigError::new(p("fallback.max_attempts"), "must be >= 1"));
    }
    for (j, s) in fb.on_status.iter().enumerate() {
        if !(100..=599).contains(s) {
            errs.push(ConfigError::new(
                p(&format!("fallback.on_status[{j}]")),
                "not an HTTP status",
            ));
        }
    }

    let audit = raw.audit.as_ref().map(|ra| {
        if ra.batch_max == 0 {
            errs.push(ConfigError::new(p("audit.batch_max"), "must be >= 1"));
        }
        if ra.buffer_max_records < ra.batch_max {
            errs.push(ConfigError::new(
                p("audit.buffer_max_records"),
                "must be >= batch_max",
            ));
        }
        if ra.flush_interval_ms == 0 {
            errs.push(ConfigError::new(
                p("audit.flush_interval_ms"),
                "must be > 0",
            ));
        }
        match (&ra.token, &ra.token_env) {
            (Some(_), Some(_)) => errs.push(ConfigError::new(
                p("audit.token_env"),
                "set either audit.token or audit.token_env, not both",
            )),
            (_, Some(e)) if e.trim().is_empty() => errs.push(ConfigError::new(
                p("audit.token_env"),
                "must name an environment variable",
            )),
            _ => {}
        }
        AuditConfig {
            cluster: ra.cluster.clone(),
            path: ra.path.clone(),
            authority: ra.authority.clone().unwrap_or_else(|| ra.cluster.clone()),
            token: ra.token.clone(),
            token_env: ra.token_env.clone(),
            flush_interval_ms: ra.flush_interval_ms,
            batch_max: ra.batch_max,
            buffer_max_records: ra.buffer_max_records,
            payloads: ra.payloads,
            max_payload_bytes: ra.max_payload_bytes,
            timeout_ms: ra.timeout_ms,
        }
    });

    if raw.max_body_bytes == 0 {
        errs.push(ConfigError::new(p("max_body_bytes"), "must be > 0"));
    }
    if !raw.path_prefix.starts_with('/') {
        errs.push(ConfigError::new(p("path_prefix"), "must start with `/`"));
    }
    let path_match = match raw.path_match.as_str() {
        "suffix" => crate::paths::PathMatch::Suffix,
        "prefix" => crate::paths::PathMatch::Prefix,
        _ => {
            errs.push(ConfigError::new(
                p("path_match"),
                "must be `suffix` or `prefix`",
            ));
            crate::paths::PathMatch::Suffix
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

    let lower = |v: &[String]| v.iter().map(|s| s.to_ascii_lowercase()).collect::<Vec<_>>();
    let identity = IdentityConfig {
        user: lower(&raw.identity.user),
        instance: lower(&raw.identity.instance),
        session: lower(&raw.identity.session),
        trace: lower(&raw.identity.trace),
    };

    let access = raw
        .access
        .as_ref()
        .map(|a| crate::access::compile(a, &p("access"), &mut errs));
    let rate_limits = raw
        .rate_limits
        .as_ref()
        .map(|r| crate::ratelimit::compile(r, &p("rate_limits"), &models, &mut errs));

    let budgets = raw.budgets.as_ref().and_then(|b| {
        super::budgets::validate(b, &p("budgets"), &models, audit.is_some(), &mut errs)
    });

    match risk {
        Some(risk) if errs.is_empty() => Ok(Config {
            providers,
            models,
            predicates,
            default_provider,
            auto: Auto {
                model_name: raw.auto.model_name.clone(),
                strategy: raw.auto.strategy,
                models: auto_models,
            },
            assignments,
            access,
            rate_limits,
            identity,
            risk,
            secure_model,
            refusal,
            fallback: FallbackConfig {
                chain,
                on_status: fb.on_status.clone(),
                max_attempts: fb.max_attempts,
                timeout_ms: fb.timeout_ms,
            },
            accounting: AccountingConfig {
                headers: raw.accounting.headers,
                inject_stream_usage: raw.accounting.inject_stream_usage,
                strip_injected_usage: raw.accounting.strip_injected_usage,
            },
            audit,
            budgets,
            max_consumers: raw.metrics.max_consumers,
            max_models: raw.metrics.max_models,
            ai_statistics: raw.metrics.ai_statistics,
            ai_log: raw.metrics.ai_log,
            max_body_bytes: raw.max_body_bytes,
            path_prefix: raw.path_prefix.trim_end_matches('/').to_string(),
            path_match,
            passthrough_paths: raw
                .passthrough_paths
                .iter()
                .map(|x| x.to_ascii_lowercase())
                .collect(),
            hash,
        }),
        _ => Err(errs),
    }
}
