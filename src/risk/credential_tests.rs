//! `credential_assignment` against code that only looks like one: paths,
//! identifiers, values after a name and white space; the filter and the
//! reference scan must agree.

use super::test_support::*;
use super::*;
use std::collections::HashSet;

#[test]
fn code_paths_are_not_credential_assignments() {
    // A keyword inside a longer identifier, then `::` or `.`: code, not a
    // secret (found in an agent conversation's `cargo test` log).
    let e = engine();
    let cred = |t: &str| hits_rule(&e, "credential_assignment", t);
    let mut bad = Vec::new();
    for t in [
        "test tokenizer::tests::evict_scheduler_0 ... ok",
        "test tokenizer::tests::roundtrip_unicode_42 ... ok\ntest tokenizer::bpe::merge_rank_7 ... ok",
        "use argon2::password_hash::verify;",
        "let ok = password_hash::verify(&hash, b\"x\");",
        "failures:\n    secret_store::tests::load_v2_keyring ... FAILED",
        "self.token_count = self.token_count + n;",
        "let n = tokenizer::count_tokens(text); // password::hash_v2::derive_key_42",
        "token_budget::refill_bucket_v3(&mut state)",
        "    tokenizer::Tokenizer::from_file(path)?",
    ] {
        if cred(t) {
            bad.push(t);
        }
    }
    for t in [
        "token: ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "password=Hunter2024!",
        "api_key = \"sk-live-4f9a8b7c6d5e4f3a\"",
        "TOKEN=abc123def456",
        "密码：Xa9k2mQ7",
        "password: Hunter2024!",
        "db_password:Hunter2024!",
        "access_token=Zx81kQp2Lm07",
        "Config::PASSWORD = \"Hunter2024!\"",
        "api::token: ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    ] {
        if !cred(t) {
            bad.push(t);
        }
    }
    assert!(bad.is_empty(), "wrong: {bad:#?}");
}

#[test]
fn a_credential_name_ending_in_pwd_is_found_as_the_pattern_finds_it() {
    // The pattern takes `pwd` after a name (`dbpwd=`); the prefilter once
    // took every short anchor only at a word's start and missed these
    // (found by the risk_mask fuzz target). `sk` inside `task` stays out.
    let e = engine();
    for t in [
        "dbpwd=Zq7rT9wLk2",
        "ssapword=Hunter`ummy pA\0\0\0respwdum4:5432/db",
        "export MYSQLPWD: s3cr3tVal",
        // the rest of the name as long as the pattern takes it (24), so
        // the operator stands past 24 bytes after the anchor
        "dbpwd_for_the_backup_replicas:Zq7rT9wLk2",
    ] {
        let rules = |ms: Vec<Match>| ms.into_iter().map(|m| m.rule).collect::<HashSet<_>>();
        let found = rules(e.scan_text(t));
        assert_eq!(found, rules(e.scan_text_naive(t)), "{t:?}");
        assert!(
            ids(&e, t).contains(&"credential_assignment".to_string()),
            "{t:?}"
        );
    }
    assert!(ids(&e, "the task is Hx!vpn2024x").is_empty());
}

/// A value after a name and spaces only needs a digit in both scans: the
/// prefilter asked for one and the reference scan did not, so `secret
/// masTercardtokEn` (and a fuzzed `paSs\t\x01…`) hit in one and not the
/// other.
#[test]
fn spaced_values_need_a_digit_in_the_filter_and_the_reference_alike() {
    let e = Engine::compile(&RiskConfig::default()).unwrap();
    let fired = |t: &str, naive: bool| {
        let ms = if naive {
            e.scan_text_naive(t)
        } else {
            e.scan_text(t)
        };
        ms.iter().any(|m| {
            e.rules()
                .nth(m.rule)
                .is_some_and(|r| r.id == "credential_assignment")
        })
    };
    for (t, hit) in [
        ("secret masTercardtokEn", false),
        ("paSs\t\u{1}\0\0CHom sswgr s", false),
        ("the wifi pass Hx!vpn2024 ok", true),
        ("db secret is Zq7rT9wLk2", true),
        (
            "pass\tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:zg*CHom",
            false,
        ),
        ("curl -u admin:Secret!pw https://x", true),
        ("password=Zq!rTwLkQ", true),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwx", true),
    ] {
        assert_eq!(fired(t, false), hit, "filter: {t:?}");
        assert_eq!(fired(t, true), hit, "reference: {t:?}");
    }
}

