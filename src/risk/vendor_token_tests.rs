//! `vendor_token`: more vendors' keys, each from its vendor's documented
//! prefix, length and alphabet. Every key below is random characters in
//! that shape, made up for this test (`/dev/urandom`, not a real key).

use super::test_support::{cut_keys_do_not_act, keys_act_in};
use super::*;

fn acts(e: &Engine, text: &str) -> bool {
    e.scan_str(text)
        .hits
        .iter()
        .any(|h| h.rule == "vendor_token" && h.action > Action::Audit)
}

const VALID: &[(&str, &str)] = &[
    ("Adafruit IO", "aio_w51npU8TmTC4H6LyhpupKuMDHyeu"),
    ("JFrog API key", "AKCprCJwu5egrOEMQDTD824XAf8ll43X54JxKGwiQ4JiXEsL3NKVCSnFRnESmIPfxD6zKtqjU"),
    ("JFrog reference", "cmVmdGtuOjAxOjZUL1dp1elq9hILkSHMJUzomkk7UdQSTP2jGyN70ThFmfzx4nU4"),
    ("Atlassian", "ATATT3RMtJ9belgA5wKFZpyw9kUQSdgGdsxNA_0UJkk1nLULwjEemF7d5so_2ejYo1f_ShO_fkN33QAj-UjWl4ebcLuKixaTWmJhny83XnF6Ytf-wIB1Uou9rxNojUVf3Bw_dC9Ux8dwmI0NMFnAnFQgZwYFIVWQ6iXqUrM862f3Oe-0vPN4jic8qD_omJoN"),
    ("Bitbucket app password", "ATBBEp6GT40POtz1Qhd88HtQ4LlqW3yjFAKc"),
    ("Azure AD client secret", "RbG8Q~VyH3_icQ2LDAUIAmnws-KQlOSwFqVjxPH7"),
    ("Clojars", "CLOJARS_87xy382w1z1vs88211gdlk9g4hv5li5nu59s6tdezv6qnglxx6w2yacpckf3"),
    ("Databricks", "dapid4c2cb862b7447be625de8cf6e4ce9ab"),
    ("Defined Networking", "dnkey-94oka5gh6okxy8m8u92fobel98-uz038eqi6bcc11ba672b5i96rl1cvpco4baqzdcfg4iped7elirn"),
    ("DigitalOcean", "dop_v1_8b9d250e900418886417325b464a3ed8bb56ad2f66f44732abfa2b6e6bc0d11a"),
    ("Doppler", "dp.pt.WjyUtoYISozcFgVxDQ4giXUJJH05QsSst67UhZbpq1U"),
    ("Dropbox", "sl.DgMQ8ani81iVhgZPGhO6wqzKIh979KGUM1yNn3thkumrRAnerOOLwuC3Bsave4jHdpvvauqwQicpv2mHg9NfLV-yaPtApHcG07QluMSDauf2-ZB_ANMRZNMOn7CkFSrqrofX5Qphr8"),
    ("Dynatrace", "dt0c01.DRGDD6R7LOMZ875SI8M39IR5.2XWGN2X2OHFYWTPYPGOAG0CMPUR2K2PCJUQODMW71RJ3NC3B1RD6W9010AH1CZTX"),
    ("Flutterwave", "FLWSECK_TEST-46ac225955da4d5b8056bf5b3c63ce5d-X"),
    ("Fly.io", "fo1_i8LukDiy2nWYqxNtfCRvxQfjAeGdDcDYNG4V1yW4zUq"),
    ("Frame.io", "fio-u--lP7xECRcvuoVW6VUR31bMFAlmMRJDzUJtT_J8Z-zzjVfAy2NJLZNTbqC-Ufylh5"),
    ("GitLab agent", "glagent-547KgaAQxxQOioV3pbYpilUE60HXSgrZWbgPzrm1byjBD4Xe-m"),
    ("GitLab OAuth", "gloas-MhyeqD3pztJhFjyaefIIJPjH4Je4aRDzvMzp62CWnGrIdkMWTEeq9LQOA-2Q3SOg"),
    ("GitLab runner registration", "GR1348941J0uomiQyybqzhLv0ZFOi"),
    ("GoCardless", "live_B5lnuFiusqoWqvsEA8fRkuNAHTFl8wU4TItjG5lY"),
    ("Grafana API key", "eyJrIjoibhQcvzcnPnsN1Hp3dTDYCGq8THbYp5swGWjWLBcm9lr1AmFAlhvOhJjHFcc5xfF1BTc4YmFsIeDSiSMJHreIM3qA2F"),
    ("Terraform Cloud", "1egjjo4lk6rk7v.atlasv1.r63ev44i8k7i68ddb13z9nbxm6ctj5gsbl8ja7ivzub5qoka5wutvmgg0c9utaqas4"),
    ("HubSpot", "pat-na1-4ee4aba0-50af-1482-2959-7b059f467353"),
    ("Infracost", "ico-wVTtmtHDnqv7868pXVLsVVXxD5uT1HMR"),
    ("Linear", "lin_api_Mzf0b9kI33md0M5GstWSxdlPdeD2w6ghewCMK8sT"),
    ("Mapbox", "sk.eyJS5brsSUTJn2ilHgrWIXTDcY1dIS8AnG9WryMd6pYTUKdspSf8xKHzB52P-tj.dYxo6OF6KxXbqmBD6lt9p4"),
    ("MaxMind", "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"),
    ("Netlify", "nfp_NjHyF8zz4eS0gDnTjByUM6WouoH8tsKWeG8Y"),
    ("OpenShift", "sha256~WGJmorkOvOmgU3c-AjVqFNe8kmUEQD6rDnufoS8dad1"),
    ("Perplexity", "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"),
    ("Plaid", "access-production-cdcc4faf-7ab4-325b-dda3-067fd1d1096c"),
    ("PlanetScale", "pscale_tkn_7rKMH4rX6gSjOMhYFnwMRFbarwGxETEKehesLkWnjJ4"),
    ("Postman", "PMAK-ad5522ca27c17e5c52cbf68b-c8f70071cb5f3e1d42df5871f1e197623e"),
    ("Prefect", "pnu_8mf4bkZKKVbIE1N2tyNq28dXdqJZhBGnpkkp"),
    ("Pulumi", "pul-a7261524e95eaaf7de62628cbadb00e321ec8ee3"),
    ("ReadMe", "rdme_qkm8jst3iwprpk8lr5m7cvmcxmedvnyofwvj8vbdxwom75kbznnqk2fu7lz6ns2zrd2uan"),
    ("Scalingo", "tk-us-MKaeOGwQwrimrEh8WxmwTUIIW3tTDDgO4o_Y7f0Lf1nIuC4s"),
    ("Sentry user", "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"),
    ("SettleMint", "sm_pat_GD1akkar9bOUIC7B"),
    ("Shippo", "shippo_live_24ab34b092f920a40678ac4512e3a1d7e184342c"),
    ("Slack refresh", "xoxe-1-ULSVSjQIAKsawkwIWaAIlwwbUXCPilCaZmv6QFnFm8wWECkKXw0CxUT4zttFe0fbNsPzAp8lDEwsifX8HoQMCusxPX9CEaDSRF4trtbKZRZnNPRjsBejuC0gvZCA2EFXDCOvPQ6pCVae"),
    ("Typeform", "tfp_6dXXE9RnPMroeAyzTIAldzuiRuvE3NfDrIoYFfFCizdAMqPtUIe8r504Tgn"),
    ("Yandex API key", "AQVNDPFweZi5DjBVTuuX3Mn1Pz26Vn9819cSfDed"),
    ("age", "AGE-SECRET-KEY-1Q5HYP6JAKMYMT2NSXJJGRALA0V80AN2DDR7QJ024C2CPN2TEQRUN8FS3CU"),
    ("Google OAuth secret", "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"),
    ("Google access token", "ya29.y-l-Th8q5-Uu5pYE6ciWGo57n35yrkHIb45cpARF36jGUmSlyuJqa1WI3LwK"),
    ("Groq", "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"),
    ("xAI", "xai-gnlKVDtkkU3mi4jIlGTm17WrLs3a77fxtVSUiUlA5QbRgn54SrLwwn7KtS1BL7Qx64ZWOl83SUsURPx9"),
    ("Replicate", "r8_eKjlHUsqCijNiiisIBUvvrDoPCTXHo5S4iFoE"),
    ("Pinecone", "pcsk_hvtrj1_kd08jpETULsqBALDVKLbyDg5fN02PdaPgIBDcyvlbZdzRPsFv9n0FkzSYDmg"),
    ("LangSmith", "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"),
    ("Tavily", "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"),
    ("Supabase", "sbp_98320fdd8583223baf63eef6666665016f6f4ea5"),
    ("SonarQube", "squ_7ff5dace75526143e4d21265d2bccd4c97f07246"),
    ("Buildkite", "bkua_ba3900e5cdb96e7fc48b0b75d63dfd06e779b7e4"),
    ("CircleCI", "CCIPAT_eXhEZbLP5Myfiq3R8yWEbS_387d0d8ab974ce00a5b37e19f2036039884d94a6"),
    ("Braintree", "access_token$production$bsmboni8h6rw3mvr$17fea600780e54b6530278e92ab33f9e"),
    ("Firebase", "AAAACJDtDOc:APA91bBxfqS8JuhFVO3j3VcTTFr0FgjdPKQtrCfOcciuXNVxY1ilaKWhdbFWLkCk7831B3iTjYJEbZR41Ig1zamDksTUzvCdiH3oNuGkRz2w23YLqcVdUr0YboI8ovGBbLavGUshV8Oy"),
    ("Figma", "figd_1H6Q0O29EmAO1BnCoSS1_JtRV4xNZILal7wQOCtw"),
    ("Contentful", "CFPAT-yl29hqFK--6QYZEKh6-emQsjkiv7KGVQiWCUVdyFSLk"),
    ("Baidu Qianfan", "bce-v3/ALTAK-eaRypTfqzW2caSEeAfhjN/b9e09aa7d543068f8490e317161a577cb977a5ae"),
    ("AWS session", "IQoJb3JpZ2luX2VjRAhg6awdV+G/IXqC0fBRDIeelPjJKoPgAB0rS5tU9SUwFH7FF9+M/Xj1ItK1gpUTorB5bJuiOsf/8AgT6VuY6aA+ZEaJIn5h8HVQOBkF00R41d5XaPG9nRIP8UeNvYZlKdu6inx5OlBF+MOGbpqJ7iBHevqm+5yM"),
    ("42 Intra", "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"),
];

