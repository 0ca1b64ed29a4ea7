//! Higress per-route overrides: `_rules_: [{_match_route_: [...], <config>}]`
//! beside the global config. Each rule has exactly one matcher; the first
//! matching rule's config applies, else the global one. A rule's keys replace
//! the global keys of the same name (shallow merge), so a rule can override
//! only `risk` and inherit providers and models.

use super::error::ConfigError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Route names (Envoy's `route_name` property), exact.
    Route(Vec<String>),
    /// Route-name prefixes.
    RoutePrefix(Vec<String>),
    /// Hosts; `*.example.com` matches any subdomain.
    Domain(Vec<String>),
    /// Upstream cluster names (`cluster_name` property).
    Service(Vec<String>),
}

pub const MATCHER_KEYS: [&str; 4] = [
    "_match_route_",
    "_match_route_prefix_",
    "_match_domain_",
    "_match_service_",
];

/// What the host knows about a request when choosing a config.
#[derive(Debug, Default, Clone)]
pub struct RequestAttrs<'a> {
    pub route_name: Option<&'a str>,
    pub host: Option<&'a str>,
    pub cluster_name: Option<&'a str>,
}

impl Matcher {
    pub fn matches(&self, at: &RequestAttrs) -> bool {
        match self {
            Matcher::Route(names) => at.route_name.is_some_and(|r| names.iter().any(|n| n == r)),
            Matcher::RoutePrefix(ps) => at
                .route_name
                .is_some_and(|r| ps.iter().any(|p| r.starts_with(p.as_str()))),
            Matcher::Domain(ds) => at.host.is_some_and(|h| {
                // Hosts may carry a port; matching is on the name only.
                let h = h.rsplit_once(':').map_or(h, |(n, port)| {
                    if port.bytes().all(|b| b.is_ascii_digit()) {
                        n
                    } else {
                        h
                    }
                });
                ds.iter().any(|d| domain_matches(d, h))
            }),
            Matcher::Service(ss) => at.cluster_name.is_some_and(|c| ss.iter().any(|s| s == c)),
        }
    }
}

fn domain_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => {
            host.len() > suffix.len() + 1
                && host[host.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
                && host.as_bytes()[host.len() - suffix.len() - 1] == b'.'
        }
        None => pattern.eq_ignore_ascii_case(host),
    }
}

/// Takes the single matcher key out of a rule object.
pub fn take_matcher(
    rule: &mut serde_json::Map<String, serde_json::Value>,
    at: &str,
) -> Result<Matcher, ConfigError> {
    let present: Vec<&str> = MATCHER_KEYS
        .iter()
        .copied()
        .filter(|k| rule.contains_key(*k))
        .collect();
    let key = match present.as_slice() {
        [k] => *k,
        [] => {
            return Err(ConfigError::new(
                at,
                format!("rule needs one matcher: {}", MATCHER_KEYS.join(", ")),
            ))
        }
        _ => {
            return Err(ConfigError::new(
                at,
                format!(
                    "rule has several matchers ({}); use one per rule",
                    present.join(", ")
                ),
            ))
        }
    };
    let path = format!("{at}.{key}");
    let list: Vec<String> = match rule.remove(key) {
        Some(serde_json::Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, it) in items.into_iter().enumerate() {
                match it {
                    serde_json::Value::String(s) if !s.is_empty() => out.push(s),
                    _ => {
                        return Err(ConfigError::new(
                            format!("{path}[{i}]"),
                            "must be a non-empty string",
                        ))
                    }
                }
            }
            out
        }
        _ => return Err(ConfigError::new(path, "must be a list of strings")),
    };
    if list.is_empty() {
        return Err(ConfigError::new(path, "must not be empty"));
    }
    Ok(match key {
        "_match_route_" => Matcher::Route(list),
        "_match_route_prefix_" => Matcher::RoutePrefix(list),
        "_match_domain_" => Matcher::Domain(list),
        _ => Matcher::Service(list),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_wildcards() {
        assert!(domain_matches("*.example.com", "a.example.com"));
        assert!(domain_matches("*.example.com", "a.b.EXAMPLE.com"));
        assert!(!domain_matches("*.example.com", "example.com"));
        assert!(!domain_matches("*.example.com", "badexample.com"));
        assert!(domain_matches("api.x.io", "API.x.io"));
        let m = Matcher::Domain(vec!["*.corp.io".into()]);
        let at = RequestAttrs {
            host: Some("llm.corp.io:8080"),
            ..Default::default()
        };
        assert!(m.matches(&at));
    }

    #[test]
    fn route_matchers() {
        let at = RequestAttrs {
            route_name: Some("ai-route-openai"),
            ..Default::default()
        };
        assert!(Matcher::Route(vec!["ai-route-openai".into()]).matches(&at));
        assert!(!Matcher::Route(vec!["ai-route".into()]).matches(&at));
        assert!(Matcher::RoutePrefix(vec!["ai-route".into()]).matches(&at));
        assert!(!Matcher::Service(vec!["x".into()]).matches(&at));
    }
}
