//! Stat names. Token and latency stats follow Higress ai-statistics
//! (`route.<r>.upstream.<c>.model.<m>.consumer.<u>.metric.<name>`) so its
//! dashboards read them; gateway counters live under `clawgate.`. Name
//! parts are sanitised: anything but `[A-Za-z0-9_-]` becomes `_`, so a dot
//! in a model name (`qwen2.5`) cannot break tag extraction.

use std::collections::HashMap;

/// How often a worker hands its counters to Envoy. Prometheus scrapes
/// every 15 s or so; a scrape sees counts at most this old.
pub const FLUSH_INTERVAL_MS: u64 = 1000;

/// The root context's tick: counters flush every second, audit batches
/// every `flush_interval_ms`; the tick serves both.
pub fn tick_ms(audit_flush_ms: Option<u64>) -> u64 {
    audit_flush_ms.map_or(FLUSH_INTERVAL_MS, |a| a.clamp(1, FLUSH_INTERVAL_MS))
}

/// Counter deltas a worker has not handed to Envoy yet: one increment per
/// counter per flush instead of one per counter per request. Names stay
/// (zeroed) after a flush, so a known counter costs no allocation.
#[derive(Debug, Default)]
pub struct Pending {
    deltas: HashMap<String, u64>,
}

impl Pending {
    pub fn add(&mut self, name: &str, n: u64) {
        if n == 0 {
            return;
        }
        match self.deltas.get_mut(name) {
            Some(v) => *v = v.saturating_add(n),
            None => {
                self.deltas.insert(name.to_string(), n);
            }
        }
    }

    /// Hands every non-zero delta to `f` and zeroes it.
    pub fn flush(&mut self, f: &mut dyn FnMut(&str, u64)) {
        for (name, v) in self.deltas.iter_mut().filter(|(_, v)| **v > 0) {
            f(name, *v);
            *v = 0;
        }
    }
}

/// A schedule on top of a tick that may be faster (audit batches ship
/// every `flush_interval_ms` while counters flush every second). Half a
/// tick of slack, so a tick that fires a little early is not skipped.
#[derive(Debug, Clone, Default)]
pub struct Every {
    interval_ms: u64,
    slack_ms: u64,
    next_ms: u64,
}

impl Every {
    pub fn new(interval_ms: u64, tick_ms: u64) -> Self {
        Every {
            interval_ms,
            slack_ms: tick_ms / 2,
            next_ms: 0,
        }
    }

    pub fn due(&mut self, now_ms: u64) -> bool {
        if now_ms.saturating_add(self.slack_ms) < self.next_ms {
            return false;
        }
        self.next_ms = now_ms.saturating_add(self.interval_ms);
        true
    }
}

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

pub fn budget(limit: &str, outcome: &str) -> String {
    format!(
        "clawgate.budget.limit.{}.outcome.{}",
        part(limit),
        part(outcome)
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
    fn pending_sums_and_flushes_each_counter_once() {
        let mut p = Pending::default();
        p.add("a", 2);
        p.add("b", 0);
        p.add("a", 3);
        let mut out = Vec::new();
        p.flush(&mut |k, v| out.push((k.to_string(), v)));
        assert_eq!(out, [("a".to_string(), 5)]);
        let mut again = Vec::new();
        p.flush(&mut |k, v| again.push((k.to_string(), v)));
        assert!(again.is_empty(), "flushed deltas are zeroed");
    }

    #[test]
    fn one_tick_serves_counters_and_audit() {
        assert_eq!(tick_ms(None), 1000);
        assert_eq!(tick_ms(Some(200)), 200);
        assert_eq!(tick_ms(Some(5000)), 1000);
        assert_eq!(tick_ms(Some(0)), 1);
    }

    #[test]
    fn every_is_due_once_per_interval() {
        let mut e = Every::new(3000, 1000);
        let ticks = [0, 1000, 2000, 2998, 4000, 5000, 6001];
        let due: Vec<bool> = ticks.iter().map(|&t| e.due(t)).collect();
        assert_eq!(
            due,
            [true, false, false, true, false, false, true],
            "an early tick still counts"
        );
    }

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
