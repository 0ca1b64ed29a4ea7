//! A provider's wire details: its key (inline or from the VM's
//! environment), the header and prefix it goes in, fixed headers and the
//! protocols it accepts — every mistake with its key path.

use super::settings::RawProvider;
use super::Env;
use crate::settings_error::ConfigError;

/// A provider's key, where it goes, its fixed headers and protocols.
pub(super) struct Wire {
    pub(super) api_key: Option<String>,
    pub(super) auth_header: String,
    pub(super) auth_prefix: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) protocols: Vec<crate::wire::Protocol>,
}

pub(super) fn provider_wire(
    rp: &RawProvider,
    at: &str,
    env: Env<'_>,
    errs: &mut Vec<ConfigError>,
) -> Wire {
    let mut api_key = rp.api_key.clone().filter(|k| !k.is_empty());
    if let Some(var) = &rp.api_key_env {
        if api_key.is_some() {
            errs.push(ConfigError::new(
                format!("{at}.api_key_env"),
                "set either `api_key` or `api_key_env`, not both",
            ));
        }
        if let Some(env) = env {
            match env(var).filter(|k| !k.is_empty()) {
                Some(k) => api_key = Some(k),
                None => errs.push(ConfigError::new(
                    format!("{at}.api_key_env"),
                    format!(
                        "environment variable `{var}` is not set in the Envoy VM \
                         (vm_config.environment_variables)"
                    ),
                )),
            }
        }
    }
    let auth_header = rp
        .auth_header
        .as_deref()
        .unwrap_or("authorization")
        .to_ascii_lowercase();
    check_header_name(&auth_header, &format!("{at}.auth_header"), errs);
    let auth_prefix = rp.auth_prefix.clone().unwrap_or_else(|| {
        if auth_header == "authorization" {
            "Bearer "
        } else {
            ""
        }
        .to_string()
    });
    let mut headers = Vec::new();
    for (k, v) in &rp.headers {
        let name = k.to_ascii_lowercase();
        check_header_name(&name, &format!("{at}.headers.{k}"), errs);
        headers.push((name, v.clone()));
    }
    let protocols = match &rp.protocols {
        Some(ps) => protocols(ps, &format!("{at}.protocols"), errs),
        None => vec![crate::wire::Protocol::OPENAI],
    };
    Wire {
        api_key,
        auth_header,
        auth_prefix,
        headers,
        protocols,
    }
}

/// Headers the filter itself owns cannot be configured away.
fn check_header_name(name: &str, at: &str, errs: &mut Vec<ConfigError>) {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let owned = matches!(
        name,
        "content-length" | "content-type" | "host" | "x-request-id"
    ) || crate::headers::is_routing_header(name);
    if !valid {
        errs.push(ConfigError::new(at, "not a valid header name"));
    } else if owned {
        errs.push(ConfigError::new(at, format!("`{name}` is set by clawgate")));
    }
}

pub(super) fn protocols(
    ps: &[String],
    at: &str,
    errs: &mut Vec<ConfigError>,
) -> Vec<crate::wire::Protocol> {
    if ps.is_empty() {
        errs.push(ConfigError::new(at, "must list at least one protocol"));
    }
    let mut out = Vec::new();
    for (j, s) in ps.iter().enumerate() {
        match crate::wire::Protocol::parse(s) {
            Some(x) => out.push(x),
            None => errs.push(ConfigError::new(
                format!("{at}[{j}]"),
                format!("unknown protocol `{s}` (openai, anthropic)"),
            )),
        }
    }
    out
}
