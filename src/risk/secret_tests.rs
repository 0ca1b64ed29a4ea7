//! Secrets as the world writes them (issue #27): severity follows
//! certainty, vendor formats found only where they are assigned,
//! placeholders that never act. Every value is made up for these tests.

use super::checksums_secrets::crc32;
use super::test_support::*;
use super::*;

/// The strongest action on `text`, `None` for nothing.
fn action(e: &Engine, text: &str) -> Option<Action> {
    e.scan_str(text).action
}

/// GitHub's format around made-up random characters, with the checksum
/// right (or, with `spoil`, wrong).
fn github_token(random: &str, spoil: bool) -> String {
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut c = u64::from(crc32(random.as_bytes())) + u64::from(spoil);
    let mut enc = [b'0'; 6];
    for slot in enc.iter_mut().rev() {
        *slot = B62[(c % 62) as usize];
        c /= 62;
    }
    format!("ghp_{random}{}", String::from_utf8_lossy(&enc))
}

#[test]
fn a_checksum_makes_a_block_and_a_failed_one_a_reroute() {
    let e = engine();
    let random = "Qm7vT2kLx9RbW4nE8pZc1sYd6hJf3G";
    let good = format!("it fails with {} since Monday", github_token(random, false));
    let bad = format!("it fails with {} since Monday", github_token(random, true));
    assert_eq!(action(&e, &good), Some(Action::Block));
    assert_eq!(action(&e, &bad), Some(Action::RouteSecureModel));
    // truncated: not the format at all
    assert_eq!(action(&e, &good[..good.len() - 20]), None);
}

#[test]
fn a_vendor_prefix_on_a_placeholder_never_blocks() {
    let e = engine();
    for t in [
        "xoxb-12345-abcd234",
        "xoxb-xoxb-my-bot-token",
        "xoxb-abcdef-abcdef",
        "xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere",
        "set GOOGLE_KEY to AIzaSyabcdefghijklmnopqrstuvwxyz1234567 first",
        "- (id)hf_requiredCharacteristicTypesForDisplayMetadata;",
        "the model id is hf_model_id",
        "\"token\": \"xoxp-572370529330-573807301142-572331691188-####################\"",
    ] {
        let a = action(&e, t);
        assert!(a.is_none() || a == Some(Action::Audit), "{t}: {a:?}");
    }
    // the same vendors with random characters block
    assert_eq!(
        action(
            &e,
            "token xoxb-86808843922-8730787731962-nVEU1rpt7DNHAdFyCLQWngtr"
        ),
        Some(Action::Block)
    );
}

#[test]
fn placeholders_and_names_of_secrets_are_not_secrets() {
    let e = engine();
    for t in [
        "LLM_SECRET_NAME = \"NEXUS-GPT4-API-KEY\"",
        "secret_length = X25519.secret_length",
        "\"hashed_secret\": \"513e0a36963ae1e8431c041b744679ee578b7c44\",",
        "private_key_path: /etc/ssl/private/server.pem",
        "cloudant_password = \"a-fake-tooshort-key\"",
        "const privateaiToken = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\";",
        "secret_key => \"sk_abcdefghijklmnopqrstuvwxyz123\",",
        "export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...",
        "API_KEY=\"glc_111111111111111111111111111111111111111111=\"",
        "您的访问密钥AccessKeySecret",
        "password = \"${DB_PASSWORD}\"",
        "token = os.environ[\"API_TOKEN\"]",
        "curl -i -u 'test:test' https://x",
        "// 邮箱 i***w@gmail.com",
        "change your password 2 times a year",
        "kind: Secret\nmetadata:\n  name: x\ntype: Opaque",
        "git push -u origin main",
        "git clone https://user:password@github.com/x/y",
        "pass the --token flag to the CLI",
        "?token=${TOKEN}&x=1",
        "kind: Secret\ndata:\n  htpasswd: {{ htpasswd }}\n---\napiVersion: v1\n  kind: ReplicationController",
    ] {
        let a = action(&e, t);
        assert!(a.is_none() || a == Some(Action::Audit), "{t}: {a:?}");
    }
}

#[test]
fn credentials_in_the_syntaxes_people_paste() {
    let e = engine();
    for t in [
        "<asanaToken>\n    k7Qp2Lx9RbW4nE8pZc1sYd6hJf3GaB\n</asanaToken>",
        "beamer_TOKEN :::= \"b_k7qp2-lx9rb-w4ne8pzc1sy=d6hjf\"",
        "trelloToken := `Qm7vT2kLx9RbW4nE8pZc1sYd6hJf3GaB`",
        "$mailToken .= \"pk-7d2f9a1c4e8b3a6f0d5c\";",
        "launch_token: 'z_k7qp2lx9rbw4ne-qviw=5nxdx'",
        "System.setProperty(\"SHOP_TOKEN\", \"shop_test_k7qp2lx9rbw4ne8pzc1syd6=hjf3g\")",
        "password = 123456789a1234",
        "simbot.ding.bots=SECf896228a8bc577f22dd1eb0f84a743c9125e48150e4bd29eeb0b585fb1756f2a",
        "'key'                => 'aDsQWmZQouhJFUgvehA9DDmZkieQUYJK',   // API 密钥",
        "curl --cacert ca.crt -u elastic:P@ssw0rd$1 https://localhost:9200",
        "curl --header 'Authorization:  5eb4223e-5008-46e5-be67-c7b8f2732305'",
        "machine api.acme.io login bob password Hx9vpn2024q",
        "{\"auths\":{\"registry.acme.io\":{\"auth\":\"Ym9iOkh4OXZwbjIwMjRx\"}}}",
        "apiVersion: v1\nkind: Secret\ndata:\n  password: c2VjcmV0UGFzc3dvcmQxMjM0NTY=\n",
        "GET https://api.acme.io/v1/items?access_token=Zq7rT9wLk2Xc8VbN4mPq&limit=5",
        "https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&sr=b&sig=k7Qp2Lx9RbW4nE8pZc1sYd6hJf3GaB%2FmQ%3D",
        "gh auth login --token Qm7vT2kLx9RbW4nE8pZc1s",
        "git clone https://bob:Hx9vpn2024q@git.acme.io/team/repo.git",
        "pip install --index-url https://build:Zq7rT9wLk2Xc@pypi.acme.io/simple pkg",
        "apiVersion: v1\ndata:\n  .dockercfg: >\n    eyJhdXRocyI6eyJodHRwczovL2EifX0K\nmetadata:\n  name: x\nkind: Secret",
    ] {
        let a = action(&e, t);
        assert!(a.is_some_and(|a| a > Action::Audit), "{t}: {a:?}");
        assert_eq!(e.scan_text(t), e.scan_text_naive(t), "windows miss: {t}");
    }
}
