//! clawgate's decisions in Higress's access-log field `ai_log` and in
//! trace span tags, written the way Higress's own plugins write them: the
//! filter state `ai_log` holds one JSON object that every plugin merges
//! its keys into, stored escaped as a JSON string body (`{\"k\":1}`) so it
//! can sit inside the quoted field of Higress's access-log format
//! (`"ai_log":"%FILTER_STATE(wasm.ai_log:PLAIN)%"`); each span tag is the
//! filter state `trace_span_tag.<key>` holding the value as text.
//! Only ids, names, codes and counts: never matched text or a payload.

use super::Effect;
use crate::audit::AuditRecord;
use serde_json::{Map, Value};

pub const AI_LOG: &str = "ai_log";
pub const SPAN_TAG: &str = "trace_span_tag.";

/// The keys clawgate adds to `ai_log` for one request. With `family`
/// (clawgate emits the ai-statistics metrics itself, so no ai-statistics
/// plugin is writing them) it also writes ai-statistics' own keys.
pub fn entries(rec: &AuditRecord, family: bool) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            m.insert(k.to_string(), v);
        }
    };
    put("clawgate_request_id", rec.request_id.clone().into());
    put("clawgate_route_reason", rec.route_reason.clone().into());
    put(
        "clawgate_model_requested",
        rec.model_requested.clone().into(),
    );
    put("clawgate_model", rec.model_used.clone().into());
    put("clawgate_provider", rec.provider.clone().into());
    if rec.secure {
        put("clawgate_secure", true.into());
    }
    put("clawgate_risk_action", rec.risk.action.clone().into());
    if !rec.risk.hits.is_empty() {
        let rules: Vec<&str> = rec.risk.hits.iter().map(|h| h.rule.as_str()).collect();
        put("clawgate_risk_rules", rules.join(",").into());
    }
    if !rec.attempts.is_empty() {
        put("clawgate_attempts", rec.attempts.len().into());
    }
    if rec.attempts.len() > 1 {
        put("clawgate_switched", true.into());
    }
    put("clawgate_error", rec.error.clone().into());
    put("clawgate_cost", rec.cost.clone().into());
    put("clawgate_currency", rec.currency.clone().into());
    if family {
        put("model", rec.model_used.clone().into());
        put("input_token", rec.usage.prompt.into());
        put("output_token", rec.usage.completion.into());
        put("total_token", rec.usage.total.into());
        put("llm_service_duration", rec.duration_ms.into());
        put(
            "llm_first_token_duration",
            rec.first_token_ms.filter(|_| rec.stream).into(),
        );
    }
    m
}

/// The span tags: clawgate's decisions, plus the gen_ai ones ai-statistics
/// would set when clawgate stands in for it (`family`).
pub fn span_tags(rec: &AuditRecord, family: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut tag = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            out.push((format!("{SPAN_TAG}{k}"), v));
        }
    };
    tag("clawgate.route_reason", rec.route_reason.clone());
    tag("clawgate.risk_action", rec.risk.action.clone());
    tag("clawgate.model_requested", rec.model_requested.clone());
    tag("clawgate.model", rec.model_used.clone());
    if family {
        tag("gen_ai.span.kind", Some("LLM".to_string()));
        tag("gen_ai.request.model", rec.model_requested.clone());
        tag("gen_ai.model_name", rec.model_used.clone());
        tag(
            "gen_ai.usage.input_tokens",
            rec.usage.prompt.map(|n| n.to_string()),
        );
        tag(
            "gen_ai.usage.output_tokens",
            rec.usage.completion.map(|n| n.to_string()),
        );
        tag(
            "gen_ai.usage.total_tokens",
            rec.usage.total.map(|n| n.to_string()),
        );
    }
    out
}

