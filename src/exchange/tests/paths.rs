//! Paths: every spelling of a governed path is governed and forwarded in
//! one clean form, LLM-shaped bodies on other paths are refused unless
//! listed as pass-through, and `/health` is answered by the filter.

use super::*;

fn start(v: Value, extra: &[(&str, &str)], eos: bool) -> (Exchange, Step) {
    Exchange::start(
        cfg(v),
        headers(extra),
        eos,
        &Clock::new(&|| 5_000),
        &mut |_| "id".into(),
    )
}

fn body_step(ex: &mut Exchange, body: &[u8]) -> Step {
    ex.on_request_body(
        body.len(),
        true,
        &Clock::new(&|| 5_010),
        &mut || body.to_vec(),
        &mut || 0,
    )
}

#[test]
fn every_spelling_is_forwarded_as_the_clean_path() {
    for (raw, want) in [
        ("//v1/chat/completions", "/v1/chat/completions"),
        ("/x/../v1/./chat/completions;p", "/v1/chat/completions"),
        ("/v1%2Fchat%2Fcompletions?q=1", "/v1/chat/completions?q=1"),
        ("/V1/CHAT/COMPLETIONS", "/V1/chat/completions"),
        ("/openai/v1/chat/completions", "/openai/v1/chat/completions"),
    ] {
        let run = Run::new(config(), &[(":path", raw)], &chat("mini", false));
        let got = request_header(&run.forwarded.effects, ":path");
        assert_eq!(got.as_deref(), Some(want).filter(|w| *w != raw), "{raw}");
        assert_eq!(run.ex.phase(), Phase::AwaitingHeaders, "{raw} governed");
    }
    // base_path replaces whatever prefix the client used
    let run = Run::new(
        config(),
        &[(":path", "/compatible-mode/v1/chat/completions")],
        &chat("b", false),
    );
    assert_eq!(
        request_header(&run.forwarded.effects, ":path").as_deref(),
        Some("/compat/v1/chat/completions")
    );
}

#[test]
fn prefix_mode_governs_only_its_prefix() {
    let mut v = config();
    v["path_match"] = json!("prefix");
    let (ex, step) = start(
        v.clone(),
        &[(":path", "/openai/v1/chat/completions")],
        false,
    );
    assert_eq!(ex.phase(), Phase::Sniffing, "not governed, but looked at");
    assert_eq!(step.flow, Flow::Pause);
    let (ex, _) = start(v, &[], false);
    assert_eq!(ex.phase(), Phase::AwaitingBody);
}

#[test]
fn llm_shaped_bodies_on_other_paths_are_refused() {
    let (mut ex, step) = start(config(), &[(":path", "/v2/chat")], false);
    assert_eq!(step.flow, Flow::Pause);
    let step = body_step(&mut ex, &chat("mini", false));
    let r = reply(&step.effects).expect("refused");
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        (r.status, v["error"]["code"].as_str()),
        (403, Some("ungoverned_path"))
    );
    let (m, rec) = {
        let mut out = (Vec::new(), None);
        for e in ex.on_log(
            &Clock::new(&|| 5_020),
            &|_| None,
            true,
            &mut Default::default(),
        ) {
            match e {
                Effect::Metrics(m) => out.0 = m,
                Effect::Audit(r) => out.1 = Some(*r),
                _ => {}
            }
        }
        out
    };
    assert_eq!(metric(&m, "clawgate.blocked"), Some(1));
    let rec = rec.unwrap();
    assert_eq!(
        (rec.status, rec.error.as_deref()),
        (403, Some("ungoverned_path"))
    );
    assert_eq!(rec.path, "/v2/chat");

    // any other body goes on untouched, and is not recorded
    let (mut ex, _) = start(config(), &[(":path", "/v2/chat")], false);
    let step = body_step(&mut ex, br#"{"model":"x","temperature":1}"#);
    assert_eq!(step, Step::go_on());
    assert!(ex
        .on_log(
            &Clock::new(&|| 5_020),
            &|_| None,
            true,
            &mut Default::default()
        )
        .is_empty());
}

