//! The whole request decision as one pure function: body bytes + caller +
//! config -> what to forward (or the error to answer). The host adapter only
//! fetches inputs and applies the plan.

use crate::budget::{self, Verdict};
use crate::config::Config;
use crate::json::splice;
use crate::risk::{Action, Outcome};
use crate::routing::{self, Caller, Route, RouteReason};
use crate::wire::Protocol;
use crate::wire::{request, Endpoint};
use crate::wire::{ClientError, ErrorCode};

#[derive(Debug)]
pub struct RequestPlan {
    pub requested_model: String,
    pub route: Route,
    pub stream: bool,
    /// Body `user` field (session fallback).
    pub user: Option<String>,
    pub risk: Outcome,
    /// Replacement body when anything changed (model, masking, usage option).
    pub new_body: Option<Vec<u8>>,
    /// True when the gateway asked for `include_usage` on the client's behalf.
    pub injected_usage: bool,
    /// A budget's soft warning or downgrade (`Allow` otherwise).
    pub budget: Verdict,
    /// What `access` said of the route (`None`: no `access` section).
    pub access: Option<crate::access::Decision>,
    /// Fallback candidates left out because the caller may not use them.
    pub access_skipped: u32,
}

/// A refused request keeps what was learnt before refusing, for the audit trail.
#[derive(Debug)]
pub struct Refusal {
    pub error: ClientError,
    pub requested_model: Option<String>,
    /// The request asked for a stream (a refusal as an answer streams too).
    pub stream: bool,
    pub risk: Outcome,
    /// The budget verdict that refused it, if one did.
    pub budget: Option<Box<Verdict>>,
    /// The `access` decision that refused it, if one did.
    pub access: Option<crate::access::Decision>,
    /// The rate limit that refused it, if one did.
    pub rate_limit: Option<String>,
}

impl From<ClientError> for Refusal {
    fn from(error: ClientError) -> Self {
        Refusal {
            error,
            requested_model: None,
            stream: false,
            risk: Outcome::default(),
            budget: None,
            access: None,
            rate_limit: None,
        }
    }
}

// A refusal carries what was learnt before refusing (136 bytes); it is
// made once per refused request, so boxing it would buy nothing.
#[allow(clippy::result_large_err)]
pub fn plan_request(
    cfg: &Config,
    endpoint: Endpoint,
    body: &[u8],
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
) -> Result<RequestPlan, Refusal> {
    plan_request_at(cfg, endpoint, body, "", caller, rr)
}

