//! The `metrics:` section as users write it: consumer-label bounds, who
//! emits the ai-statistics token family, and whether `ai_log` is written.

use serde::Deserialize;

/// Bounds on identity-derived stat labels (`consumer.<u>`): a client
/// header must not be able to create stats without bound.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RawMetrics {
    /// Distinct consumers a worker labels by name; later ones share
    /// `consumer.other`. 0 labels every consumer `other`.
    pub max_consumers: usize,
    /// Distinct pass-through model names (not configured ones) a worker
    /// labels by name; later ones share `model.other`.
    pub max_models: usize,
    pub ai_statistics: AiStatistics,
    /// Write clawgate's decisions into the `ai_log` filter state and the
    /// `trace_span_tag.*` span tags (up to eleven hostcalls per request):
    /// `auto` under Higress only (the upstream cluster is named
    /// `outbound|<port>|<subset>|<fqdn>`), `true` always, `false` never.
    pub ai_log: AiLog,
}

pub const DEFAULT_MAX_CONSUMERS: usize = 100;

impl Default for RawMetrics {
    fn default() -> Self {
        RawMetrics {
            max_consumers: DEFAULT_MAX_CONSUMERS,
            max_models: DEFAULT_MAX_CONSUMERS,
            ai_statistics: AiStatistics::Auto,
            ai_log: AiLog::Auto,
        }
    }
}

/// Higress names the clusters it pushes `outbound|<port>|<subset>|<fqdn>`
/// (Istio's naming); a plain Envoy config rarely does.
pub fn is_higress_cluster(cluster: &str) -> bool {
    cluster.starts_with("outbound|")
}

/// Whether clawgate writes `ai_log` and the span tags: `true`, `false`, or
/// `auto` (written for requests to a cluster named the way Higress names
/// them, where Higress's access log and tracing read them; elsewhere only
/// an access-log format naming the filter state would, so they are not
/// worth their hostcalls).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AiLog {
    #[default]
    Auto,
    On,
    Off,
}

impl AiLog {
    /// Whether a request upstream of `cluster` gets them (the name is
    /// asked for only under `auto`: under Envoy each read is a hostcall).
    pub fn writes(self, cluster: &dyn Fn() -> String) -> bool {
        match self {
            AiLog::Auto => is_higress_cluster(&cluster()),
            AiLog::On => true,
            AiLog::Off => false,
        }
    }
}

impl<'de> Deserialize<'de> for AiLog {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = AiLog;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or \"auto\"")
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<AiLog, E> {
                Ok(if b { AiLog::On } else { AiLog::Off })
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<AiLog, E> {
                match s {
                    "auto" => Ok(AiLog::Auto),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(s), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl schemars::JsonSchema for AiLog {
    fn schema_name() -> String {
        "AiLog".to_string()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        let v = serde_json::json!({
            "default": "auto",
            "oneOf": [{"type": "boolean"}, {"type": "string", "enum": ["auto"]}]
        });
        serde_json::from_value(v).unwrap_or(schemars::schema::Schema::Bool(true))
    }
}

/// Who emits the ai-statistics token and latency family
/// (`route.<r>.upstream.<c>.model.<m>.consumer.<u>.metric.*`).
// Serialize only so the generated schema shows the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AiStatistics {
    /// Emit it unless the upstream cluster is named the way Higress names
    /// clusters (`outbound|<port>|<subset>|<fqdn>`): there Higress's own
    /// ai-statistics plugin counts the same tokens.
    #[default]
    Auto,
    /// Always emit it (plain Envoy, or Higress with ai-statistics off).
    Emit,
    /// Never emit it.
    Off,
}

/// The compiled `metrics:` section the filter reads.
#[derive(Debug, Clone)]
pub struct MetricsConfig {
    /// Distinct consumers a worker names in stats (`metrics.max_consumers`).
    pub max_consumers: usize,
    /// Distinct pass-through model names a worker names (`metrics.max_models`).
    pub max_models: usize,
    /// Who emits the ai-statistics token family (see `metrics/mod.rs`).
    pub ai_statistics: AiStatistics,
    /// When to write `ai_log` and the span tags.
    pub ai_log: AiLog,
}