#[test]
fn passthrough_paths_are_not_held() {
    let mut v = config();
    v["passthrough_paths"] = json!(["/v2/*", "/exact"]);
    for p in ["/v2/chat", "/V2/x/y", "/exact"] {
        let (ex, step) = start(v.clone(), &[(":path", p)], false);
        assert_eq!(
            (ex.phase(), step.flow),
            (Phase::Untracked, Flow::Continue),
            "{p}"
        );
    }
    let (ex, _) = start(v, &[(":path", "/exactly")], false);
    assert_eq!(ex.phase(), Phase::Sniffing);
}

#[test]
fn health_is_answered_from_the_config() {
    let (ex, step) = start(config(), &[(":method", "GET"), (":path", "/health")], true);
    let r = reply(&step.effects).unwrap();
    assert_eq!((r.status, ex.phase()), (200, Phase::Untracked));
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["config_hash"], "cfghash");
    assert_eq!(v["models"][0]["fallback"], json!(["mini", "b"]));
    assert!(!String::from_utf8_lossy(&r.body).contains("sk-test"));
}

#[test]
fn provider_wire_details_apply_to_first_attempt_and_replays() {
    let mut v = config();
    v["providers"][0]["auth_header"] = json!("api-key");
    v["providers"][0]["headers"] = json!({"X-Tenant": "t1"});
    v["models"][2]["fallback"] = json!([]);
    v["models"][1]["fallback"] = json!([]);
    // mini has no chain of its own: the global one applies
    v["fallback"]["chain"] = json!(["twin", "gpt-4o"]);
    let mut run = Run::new(
        v,
        &[("authorization", "Bearer client")],
        &chat("mini", false),
    );
    let fx = &run.forwarded.effects;
    assert_eq!(
        request_header(fx, "api-key").as_deref(),
        Some("sk-test"),
        "no Bearer prefix"
    );
    assert_eq!(request_header(fx, "x-tenant").as_deref(), Some("t1"));
    assert!(fx.contains(&Effect::RemoveRequestHeader("authorization".into())));
    run.headers(503, false, false);
    let (replay, _) = run.up.sent.last().expect("the global chain replays");
    let v: Value = serde_json::from_slice(&replay.body).unwrap();
    assert_eq!(v["model"], "gpt-4o-2024-08-06", "twin");
    let names: Vec<&str> = replay.headers.iter().map(|(k, _)| k.as_ref()).collect();
    assert!(
        names.contains(&"api-key") && names.contains(&"x-tenant"),
        "{names:?}"
    );
    assert!(!names.contains(&"authorization"), "{names:?}");
}

fn form(prompt: &str) -> Vec<u8> {
    format!(
        "--B\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-1\r\n\
         --B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n\u{1}\u{2}PNG\r\n\
         --B\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n{prompt}\r\n--B--\r\n"
    )
    .into_bytes()
}

#[test]
fn upload_prompts_are_scanned_and_refused_when_a_rule_acts() {
    let upload = [
        (":path", "/v1/images/edits"),
        ("content-type", "multipart/form-data; boundary=B"),
    ];
    let (mut ex, step) = start(config(), &upload, false);
    assert_eq!((ex.phase(), step.flow), (Phase::Sniffing, Flow::Pause));
    let step = body_step(&mut ex, &form("paint the launch codes on it"));
    let r = reply(&step.effects).expect("refused");
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        (r.status, v["error"]["code"].as_str()),
        (400, Some("content_policy_violation")),
        "a form has no message to answer with: the error form"
    );
    assert!(
        !String::from_utf8_lossy(&r.body).contains("launch"),
        "never echoed"
    );
    let rec = ex
        .on_log(
            &Clock::new(&|| 5_020),
            &|_| None,
            true,
            &mut Default::default(),
        )
        .into_iter()
        .find_map(|e| match e {
            Effect::Audit(r) => Some(*r),
            _ => None,
        })
        .expect("a refused upload is recorded");
    assert_eq!(
        (rec.risk.action.as_deref(), rec.model_requested.as_deref()),
        (Some("block"), Some("gpt-image-1"))
    );
    // a clean prompt goes on untouched; so does an upload elsewhere
    let (mut ex, _) = start(config(), &upload, false);
    assert_eq!(body_step(&mut ex, &form("a red boat")), Step::go_on());
    let files = [
        (":path", "/api/attachments"),
        ("content-type", "multipart/form-data; boundary=B"),
    ];
    let (ex, step) = start(config(), &files, false);
    assert_eq!((ex.phase(), step.flow), (Phase::Untracked, Flow::Continue));
}

