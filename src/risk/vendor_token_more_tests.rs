//! More vendors' keys (issue #27, round 5): each written from its
//! vendor's documented prefix, length and alphabet. Every key below is
//! random characters in that shape, made up for this test (not a real
//! key); the look-alikes are the ordinary words and identifiers that share
//! a prefix with one.

use super::test_support::{cut_keys_do_not_act, keys_act_in};
use super::*;

fn acts(e: &Engine, text: &str) -> bool {
    e.scan_str(text).hits.iter().any(|h| {
        matches!(
            h.rule.as_str(),
            "vendor_token" | "vendor_token_short" | "api_key_like"
        ) && h.action > Action::Audit
    })
}

fn engine() -> Engine {
    Engine::compile(&RiskConfig::default()).unwrap()
}

const VALID: &[(&str, &str)] = &[
    ("Baidu Cloud access key id", "ALTAKVGwXdngS302HcfFVLxug"),
    ("Kingsoft Cloud access key id", "AKLTq3Vb8nXe2RkT7wLpZ0sYcM4d"),
    ("JD Cloud access key id", "JDC_0A084AA98D71ECF5C88DBDD44AD2"),
    ("Airtable", "patDd8uueJIEOE5v9.54741748d28d65be707119409e025684905be882cbe2da839eed89409f73fe1d"),
    ("Harness", "pat.NPcQELm9Ku7biA0tdhtBf_.CibBivzR973NHXUmNJpDi8pE.eT90tjR3oqDBS6EiEzQR"),
    ("Authress", "sc_uq4y2vo6dswk.3z0xo.acc_iyxy1l25w7y4i49na2a2l6w1.B/h7gvW1OhvN3fAGH0OQgXyW1ViglL/dTykfGPwOPtUCphFspwmp3tZsH+smCNPw"),
    ("Twitter bearer", "AAAAAAAAAAAAAAAAAAAAAAxARSAAAAAAAFAmz00Lu4sWM%2BFUCDqb09jI6KPDRDxpH6%3DS3W2FvvOnDtEFyyBvF8WBGwaB1r0Kb0WfwybDz18I4WdVlOIFM"),
    ("ClickHouse Cloud", "4b1d975408Bp0iUj2oliv29lvyDPaPNSldHEeUxIgy"),
    ("Octopus Deploy", "API-28BTPQWJ70ETMY8KE30VK58QMI"),
    ("ClickUp", "pk_16550720_JE9WBVUWJAM9NG2UM8DRQG3FL24PETYE"),
    ("Resend", "re_87PN2fd1_mwJrRoR7OyxEzmpzwsNAmr0j"),
    ("PostHog", "phx_lZaKgPdI7m5Xwo8BtBa3pMdon7LNhwZN1JbGZzQIX6x1u38"),
    ("Neon", "napi_ikrl8tst0oa0w9k9o8zflda7z9kc1co2ib2tfgchws86vhqg0yntc0ew6q0zfu9v"),
    ("Render", "rnd_tXofuSjHVLoBVt7VIOJ7kZPMDb4Cj3Q5"),
    ("Deno Deploy", "ddp_oEidyuu2RMzCHmGfmZW7ZK7SshSOOFSQA05P"),
    ("ElevenLabs", "sk_8249c80f2327058764a22dc765db65dddc013f69759a5aa6"),
    ("Cerebras", "csk-fl3j0bx3og1u9qax31f358u0jqweviwi04q76bo2fv2vylg0"),
    ("Brevo SMTP", "xsmtpsib-278764056c6cb9beac0725e6f0fa7c38e18dae999a9823246f07940f6167d3c3-z2SkDH2x7YQMHwV7"),
    ("Lob", "live_844056b9822c1fb0e01bc291aa8bfbab67e"),
    ("Mollie", "live_dIGQj9mf00rwWIHqcX0DHzDshXZu9d"),
    ("Bitbucket access token", "ATCTT3dQV5-Bjke92SLE4MxXpF_qbGbHXzVe8PtQlH4WExbfXiQQcWQxEi8IHw91bDNs-sJyJ7RkM-mH5s7A53Nfi8v2tiqcU9DYmww-0n-qcCXRULH6a_rZBP-4h5mrGkRa2NsrAb-LuJPmjPp7x6_MvXdkFfacYbhlFIOM6Rr9egwIvyflVuEq8-"),
    ("Supabase secret", "sb_secret_TTOXFUHMomg50LvVFnC95LPKOiUb3_V"),
    ("Cloudinary", "cloudinary://716612000387725:1U_ldDEUvI9nV9HsCnc_L20CN1g@acme"),
    ("Lichess", "lip_lAk2qFhGfsVH7Jg0zO0C"),
    ("Samsara", "samsara_api_Wkbn0uoosbfpWFanV76wl4tsp5Sj60"),
    ("Zuplo", "zpka_eb1f8785866946a44f793a6954eb85b7_770c3ea9"),
    ("Ionic", "ion_uWMB5QvoR3xOv6TLZs2yGomrsuioOmDMXcUUY0Qqwm"),
    ("Onfido", "api_live.fvx_RtLkpA7.czvz__QWriGfe-CjcEsyeeZVLyQ7ntB-"),
    ("crates.io", "cioG6U90ykdcf28CB2IupSq1d5DYcwBBbfP"),
    ("Google refresh token", "1//0cjpSa3icPJGO2B1497wF45G8hmob6LK5AbiW__P6asD_iHGxq-o8CGp6u9P1nqtytYdW6G0fvnMn54863EHnSwk5V5ZXrfAWdmcj"),
    ("Coze", "pat_V6bEpkfZmTFZ4iVHhkZuoYTbJDGBHrpZ1Hp3SjTUxdjcjqH0kXFI8VwCSzBy7xu2"),
    ("Dify", "app-9dQlMUWQmeZbHqcZJtprIZAP"),
    ("Together", "tgp_v1_Zgx4s3gWm-sSIXOc5BuVsRSstRvmzVihNMECV8iY4Ja"),
    ("Salesforce session", "00Dd8sYhIrRZPoJBF3!6bS3E_kBJAOTDlK91osYKYaGxeUVxRRI2_RMZUDdoLHPYCrXZJ1pfCgTpISEyF.UHK5Is.ApsW9cxBzak6CX1P19Fazlnmtv"),
    ("RSA key, PKCS#8 base64", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQgFYImFMjT0yByWAlrS8f2w5UcP1PAwlCu/rdKqxIFbUWPiEovFB098fd0dI2jajjTEbrQsQCneWj5tgGLvVCLIWj2F3dM88ozGACskzIdjXvrtrKO5k+mbymwGPtwfA1HVlg9RsNAM6c6Ep2+Mp8ZzBWqn6W+u4v7G+vKI7U1XALGMDpRsmL2yNzO+NaTXng5O0t86tI0m0fU5M9Il1o6bHbCq50FCvl7Gv9BAmbscQeZ4p/2m35zC8Nj2myX+ca3fILfkUN/02L9ePSV6E/jOFP1ccwZQaRJyfmfMttU9lQWQhjB62O1HBzgCvLKR80Jr93SwMTmnIccyUq5V0jKrz7uYt6IpIRZYZa18tDhy9Kj9Nsx+UtA0XbY4KhHrSBwdZLALczm8L/f3bL"),
    ("RSA key, PKCS#1 base64", "MIIEpAIBAAKCAQEAsxv9JSTuPCesOumDQr1NLXANbcsmy4Lb3u3s+Zf/vbIl2VMgSzyvqJcE8KWTpMjyNyu+yMnTyFayffYboGH2S843MxaH7tgprEJlwgi96ZfhkTFaoLfxJn3ELps3RcEx72FoFcX0c8kAjfgC0zfsAPcRDFN0jOxzfFlPqPO9wJWYQOUuf6jBwsm0/bxhz7ut1qDejVmut8zg4QgCa58Ws/lYlostoXctrvGERrxeQfe5Dz613/+EACCguCq6cHqiJAh2zk0qLVctthQzsAtXjmbowmeW9Co4ZXIUVdIyj3veG0vDRjMthl4c4rg63qK0hIYFuzwv3+Fq8RlqpRaZ1Qqe3Fbkfvj9UnDhsLyK9wPKjbWlIr3Yu6mi4gcMrzUlx+HhrjJgAV9Eojez"),
    // round 7: Microsoft's common annotated security keys (the `JQQJ9`
    // signature at 52, a version, a provider's signature at 76)
    ("Azure AI services key", "4r48rsjeyDLmENlRdzNS8kFPPRNQaltYKO1sUCRp0i7BYXiFS77nJQQJ99dEXz4m5UyRBMsjZkMaACOGCYNq"),
    ("Azure DevOps PAT", "Q9BHNZ1SkV597i8XuYzQ7iUzAExv7nFtmYij8MwNCCTPrAeOaDRpJQQJ99fIgCwUCIC6QqX7y0XDAZDO9jOa"),
    ("Azure key, 88 characters", "kvo3IKZIQNTysFFVhg7AsApT0lfcc1Q3nuuL4TZS9nnqY34UTtByJQQJ99pIq6PWq35MQcPmMmQ9AZSemSwLzG=="),
    ("NVIDIA", "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"),
    ("Razorpay live key id", "rzp_live_qtlu5LqMnYBstD"),
    ("Firecrawl", "fc-a22fbf3d7f00eb0e14d9b767682ab579"),
    ("HeyGen", "sk_V2_frJaNoHpwRIZ5Yij3Gzm7NoGJAi21b_zIuV5Qf9ChTaDz"),
    // HCP Terraform's first part is mixed case too
    ("Terraform Cloud", "neMnOwjz6XNYU5.atlasv1.EvNpcM-txVTvD4rRwstmePZAYNJm0kgPPSe8gprB7R2fnoyYURApVvgq2s5zX0DKCXk"),
];

#[test]
fn each_key_is_found_in_prose_and_in_any_syntax() {
    let e = engine();
    keys_act_in(
        &e,
        VALID,
        &[
            |k| format!("it fails with {k} since Monday"),
            |k| format!("x = \"{k}\""),
            |k| format!("<value>{k}</value>"),
            |k| format!("client = Client('{k}')"),
        ],
        acts,
    );
}

#[test]
fn a_truncated_key_is_not_one() {
    let e = engine();
    // formats with only a minimum length, or a range the cut stays in
    let open = [
        "Authress",
        "Bitbucket access token",
        "Supabase secret",
        "Google refresh token",
        "Together",
        "Salesforce session",
        "RSA key, PKCS#8 base64",
        "RSA key, PKCS#1 base64",
        "HeyGen",
        "Terraform Cloud",
        // cut past its optional `xx==`, an 88-character key is an 84 one
        "Azure key, 88 characters",
    ];
    cut_keys_do_not_act(&e, VALID, &open, acts);
    // an RSA key cut to its first line's worth is `private_key_marker`'s
    // partial key, not a whole one
    assert!(!acts(
        &e,
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQgFYImFMjT0..."
    ));
}

#[test]
fn the_wrong_alphabet_or_length_is_not_the_format() {
    let e = engine();
    for t in [
        // Airtable: the part after the dot is hex
        "patDd8uueJIEOE5v9.54741748d28d65be707119409e025684905be882cbe2da839eed89409f73fZZZ",
        // JD Cloud ids are upper case; Octopus keys too
        "JDC_0a084aa98d71ecf5c88dbdd44ad2",
        "API-28btpqwj70etmy8ke30vk58qmi",
        // ElevenLabs: hex, 48
        "sk_8249c80f2327058764a22dc765db65dddc013f69759a5aa6ff",
        "sk_8249c80f2327058764a22dc765dbXYZddc013f69759a5aa6",
        // Neon: lower case only
        "napi_IKRL8tst0oa0w9k9o8zflda7z9kc1co2ib2tfgchws86vhqg0yntc0ew6q0zfu9v",
        // Cloudinary: the API key is 15 digits
        "cloudinary://7166120:1U_ldDEUvI9nV9HsCnc_L20CN1g@acme",
        // Azure: the version after `JQQJ9` is 9, D or H; the character at
        // 60 is A-L; 52 characters before the signature
        "4r48rsjeyDLmENlRdzNS8kFPPRNQaltYKO1sUCRp0i7BYXiFS77nJQQJ9XdEXz4m5UyRBMsjZkMaACOGCYNq",
        "4r48rsjeyDLmENlRdzNS8kFPPRNQaltYKO1sUCRp0i7BYXiFS77nJQQJ99dZXz4m5UyRBMsjZkMaACOGCYNq",
        "4r48rsjeyDLmENlRdzNS8kFPPRNQaltYKO1sUCRp0i7BYXiFS77JQQJ99dEXz4m5UyRBMsjZkMaACOGCYNq",
        // a format's description, not a key: no signature at 52
        "abcdefghijklmnopqrstuvwxyz012345679ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnoAZDOabcd",
        // Firecrawl: hex; Razorpay: 14 after the prefix; NVIDIA: 64
        "fc-a22fbf3d7f00eb0e14d9b767682abXYZ",
        "rzp_live_qtlu5LqMnYBstDxy",
        "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",
        // a public key is no private one
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsxv9JSTuPCesOumDQr1NLXANbcsmy4Lb3u3s+Zf/vbIl2VMgSzyvqJcE8KWTpMjyNyu+yMnTyFayffYboGH2S843MxaH7tgprEJlwgi96ZfhkTFaoLfxJn3ELps3RcEx72FoFcX0c8kAjfgC0zfsAPcRDFN0jOxzfFlPqPO9wJWYQOUuf6jBwsm0/bxhz7ut1qDejVmut8zg4QgCa58Ws/lYlostoXctrvGERrxeQfe5Dz613",
    ] {
        assert!(!acts(&e, t), "{t}");
    }
}

#[test]
fn placeholders_are_left_alone() {
    let e = engine();
    let a22 = "AAAAAAAAAAAAAAAAAAAAAA";
    for t in [
        "patxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            .to_string(),
        "ALTAKxxxxxxxxxxxxxxxxxxxx".to_string(),
        "ALTAKabcdefghijklmnopqrst".to_string(),
        "API-ABCDEFGHIJKLMNOPQRSTUVWXYZ".to_string(),
        "API-YOUROCTOPUSAPIKEYGOESHERE".to_string(),
        "pk_12345678_YOURCLICKUPTOKENGOESHEREXXXXXXXXXX".to_string(),
        "re_12345678_abcdefghijklmnopqrstuvwx".to_string(),
        "sk_000000000000000000000000000000000000000000000000".to_string(),
        "app-your_dify_app_key_here".to_string(),
        "app-abcdefghijklmnopqrstuvwx".to_string(),
        "app-AAAAAAAAAAAAAAAAAAAAAAAA".to_string(),
        "pat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".to_string(),
        format!("nvapi-{}", "x".repeat(64)),
        "rzp_live_XXXXXXXXXXXXXX".to_string(),
        "fc-00000000000000000000000000000000".to_string(),
        format!("{}JQQJ99xAxxxxxxxxxxxxxxxxAZDOxxxx", "x".repeat(52)),
        // zero bytes inside a base64 blob (a `/` before them), not a bearer token
        format!(
            "data:application/octet-stream;base64,iVBORw0KGgo/{a22}Tq4mZ81xRb7YwK2p{}9k/Zq",
            "Hv3nC6dLs0Jf".repeat(7)
        ),
        // a bearer token of `A`s only, or its `A`s and a few characters
        "A".repeat(110),
        format!("{a22}{}Zq9", "A".repeat(80)),
    ] {
        assert!(!acts(&e, &t), "{t}");
    }
}

#[test]
fn words_and_identifiers_sharing_a_prefix_are_not_keys() {
    let e = engine();
    for t in [
        "re_path('admin/', admin.site.urls), re_compile and re_match_all_patterns_here",
        "task_queue_handler_for_background_jobs and risk_assessment_module",
        "the app-header-container-wrapper class, app-root and dataset-train-split",
        "patterns like pathToFileURL.fileURLToPath and sat.solver.clauses",
        "API-Version: 2024-06-01, X-API-Key header, api-gateway-service",
        "dispatch_event, napi_create_string_utf8, rnd_seed, ion_channel",
        "social media; precious cio; live_streaming_enabled; lip_sync_offset",
        "1//0 is a division by zero in the comment",
        "sb_secret_manager_client and pk_user_id_sequence",
        // a record named by its MongoDB ObjectId, not a Dify key
        "GET /v1/datasets/dataset-65a1b2c3d4e5f6a7b8c9d0e1 and app-507f1f77bcf86cd799439011",
        // a request id: `API-` and a ULID
        "request API-01HZX3K8QW4V7N2M9PBRC5TJYD failed",
        "the fc-layer-norm block, nvapi-client docs and rzp_live_mode_flag",
        "the spec's JQQJ9 signature is what makes these keys identifiable",
    ] {
        assert!(!acts(&e, t), "{t}");
    }
}