/// A Chinese input method types `：` and `＝` after an ASCII name
/// (`SecretKey：…`, `DB_PASSWORD＝…`): the same assignment as `:` and `=`.
/// The value's placeholders still do not act, and a mask covers the value
/// up to where the Chinese text resumes.
#[test]
fn full_width_operators_after_an_ascii_name_assign() {
    let e = engine();
    let acts = |rule: &str, t: &str| found_and_acts(&e, rule, t);
    for t in [
        "SecretKey：q7ZbR2xLm9PkT4vWc8NdY3hJs6GfA1",
        "阿里云AccessKey Secret：q7ZbR2xLm9PkT4vWc8NdY3hJs6GfA1",
        "数据库 password：Zq7bR2xLm9Pk，请保管好",
        "api_key＝q7ZbR2xLm9PkT4vWc8NdY3hJs6GfA1",
        "token： q7ZbR2xLm9PkT4vWc8NdY3hJs6GfA1",
    ] {
        assert!(acts("credential_assignment", t), "missed: {t}");
    }
    assert!(acts("env_file_secret", "DB_PASSWORD＝Zq7bR2xLm9Pk"));
    for t in [
        "api_key：YOUR_API_KEY",
        "token：请填写你的令牌",
        "password：${DB_PASSWORD}",
        "SecretKey：xxxxxxxxxxxxxxxx",
    ] {
        assert!(!rule_acts(&e, "credential_assignment", t), "acted: {t}");
    }
    let cfg: RiskConfig = match serde_json::from_value(serde_json::json!({
        "overrides": {"credential_assignment": {"action": "mask"}}
    })) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    let e = match Engine::compile(&cfg) {
        Ok(e) => e,
        Err(e) => panic!("{e:?}"),
    };
    let mut text = "数据库 password：Zq7bR2xLm9Pk，请保管好".to_string();
    let found = e.scan_text(&text);
    assert!(e.mask_text(&mut text, &found, &mut Default::default()));
    assert!(!text.contains("Zq7bR2xLm9Pk"), "{text}");
    assert!(text.ends_with("，请保管好"), "{text}");
}

/// A secret named in prose by what it is for (`the password for the
/// staging db is …`), under `credentials`/`creds`, or after the AWS CLI's
/// setting name (`aws configure set aws_secret_access_key …`); what is said
/// about a secret that way is no value.
#[test]
fn secrets_named_in_prose_and_on_the_aws_command_line() {
    let e = engine();
    let acts = |t: &str| found_and_acts(&e, "credential_assignment", t);
    for t in [
        "the password for the staging db is Hunter2!x9",
        "api token for prod is q7ZbR2xLm9PkT4vWc8NdY3hJs6GfA1",
        "password for root: Qv7mT2wRx9Lk",
        "the password to the router is BlueSky2024!",
        "credentials: deploy:Qv7mT2wRx9Lk",
        "creds=Qv7mT2wRx9Lk",
        "aws configure set aws_secret_access_key q7ZbR2xLm9PkT4vWc8NdY3hJs6GfA1wEr5Ty",
    ] {
        assert!(acts(t), "missed: {t}");
    }
    for t in [
        "the token for the request is generated by the server",
        "the password for the file is stored in vault",
        "the secret of success is practice",
        "the token of the day is 2024",
        "the password for this account is changeme",
        "the password for user admin is ${ADMIN_PASSWORD}",
        "credentials: stored in vault",
        "credentials = service_account.Credentials.from_service_account_file(path)",
        "credential_provider = get_provider()",
        "Credentials=DefaultAzureCredential()",
    ] {
        assert!(!rule_acts(&e, "credential_assignment", t), "acted: {t}");
    }
}

