//! Stat names. Token and latency stats follow Higress ai-statistics
//! (`route.<r>.upstream.<c>.model.<m>.consumer.<u>.metric.<name>`) so its
//! dashboards read them; gateway counters live under `clawgate.`. Name
//! parts are sanitised: anything but `[A-Za-z0-9_-]` becomes `_`, so a dot
//! in a model name (`qwen2.5`) cannot break tag extraction.

pub fn part(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if out.is_empty() {
        out.push_str("none");
    }
    out
}

pub fn ai(route: &str, cluster: &str, model: &str, consumer: &str, metric: &str) -> String {
    format!(
        "route.{}.upstream.{}.model.{}.consumer.{}.metric.{}",
        part(route),
        part(cluster),
        part(model),
        part(consumer),
        metric
    )
}

pub fn requests(reason: &str) -> String {
    format!("clawgate.requests.reason.{}", part(reason))
}

pub fn risk_hit(rule: &str, action: &str) -> String {
    format!(
        "clawgate.risk.rule.{}.action.{}.hits",
        part(rule),
        part(action)
    )
}

pub fn fallback(from: &str, to: &str) -> String {
    format!("clawgate.fallback.from.{}.to.{}", part(from), part(to))
}

pub fn cost_micros(model: &str, currency: &str) -> String {
    format!(
        "clawgate.cost.model.{}.currency.{}.micros",
        part(model),
        part(currency)
    )
}

pub const BLOCKED: &str = "clawgate.blocked";
pub const UNPARSED: &str = "clawgate.accounting.unparsed";
pub const INCOMPLETE: &str = "clawgate.accounting.incomplete";
pub const AUDIT_SENT: &str = "clawgate.audit.sent";
pub const AUDIT_FAILED: &str = "clawgate.audit.failed";
pub const AUDIT_DROPPED: &str = "clawgate.audit.dropped";
pub const AUDIT_QUEUED: &str = "clawgate.audit.queued";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_tag_safe() {
        assert_eq!(
            ai("r1", "outbound|443||x.dns", "qwen2.5:7b", "", "input_token"),
            "route.r1.upstream.outbound_443__x_dns.model.qwen2_5_7b.consumer.none.metric.input_token"
        );
        assert_eq!(
            risk_hit("email_address", "mask"),
            "clawgate.risk.rule.email_address.action.mask.hits"
        );
    }
}