/// `plan_request` for a call whose URL carries `query` (`?…`): the block
/// rules read it like a prompt field (`?key=<a key>` is refused).
#[allow(clippy::result_large_err)]
pub fn plan_request_at(
    cfg: &Config,
    endpoint: Endpoint,
    body: &[u8],
    query: &str,
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
) -> Result<RequestPlan, Refusal> {
    if body.len() as u64 > cfg.max_body_bytes {
        return Err(ClientError::too_large(cfg.max_body_bytes).into());
    }
    // read once: the risk engine's reader checks the body and scans its
    // texts; the wire layer takes the fields decisions need
    let (req, scan) = request::parse(body, |b| cfg.risk.read_body(b))?;
    let requested = req.model.clone();
    let refuse = |error, risk: &Outcome| Refusal {
        error,
        requested_model: Some(requested.clone()),
        stream: req.stream,
        risk: risk.clone(),
        budget: None,
        access: None,
        rate_limit: None,
    };
    let protocol = endpoint.protocol();
    let mut route =
        routing::resolve_for(&cfg.catalog, &cfg.routing, &requested, caller, rr, protocol)
            .map_err(|e| refuse(e, &Outcome::default()))?;
    // Before any provider is called, and before budgets: a model the
    // caller may not use is no model to count spend against.
    let access = routing::access(&cfg.catalog, caller, &route);
    if let Some(d) = access.as_ref().filter(|d| !d.allow) {
        return Err(Refusal {
            access: Some(d.clone()),
            ..refuse(routing::not_allowed(&route, d), &Outcome::default())
        });
    }
    let budget = budget_verdict(cfg, caller, &route, protocol);
    let refused = |e| Refusal {
        budget: Some(Box::new(budget.clone())),
        ..refuse(e, &Outcome::default())
    };
    match &budget {
        Verdict::Block(over) => {
            let mut e = ClientError::new(ErrorCode::BudgetExceeded, over.message());
            e.retry_after_s = caller.budget.map(|c| over.retry_after_s(c.now_ms));
            return Err(refused(e));
        }
        Verdict::Unknown => {
            return Err(refused(ClientError::new(
                ErrorCode::BudgetUnavailable,
                "Budget state is unknown (the audit sidecar has not answered) and budgets fail closed",
            )));
        }
        Verdict::Downgrade { to, .. } => {
            route = Route::for_model(&cfg.catalog, *to, RouteReason::Budget).ok_or_else(|| {
                refused(ClientError::new(
                    ErrorCode::InternalError,
                    "budget model missing",
                ))
            })?;
        }
        Verdict::Allow | Verdict::Soft { .. } => {}
    }

    // the block rules read the query string too
    let also = cfg.risk.scan_query(query);
    let layout = &protocol.dialect().layout;
    let (risk, mut edits) = cfg.risk.outcome(&req.doc, &scan, layout, &also);
    match risk.action {
        Some(Action::Block) => return Err(refuse(blocked(&risk, Action::Block, ""), &risk)),
        Some(Action::RouteSecureModel) => {
            route = routing::to_secure_for(&cfg.catalog, &cfg.routing, &route, protocol).map_err(
                |_| {
                    let why = ", which may go only to a secure model, and none is available";
                    refuse(blocked(&risk, Action::RouteSecureModel, why), &risk)
                },
            )?;
        }
        _ => {}
    }

    if route.upstream_model != requested {
        edits.extend(req.model_edit(&route.upstream_model));
    }
    let usage = (endpoint.can_inject_usage() && cfg.accounting.inject_stream_usage)
        .then(|| req.usage_edit())
        .flatten();
    let injected_usage = usage.is_some();
    edits.extend(usage);
    Ok(RequestPlan {
        requested_model: requested,
        stream: req.stream,
        user: req.user.clone(),
        new_body: (!edits.is_empty()).then(|| splice::apply(body, edits)),
        route,
        risk,
        injected_usage,
        budget,
        access,
        access_skipped: 0,
    })
}

/// The budgets' verdict for this caller and route. A cheaper model that
/// cannot take the request's protocol is no way out: the limit then
/// refuses, like `block`.
fn budget_verdict(cfg: &Config, caller: &Caller, route: &Route, protocol: Protocol) -> Verdict {
    let (Some(b), Some(c)) = (&cfg.budgets, caller.budget) else {
        return Verdict::Allow;
    };
    match budget::decide(b, c.snapshot, c.subject, route.model, c.now_ms) {
        Verdict::Downgrade { over, to }
            if !cfg
                .catalog
                .models
                .get(to)
                .is_some_and(|m| m.speaks(protocol))
                || !routing::may_use(&cfg.catalog, caller.access, caller.who, to) =>
        {
            Verdict::Block(over)
        }
        v => v,
    }
}

