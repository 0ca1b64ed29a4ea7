//! Higress per-route overrides: `_rules_: [{_match_route_: [...], <config>}]`
//! beside the global config. Each rule has exactly one matcher; the first
//! matching rule's config applies, else the global one. A rule's keys replace
//! the global keys of the same name (shallow merge), so a rule can override
//! only `risk` and inherit providers and models.

use crate::settings_error::ConfigError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Route names (Envoy's `route_name` property), exact.
    Route(Vec<String>),
    /// Route names and services, both matching (the console writes an
    /// AI route's rule with both).
    RouteAndService(Vec<String>, Vec<String>),
    /// Route-name prefixes.
    RoutePrefix(Vec<String>),
    /// Route-name prefixes and consumers (`x-mse-consumer`), both matching.
    RoutePrefixAndConsumer(Vec<String>, Vec<String>),
    /// Hosts: `*suffix`, `prefix*` or exact, port ignored.
    Domain(Vec<String>),
    /// Services: `fqdn` or `fqdn:port` against Higress's cluster name
    /// `outbound|<port>|<subset>|<fqdn>`, or a plain Envoy cluster name.
    Service(Vec<String>),
}

pub const MATCHER_KEYS: [&str; 5] = [
    "_match_route_",
    "_match_route_prefix_",
    "_match_domain_",
    "_match_service_",
    "_match_consumer_",
];

/// What the host knows about a request when choosing a config.
#[derive(Debug, Default, Clone)]
pub struct RequestAttrs<'a> {
    pub route_name: Option<&'a str>,
    pub host: Option<&'a str>,
    pub cluster_name: Option<&'a str>,
    pub consumer: Option<&'a str>,
}

impl Matcher {
    pub fn matches(&self, at: &RequestAttrs) -> bool {
        let route = |names: &[String]| at.route_name.is_some_and(|r| names.iter().any(|n| n == r));
        let prefix = |ps: &[String]| {
            at.route_name
                .is_some_and(|r| ps.iter().any(|p| r.starts_with(p.as_str())))
        };
        let service = |ss: &[String]| {
            at.cluster_name
                .is_some_and(|c| ss.iter().any(|s| service_matches(s, c)))
        };
        match self {
            Matcher::Route(names) => route(names),
            Matcher::RouteAndService(names, ss) => route(names) && service(ss),
            Matcher::RoutePrefix(ps) => prefix(ps),
            Matcher::RoutePrefixAndConsumer(ps, cs) => {
                prefix(ps) && at.consumer.is_some_and(|c| cs.iter().any(|x| x == c))
            }
            Matcher::Domain(ds) => at.host.is_some_and(|h| {
                let h = strip_port(h);
                ds.iter().any(|d| domain_matches(d, h))
            }),
            Matcher::Service(ss) => service(ss),
        }
    }
}

/// `host:port` -> `host`; an IPv6 literal keeps its brackets' colons.
fn strip_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(i) if host.rfind(']').is_none_or(|j| j < i) => &host[..i],
        _ => host,
    }
}

/// Higress's host patterns, case-insensitive (DNS names are).
fn domain_matches(pattern: &str, host: &str) -> bool {
    let (p, h) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    if let Some(suffix) = p.strip_prefix('*') {
        h.ends_with(suffix)
    } else if let Some(prefix) = p.strip_suffix('*') {
        h.starts_with(prefix)
    } else {
        p == h
    }
}

fn service_matches(pattern: &str, cluster: &str) -> bool {
    if pattern == cluster {
        return true; // a plain Envoy cluster name
    }
    let parts: Vec<&str> = cluster.split('|').collect();
    let [_, port, _, fqdn] = parts.as_slice() else {
        return false;
    };
    match pattern.rsplit_once(':') {
        Some((f, p)) if f == *fqdn && p == *port => true,
        _ => pattern == *fqdn,
    }
}