#[test]
fn a_compressed_body_is_refused_not_forwarded_unread() {
    let coded = |path: &str, enc: &str| {
        let (_, step) = start(
            config(),
            &[(":path", path), ("content-encoding", enc)],
            false,
        );
        reply(&step.effects).map(|r| (r.status, String::from_utf8_lossy(&r.body).into_owned()))
    };
    for path in ["/v1/chat/completions", "/api/chat", "/v1/messages"] {
        for enc in ["gzip", " deflate", "br", "zstd", "gzip, identity"] {
            let (status, body) = coded(path, enc).unwrap_or_else(|| panic!("{path} {enc}"));
            assert_eq!(status, 415, "{path} {enc}");
            assert!(body.contains("unsupported_media_type"), "{body}");
        }
        assert_eq!(coded(path, "identity"), None, "{path}");
    }
    // an Anthropic caller is answered in Anthropic's error shape
    let (_, body) = coded("/v1/messages", "gzip").unwrap();
    assert!(body.contains(r#""type":"error""#), "{body}");
    // a path listed as pass-through is not read, so not refused
    let mut v = config();
    v["passthrough_paths"] = json!(["/raw/*"]);
    let (_, step) = start(
        v,
        &[(":path", "/raw/x"), ("content-encoding", "gzip")],
        false,
    );
    assert!(reply(&step.effects).is_none());
}

#[test]
fn openai_apis_that_carry_prompts_are_refused_unless_passed_through() {
    let mut v = config();
    v["passthrough_paths"] = json!(["/v1/batches"]);
    let refused = |v: &Value, extra: &[(&str, &str)]| {
        let (_, step) = start(v.clone(), extra, false);
        reply(&step.effects).map(|r| r.status)
    };
    for path in ["/v1/files", "/v1/threads/t1/runs", "/v1/realtime/sessions"] {
        let multipart = [
            (":path", path),
            ("content-type", "multipart/form-data; boundary=B"),
        ];
        assert_eq!(refused(&v, &multipart), Some(403), "{path}");
    }
    assert_eq!(refused(&v, &[(":path", "/v1/batches")]), None, "listed");
    let ws = [
        (":method", "GET"),
        (":path", "/v1/realtime"),
        ("upgrade", "websocket"),
    ];
    assert_eq!(refused(&v, &ws), Some(403));
    let read = [(":method", "GET"), (":path", "/v1/files/f1/content")];
    assert_eq!(refused(&v, &read), None);
}

#[test]
fn a_multipart_content_type_is_told_as_lowercasing_a_copy_told_it() {
    let old = |ct: &str| {
        ct.trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/")
    };
    for ct in [
        "multipart/form-data; boundary=x",
        "  Multipart/Form-Data",
        "MULTIPART/",
        "multipart",
        "multipart-form",
        "application/json",
        "",
        "   ",
        "\tmultipart/mixed",
        "multipärt/x",
        "mültipart/x",
    ] {
        assert_eq!(super::super::is_multipart(ct), old(ct), "{ct:?}");
    }
    assert!(super::super::is_multipart(" multipart/form-data"));
}
