//! Any request head (method, path, headers) and body through the exchange
//! as Envoy feeds it: the header classification (path normalisation,
//! governed / sniffed / passed through, unscanned APIs, WebSocket
//! upgrades, `Content-Encoding`, `Content-Type`, declared length,
//! identity headers) and then the body. Never a panic; a reply has an
//! HTTP status; and a body with a coding that changes its bytes is never
//! held to be read (#28: refused with 415, or passed on only where
//! clawgate reads nothing).
//!
//! Input: one byte picks the method, then lines: the path, `name: value`
//! headers, an empty line, the body.
#![no_main]
use clawgate::exchange::{ClientHeaders, Clock, Effect, Exchange, Flow};
use libfuzzer_sys::fuzz_target;
use std::rc::Rc;

const CONFIG: &str = r#"{
  "providers": [{"name": "openai", "api_key": "sk-x"},
                {"name": "anthropic", "auth_header": "x-api-key", "protocols": ["anthropic"]}],
  "models": [{"name": "gpt-4o", "provider": "openai"}, {"name": "claude", "provider": "anthropic"}],
  "identity": {"user": ["x-user"]},
  "passthrough_paths": ["/raw/*"],
  "max_body_bytes": 65536
}"#;

const METHODS: [&str; 8] = ["POST", "PUT", "PATCH", "GET", "DELETE", "HEAD", "OPTIONS", "post"];

fn coded(v: &[u8]) -> bool {
    let v = v.trim_ascii();
    !v.is_empty() && !v.eq_ignore_ascii_case(b"identity")
}

thread_local! {
    static CFG: Rc<clawgate::config::Config> = match clawgate::config::parse_json(CONFIG.as_bytes()) {
        Ok(c) => Rc::clone(&c.global),
        Err(e) => panic!("fuzz config: {e:?}"),
    };
}

fuzz_target!(|data: &[u8]| {
    let cfg = CFG.with(Rc::clone);
    let (sel, rest) = data.split_first().map_or((0, data), |(s, r)| (*s, r));
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (rest, &b""[..]),
    };
    let mut lines = head.split(|&b| b == b'\n');
    let path = lines.next().unwrap_or_default();
    let mut headers: Vec<(String, Vec<u8>)> = vec![
        (":method".into(), METHODS[usize::from(sel) % 8].as_bytes().to_vec()),
        (":path".into(), path.to_vec()),
        (":authority".into(), b"gateway".to_vec()),
    ];
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = String::from_utf8_lossy(&line[..colon]).to_ascii_lowercase();
        headers.push((name, line[colon + 1..].to_vec()));
    }
    let is_coded = headers.iter().any(|(n, v)| n == "content-encoding" && coded(v));
    let eos = sel & 0x80 != 0;
    let clock = Clock::new(&|| 1_000);
    let (mut ex, step) = Exchange::start(cfg, ClientHeaders::new(headers), eos, &clock, &mut |_| {
        "rid".into()
    });
    let replied = |effects: &[Effect]| {
        effects.iter().find_map(|e| match e {
            Effect::Reply(r) => Some(r.status),
            _ => None,
        })
    };
    if let Some(status) = replied(&step.effects) {
        // refused, or answered by the filter (`/v1/models`, health)
        assert!((200..600).contains(&status), "reply {status}");
        return;
    }
    if step.flow != Flow::Pause {
        return;
    }
    // held for its body: only a body clawgate can read
    assert!(!is_coded, "a coded body held to be read");
    let mut rr = 0;
    let step = ex.on_request_body(body.len(), true, &clock, &mut || body.to_vec(), &mut || {
        rr += 1;
        rr
    });
    if let Some(status) = replied(&step.effects) {
        assert!((200..600).contains(&status), "reply {status}");
    }
});
