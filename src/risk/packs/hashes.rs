//! `password_hash` and `tool_secret`. `password_hash`: a stored password's hash in the formats systems write
//! them (crypt(3)'s `$id$salt$hash` of glibc and libxcrypt, bcrypt,
//! Argon2's PHC string, Django's `pbkdf2_sha256$…`, Cisco's type 8 and 9
//! secrets). A hash is not the password, but an `/etc/shadow` line, a
//! user table's row or a router's `enable secret` opens the password to an
//! offline guess at leisure, so it goes to the secure model like a
//! password would. Each alternative is the format's documented alphabet
//! and lengths, so ordinary text and `$1$2` in a regex replacement never
//! match.

use crate::risk::builtin::{Builtin, Validator, BASE};
use crate::risk::Severity;

pub(super) const RULE: Builtin = Builtin {
    id: "password_hash",
    pack: "security",
    severity: Severity::High,
    description: "A stored password's hash: crypt(3) (`$1$`, `$5$`, `$6$`, yescrypt `$y$`), bcrypt (`$2b$`), Argon2 (`$argon2id$`), Django's `pbkdf2_sha256$`, Cisco type 8/9",
    pattern: concat!(
        // bcrypt: cost, then 22 characters of salt and 31 of hash
        r"\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}",
        // MD5-crypt (salt up to 8), SHA-256/512-crypt (optional rounds,
        // salt up to 16, hash 43 or 86), yescrypt (parameters, salt, 43)
        r"|\$1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}",
        r"|\$5\$(?:rounds=\d{1,9}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43}",
        r"|\$6\$(?:rounds=\d{1,9}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86}",
        r"|\$y\$[./A-Za-z0-9]{1,12}\$[./A-Za-z0-9]{1,86}\$[./A-Za-z0-9]{43}",
        // Cisco type 8 (PBKDF2) and type 9 (scrypt): 14 of salt, 43 of hash
        r"|\$[89]\$[./A-Za-z0-9]{14}\$[./A-Za-z0-9]{43}",
        // Argon2's PHC string (lengths are parameters: at least 8 bytes of
        // salt and 12 of hash); Django's PBKDF2 (iterations, salt, the
        // digest's base64: 20, 32 or 64 bytes)
        r"|\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}",
        r"|\bpbkdf2_sha(?:1|256|512)\$\d{4,7}\$[A-Za-z0-9]{4,64}\$(?:[A-Za-z0-9+/]{27}=|[A-Za-z0-9+/]{43}=|[A-Za-z0-9+/]{86}==)"
    ),
    anchors: &[
        "$2a$", "$2b$", "$2x$", "$2y$", "$1$", "$5$", "$6$", "$y$", "$8$", "$9$", "$argon2",
        "pbkdf2_sha",
    ],
    // a run of one character (`$2b$12$aaaa…`) is a placeholder
    validator: Validator::KeyShape,
    before: 16,
    after: 200,
    ..BASE
};

/// Secrets as one tool prints them and another takes them: HashiCorp
/// Vault's unseal keys (`vault operator init` prints `Unseal Key 1: …`,
/// `vault operator unseal …` takes one) and SonarQube's analysis token
/// (`-Dsonar.login=…`, `sonar.token=…`). A rule of its own with its rare
/// anchors: in `credential_assignment` these forms ran in every window
/// `token` and `password` open (+0.85% instructions on README text).
pub(super) const TOOL_SECRET: Builtin = Builtin {
    id: "tool_secret",
    pack: "security",
    severity: Severity::High,
    description: "A secret as a tool prints or takes it: Vault's unseal keys (`Unseal Key 1: …`, `vault operator unseal …`), SonarQube's analysis token (`sonar.login`, `sonar.token`)",
    pattern: concat!(
        r"(?i:\bunseal[ \t]+key(?:[ \t]+\d{1,2})?[ \t]*:[ \t]*[A-Za-z0-9+/]{40,}={0,2})",
        r"|(?i:\bvault[ \t]+operator[ \t]+unseal[ \t]+(?:-\S+[ \t]+)*[A-Za-z0-9+/]{40,}={0,2})",
        r#"|(?i:sonar\.(?:login|token)["']?[ \t]*(?:[:=,])[ \t]*["']?[A-Za-z0-9_]{40,})"#
    ),
    anchors: &["unseal", "sonar.login", "sonar.token"],
    validator: Validator::SecretValue,
    before: 24,
    after: 200,
    ..BASE
};
