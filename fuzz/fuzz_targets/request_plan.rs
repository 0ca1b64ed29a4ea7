//! Any bytes as a request body, planned under a config with every kind of
//! route and all risk packs: a plan or an OpenAI error, never a panic; a
//! rewritten body is JSON; a secure-routed plan names a secure model.
#![no_main]
use clawgate::wire::Endpoint;
use clawgate::routing::Caller;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const CONFIG: &str = r#"{
  "providers": [{"name": "ext", "api_key": "sk-x"}, {"name": "dash"}, {"name": "local", "secure": true}],
  "models": [
    {"name": "gpt-4o", "provider": "ext", "upstream_model": "gpt-4o-2024", "fallback": ["mini"]},
    {"name": "mini", "provider": "ext", "aliases": ["m"]},
    {"name": "local-qwen", "provider": "local"}
  ],
  "predicates": [{"prefix": "qwen-", "provider": "dash"}],
  "default_provider": "ext",
  "assignments": {"map": {"boss": "gpt-4o", "w-*": "mini"}},
  "risk": {"overrides": {"email_address": {"action": "mask"}, "private_ip": {"action": "route_secure_model"}}}
}"#;

struct Cfg(clawgate::config::PluginConfig);
// The fuzzer runs one thread; the config is never mutated.
unsafe impl Send for Cfg {}
unsafe impl Sync for Cfg {}

fn cfg() -> &'static Cfg {
    static C: OnceLock<Cfg> = OnceLock::new();
    C.get_or_init(|| match clawgate::config::parse_json(CONFIG.as_bytes()) {
        Ok(c) => Cfg(c),
        Err(e) => panic!("fuzz config: {e:?}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let (sel, body) = data.split_first().map_or((0, data), |(s, b)| (*s, b));
    let endpoint = match sel % 4 {
        0 => Endpoint::ChatCompletions,
        1 => Endpoint::Completions,
        2 => Endpoint::Responses,
        _ => Endpoint::Embeddings,
    };
    let caller = Caller {
        assignee: (sel & 4 != 0).then_some("boss"),
        ..Default::default()
    };
    let c = &cfg().0.global;
    match clawgate::pipeline::plan_request(c, endpoint, body, &caller, &mut || u64::from(sel)) {
        Ok(plan) => {
            if let Some(b) = &plan.new_body {
                assert!(serde_json::from_slice::<serde_json::Value>(b).is_ok());
            }
            if plan.route.reason.as_str() == "secure" {
                assert!(plan.route.secure(&c.catalog), "secure route to an external model");
            }
        }
        Err(r) => assert!((400..600).contains(&r.error.status())),
    }
});