/// A content refusal naming the rules that fired, never the text that
/// matched, and saying what to do: the caller (often an agent that read a
/// file) can only fix it by removing that content.
fn blocked(risk: &Outcome, action: Action, why: &str) -> ClientError {
    let ids: Vec<&str> = risk
        .hits
        .iter()
        .filter(|h| h.action == action && !h.shadow)
        .map(|h| h.rule.as_str())
        .collect();
    ClientError::new(
        ErrorCode::ContentBlocked,
        format!(
            "clawgate refused this request: content in it matched risk rule{} {}{why}. \
             Remove that content (a secret, key or personal data) and send the request again. \
             A conversation keeps what was pasted or read from files and tools: start a new \
             one, or go back to before it.",
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{from_value, tests::sample};
    use serde_json::Value;

    #[test]
    fn rewrites_model_and_injects_usage() {
        let pc = from_value(sample(), "h").unwrap();
        let p = plan_request(
            &pc.global,
            Endpoint::ChatCompletions,
            br#"{"model":"gpt-4o","stream":true,"messages":[]}"#,
            &Caller::default(),
            &mut || 0,
        )
        .unwrap();
        let v: Value = serde_json::from_slice(p.new_body.as_deref().unwrap()).unwrap();
        assert_eq!(v["model"], "gpt-4o-2024-08-06");
        assert_eq!(v["stream_options"]["include_usage"], true);
        assert!(p.injected_usage);
    }

    #[test]
    fn responses_streams_get_no_stream_options() {
        // Usage comes in `response.completed`; the field does not exist there.
        let pc = from_value(sample(), "h").unwrap();
        let body = br#"{"model":"gpt-4o-mini","stream":true,"input":"hi"}"#;
        let p = plan_request(
            &pc.global,
            Endpoint::Responses,
            body,
            &Caller::default(),
            &mut || 0,
        )
        .unwrap();
        assert!(p.new_body.is_none(), "body forwarded unchanged");
        assert!(!p.injected_usage);
    }

    #[test]
    fn unchanged_body_is_not_reserialized() {
        let pc = from_value(sample(), "h").unwrap();
        let p = plan_request(
            &pc.global,
            Endpoint::ChatCompletions,
            br#"{"model":"gpt-4o-mini"}"#,
            &Caller::default(),
            &mut || 0_u64,
        )
        .unwrap();
        assert!(p.new_body.is_none());
    }

    #[test]
    fn a_downgrade_the_protocol_cannot_take_is_a_block() {
        let mut v = sample();
        v["audit"] = serde_json::json!({"cluster": "a"});
        v["models"][0]["protocols"] = serde_json::json!(["anthropic"]);
        v["budgets"] = serde_json::json!({"limits": [{"name": "l", "match": "*", "period": "day",
            "max_tokens": 1, "models": ["gpt-4o"], "action": "downgrade", "downgrade_to": "gpt-4o-mini"}]});
        let pc = from_value(v, "h").unwrap();
        let mut spend = std::collections::BTreeMap::new();
        spend.insert(
            "u".to_string(),
            budget::Spend {
                tokens: 5,
                cost_micros: 0,
            },
        );
        let snap = budget::Snapshot {
            fetched_ms: 10,
            limits: vec![budget::LimitState {
                name: "l".into(),
                period_start_ms: 0,
                reset_ms: 1_000_000,
                spend,
            }],
        };
        let caller = Caller {
            assignee: None,
            who: crate::scope::Subject::default(),
            access: None,
            budget: Some(budget::Check {
                subject: crate::scope::Subject {
                    user: Some("u"),
                    instance: None,
                },
                snapshot: Some(&snap),
                now_ms: 20,
            }),
        };
        let body = br#"{"model":"gpt-4o","messages":[]}"#;
        let e = plan_request(
            &pc.global,
            Endpoint::ChatCompletions,
            body,
            &caller,
            &mut || 0,
        )
        .unwrap_err();
        assert_eq!(
            e.error.code,
            ErrorCode::BudgetExceeded,
            "mini speaks only anthropic"
        );
        assert!(matches!(e.budget.as_deref(), Some(Verdict::Block(_))));
    }

    #[test]
    fn errors_keep_requested_model() {
        let pc = from_value(sample(), "h").unwrap();
        let e = plan_request(
            &pc.global,
            Endpoint::ChatCompletions,
            br#"{"model":"nope"}"#,
            &Caller::default(),
            &mut || 0_u64,
        )
        .unwrap_err();
        assert_eq!(
            (e.error.status(), e.requested_model.as_deref()),
            (404, Some("nope"))
        );
        let e = plan_request(
            &pc.global,
            Endpoint::ChatCompletions,
            b"not json",
            &Caller::default(),
            &mut || 0_u64,
        )
        .unwrap_err();
        assert_eq!(e.error.status(), 400);
    }

    #[test]
    fn the_block_rules_read_the_query_string() {
        let pc = from_value(sample(), "h").unwrap();
        let body = br#"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#;
        let plan = |q: &str| {
            plan_request_at(
                &pc.global,
                Endpoint::ChatCompletions,
                body,
                q,
                &Caller::default(),
                &mut || 0,
            )
            .map_err(|r| r.error)
        };
        let key = "AIza".to_string() + "SyD4k9Qx2Lm7Vt1Rb8Nw3Hc6Jp0Fe5Gu2Zs";
        for q in [format!("?key={key}"), format!("?x=1&key=%41{}", &key[1..])] {
            let e = plan(&q).unwrap_err();
            assert_eq!(e.code, ErrorCode::ContentBlocked, "{q}");
            assert!(e.message.contains("api_key_like") && !e.message.contains(&key));
        }
        // only block rules apply: an e-mail address (mask) in a URL passes
        assert!(plan("?key=plain&to=a%40acme.io").is_ok());
    }
}