/// A note's dash before a quoted value (`webex token - '…'`), a storage
/// account's key on a command line (`az … --account-key …`), a docker
/// `auth` escaped inside a string (GitLab's `DOCKER_AUTH_CONFIG`).
#[test]
fn dashed_notes_storage_flags_and_escaped_docker_auth() {
    let e = engine();
    let acts = |t: &str| found_and_acts(&e, "credential_assignment", t);
    for t in [
        "webex token - '9c2e7b41f0d8a365e1b47c9d02f5a8e6'",
        "API key - \"q7ZbR2xLm9PkT4vWc8NdY3hJs6GfA1\"",
        "az storage blob upload --account-name acme --account-key PtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA/2O76UMFxFkM/R5Kjp1vRt+1fjORS/6ilI8ihN5KXSc7Tvo==",
        "cleanup.exe -storagekey PtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA/2O76UMFxFkM/R5Kjp1vRt+1fjORS/6ilI8ihN5KXSc7Tvo== -container logs",
        r#"environment = ["DOCKER_AUTH_CONFIG={\"auths\":{\"r.acme.io\":{\"auth\":\"ZGVwbG95OlF2N21UMndSeDlMaw==\"}}}"]"#,
    ] {
        assert!(acts(t), "missed: {t}");
    }
    for t in [
        // arithmetic, prose, an unquoted dash, a placeholder, a variable
        "n = iToken - p->iDoclistToken;",
        "the API key - \"what the console shows you\"",
        "token - the unit a lexer emits",
        "webex token - 'redirect_uri_mismatch'",
        "az storage blob upload --account-name acme --account-key $AZURE_STORAGE_KEY",
        "--account-key <storage-account-key>",
    ] {
        assert!(!rule_acts(&e, "credential_assignment", t), "acted: {t}");
    }
}

/// What a script or a route table puts after a password's name is no
/// password: an element's id (`#add-password`), an interpolation
/// (`#{password}`), a route (`cms/sites/passwords#update`), a page's path,
/// a masked value, letters and digits counted off (`a1b2c3…`).
#[test]
fn selectors_routes_interpolations_and_masks_are_not_passwords() {
    let e = engine();
    for t in [
        "this.addPassword = \"#add-password\";",
        "text << \"Password=#{password}, \"",
        "put '/forgot-password' => \"cms/sites/passwords#update\", as: 'update_password'",
        "\"/en/articles/creating-a-strong-password\":\"/en/enterprise-server@3.0/auth\"",
        "dbd_params => 'host=db port=3306 user=apache password=###### dbname=auth'",
        "api_token = \"a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6\"",
    ] {
        assert!(!rule_acts(&e, "credential_assignment", t), "acted: {t}");
        assert!(!rule_acts(&e, "db_connection_string", t), "acted: {t}");
    }
    for t in [
        "Server=db1;Database=B2B;User ID=b2b;Password=#gets0m3;",
        "password = \"#Qv7mT2wRx9\"",
        "token = \"/Zq3Xw9PbL2mK7vR4tY8n/C1hJ6sD0fG5aUe2iO7p\"",
    ] {
        assert!(
            rule_acts(&e, "credential_assignment", t) || rule_acts(&e, "db_connection_string", t),
            "missed: {t}"
        );
    }
}