/// `ai_log` with `add` merged over what other plugins wrote (`prior`, the
/// filter state as read). A prior value that is not an escaped JSON object
/// is not ours to keep: it is replaced, as Higress's SDK does.
pub fn merge(prior: Option<&str>, add: Map<String, Value>) -> Vec<u8> {
    // Parsed as `Value`s only: the filter already carries that parser.
    let parse = |s: &str| serde_json::from_str::<Value>(s).ok();
    let mut obj = prior
        .and_then(|p| parse(&format!("\"{p}\"")))
        .and_then(|v| v.as_str().and_then(parse))
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default();
    obj.extend(add);
    let json = Value::Object(obj).to_string();
    let quoted = Value::String(json).to_string();
    quoted.as_bytes()[1..quoted.len() - 1].to_vec()
}

/// The effects that write one request's `ai_log` keys and span tags.
pub fn effects(rec: &AuditRecord, family: bool, prior: Option<&str>) -> Vec<Effect> {
    let mut out = vec![Effect::SetProperty(
        AI_LOG.to_string(),
        merge(prior, entries(rec, family)),
    )];
    for (k, v) in span_tags(rec, family) {
        out.push(Effect::SetProperty(k, v.into_bytes()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::record::{AttemptRecord, Risk, RiskHit};

    fn unescape(b: &[u8]) -> Map<String, Value> {
        let s: String = serde_json::from_str(&format!("\"{}\"", String::from_utf8_lossy(b)))
            .unwrap_or_default();
        serde_json::from_str(&s).unwrap_or_default()
    }

    fn record() -> AuditRecord {
        AuditRecord {
            request_id: "r1".into(),
            model_requested: Some("auto".into()),
            model_used: Some("gpt-4o-mini".into()),
            route_reason: Some("auto".into()),
            risk: Risk {
                action: Some("mask".into()),
                hits: vec![RiskHit {
                    rule: "email_address".into(),
                    action: "mask".into(),
                    count: 2,
                    ..Default::default()
                }],
                ..Default::default()
            },
            attempts: vec![AttemptRecord::default(), AttemptRecord::default()],
            ..Default::default()
        }
    }

    #[test]
    fn merges_over_what_ai_statistics_wrote() {
        // as ai-statistics leaves it: escaped JSON
        let prior = r#"{\"model\":\"gpt-4o-mini\",\"input_token\":11}"#;
        let out = unescape(&merge(Some(prior), entries(&record(), false)));
        assert_eq!(out["input_token"], 11, "other plugins' keys stay");
        assert_eq!(out["clawgate_route_reason"], "auto");
        assert_eq!(out["clawgate_risk_rules"], "email_address");
        assert_eq!(out["clawgate_attempts"], 2);
        assert_eq!(out["clawgate_switched"], true);
        assert!(
            !out.contains_key("output_token"),
            "ai-statistics' keys are its own"
        );
    }

    #[test]
    fn stored_escaped_so_it_fits_a_quoted_log_field() {
        let out = merge(None, entries(&record(), false));
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with(r#"{\""#), "{text}");
        assert!(!text.contains("\"\""));
    }

    #[test]
    fn garbage_prior_is_replaced_not_trapped_on() {
        for prior in ["", "not json", r#"\"#, "[1,2]", r#"\"x\""#] {
            let out = unescape(&merge(Some(prior), entries(&record(), false)));
            assert_eq!(out["clawgate_request_id"], "r1", "{prior}");
        }
    }

    #[test]
    fn stands_in_for_ai_statistics_when_it_emits_the_family() {
        let mut rec = record();
        rec.usage.prompt = Some(5);
        let out = entries(&rec, true);
        assert_eq!(out["model"], "gpt-4o-mini");
        assert_eq!(out["input_token"], 5);
        let tags = span_tags(&rec, true);
        assert!(tags.contains(&(
            "trace_span_tag.gen_ai.usage.input_tokens".into(),
            "5".into()
        )));
        assert!(tags.contains(&("trace_span_tag.clawgate.risk_action".into(), "mask".into())));
        assert!(!span_tags(&rec, false)
            .iter()
            .any(|(k, _)| k.contains("gen_ai")));
    }
}
