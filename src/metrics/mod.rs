//! Stat names. Token and latency stats are Higress ai-statistics' family
//! (`route.<r>.upstream.<c>.model.<m>.consumer.<u>.metric.<name>`) with
//! its label values, so its dashboards read either; gateway counters live
//! under `clawgate.`, their name parts sanitised (anything but
//! `[A-Za-z0-9_-]` becomes `_`) so a dot in `qwen2.5` cannot break tag
//! extraction.

mod compile;
pub mod settings;

pub use compile::compile;
pub use settings::{is_higress_cluster, AiLog, AiStatistics, MetricsConfig};

use crate::wire::Usage;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// How often a worker hands its counters to Envoy. Prometheus scrapes
/// every 15 s or so; a scrape sees counts at most this old.
pub const FLUSH_INTERVAL_MS: u64 = 1000;

/// How often a worker with an audit queue looks whether a full batch is
/// waiting: a busy worker ships at the sidecar's pace, not once per
/// `flush_interval_ms`.
pub const SHIP_CHECK_MS: u64 = 100;

/// The root context's tick: counters flush every second; with an audit
/// queue the tick is at most `SHIP_CHECK_MS` (and at most the flush
/// interval, which partial batches wait for).
pub fn tick_ms(audit_flush_ms: Option<u64>) -> u64 {
    audit_flush_ms.map_or(FLUSH_INTERVAL_MS, |a| a.clamp(1, SHIP_CHECK_MS))
}

/// Counter deltas a worker has not handed to Envoy yet: one increment per
/// counter per flush instead of one per counter per request. Names stay
/// (zeroed) after a flush, so a known counter costs no allocation.
#[derive(Debug, Default)]
pub struct Pending {
    deltas: HashMap<String, u64, BuildHasherDefault<NameHasher>>,
}

/// Counter names are built from config and capped labels, not chosen by
/// a client, so a fast unkeyed hash (FxHash's mixing, 8 bytes a step)
/// does instead of SipHash, which was 4% of a request's wasm time.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        for &b in words.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
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
    let mut out = String::new();
    push_part(&mut out, s);
    out
}

/// Appends [`part`]`(s)` to `out`.
fn push_part(out: &mut String, s: &str) {
    let start = out.len();
    out.extend(s.chars().take(64).map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '_'
        }
    }));
    if out.len() == start {
        out.push_str("none");
    }
}

/// A counter name: each literal followed by its value as a [`part`], then
/// `tail`. Written into one string: `format!` with a `part` per value cost
/// a request a few thousand instructions over its counters.
fn name(pieces: &[(&str, &str)], tail: &str) -> String {
    let mut out = String::with_capacity(64);
    for (lit, value) in pieces {
        out.push_str(lit);
        push_part(&mut out, value);
    }
    out.push_str(tail);
    out
}

/// Whether clawgate emits the ai-statistics family for a request upstream
/// of `cluster`. `auto`: not under Higress, where the console turns the
/// ai-statistics plugin on for every AI route and it counts the same
/// tokens (twice would be wrong).
pub fn emits_ai_family(mode: AiStatistics, cluster: &str) -> bool {
    match mode {
        AiStatistics::Auto => !is_higress_cluster(cluster),
        AiStatistics::Emit => true,
        AiStatistics::Off => false,
    }
}

/// One request's labels in the ai-statistics family, as ai-statistics
/// fills them: raw route and cluster names (`-` when unknown), the model
/// sent upstream, the `x-mse-consumer` header (`none` when absent).
#[derive(Debug, Clone, Default)]
pub struct AiLabels {
    pub route: String,
    pub cluster: String,
    pub model: String,
    pub consumer: String,
}

impl AiLabels {
    pub fn name(&self, metric: &str) -> String {
        self.prefix() + metric
    }

    /// `route.<r>.upstream.<c>.model.<m>.consumer.<u>.metric.`: built once
    /// per request, each counter's name is this plus its own.
    fn prefix(&self) -> String {
        fn or<'a>(v: &'a str, unknown: &'a str) -> &'a str {
            if v.is_empty() {
                unknown
            } else {
                v
            }
        }
        let mut out = String::with_capacity(96);
        for (lit, v) in [
            ("route.", or(&self.route, "-")),
            (".upstream.", or(&self.cluster, "-")),
            (".model.", or(&self.model, "-")),
            (".consumer.", or(&self.consumer, "none")),
        ] {
            out.push_str(lit);
            out.push_str(v);
        }
        out.push_str(".metric.");
        out
    }