#[test]
fn vendors_documented_names_without_a_credential_word() {
    // made-up values under Azure's subscription header, WeChat Pay's APIv3
    // key and a vendor's name before `key`; the same names with code or a
    // placeholder are not secrets, nor `key` after any other word
    let e = engine();
    let cred =
        |t: &str| hits_rule(&e, "credential_assignment", t) || hits_rule(&e, "vendor_named_key", t);
    for t in [
        "Ocp-Apim-Subscription-Key: 7d3f0a9c41e84b62a5c19e0f2b7d8c35",
        "subscription_key = \"9b2e7c4a1f6d48e3b0a5c7d91e2f4a68\"",
        "apiV3Key = \"Qm7Zt2Xr9Lp4Vc8Nk1Hs6Bw3Jd5Fy0Ga\"",
        "api_v3_key: Qm7Zt2Xr9Lp4Vc8Nk1Hs6Bw3Jd5Fy0Ga",
        "herokuKey := \"3e8c1f0a-7b2d-4c9e-a5f1-6d0b9e2c7a41\"",
        "var meraki_key = \"5c0e9a7d3b1f48e2a6c4d8b0f2e7a9c1d3b5f7e9\"",
        "const fastlyKey = 'Rt0Ys1Uw3Io5Pa7SdZq9Xk2Lm4Nb6Vc8'",
    ] {
        assert!(cred(t), "{t}");
    }
    for t in [
        "Ocp-Apim-Subscription-Key: {{subscription_key}}",
        "apiV3Key = config.getApiV3Key();",
        "api_v3_key: <your APIv3 key>",
        "mapboxKey = process.env.MAPBOX_KEY",
        "herokuKey: string;",
        // `key` alone names cache and map keys
        "cacheKey = \"user:profile:v2:settings\"",
        "primaryKey = \"Qm7Zt2Xr9Lp4Vc8Nk1Hs6Bw3Jd5Fy0Ga\"",
    ] {
        assert!(!cred(t), "{t}");
    }
}

/// A secret assigned into a subscript (`$config['db_password'] = …`), with
/// a string prefix (`b"…"`, `r"…"`), or as a Terraform variable's default;
/// an object's computed key (`["oauth2-token"]: Schema`) and a comparison
/// are no assignment.
#[test]
fn subscripts_string_prefixes_and_terraform_defaults() {
    let e = engine();
    let acts = |t: &str| rule_acts(&e, "credential_assignment", t);
    for t in [
        "$config['db_password'] = 'Xk29mQp7Lr4v';",
        "os.environ[\"API_TOKEN\"] = \"q7ZbR2xLm9PkT4vWc8NdY3hJ\"",
        "let secret_key = b\"Xk29mQp7Lr4vQv7mT2wR\";",
        "password = r\"Xk29mQp7Lr4v\"",
        "variable \"db_password\" {\n  type    = string\n  default = \"Xk29mQp7Lr4v\"\n}",
    ] {
        assert!(acts(t), "missed: {t}");
    }
    for t in [
        "  [\"oauth2-token\"]: OAuth2TokenAuth$inboundSchema,",
        "if cfg['db_password'] == expected:",
        "password = r\"^[A-Za-z0-9]{8,}$\"",
        "password = \"^(?=.*\\d)[A-Za-z\\d]{8,}\"",
        "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}",
        "variable \"db_password\" {\n  default = \"changeme\"\n}",
    ] {
        assert!(!acts(t), "acted: {t}");
    }
}

#[test]
fn a_password_name_written_with_look_alike_symbols_assigns() {
    let e = engine();
    let acts = |t: &str| found_and_acts(&e, "credential_assignment", t);
    for t in [
        "my p@ssword is Tr0ub4dor&3x",
        "p@ssw0rd = \"Gh7!kq29xLm\"",
        "passw0rd: Vx8#nq2Lr5",
        "pa$$word=Lk29@vbQx7",
        "DB_P4SSWORD=Hq72!xvLm9",
    ] {
        assert!(acts(t), "{t}");
    }
    for t in [
        "the p@ssword field is required",
        "p@ssw0rd = YOUR_PASSWORD",
        "set pa$$word to ${DB_PASS}",
        "padding: 12px; pa$$ing",
    ] {
        assert!(!acts(t), "{t}");
    }
}