#[test]
fn each_key_is_found_in_prose_and_in_any_syntax() {
    let e = engine();
    keys_act_in(
        &e,
        VALID,
        &[
            |k| format!("it fails with {k} since Monday"),
            |k| format!("x := \"{k}\""),
            |k| format!("<value>{k}</value>"),
            |k| format!("curl -H 'X-Key: {k}' https://api.acme.io"),
        ],
        acts,
    );
}

#[test]
fn a_truncated_key_is_not_one() {
    let e = engine();
    // formats with only a minimum length
    let open = [
        "Dropbox",
        "Grafana API key",
        "Mapbox",
        "Slack refresh",
        "Google access token",
        "Pinecone",
        "AWS session",
        "Baidu Qianfan",
    ];
    cut_keys_do_not_act(&e, VALID, &open, acts);
}

#[test]
fn placeholders_and_look_alikes_are_left_alone() {
    let e = engine();
    for t in [
        "dop_v1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "pplx-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
        "gsk_YOUR_GROQ_API_KEY_HERE",
        "lin_api_0000000000000000000000000000000000000000",
        "the live_streaming_configuration_handler_module_name_here",
        "an instance of type t1.micro in the access-control list",
        "sha256~ is how OpenShift prefixes its tokens",
        "sumologic.accessId = \"suYourAccessId\"",
        "dapi-gateway and ssl.SSLContext and :_authToken=${NPM_TOKEN}",
        // a file name, not an Infracost key; a sum, not a Sumo Logic id
        "http://cdn.acme.io/box.ico-5d0c8e1f2a3b4c5d6e7f8a9b0c1d2e3f.png",
        "sumOfWeights = sumOfWeights;",
    ] {
        assert!(!acts(&e, t), "{t}");
    }
}