/// Takes the matcher keys out of a rule object. One matcher per rule, or
/// the pairs Higress gives a meaning to (route + service, route prefix +
/// consumer); any other mix is refused rather than half-ignored.
pub fn take_matcher(
    rule: &mut serde_json::Map<String, serde_json::Value>,
    at: &str,
) -> Result<Matcher, ConfigError> {
    let mut lists = Vec::new();
    for key in MATCHER_KEYS {
        if let Some(v) = rule.remove(key) {
            lists.push((key, string_list(v, &format!("{at}.{key}"))?));
        }
    }
    let keys: Vec<&str> = lists.iter().map(|(k, _)| *k).collect();
    let mut take = |key: &str| {
        lists
            .iter()
            .position(|(k, _)| *k == key)
            .map(|i| lists.swap_remove(i).1)
            .unwrap_or_default()
    };
    Ok(match keys.as_slice() {
        ["_match_route_"] => Matcher::Route(take("_match_route_")),
        ["_match_route_prefix_"] => Matcher::RoutePrefix(take("_match_route_prefix_")),
        ["_match_domain_"] => Matcher::Domain(take("_match_domain_")),
        ["_match_service_"] => Matcher::Service(take("_match_service_")),
        ["_match_route_", "_match_service_"] => {
            Matcher::RouteAndService(take("_match_route_"), take("_match_service_"))
        }
        ["_match_route_prefix_", "_match_consumer_"] => Matcher::RoutePrefixAndConsumer(
            take("_match_route_prefix_"),
            take("_match_consumer_"),
        ),
        [] => {
            return Err(ConfigError::new(
                at,
                "rule needs a matcher: _match_route_, _match_route_prefix_, _match_domain_ or _match_service_",
            ))
        }
        _ => {
            return Err(ConfigError::new(
                at,
                format!(
                    "rule mixes matchers ({}); use one, or _match_route_ with _match_service_, or _match_route_prefix_ with _match_consumer_",
                    keys.join(", ")
                ),
            ))
        }
    })
}

fn string_list(v: serde_json::Value, path: &str) -> Result<Vec<String>, ConfigError> {
    let serde_json::Value::Array(items) = v else {
        return Err(ConfigError::new(path, "must be a list of strings"));
    };
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
    if out.is_empty() {
        return Err(ConfigError::new(path, "must not be empty"));
    }
    Ok(out)
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

    #[test]
    fn services_match_higress_cluster_names() {
        let cluster = "outbound|443||llm-openai.internal.dns";
        for (pattern, want) in [
            ("llm-openai.internal.dns", true),
            ("llm-openai.internal.dns:443", true),
            ("llm-openai.internal.dns:80", false),
            ("llm-openai", false),
            (cluster, true),
        ] {
            assert_eq!(service_matches(pattern, cluster), want, "{pattern}");
        }
        assert!(service_matches("openai", "openai"), "plain Envoy cluster");
        assert!(!service_matches("openai", "outbound|443|openai"));
    }

    #[test]
    fn hosts_follow_higress_patterns() {
        for (pattern, host, want) in [
            ("*.example.com", "a.example.com", true),
            ("*.example.com", "example.com", false),
            ("*example.com", "badexample.com", true),
            ("llm.*", "llm.corp.io", true),
            ("llm.*", "api.llm.io", false),
            ("api.x.io", "API.x.io", true),
        ] {
            assert_eq!(domain_matches(pattern, host), want, "{pattern} {host}");
        }
        assert_eq!(strip_port("llm.corp.io:8080"), "llm.corp.io");
        assert_eq!(strip_port("[::1]:8080"), "[::1]");
        assert_eq!(strip_port("[::1]"), "[::1]");
    }

    #[test]
    fn console_pairs_need_both_halves() {
        let rule = |v: serde_json::Value| {
            let serde_json::Value::Object(mut m) = v else {
                unreachable!()
            };
            take_matcher(&mut m, "_rules_[0]")
        };
        let m = rule(serde_json::json!({"_match_route_": ["ai-route-a.internal"],
                                        "_match_service_": ["llm-a.internal.dns:443"]}))
        .unwrap();
        let mut at = RequestAttrs {
            route_name: Some("ai-route-a.internal"),
            cluster_name: Some("outbound|443||llm-a.internal.dns"),
            ..Default::default()
        };
        assert!(m.matches(&at));
        at.cluster_name = Some("outbound|443||llm-b.internal.dns");
        assert!(!m.matches(&at), "route alone is not enough");
        let m = rule(serde_json::json!({"_match_route_prefix_": ["ai-route-"],
                                        "_match_consumer_": ["manager"]}))
        .unwrap();
        at.consumer = Some("manager");
        assert!(m.matches(&at));
        at.consumer = Some("worker-1");
        assert!(!m.matches(&at));
        let e =
            rule(serde_json::json!({"_match_route_": ["a"], "_match_domain_": ["b"]})).unwrap_err();
        assert!(e.message.contains("mixes matchers"), "{e:?}");
        let e = rule(serde_json::json!({"_match_consumer_": ["manager"]})).unwrap_err();
        assert!(
            e.message.contains("mixes matchers"),
            "consumer alone: {e:?}"
        );
        let e = rule(serde_json::json!({"_match_service_": []})).unwrap_err();
        assert_eq!(e.path, "_rules_[0]._match_service_");
    }
}
