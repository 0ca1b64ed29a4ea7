//! Credentials written in the syntaxes people paste (issue #27): each
//! language's assignment operator, two-argument setters, `curl -u`,
//! non-Bearer `Authorization` schemes. Values are made up for these tests.

use super::*;

fn acting(e: &Engine, text: &str) -> Vec<String> {
    let mut v: Vec<String> = e
        .scan_str(text)
        .hits
        .into_iter()
        .filter(|h| h.action > Action::Audit)
        .map(|h| h.rule)
        .collect();
    v.sort();
    v
}

fn engine() -> Engine {
    Engine::compile(&RiskConfig::default()).unwrap()
}

const FOUND: &[&str] = &[
    r#"dbPassword := "Qz7vK2pLm9Rw""#,
    r#"var apiSecret string = "h8Fj2KsLq0Zp3Xv""#,
    r#"const apiToken: string = "h8Fj2KsLq0Zp3Xv";"#,
    r#"let secret_key: &'static str = "h8Fj2KsLq0Zp3Xv";"#,
    "DB_PASSWORD ?= Qz7vK2pLm9Rw",
    "SECRET_TOKEN ::= h8Fj2KsLq0Zp3Xv",
    "API_TOKEN += h8Fj2KsLq0Zp3Xv",
    "$config = ['db_password' => 'Qz7vK2pLm9Rw'];",
    r#"{ :auth_token => "h8Fj2KsLq0Zp3Xv" }"#,
    "<dbPassword>Qz7vK2pLm9Rw</dbPassword>",
    r#"<add key="SmtpPassword" value="Qz7vK2pLm9Rw"/>"#,
    r#"System.setProperty("javax.net.ssl.trustStorePassword", "Qz7vK2pLm9Rw");"#,
    "os.Setenv('GITHUB_TOKEN', 'h8Fj2KsLq0Zp3Xv')",
    r#"{"env": "NODE_ENV=production\nSTRIPE_SECRET=h8Fj2KsLq0Zp3Xv\nPORT=3000"}"#,
    "curl -u admin:Qz7vK2pLm9Rw https://ci.acme.io/api/json",
    "curl --user deploy:h8Fj2KsLq0Zp3Xv -X POST https://x.acme.io/hook",
    "Authorization: SSWS 00Qz7vK2pLm9Rwh8Fj2KsLq0Zp3Xv12",
    "authorization: Api-Token h8Fj2KsLq0Zp3Xvab12",
    "X-JFrog-Art-Api: AKCp8h8Fj2KsLq0Zp3Xvh8Fj2KsLq0Zp3Xv",
    r#"private static final String DB_PASS = "Qz7vK2pLm9Rw";"#,
    // detect-secrets' keyword syntaxes, with a password of symbols
    "apikey = q7{{Vz}k)w${r]tu(x[9>-_$#Lm}}",
    "db_pass: q7{{Vz}k)w${r]tu(x[9>-_$#Lm}},",
    r#"if (db_secret === "Qz7vK2pLm9Rw!") {"#,
    r#"if (api_key != 'Qz7vK2pLm9Rw') return;"#,
    r#"std::string secret("Qz7vK2pLm9Rw");"#,
    r#"db_password.assign("q7{{Vz}k)w${r]tu", 16);"#,
    r#"NSString *api_key = @"Qz7vK2pLm9Rw";"#,
    "client_secret_for_the_staging_cluster = Qz7vK2pLm9Rw",
    // an INI value continued on an indented line
    "[db]\nreplica_password =\n    Qz7vK2pLm9Rw\n",
    // `Pass` ending a camelCase name, as `_pass` ends a snake one
    r#"dbPass := "Qz7vK2pLm9Rw""#,
    r#"const adminPass = "Qz7vK2pLm9Rw";"#,
    "smtpPass: h8Fj2KsLq0Zp3Xv",
    r#"var redis2Pass = "Qz7vK2pLm9Rw""#,
    // the name split, or written with a space
    r#"pass_word = "Qz7vK2pLm9Rw""#,
    "pass-word: Qz7vK2pLm9Rw",
    "Secret Key: h8Fj2KsLq0Zp3Xv",
    // the Japanese and Korean words, as 密码
    "パスワード：Qz7vK2pLm9Rw",
    "비밀번호: Qz7vK2pLm9Rw",
    "密 码：Qz7vK2pLm9Rw",
];

const LEFT: &[&str] = &[
    r#"password := os.Getenv("DB_PASSWORD")"#,
    r#"var apiSecret string = os.Getenv("API_SECRET")"#,
    "DB_PASSWORD ?= $(shell cat secret.txt)",
    "$config = ['db_password' => getenv('DB_PASSWORD')];",
    "<password>${DB_PASSWORD}</password>",
    "<dbPassword>changeme</dbPassword>",
    r#"System.setProperty("trustStorePassword", System.getenv("TS_PASS"));"#,
    "curl -u admin:$PASSWORD https://ci.acme.io/api/json",
    r#"curl -u "$USER:$TOKEN" https://ci.acme.io"#,
    "docker run -u 1000:1000 image",
    "git push -u origin main",
    "curl -u user:password https://api.acme.io",
    r#"const tokenType: string = "Bearer";"#,
    r#"password_field := form.Field("password")"#,
    "The token => value mapping is cached.",
    r#"{"env": "API_TOKEN=${TOKEN}\nPORT=3000"}"#,
    "password = ctx->password;",
    "api_key = Settings::API_KEY;",
    "secret: x-{{.Values.secret}}",
    r#"client.get_secret("projects/acme/secrets/db-password")"#,
    r#"var s = new Secret("db-password");"#,
    r#"if (password == "") { return; }"#,
    "password = base64.b64decode(blob)",
    "passwords:\n    admin: ${ADMIN_PW}\n",
    "secret:\n  - name: registry-cred\n",
    r#"{"token1": "xoxp-1234567890"}"#,
    // `pass` inside a word, a camelCase pass that is no password's
    r#"bypass = "enabled""#,
    r#"compass: "north-east""#,
    "firstPass = true",
    r#"const testPass = "PASSED";"#,
    r#"renderPass: "shadow_map""#,
    r#"var subPass = renderGraph.AddPass("gbuffer")"#,
    r#"userPass := r.FormValue("pass")"#,
    r#"dbPass := os.Getenv("DB_PASS")"#,
    "Passwort vergessen? Klicken Sie hier.",
    "senha: deve ter 8 caracteres",
    "Passwort: mindestens 12 Zeichen",
    "パスワードを忘れた場合は管理者に連絡してください",
    "비밀번호 재설정 링크를 보냈습니다",
    "パスワード：********",
    "Kennwort: <Ihr Kennwort>",
    r#"pass_word = os.environ["PASS_WORD"]"#,
    "secret key rotation is every 90 days",
    "保密 码头 2024 年规划",
];

#[test]
fn credentials_in_every_assignment_syntax_are_found() {
    let e = engine();
    for t in FOUND {
        assert!(
            acting(&e, t).contains(&"credential_assignment".to_string()),
            "missed: {t}"
        );
    }
}

#[test]
fn lookups_placeholders_and_commands_without_a_password_are_left_alone() {
    let e = engine();
    for t in LEFT {
        assert_eq!(acting(&e, t), Vec::<String>::new(), "{t}");
    }
}

#[test]
fn windows_find_what_a_whole_text_scan_finds() {
    let e = engine();
    for t in FOUND.iter().chain(LEFT) {
        assert_eq!(e.scan_text(t), e.scan_text_naive(t), "{t}");
    }
}
