//! Property tests over generated inputs (a small seeded generator, so a
//! failure names its case and reruns the same): a split at any byte gives
//! the same usage; masking never leaves a matched span; the strongest action
//! wins; a secure-routed request never resolves to an external provider.

// Helpers outside #[test] fns count as non-test code for clippy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clawgate::config;
use clawgate::fallback;
use clawgate::pipeline::plan_request;
use clawgate::risk::{Action, Engine, RiskConfig};
use clawgate::routing::Caller;
use clawgate::wire::Endpoint;
use clawgate::wire::{openai, Protocol};
use serde_json::{json, Map, Value};

mod support;
use support::Rng;

const CASES: u64 = 300;

// ------------------------------------------------------------ usage splits

fn sse_stream(r: &mut Rng) -> Vec<u8> {
    let mut s = String::new();
    let nl = if r.chance(30) { "\r\n" } else { "\n" };
    for i in 0..r.below(6) + 1 {
        let word = r.pick(&["hé", "世界", "x", "", "a b", "\\n"]);
        let ev = json!({"choices": [{"index": 0, "delta": {"content": format!("{word}{i}")}}]});
        if r.chance(20) {
            s.push_str(&format!("event: message{nl}"));
        }
        s.push_str(&format!("data: {ev}{nl}{nl}"));
        if r.chance(15) {
            s.push_str(&format!(": keep-alive{nl}{nl}"));
        }
        if r.chance(10) {
            s.push_str(&format!("data: not json {i}{nl}{nl}"));
        }
    }
    if r.chance(80) {
        let p = r.below(5000) as u64;
        let c = r.below(900) as u64;
        let u = json!({"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c,
                       "prompt_tokens_details": {"cached_tokens": p / 2}});
        s.push_str(&format!(
            "data: {}{nl}{nl}",
            json!({"choices": [], "usage": u})
        ));
    }
    if r.chance(85) {
        s.push_str(&format!("data: [DONE]{nl}{nl}"));
    }
    s.into_bytes()
}

fn observe(chunks: &[&[u8]], strip: bool) -> (String, bool, Vec<u8>) {
    let mut o = openai::stream::observer(strip, Some(1 << 16));
    let mut out = Vec::new();
    for c in chunks {
        match o.feed(c) {
            Some(b) => out.extend(b),
            None => out.extend_from_slice(c),
        }
    }
    if let Some(t) = o.finish() {
        out.extend(t);
    }
    (format!("{:?}", o.usage), o.done, out)
}

#[test]
fn a_split_at_any_byte_gives_the_same_usage() {
    for seed in 1..=CASES {
        let mut r = Rng(seed);
        let s = sse_stream(&mut r);
        let strip = r.chance(50);
        let whole = observe(&[&s], strip);
        // every byte for some streams (debug builds are slow), random cuts for all
        for at in (0..=s.len()).filter(|_| seed <= 40) {
            let split = observe(&[&s[..at], &s[at..]], strip);
            assert_eq!(whole, split, "seed {seed}, split at {at}");
        }
        // and three random cuts
        let (a, b) = (r.below(s.len() + 1), r.below(s.len() + 1));
        let (a, b) = (a.min(b), a.max(b));
        assert_eq!(
            whole,
            observe(&[&s[..a], &s[a..b], &s[b..]], strip),
            "seed {seed}"
        );
    }
}

// -------------------------------------------------------------- masking

const FRAGMENTS: &[&str] = &[
    "zhang.san@acme-mail.cn",
    "a@b.co",
    "13812345678",
    "+86 138-1234-5678",
    "10.0.3.4",
    "192.168.1.20",
    "password=Hunter2024!",
    "token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    "身份证号：11010519491231002X",
    "银行卡号 4111111111111111",
    "hello",
    "world",
    "the",
    "会议",
    "邮箱",
    "1700000000000",
    " ",
    ", ",
    "\n",
    "@",
    ".",
    "-",
];

fn text(r: &mut Rng) -> String {
    (0..r.below(24) + 1)
        .map(|_| *r.pick(FRAGMENTS))
        .collect::<Vec<_>>()
        .concat()
}

fn all_mask() -> Engine {
    let ids: Map<String, Value> = Engine::builtin_rules()
        .iter()
        .map(|r| (r.id.clone(), json!({"action": "mask"})))
        .collect();
    let cfg: RiskConfig = serde_json::from_value(json!({"overrides": ids})).unwrap();
    Engine::compile(&cfg).unwrap()
}

/// The text with every byte a match covered removed.
fn uncovered(text: &str, spans: &[(usize, usize)]) -> String {
    text.char_indices()
        .filter(|(i, _)| !spans.iter().any(|(s, e)| s <= i && i < e))
        .map(|(_, c)| c)
        .collect()
}

