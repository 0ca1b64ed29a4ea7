//! Text the agents add to every turn themselves (issue #32): a vendor's
//! no-reply trailer, a made-up host in an example, a session's UUID.
//! Each must leave the default packs silent, and the same data written as
//! data must still hit.

use super::test_support::*;

#[test]
fn no_reply_sender_is_not_personal_data() {
    let e = engine();
    let trailer = "- End git commit messages with:\nCo-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>\n";
    assert_eq!(ids(&e, trailer), Vec::<String>::new());
    assert_eq!(
        ids(&e, "sent by no-reply@accounts.google.com"),
        Vec::<String>::new()
    );
    for personal in [
        "Co-Authored-By: Jane Doe <jane.doe@anthropic.com>",
        "write to noreply+jane.doe@acme.io",
        "Co-authored-by: jdoe <12345+jdoe@users.noreply.github.com>",
    ] {
        assert_eq!(ids(&e, personal), ["email_address"], "{personal}");
    }
}

#[test]
fn example_host_in_an_example_element_is_not_company_data() {
    let e = engine();
    let example = "<examples>\n    user: the Grafana board at grafana.internal/d/api-latency is what oncall watches\n    assistant: [saves reference memory: grafana.internal/d/api-latency is the oncall latency dashboard]\n    </examples>";
    assert_eq!(ids(&e, example), Vec::<String>::new());
    // a pasted host, or an example that carries a secret or an address
    assert_eq!(
        ids(&e, "our board is at grafana.internal/d/api-latency"),
        ["internal_domain_name"]
    );
    let wrapped = "<example>grafana.internal admin: ops@acme.io password=Tr0ub4dor&3x</example>";
    assert_eq!(
        ids(&e, wrapped),
        ["credential_assignment", "email_address"],
        "only host names are examples"
    );
    assert_eq!(
        ids(
            &e,
            "<example>x</example> api.payments.svc.cluster.local is down"
        ),
        ["kubernetes_service_dns"]
    );
}

#[test]
fn session_uuid_field_is_not_a_session_cookie() {
    let e = engine();
    let openclaw = "Runtime: agent=main | session=agent:main:explicit:f3f4cbf8-0e14-4a6c-ae65-92c0fc53580a | sessionId=f3f4cbf8-0e14-4a6c-ae65-92c0fc53580a | host=vm";
    assert_eq!(ids(&e, openclaw), Vec::<String>::new());
    assert_eq!(ids(&e, "session_id=42 user=7"), Vec::<String>::new());
    for cookie in [
        "Cookie: theme=dark; sessionId=f3f4cbf8-0e14-4a6c-ae65-92c0fc53580a",
        "sessionid=8f14e45fceea167a5a36dedd4bea2543",
        "PHPSESSID=el4ukv0kqbvoirg7nkp4dncpk3",
        "JSESSIONID=f3f4cbf8-0e14-4a6c-ae65-92c0fc53580a",
        "session_id=Q2hhbmdlTWVQbGVhc2U-x9",
    ] {
        assert_eq!(ids(&e, cookie), ["cookie_session_like"], "{cookie}");
    }
}

/// The ids the agents send on every turn are random: Claude Code's
/// `metadata.user_id` holds a 64-hex device id and a UUID, Codex sends a
/// UUID `prompt_cache_key`. About one in two hundred held a digit run
/// that passed a mobile, card or Aadhaar check (a plain turn rerouted
/// now and then), so thousands of seeded ones must leave every rule
/// silent, while the same numbers written apart still hit.
#[test]
fn random_ids_hold_no_numbers() {
    let e = engine();
    let mut rng = crate::test_rng::Rng(0x05ee_d1d5);
    let mut hex = |n: usize| -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[rng.below(16)]))
            .collect()
    };
    for _ in 0..3000 {
        let uuid = format!("{}-{}-7{}-{}-{}", hex(8), hex(4), hex(3), hex(4), hex(12));
        let text = format!(
            r#"{{"device_id":"{}","account_uuid":"","session_id":"{uuid}"}} cache {} key {}"#,
            hex(64),
            hex(8) + "-" + &hex(4) + "-4" + &hex(3) + "-" + &hex(4) + "-" + &hex(12),
            hex(40),
        );
        assert_eq!(ids(&e, &text), Vec::<String>::new(), "{text}");
    }
    for apart in [
        "call me at 13812345678",
        "ids 9787-7942-4362-fd48",
        "card 4929 3810 4756 2834",
    ] {
        assert_ne!(ids(&e, apart), Vec::<String>::new(), "{apart}");
    }
}

/// Code that passes a session's id along is no session cookie; the cookie
/// itself still is.
#[test]
fn code_passing_a_session_id_is_not_a_cookie() {
    let e = engine();
    assert!(!hits_rule(
        &e,
        "cookie_session_like",
        "self._client.get(url, session_id=self._session_id)"
    ));
    assert!(hits_rule(
        &e,
        "cookie_session_like",
        "curl -b sessionid=q7Zb3Ld9XkP2mWc8vT5nYh0s https://x"
    ));
}
