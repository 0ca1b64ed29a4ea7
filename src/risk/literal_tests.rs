//! Literal values (`literal.rs`): secrets against code and placeholders,
//! example and no-reply mailboxes, card digits that are padding or periodic.

use super::literal::*;

#[test]
fn name_paths_are_code() {
    assert!(is_code_path(b"self._session_id"));
    assert!(is_code_path(b"request.session.sessionId"));
    for v in [
        &b"s%3Aq7Zb3Ld9.XkP2mWc8vT5n"[..],
        b"q7Zb3Ld9XkP2mWc8",
        b"abc.def1",
    ] {
        assert!(!is_code_path(v), "{v:?}");
    }
}

#[test]
fn literals_are_told_from_code_and_placeholders() {
    for v in [
        "Tr0ub4dor&3",
        "Hx!vpn2024",
        "s3cretPw",
        "E7Gj4KodmfwHzDZpYEgpheMY7Cf7xpuN",
        // brackets and template marks that open no template or call
        "q7{{Vz}k)w${r]tu(x[9>-_$#Lm}}",
        "Hx!vpn(2024)",
        "a{b}c=Qz7vK2",
    ] {
        assert!(is_secret_value(v), "{v}");
    }
    for v in [
        "os.environ",
        "request.form.get(",
        "session[",
        "process.env.GITHUB_TOKEN",
        "str",
        "string;",
        "SECRET_KEY",
        "new_password",
        "your-api-key-here",
        "changeme",
        "ENC(xxxx)",
        "getpass.getpass(",
        "sk-...",
        "<password>",
        "${DB_PWD:changeme}",
        "pre${DB_PASSWORD}",
        "x-{{ .Values.db.password }}",
        "ctx->password",
        "Config::SECRET",
        "base64.b64decode(blob)",
        "至少8位",
    ] {
        assert!(!is_secret_value(v), "{v}");
    }
}

#[test]
fn example_domains_and_git_remotes() {
    let t = b"you@example.com a@b.test git@github.com:acme/x.git bob@acme.io";
    let s = |w: &str| {
        let i = t.windows(w.len()).position(|x| x == w.as_bytes()).unwrap();
        (i, i + w.len())
    };
    for w in ["you@example.com", "a@b.test", "git@github.com"] {
        let (a, b) = s(w);
        assert!(email_is_example(t, a, b), "{w}");
    }
    let (a, b) = s("bob@acme.io");
    assert!(!email_is_example(t, a, b));
}

#[test]
fn no_reply_senders_are_roles_not_people() {
    for m in [
        "noreply@anthropic.com",
        "no-reply@openai.com",
        "NoReply@github.com",
        "do-not-reply@example.org",
    ] {
        assert!(email_is_no_reply(m.as_bytes()), "{m}");
    }
    for m in [
        "jane.doe@anthropic.com",
        "noreply+jane.doe@acme.io",
        "jane.noreply@acme.io",
        "noreplyjane@acme.io",
        "12345+jdoe@users.noreply.github.com",
    ] {
        assert!(!email_is_no_reply(m.as_bytes()), "{m}");
    }
}

#[test]
fn dsn_placeholders() {
    assert!(dsn_is_placeholder(
        "postgresql://USER:PASSWORD@HOST:5432/db"
    ));
    assert!(dsn_is_placeholder("mongodb+srv://<u>:<p>@c.mongodb.net"));
    assert!(dsn_is_placeholder(
        "postgres://user:pass@localhost:5432/app"
    ));
    assert!(!dsn_is_placeholder(
        "postgres://app:s3cretPw@db.acme.io/prod"
    ));
    // a password that repeats the user: an image's documented default
    assert!(dsn_is_placeholder(
        "postgres://postgres:postgres@localhost:5432/app"
    ));
    assert!(dsn_is_placeholder("amqp://guest:guest@rabbitmq:5672/"));
    assert!(!dsn_is_placeholder(
        "postgres://postgres:Pg9xLm2q@db.acme.io/app"
    ));
    assert!(!dsn_is_placeholder("redis://:r3dis@cache:6379/0"));
    // an `@` in the path is not the user information's end: here the
    // host and port read alike, and there is no user
    assert!(!dsn_is_placeholder("redis://cache:cache/0?client=ci@acme"));
}

#[test]
fn periods() {
    assert!(has_period(b"abcabcab", 3));
    assert!(!has_period(b"abcabcab", 2));
    assert!(!has_period(b"ab", 3));
}

#[test]
fn periodic_cards() {
    assert!(card_is_periodic(b"4242424242424242"));
    assert!(!card_is_periodic(b"4111111111111111"));
}