    /// The whole family for one answered request, as ai-statistics writes
    /// it: only with a known usage; every duration with its count
    /// (`llm_duration_count`, `llm_stream_duration_count`, which the
    /// console dashboard divides by); first-token latency for streams only.
    pub fn family(
        &self,
        u: &Usage,
        service_ms: u64,
        first_token_ms: Option<u64>,
    ) -> Vec<(String, u64)> {
        let (Some(p), Some(c)) = (u.prompt, u.completion) else {
            return Vec::new();
        };
        let prefix = self.prefix();
        // sized at once: `prefix.clone() + metric` copied, then regrew, each name
        let name = |metric: &str| {
            let mut n = String::with_capacity(prefix.len() + metric.len());
            n.push_str(&prefix);
            n.push_str(metric);
            n
        };
        let mut out = vec![
            (name("input_token"), p),
            (name("output_token"), c),
            (name("total_token"), u.total.unwrap_or(p + c)),
            (name("llm_service_duration"), service_ms),
            (name("llm_duration_count"), 1),
        ];
        if let Some(t) = first_token_ms {
            out.push((name("llm_first_token_duration"), t));
            out.push((name("llm_stream_duration_count"), 1));
        }
        out
    }
}

pub fn requests(reason: &str) -> String {
    name(&[("clawgate.requests.reason.", reason)], "")
}

pub fn risk_hit(rule: &str, action: &str) -> String {
    name(
        &[("clawgate.risk.rule.", rule), (".action.", action)],
        ".hits",
    )
}

pub fn fallback(from: &str, to: &str) -> String {
    name(&[("clawgate.fallback.from.", from), (".to.", to)], "")
}

pub fn cost_micros(model: &str, currency: &str) -> String {
    name(
        &[("clawgate.cost.model.", model), (".currency.", currency)],
        ".micros",
    )
}

pub fn budget(limit: &str, outcome: &str) -> String {
    name(
        &[("clawgate.budget.limit.", limit), (".outcome.", outcome)],
        "",
    )
}

pub const BLOCKED: &str = "clawgate.blocked";
pub const UNPARSED: &str = "clawgate.accounting.unparsed";
pub const INCOMPLETE: &str = "clawgate.accounting.incomplete";
pub const AUDIT_SENT: &str = "clawgate.audit.sent";
pub const AUDIT_FAILED: &str = "clawgate.audit.failed";
pub const AUDIT_DROPPED: &str = "clawgate.audit.dropped";
/// Records the sidecar refused on their own, stored as a stub.
pub const AUDIT_QUARANTINED: &str = "clawgate.audit.quarantined";
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
        assert_eq!(tick_ms(Some(50)), 50);
        assert_eq!(tick_ms(Some(200)), SHIP_CHECK_MS);
        assert_eq!(tick_ms(Some(5000)), SHIP_CHECK_MS);
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
    fn clawgate_names_are_tag_safe() {
        assert_eq!(
            risk_hit("email_address", "mask"),
            "clawgate.risk.rule.email_address.action.mask.hits"
        );
        assert_eq!(
            cost_micros("qwen2.5:7b", "USD"),
            "clawgate.cost.model.qwen2_5_7b.currency.USD.micros"
        );
    }

    fn usage(p: u64, c: u64) -> Usage {
        Usage {
            prompt: Some(p),
            completion: Some(c),
            total: Some(p + c),
            ..Default::default()
        }
    }

    #[test]
    fn ai_family_has_ai_statistics_label_values() {
        // the names Higress generates: an AI route, its cluster
        let l = AiLabels {
            route: "ai-route-openai.internal".into(),
            cluster: "outbound|443||llm-openai.internal.dns".into(),
            model: "qwen2.5-72b".into(),
            consumer: String::new(),
        };
        assert_eq!(
            l.name("input_token"),
            "route.ai-route-openai.internal.upstream.outbound|443||llm-openai.internal.dns.model.qwen2.5-72b.consumer.none.metric.input_token"
        );
        assert_eq!(
            AiLabels::default().name("x"),
            "route.-.upstream.-.model.-.consumer.none.metric.x"
        );
    }

    #[test]
    fn ai_family_counts_every_duration() {
        let l = AiLabels::default();
        let json: Vec<String> = l
            .family(&usage(3, 4), 50, None)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let metric = |n: &str| l.name(n);
        assert_eq!(
            json,
            [
                "input_token",
                "output_token",
                "total_token",
                "llm_service_duration",
                "llm_duration_count"
            ]
            .map(metric)
        );
        let sse = l.family(&usage(3, 4), 50, Some(9));
        assert!(sse.contains(&(l.name("llm_first_token_duration"), 9)));
        assert!(sse.contains(&(l.name("llm_stream_duration_count"), 1)));
        let unknown = Usage {
            prompt: Some(3),
            ..Default::default()
        };
        assert!(
            l.family(&unknown, 50, None).is_empty(),
            "ai-statistics skips a request without usage"
        );
    }

    #[test]
    fn ai_family_is_left_to_higress_ai_statistics_under_higress() {
        let higress = "outbound|443||llm-openai.internal.dns";
        assert!(!emits_ai_family(AiStatistics::Auto, higress));
        assert!(emits_ai_family(AiStatistics::Auto, "openai"));
        assert!(emits_ai_family(AiStatistics::Emit, higress));
        assert!(!emits_ai_family(AiStatistics::Off, "openai"));
    }
}