fn strip_placeholders(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("[MASKED:") {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = &rest[i..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn masking_never_leaves_a_matched_span() {
    let e = all_mask();
    for seed in 1..=CASES {
        let mut r = Rng(seed);
        let t = text(&mut r);
        // a match that does not act (a made-up value, a keyword without
        // evidence) is recorded, not masked
        let matches: Vec<_> = e.scan_text(&t).into_iter().filter(|m| m.acts).collect();
        let spans: Vec<(usize, usize)> = matches.iter().map(|m| (m.start, m.end)).collect();
        // through the request walk, in a message and in a tool description
        let mut body = match json!({"model": "m", "messages": [{"role": "user", "content": t}],
                                    "tools": [{"type": "function", "function": {"name": "f", "description": t}}]})
        {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let o = e.scan_value(&mut body, &Protocol::OPENAI.dialect().layout);
        assert_eq!(o.masked, !matches.is_empty(), "seed {seed}: {t:?}");
        let masked = body["messages"][0]["content"].as_str().unwrap().to_string();
        let tool = body["tools"][0]["function"]["description"]
            .as_str()
            .unwrap();
        assert_eq!(
            masked, tool,
            "seed {seed}: the same text masks the same way"
        );
        assert_eq!(
            strip_placeholders(&masked),
            uncovered(&t, &spans),
            "seed {seed}: every matched byte and only those are gone from {t:?}"
        );
        for (s, end) in &spans {
            let span = &t[*s..*end];
            if span.len() > 3 && !uncovered(&t, &spans).contains(span) {
                assert!(
                    !masked.contains(span),
                    "seed {seed}: {span:?} survived in {masked:?}"
                );
            }
        }
    }
}

// ------------------------------------------------------- strongest action

#[test]
fn the_strongest_action_wins() {
    let actions = ["block", "route_secure_model", "mask", "audit"];
    let rules = Engine::builtin_rules();
    for seed in 1..=CASES / 3 {
        let mut r = Rng(seed);
        let overrides: Map<String, Value> = rules
            .iter()
            .map(|x| (x.id.clone(), json!({"action": r.pick(&actions)})))
            .collect();
        let cfg: RiskConfig = serde_json::from_value(json!({"overrides": overrides})).unwrap();
        let e = Engine::compile(&cfg).unwrap();
        let t = text(&mut r);
        let mut body = match json!({"messages": [{"role": "user", "content": t}]}) {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let o = e.scan_value(&mut body, &Protocol::OPENAI.dialect().layout);
        let strongest = o.hits.iter().map(|h| h.action).max();
        assert_eq!(o.action, strongest, "seed {seed}: {t:?}");
        for a in [
            Action::Block,
            Action::RouteSecureModel,
            Action::Mask,
            Action::Audit,
        ] {
            if o.hits.iter().any(|h| h.action == a) {
                assert!(o.action >= Some(a), "seed {seed}");
            }
        }
        if o.action == Some(Action::Block) {
            assert!(!o.masked, "seed {seed}: a blocked body is not rewritten");
        }
    }
}

// ------------------------------------------------- secure stays inside

fn random_config(r: &mut Rng) -> Value {
    let providers: Vec<Value> = (0..r.below(4) + 1)
        .map(|i| json!({"name": format!("p{i}"), "secure": r.chance(40)}))
        .collect();
    let n_models = r.below(6) + 1;
    let models: Vec<Value> = (0..n_models)
        .map(|i| {
            let fb: Vec<String> = (0..r.below(3))
                .map(|_| format!("m{}", r.below(n_models)))
                .filter(|m| *m != format!("m{i}"))
                .collect();
            json!({"name": format!("m{i}"), "provider": format!("p{}", r.below(providers.len())),
                   "secure": r.chance(25), "enabled": r.chance(85), "fallback": fb})
        })
        .collect();
    let mut cfg = json!({
        "providers": providers, "models": models,
        "risk": {"packs": ["company"], "overrides": {"private_ip": {"action": "route_secure_model"}}},
    });
    if r.chance(50) {
        cfg["default_provider"] = json!(format!("p{}", r.below(4)));
    }
    if r.chance(30) {
        cfg["risk"]["secure_model"] = json!(format!("m{}", r.below(n_models)));
    }
    cfg
}

#[test]
fn a_secure_routed_request_never_resolves_to_an_external_provider() {
    let (mut planned, mut refused) = (0, 0);
    for seed in 1..=CASES {
        let mut r = Rng(seed);
        let Ok(pc) = config::from_value(random_config(&mut r), "h") else {
            continue;
        };
        let cfg = &pc.global;
        let model = match r.below(4) {
            0 => "auto".to_string(),
            1 => "unknown-model".to_string(),
            _ => format!("m{}", r.below(6)),
        };
        let body = json!({"model": model, "stream": r.chance(50),
                          "messages": [{"role": "user", "content": "call 10.0.3.4 now"}]});
        let mut rr = || r.next();
        match plan_request(
            cfg,
            Endpoint::ChatCompletions,
            body.to_string().as_bytes(),
            &Caller::default(),
            &mut rr,
        ) {
            Ok(plan) => {
                planned += 1;
                assert_eq!(
                    plan.risk.action,
                    Some(Action::RouteSecureModel),
                    "seed {seed}"
                );
                let provider = &cfg.catalog.providers[plan.route.provider];
                assert!(
                    plan.route.secure(&cfg.catalog),
                    "seed {seed}: routed to {} on {}",
                    plan.route.model_name,
                    provider.name
                );
                let proto = clawgate::wire::Protocol::OPENAI;
                let (cat, rt, fb) = (&cfg.catalog, &cfg.routing, &cfg.fallback);
                for c in fallback::candidates(cat, rt, fb, &plan.route, model == "auto", proto) {
                    assert!(
                        cfg.catalog.models[c].secure,
                        "seed {seed}: fallback to external {}",
                        cfg.catalog.models[c].name
                    );
                }
            }
            Err(e) => {
                refused += 1;
                assert!(
                    [400, 404, 500, 503].contains(&e.error.status()),
                    "seed {seed}: {:?}",
                    e.error
                );
            }
        }
    }
    assert!(
        planned > 20 && refused > 20,
        "both outcomes exercised: {planned} planned, {refused} refused"
    );
}
