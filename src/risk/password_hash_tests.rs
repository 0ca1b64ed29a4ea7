//! `password_hash` and `tool_secret`: each format from its documentation,
//! values made up (random characters of the format's alphabet and lengths).

use super::test_support::{engine, found_and_acts, hits_rule, rule_acts};

const HASHES: &[(&str, &str)] = &[
    ("BCRYPT", "$2b$12$/6MwQDPMbPQCFPb3yYJNAxpXYowsdYZzFEVrPYQuBJ2ZY1tWoa7Df"),
    ("MD5", "$1$pjow7mZK$lUjJUWBtKxilXM4Xo2xENg"),
    ("SHA256", "$5$rounds=80000$KNWXoSR6F9ht8CM8$P9Be86qc/Kui3UDONEYWkV4xbW5l5nPtNqWjuTDN0YQ"),
    ("SHA512", "$6$dulY0ldgCC6hfX1s$YxC2vXcZnqktMZGd793hVzCG7Rk6..hugikdlxbcQmKWAt9l6flvwZayEdcEyngLFnd80QElmDya2QHA962g77"),
    ("YES", "$y$j9T$.pcTJ5rFwnvXzaF3Cy3xPm$0ceJ4FPlXOu5bhppzmg2zpGVafTMLlg31XIKo87rQ17"),
    ("CISCO9", "$9$RFenmlFnNbUfPk$v2mfHTRQ6Q04VU4Prv8X7p/9tWP7lSYK59qPHjTGKAE"),
    ("ARGON", "$argon2id$v=19$m=65536,t=3,p=4$sXeJv01mGmzMIMzUlUEsJS$ykMpff8t02VhBebCTNjY+cs6Uk7udjti7rwZ31FC7r8"),
    ("DJANGO", "pbkdf2_sha256$870000$aFgmsl8r2xxdfjhxjBAPgs$GykyjL5fU5fyX/dQjrEhjNDyzF7M5O7xmVJrvUkviQP="),
];

#[test]
fn each_format_is_found_wherever_it_stands() {
    let e = engine();
    for (kind, h) in HASHES {
        for text in [
            format!("root:{h}:19700:0:99999:7:::"),
            format!("UPDATE users SET password = '{h}' WHERE id = 7;"),
            format!("the hash in the dump is {h}, can you tell which algorithm"),
            format!("enable secret 9 {h}"),
        ] {
            assert!(found_and_acts(&e, "password_hash", &text), "{kind}: {text}");
        }
    }
}

#[test]
fn a_cut_or_made_up_hash_and_dollar_signs_in_code_are_not_one() {
    let e = engine();
    // Argon2's lengths are its parameters: no cut is short of them
    for (kind, h) in HASHES.iter().filter(|(k, _)| *k != "ARGON") {
        // cut short of the format's length
        let cut = &h[..h.len() - 12];
        assert!(
            !hits_rule(&e, "password_hash", &format!("see {cut} ok")),
            "{kind}"
        );
    }
    for t in [
        "sed -e 's/\\(a\\)\\(b\\)/$1$2/' and echo $5$6",
        "price $1$ per unit, $2a$ is not a thing",
        "$2b$12$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "$6$salt$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "PASSWORD_HASHERS = ['django.contrib.auth.hashers.PBKDF2PasswordHasher']",
        "$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>",
    ] {
        assert!(!rule_acts(&e, "password_hash", t), "{t}");
    }
}

/// Vault's unseal keys as `operator init` prints them and `operator
/// unseal` takes them, SonarQube's analysis token; not a variable, not
/// the command asking for a key, not prose.
#[test]
fn tools_secrets_as_printed_and_taken() {
    let e = engine();
    for t in [
        "Unseal Key 2: raA0LvD3sDL39+RiTAVcairvJUMQVE3RmpYAmK21VhBP",
        "kubectl exec -ti vault-0 -- vault operator unseal raA0LvD3sDL39+RiTAVcairvJUMQVE3RmpYAmK21VhBP",
        "mvn sonar:sonar -Dsonar.host.url=https://sonar.acme.io -Dsonar.login=9c2e7b41f0d8a365e1b47c9d02f5a8e6b3d1c7f4",
        "properties { property 'sonar.token', '7f4b3d1c9c2e7b41f0d8a365e1b47c9d02f5a8e6' }",
    ] {
        assert!(found_and_acts(&e, "tool_secret", t), "missed: {t}");
    }
    for t in [
        "-Dsonar.login=$SONAR_TOKEN and sonar.token=${env.SONAR_TOKEN}",
        "vault operator unseal prompts for the unseal key: paste one of the five",
        "Unseal Key 1: <paste the first key here, then the next two>",
    ] {
        assert!(!rule_acts(&e, "tool_secret", t), "acted: {t}");
    }
}