#[test]
fn keys_under_their_vendors_variable() {
    let e = engine();
    for t in [
        "BUNDLE_ENTERPRISE__CONTRIBSYS__COM=3fa9c2d1:b7e40c95",
        "export BUNDLE_GEMS__CONTRIBSYS__COM: \"0c7d9e21:8a1f4b36\"",
        "sumologic.accessId = \"suQ7mX2pL9vRkT\"",
        "//registry.npmjs.org/:_authToken=5b1e0f7a-93c2-4d8e-a6b4-2f0c9d7e1a35",
    ] {
        assert!(acts(&e, t), "{t}");
        assert_eq!(e.scan_text(t), e.scan_text_naive(t), "{t}: windows miss");
    }
    // the same values under no vendor's variable
    assert!(!acts(&e, "version 3fa9c2d1:b7e40c95 of the lockfile"));
    assert!(!acts(&e, "sumo wrestling, suQ7mX2pL9vRkT"));
}

fn engine() -> Engine {
    Engine::compile(&RiskConfig::default()).unwrap()
}

#[test]
fn discord_bot_tokens_by_their_decoded_id() {
    let e = engine();
    // made up: base64url of a made-up 19-digit id, 6 and 38 random
    let tok = "MTE4MjkzMDQ3NTYyMDE4MzA0Mg.Gq8vZt.Rk2Lx9TbW4nE8pZc1sYd6hJf3GaBqM7vT2kLx9";
    let hit = |t: &str| {
        e.scan_str(t)
            .hits
            .iter()
            .any(|h| h.rule == "discord_bot_token" && h.action > Action::Audit)
    };
    for t in [
        format!("the bot logs in with {tok} and fails"),
        format!("client.run('{tok}')"),
        format!("DISCORD=-{tok}"),
    ] {
        assert!(hit(&t), "{t}");
        assert_eq!(e.scan_text(&t), e.scan_text_naive(&t), "{t}");
    }
    // the same shape whose id is letters; the token cut short
    for t in [
        "YWJjZGVmZ2hpamtsbW5vcHFy.Gq8vZt.Rk2Lx9TbW4nE8pZc1sYd6hJf3GaBqM7vT2kLx9",
        "MTE4MjkzMDQ3NTYyMDE4MzA0Mg.Gq8vZt.Rk2Lx9TbW4",
    ] {
        assert!(!hit(t), "{t}");
        assert_eq!(e.scan_text(t), e.scan_text_naive(t), "{t}");
    }
}
